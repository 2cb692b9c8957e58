/**
 * The "which source" report: every source the lookup consulted, in order,
 * and why it was or was not used. Built from names, paths, keys and user
 * names only: a report never holds a password or token, so it can be
 * printed as is (`regtags ls --debug`, `regtags auth which`). Pure.
 */
import type { Credential } from "../auth/credential.js";

export type CredentialStepOutcome =
  /** This source supplied the credentials. */
  | "used"
  /** No explicit credential (the CLI's --creds / --registry-token / --no-creds). */
  | "not-given"
  /** An environment variable is not set. */
  | "not-set"
  /** A default file does not exist. */
  | "absent"
  /** Read, but nothing in it for this registry. */
  | "no-match"
  /** The source is for another registry. */
  | "not-applicable"
  /** An earlier source decided (or an auth file replaces the defaults). */
  | "not-consulted"
  /** The lookup stopped here with an error. */
  | "failed";

/** One consulted source. */
export interface CredentialStep {
  /** What was consulted: `the explicit option` (the CLI's flags), `DOCKER_AUTH_CONFIG`, `PATH (how it was found)`, an environment rule. */
  readonly source: string;
  readonly outcome: CredentialStepOutcome;
  /** Why, in one line; never a secret. */
  readonly detail: string;
}

/** A credential without its secret. */
export interface CredentialSummary {
  readonly kind: Credential["kind"];
  /** Where it came from, as in "credentials from <source>" of error messages. */
  readonly source: string;
  readonly username?: string;
}

/** What a lookup for one registry (and repository) found, and why. */
export interface CredentialReport {
  readonly registry: string;
  readonly repository?: string;
  /** The credential used; absent = anonymous (or the lookup failed: see `error`). */
  readonly credential?: CredentialSummary;
  /** Every source in lookup order. */
  readonly steps: readonly CredentialStep[];
  /** The one-line message of the error that stopped the lookup. */
  readonly error?: string;
}

/** The credential without its secret. */
export function summarizeCredential(credential: Credential): CredentialSummary {
  const username = credential.kind === "registry-token" ? undefined : credential.username;
  return { kind: credential.kind, source: credential.source, ...(username !== undefined && username !== "" ? { username } : {}) };
}

/** "password of user "alice"", "identity token of user "bob"", "registry token". */
export function describeCredential(summary: Omit<CredentialSummary, "source">): string {
  const user = summary.username !== undefined ? ` of user ${JSON.stringify(summary.username)}` : "";
  switch (summary.kind) {
    case "basic":
      return `password${user}`;
    case "identity-token":
      return `identity token (OAuth2 refresh token)${user}`;
    case "registry-token":
      return "registry token (sent as Bearer)";
  }
}

const OUTCOME_LABELS: Readonly<Record<CredentialStepOutcome, string>> = {
  used: "used",
  "not-given": "not given",
  "not-set": "not set",
  absent: "not present",
  "no-match": "no match",
  "not-applicable": "not applicable",
  "not-consulted": "not consulted",
  failed: "failed",
};

/**
 * The report as text: a headline, then one line per source.
 * @example
 * formatCredentialReport(report)
 * // 127.0.0.1:5000/team/app: password of user "alice" from /home/u/.docker/config.json auths["127.0.0.1:5000"]
 * //   not given       the explicit option
 * //   not set         DOCKER_AUTH_CONFIG
 * //   used            /home/u/.docker/config.json (~/.docker/config.json): auths["127.0.0.1:5000"], password of user "alice"
 */
export function formatCredentialReport(report: CredentialReport): string {
  const subject = report.repository !== undefined && report.repository !== "" ? `${report.registry}/${report.repository}` : report.registry;
  let headline: string;
  if (report.error !== undefined) headline = `lookup failed: ${report.error}`;
  else if (report.credential !== undefined) headline = `${describeCredential(report.credential)} from ${report.credential.source}`;
  else if (report.steps.some((step) => step.outcome === "used")) headline = "anonymous, as asked: no other source consulted";
  else headline = "anonymous: no source has credentials for this registry";
  const lines = [`${subject}: ${headline}`];
  for (const step of report.steps) {
    lines.push(`  ${OUTCOME_LABELS[step.outcome].padEnd(15)} ${step.source}${step.detail !== "" ? `: ${step.detail}` : ""}`);
  }
  return lines.join("\n");
}
