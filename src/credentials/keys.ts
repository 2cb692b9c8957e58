/**
 * Which entry of a credentials file belongs to a registry (CRED-3, CRED-8).
 * Pure.
 *
 * Order inside one file, after `credHelpers`:
 *  1. namespaced keys, most specific first: `host/ns/repo`, `host/ns`, `host`
 *     (containers/image pkg/docker/config authKeysForKey; exact matches only);
 *  2. any other key that normalises to the host: scheme and path stripped,
 *     and Docker Hub's names (`docker.io`, `index.docker.io`,
 *     `registry-1.docker.io`, `https://index.docker.io/v1/`) are one registry.
 *
 * A key's path is stripped only when the key has a scheme (or in a legacy
 * .dockercfg), as containers/image normalizeAuthFileKey does: `quay.io/team`
 * is a namespace and must never match `quay.io/other`, while
 * `https://quay.io/v1/` is just the host written as a URL.
 */
import type { AuthEntry, CredentialFile } from "./auth-entry.js";

/** The registry name regtags uses for Docker Hub (reference.ts does the same, REF-4). */
export const DOCKER_HUB = "docker.io";
/** The key `docker login` writes for Docker Hub, and the server URL helpers store it under (CRED-3). */
export const DOCKER_HUB_INDEX_KEY = "https://index.docker.io/v1/";
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** `index.docker.io` and `registry-1.docker.io` → `docker.io`; other names unchanged. */
export function normalizeRegistryName(registry: string): string {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase()) ? DOCKER_HUB : registry;
}

/**
 * The registry (or, for a namespaced key, `host/path`) an `auths` key stands for.
 * @example normalizeAuthKey("https://index.docker.io/v1/", false) // "docker.io"
 * @example normalizeAuthKey("quay.io/team", false) // "quay.io/team" (a namespace)
 * @example normalizeAuthKey("http://127.0.0.1:5000/v2/", false) // "127.0.0.1:5000"
 */
export function normalizeAuthKey(key: string, legacy: boolean): string {
  const match = /^https?:\/\//i.exec(key);
  let stripped = match !== null ? key.slice(match[0].length) : key;
  if (legacy || match !== null) stripped = stripped.split("/", 1)[0] ?? "";
  const slash = stripped.indexOf("/");
  const host = slash < 0 ? stripped : stripped.slice(0, slash);
  return normalizeRegistryName(host) + (slash < 0 ? "" : stripped.slice(slash));
}

/**
 * CRED-8: `host/a/b/c`, `host/a/b`, `host/a`, `host`.
 * @example namespacedKeys("quay.io", "team/app") // ["quay.io/team/app", "quay.io/team", "quay.io"]
 */
export function namespacedKeys(registry: string, repository: string | undefined): string[] {
  const keys: string[] = [];
  const parts = repository === undefined || repository === "" ? [] : repository.split("/");
  for (let n = parts.length; n > 0; n--) keys.push(`${registry}/${parts.slice(0, n).join("/")}`);
  keys.push(registry);
  return keys;
}

/** An `auths` entry that stands for the registry, and how it was matched. */
export interface EntryCandidate {
  readonly entry: AuthEntry;
  /** `namespace`: `host/ns…` exactly; `exact`: the host exactly; `normalized`: after stripping scheme and path. */
  readonly match: "namespace" | "exact" | "normalized";
}

/**
 * The entries of `file` that stand for `registry` (and `repository`), best
 * first. Several may match (`docker.io` and `https://index.docker.io/v1/`);
 * the caller takes the first one that holds a secret.
 */
export function candidateEntries(file: CredentialFile, registry: string, repository: string | undefined): EntryCandidate[] {
  const host = normalizeRegistryName(registry);
  const legacy = file.format === "dockercfg";
  const byKey = new Map<string, AuthEntry>();
  for (const entry of file.auths) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  const taken = new Set<AuthEntry>();
  const result: EntryCandidate[] = [];
  for (const key of legacy ? [host] : namespacedKeys(host, repository)) {
    const entry = byKey.get(key);
    if (entry === undefined) continue;
    taken.add(entry);
    result.push({ entry, match: key === host ? "exact" : "namespace" });
  }
  const normalized = file.auths.filter((entry) => !taken.has(entry) && normalizeAuthKey(entry.key, legacy) === host);
  // Docker Hub: the key docker login writes wins over stray aliases.
  normalized.sort((a, b) => Number(b.key === DOCKER_HUB_INDEX_KEY) - Number(a.key === DOCKER_HUB_INDEX_KEY));
  for (const entry of normalized) result.push({ entry, match: "normalized" });
  return result;
}

/** The `credHelpers` entry for the registry: its exact key, else a key that normalises to it. */
export function credHelperFor(file: CredentialFile, registry: string): { key: string; helper: string } | undefined {
  const host = normalizeRegistryName(registry);
  const exact = file.credHelpers.get(host);
  if (exact !== undefined) return { key: host, helper: exact };
  for (const [key, helper] of file.credHelpers) {
    if (normalizeAuthKey(key, true) === host) return { key, helper };
  }
  return undefined;
}

/**
 * The server URL a credential helper is asked about: what `docker login`
 * stores credentials under, i.e. `https://index.docker.io/v1/` for Docker
 * Hub and the host[:port] for every other registry (docker/cli
 * registry.GetAuthConfigKey).
 */
export function helperServerUrl(registry: string): string {
  const host = normalizeRegistryName(registry);
  return host === DOCKER_HUB ? DOCKER_HUB_INDEX_KEY : host;
}

/** The keys of a file, for a "has entries for …" hint. Keys are registry names, never secrets. */
export function describeKeys(file: CredentialFile, max = 6): string {
  const keys = file.auths.map((entry) => entry.key);
  if (keys.length === 0) return "no auths entries";
  const shown = keys.slice(0, max).join(", ");
  return `auths has ${shown}${keys.length > max ? `, … (${keys.length} keys)` : ""}`;
}
