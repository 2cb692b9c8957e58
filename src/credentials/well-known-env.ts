/**
 * Credentials that CI systems put in the environment for their own
 * registry, as data (no `if (host === …)` elsewhere). Consulted last, after
 * every file, so a `docker login` in the same job wins. Pure.
 *
 * - ghcr.io: `GH_TOKEN`, else `GITHUB_TOKEN` (gh's precedence), as the
 *   password; user `GITHUB_ACTOR` (what GitHub's docs pass to docker login),
 *   else `token`. GitHub Actions' GITHUB_TOKEN is accepted by ghcr.io
 *   (github.blog changelog 2021-03-24, "Packages: Container registry now
 *   supports GITHUB_TOKEN").
 * - GitLab CI: `CI_REGISTRY_USER` / `CI_REGISTRY_PASSWORD` for the host in
 *   `CI_REGISTRY` (GitLab predefined CI/CD variables).
 */
import { normalizeRegistryName } from "./keys.js";

export interface EnvCredentialRule {
  /** How the report names this source. */
  readonly label: string;
  /** The registry the variables are for: fixed, or read from the environment. */
  readonly registry: string | { readonly fromEnv: string };
  /** Secret variables, first set wins. */
  readonly secretVars: readonly string[];
  readonly usernameVar: string;
  /** When the user-name variable is unset; undefined = the rule needs it. */
  readonly defaultUsername?: string;
}

export const ENV_CREDENTIAL_RULES: readonly EnvCredentialRule[] = [
  { label: "GH_TOKEN / GITHUB_TOKEN (ghcr.io)", registry: "ghcr.io", secretVars: ["GH_TOKEN", "GITHUB_TOKEN"], usernameVar: "GITHUB_ACTOR", defaultUsername: "token" },
  { label: "CI_REGISTRY_USER / CI_REGISTRY_PASSWORD ($CI_REGISTRY)", registry: { fromEnv: "CI_REGISTRY" }, secretVars: ["CI_REGISTRY_PASSWORD"], usernameVar: "CI_REGISTRY_USER" },
];

export type EnvRuleOutcome =
  | { readonly status: "not-applicable"; readonly detail: string }
  | { readonly status: "not-set"; readonly detail: string }
  | { readonly status: "found"; readonly username: string; readonly password: string; readonly variable: string; readonly detail: string };

/** Applies one rule to a registry. The detail names variables, never their values (except the registry host and user name). */
export function resolveEnvRule(rule: EnvCredentialRule, registry: string, env: Readonly<Record<string, string | undefined>>): EnvRuleOutcome {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const host = normalizeRegistryName(registry).toLowerCase();
  if (typeof rule.registry === "string") {
    if (normalizeRegistryName(rule.registry) !== host) return { status: "not-applicable", detail: `only for ${rule.registry}` };
  } else {
    const target = get(rule.registry.fromEnv);
    if (target === undefined) return { status: "not-set", detail: `${rule.registry.fromEnv} is not set` };
    const targetHost = normalizeRegistryName(target.replace(/^https?:\/\//i, "").split("/", 1)[0] ?? "").toLowerCase();
    if (targetHost !== host) return { status: "not-applicable", detail: `${rule.registry.fromEnv} is ${targetHost}` };
  }
  const variable = rule.secretVars.find((name) => get(name) !== undefined);
  if (variable === undefined) return { status: "not-set", detail: `${rule.secretVars.join(" and ")} not set` };
  const username = get(rule.usernameVar) ?? rule.defaultUsername;
  if (username === undefined) return { status: "not-set", detail: `${variable} is set but ${rule.usernameVar} is not` };
  return {
    status: "found",
    username,
    password: get(variable) as string,
    variable,
    detail: `${variable}, user ${JSON.stringify(username)}${get(rule.usernameVar) !== undefined ? ` from ${rule.usernameVar}` : ""}`,
  };
}
