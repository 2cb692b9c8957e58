/**
 * What regtags does differently per registry, as data (client side). Each
 * entry cites where the behaviour was seen. Only client.ts reads profiles and
 * turns them into options the lower layers already have, so no
 * `if (host === …)` appears below it. The emulator's server-side profiles are
 * separate data on purpose: a shared mistake would hide from the tests.
 */

export interface RegistryProfile {
  /** `vendor[-era]`. */
  readonly id: string;
  /** Registry names it applies to; `*` matches one or more DNS labels' characters. */
  readonly hosts: readonly string[];
  /** Where the behaviour is documented or was observed. */
  readonly source: string;
  /** Base URL of the API when it is not `https://<registry>` (REF-9). */
  readonly endpoint?: string;
  /**
   * `n` of the first tags request: the largest page the registry honours, so
   * a listing takes the fewest round trips; null sends no `n`.
   */
  readonly tagsPageSize?: number | null;
  /**
   * A vendor API with more per-tag data than the OCI API (dates, sizes).
   * `base` is its origin; absent = the registry's own endpoint (Quay).
   */
  readonly vendorApi?: { readonly kind: "dockerhub" | "quay" | "github"; readonly base?: string };
  /**
   * The registry sends a next Link whenever more tags remain, so a page of
   * exactly `n` tags without one ends the list (no PAG-6 guess request).
   */
  readonly alwaysLinks?: boolean;
}

export const BUILTIN_PROFILES: readonly RegistryProfile[] = [
  {
    id: "dockerhub",
    hosts: ["docker.io"],
    endpoint: "https://registry-1.docker.io",
    // Without `n` Hub returns every tag in one response (field report, 2023).
    tagsPageSize: null,
    vendorApi: { kind: "dockerhub", base: "https://hub.docker.com" },
    alwaysLinks: true,
    source: "field report (2023): registry-1.docker.io, tags/list without n returns all tags; distribution reference normalize.go; Hub tags API (registry-quirks.md)",
  },
  {
    id: "ghcr",
    hosts: ["ghcr.io"],
    // n=10000 is reported to return everything at once (registry-quirks.md);
    // if it is capped lower, the next links say so and are followed.
    tagsPageSize: 10_000,
    vendorApi: { kind: "github", base: "https://api.github.com" },
    alwaysLinks: true,
    source: "field report (2023): default page 100, links carry n=0; larger n reported honoured (registry-quirks.md)",
  },
  {
    id: "quay",
    hosts: ["quay.io"],
    // 2023: 50 whatever n; since 2024-06: silently capped at 100, and for a
    // week n > 100 answered 413 TOO_MANY_TAGS_REQUESTED.
    tagsPageSize: 100,
    vendorApi: { kind: "quay" },
    alwaysLinks: true,
    source: "field report (2023) and registry-quirks.md (quay 2024-06 change; /api/v1 tag API)",
  },
  {
    id: "gcr",
    hosts: ["gcr.io", "*.gcr.io", "*-docker.pkg.dev"],
    // gcr.io ignores n and returns all; Artifact Registry pages up to 10000.
    tagsPageSize: null,
    source: "registry-quirks.md: gcr.io all tags, n/last ignored; AR pages up to 10000",
  },
  {
    id: "ecr",
    hosts: ["*.dkr.ecr.*.amazonaws.com", "public.ecr.aws"],
    tagsPageSize: 1000,
    alwaysLinks: true,
    source: "registry-quirks.md: n > 1000 → 405 UNSUPPORTED maxResults; absolute next links",
  },
];

/** The profile for a registry name, or undefined for an unknown registry. */
export function findProfile(registry: string, profiles: readonly RegistryProfile[] = BUILTIN_PROFILES): RegistryProfile | undefined {
  return profiles.find((profile) => profile.hosts.some((pattern) => hostMatches(pattern, registry)));
}

function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.includes("*")) return pattern === host;
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join("[a-z0-9.-]+")}$`);
  return regex.test(host);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
