/**
 * `regtags probe`: a short, documented sequence of requests per registry
 * (plan.ts) that reports how it behaves, as a profile in the shape of the
 * emulator's (findings.ts); the table (render.ts); saved profiles that later
 * listings take hints from (saved-profile.ts, saved.ts). It never imports
 * the CLI or the emulator.
 */
export { createProber, probeRegistry, redactLinkHeader } from "./probe.js";
export type { ProbeOptions, Prober } from "./probe.js";
export type * from "./findings.js";
export { PROBE_PLAN, PROBE_REQUEST_BUDGET, DEFAULT_LARGE_N, SEARCH_LADDER, MAX_SEARCH_REQUESTS, nextSearchSize } from "./plan.js";
export type { ProbeStep, ProbeStepId, SearchOutcome } from "./plan.js";
export { shapeFindings, parseTokenShape, pageOutcome } from "./shape.js";
export type { Observations, SeenPage, SeenResponse, SeenToken, TokenShape } from "./shape.js";
export { renderProbeTable, probeRows, wrap } from "./render.js";
export type { ProbeRow } from "./render.js";
export {
  SAVED_PROFILE_FORMAT,
  SAVED_PROFILE_MAX_AGE_MS,
  savedProfileOf,
  savedProfileFileName,
  parseSavedProfile,
  savedProfileAgeMs,
  hintsFromProfile,
  describeHints,
} from "./saved-profile.js";
export type { SavedProfile, ProfileHints, ParsedSavedProfile } from "./saved-profile.js";
export { savedProfilesDir, savedProfilePath, readSavedProfile, readSavedProfileSync, writeSavedProfile, removeSavedProfile } from "./saved.js";
export type { SavedProfileLocation, SavedProfileLookup, ReadSavedOptions } from "./saved.js";
