/**
 * `regtags watch`: a change feed of tags added, removed and re-pointed
 * between passes. Pure parts: the diff (`events.ts`), the state schema
 * (`state.ts`) and durations (`duration.ts`); I/O: the state file and its
 * lock (`state-file.ts`) and the pass runner on a client (`pass.ts`).
 */
export { diffTags, baselineEvents, type WatchEvent } from "./events.js";
export { canonicalSelection, digestAt, emptyWatchState, recordTags, parseWatchState, serializeWatchState, encodeWatchState, WATCH_STATE_FORMAT, WATCH_STATE_VERSION, type WatchSelection, type WatchState, type RecordedTags, type StateParse } from "./state.js";
export { parseDuration, jitteredDelay, MAX_DURATION_MS } from "./duration.js";
export { readWatchState, writeWatchState, lockWatchState, STATE_FILE_LIMIT, type StateLock } from "./state-file.js";
export { runWatchPass, type WatchClient, type WatchPassOptions, type WatchPassResult, type WatchFailure } from "./pass.js";
