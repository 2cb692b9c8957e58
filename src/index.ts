/**
 * The public library API of regtags: named re-exports only. Anything not
 * listed here is internal and may change.
 *
 * @example
 * ```ts
 * import { createClient } from "regtags";
 * const client = createClient();
 * const { tags } = await client.listTags("ubuntu");
 * await client.close();
 * ```
 */
export { createClient } from "./client.js";
export { systemClock, type Clock } from "./clock.js";
export type { ClientOptions, LearnedHints, LearnedSurprise, ListOptions, RegtagsClient, TagList, DetailsSource, TagDetailsResult } from "./client.js";
export type { TagDetails } from "./vendor/types.js";
export type { TagPage } from "./listing/list-tags.js";
export type { TagDigest } from "./listing/digests.js";
export { parseReference, parseRegistryName, formatReference, isLoopbackRegistry } from "./reference/reference.js";
export type { Reference } from "./reference/reference.js";
export { parseChallenges, pickChallenge } from "./auth/challenge.js";
export type { Challenge } from "./auth/challenge.js";
export { parseLinkHeader, findNextLink } from "./listing/link.js";
export type { LinkValue } from "./listing/link.js";
export type { Credential, CredentialResolver } from "./auth/credential.js";
export {
  createCredentialResolver,
  explainCredentials,
  formatCredentialReport,
  parseDockerConfig,
  parseAuthJson,
  parseDockercfg,
  normalizeAuthKey,
  createHelperRunner,
  ENV_CREDENTIAL_RULES,
} from "./credentials/index.js";
export type {
  CredentialResolverOptions,
  ExplicitCredential,
  CredentialReport,
  CredentialStep,
  CredentialStepOutcome,
  CredentialSummary,
  AuthEntry,
  CredentialFile,
  HelperRunner,
  HelperRunnerOptions,
  HelperOutcome,
  CredentialFileReader,
  EnvCredentialRule,
} from "./credentials/index.js";
export type { TraceEvent, TraceListener } from "./transport/trace.js";
export { escapeServerText, quoteServerText, escapeJsonText, isPlainServerText, mapStrings, MESSAGE_LIMIT, SERVER_TEXT_LIMIT, TRACE_TEXT_LIMIT } from "./text/safe-text.js";
export { checkProxyUrl, explainNetwork, formatNetworkReport } from "./network/explain.js";
export type { NetworkReport } from "./network/explain.js";
export type { NetworkOptions, TlsMaterial } from "./network/types.js";
export type { RetryOptions } from "./transport/retry.js";
export type { RateLimitOptions } from "./transport/rate-limit.js";
export { BUILTIN_PROFILES, findProfile } from "./profiles/profiles.js";
export type { RegistryProfile } from "./profiles/profiles.js";
export {
  RegtagsError,
  isRegtagsError,
  UsageError,
  InvalidReferenceError,
  CredentialsError,
  AuthError,
  RegistryError,
  RateLimitError,
  ProtocolError,
  NetworkError,
  IncompleteListError,
  NoMatchError,
  AbortedError,
} from "./errors.js";
export {
  parseVersion,
  compareVersions,
  sortTags,
  applyFilter,
  compileFilter,
  latestTag,
  isDigestTag,
  SORT_ORDERS,
  VERSION_SCHEMES,
} from "./tags/index.js";
export type { ParsedVersion, VersionScheme, SortOrder, SortOptions, TagFilter, LatestOptions, VersionReading } from "./tags/index.js";
// "Latest" as update bots mean it: the current tag's family, the tags above it, and why a tag was passed over (issue 14).
export { newerTags, explainLatest, familyVariant } from "./tags/index.js";
export type { LatestExplanation, TagDecision, TagReason } from "./tags/index.js";
export type { ErrorCode, RegistryErrorDetail } from "./errors.js";
export { readLocalFile, LOCAL_FILE_LIMIT } from "./files/read-local-file.js";
export type { LocalFileRead } from "./files/read-local-file.js";
export { describeJsonSyntaxError } from "./grammar/json-syntax.js";
export {
  createProber,
  probeRegistry,
  PROBE_PLAN,
  PROBE_REQUEST_BUDGET,
  renderProbeTable,
  probeRows,
  savedProfileOf,
  parseSavedProfile,
  hintsFromProfile,
  describeHints,
  savedProfilesDir,
  savedProfilePath,
  readSavedProfile,
  readSavedProfileSync,
  writeSavedProfile,
  removeSavedProfile,
  SAVED_PROFILE_MAX_AGE_MS,
} from "./probe/index.js";
export type {
  ProbeOptions,
  Prober,
  ProbeFindings,
  ProbeFailure,
  ProbeProfile,
  ProbeStep,
  ProbeStepId,
  SavedProfile,
  SavedProfileLookup,
  SavedProfileLocation,
  ProfileHints,
} from "./probe/index.js";
// regtags watch (issue 15): the change feed's diff, state file, lock and pass runner.
export {
  diffTags,
  baselineEvents,
  canonicalSelection,
  recordTags,
  digestAt,
  emptyWatchState,
  parseWatchState,
  serializeWatchState,
  encodeWatchState,
  readWatchState,
  writeWatchState,
  lockWatchState,
  runWatchPass,
  parseDuration,
  jitteredDelay,
  WATCH_STATE_FORMAT,
  WATCH_STATE_VERSION,
  STATE_FILE_LIMIT,
} from "./watch/index.js";
export type { WatchEvent, RecordedTags, WatchSelection, WatchState, StateParse, StateLock, WatchClient, WatchPassOptions, WatchPassResult, WatchFailure } from "./watch/index.js";
