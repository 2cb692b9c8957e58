/**
 * The public library API of regtags: named re-exports only. Anything not
 * listed here is internal and may change; the CLI (cli/) imports the modules
 * it needs directly, so its helpers (tables, saved-profile files, watch state,
 * text escapers) are not part of this surface. The registry emulator is
 * `regtags/emulator`. test/exports.test.ts pins this list.
 *
 * @example
 * ```ts
 * import { createClient } from "regtags";
 * await using client = createClient();
 * const { tags } = await client.listTags("ubuntu");
 * ```
 */

// The client and what its calls take and return.
export { createClient } from "./client.js";
export { systemClock, type Clock } from "./clock.js";
export type { ClientOptions, DetailsSource, LearnedHints, LearnedSurprise, ListOptions, RegtagsClient, TagDetailsResult, TagList } from "./client.js";
export type { TagDetails } from "./vendor/types.js";
export type { TagPage } from "./listing/list-tags.js";
export type { TagDigest } from "./listing/digests.js";
export type { NetworkOptions, TlsMaterial } from "./network/types.js";
export type { RetryOptions } from "./transport/retry.js";
export type { RateLimitOptions } from "./transport/rate-limit.js";
export type { TraceEvent, TraceListener } from "./transport/trace.js";
export type { RegistryProfile } from "./profiles/profiles.js";

// Image references (REF-*).
export { formatReference, parseReference, parseRegistryName } from "./reference/reference.js";
export type { Reference } from "./reference/reference.js";

// Errors: one class per code, recognised across copies by isRegtagsError.
export {
  AbortedError,
  AuthError,
  CredentialsError,
  IncompleteListError,
  InvalidArgumentError,
  InvalidReferenceError,
  isRegtagsError,
  NetworkError,
  NoMatchError,
  ProtocolError,
  RateLimitError,
  RegistryError,
  RegtagsError,
} from "./errors.js";
export type { AdvisedOption, ErrorCode, OptionHint, RegistryErrorDetail } from "./errors.js";

// Tags: versions, sorting, filters, "latest" and its family rules (issue 14).
export {
  applyFilter,
  compareVersions,
  compileFilter,
  explainLatest,
  familyVariant,
  isDigestTag,
  latestTag,
  newerTags,
  parseVersion,
  SORT_ORDERS,
  sortTags,
  VERSION_SCHEMES,
} from "./tags/index.js";
export type { LatestExplanation, LatestOptions, ParsedVersion, SortOptions, SortOrder, TagDecision, TagFilter, TagReason, VersionReading, VersionScheme } from "./tags/index.js";

// Credentials as docker, podman and skopeo find them, and the report of which applied.
export { createCredentialResolver, ENV_CREDENTIAL_RULES, explainCredentials, formatCredentialReport } from "./credentials/index.js";
export type {
  CredentialFileReader,
  CredentialReport,
  CredentialResolverOptions,
  CredentialStep,
  CredentialStepOutcome,
  CredentialSummary,
  EnvCredentialRule,
  ExplicitCredential,
  HelperRunner,
  HelperOutcome,
} from "./credentials/index.js";
export type { Credential, CredentialResolver } from "./auth/credential.js";

// Which proxy and trust a request to a registry would use.
export { explainNetwork, formatNetworkReport } from "./network/explain.js";
export type { NetworkReport } from "./network/explain.js";

// The probe: how a registry behaves, and the hints a client can list with.
// From the modules themselves, not probe/index.ts: `import "regtags"` need not load the probe's table or saved-profile files.
export { createProber, probeRegistry } from "./probe/probe.js";
export type { ProbeOptions, Prober } from "./probe/probe.js";
export { hintsFromProfile } from "./probe/saved-profile.js";
export type { ProfileHints } from "./probe/saved-profile.js";
export type { ProbeFailure, ProbeFindings, ProbeProfile } from "./probe/findings.js";
