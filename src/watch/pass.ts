/**
 * One watch pass: list each repository, keep the watched tags (the filters
 * of `ls`), look up their digests when asked, and diff them against the
 * recorded state. Nothing is written here: the caller delivers the events,
 * then saves {@link WatchPassResult.state}.
 *
 * Nothing lost, nothing invented: a repository whose listing or digest
 * lookup failed, or stopped early (an IncompleteListError: the client never
 * returns a partial list unless `allowPartial`, which watch refuses),
 * produces no events and keeps its recorded tags; the other repositories
 * proceed.
 */
import { forEachConcurrently } from "../concurrency.js";
import { AbortedError, isRegtagsError } from "../errors.js";
import type { RegtagsClient } from "../client.js";
import type { Reference } from "../reference/reference.js";
import { compileFilter } from "../tags/filter.js";
import { baselineEvents, diffTags, type WatchEvent } from "./events.js";
import { canonicalSelection, recordTags, type RecordedTags, type WatchSelection, type WatchState } from "./state.js";

/** What a pass needs of the client. */
export type WatchClient = Pick<RegtagsClient, "listTags" | "fetchDigests" | "fetchDetails">;

export interface WatchPassOptions {
  readonly selection: WatchSelection;
  /** Repositories listed at once. @default 4 */
  readonly concurrency?: number;
  /** Digest lookups in flight per repository. @default 8 */
  readonly digestConcurrency?: number;
  /** Report a repository's first listing as `added` events instead of recording it silently. @default false */
  readonly emitBaseline?: boolean;
  readonly signal?: AbortSignal;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface WatchFailure {
  readonly repository: string;
  readonly error: unknown;
}

export interface WatchPassResult {
  /** The state to save once the events are delivered: failed repositories keep their recorded tags. */
  readonly state: WatchState;
  /** In the order of the references, each repository's in the order of {@link diffTags}. */
  readonly events: WatchEvent[];
  readonly failures: WatchFailure[];
  /** Repositories listed for the first time (their baseline). */
  readonly baselines: string[];
  /** Whether {@link state} differs from the recorded one (events or baselines). */
  readonly changed: boolean;
}

/**
 * Runs one pass over `references` against `previous`, which must have been
 * recorded with the same selection (or be new). Rejects only when aborted.
 */
export async function runWatchPass(client: WatchClient, references: readonly Reference[], previous: WatchState, options: WatchPassOptions): Promise<WatchPassResult> {
  const { selection } = options;
  const keep = compileFilter(selection, selection);
  const now = options.now ?? (() => new Date());
  const outcomes: Array<{ tags: RecordedTags; time: string } | { error: unknown }> = new Array(references.length);
  await forEachConcurrently(references.length, options.concurrency ?? 4, async (index) => {
    const reference = references[index]!;
    try {
      const list = await client.listTags(reference, withSignal(options));
      const watched = list.tags.filter(keep);
      const digests = selection.digests ? await digestsOf(client, reference, watched, options) : undefined;
      const tags = recordTags(watched, digests === undefined ? undefined : watched.map((tag) => digests.get(tag) ?? null));
      outcomes[index] = { tags, time: now().toISOString() };
    } catch (error) {
      if (options.signal?.aborted || (isRegtagsError(error) && error.code === "ERR_ABORTED")) throw error instanceof AbortedError ? error : new AbortedError({ cause: error });
      outcomes[index] = { error };
    }
  });

  const repositories = new Map(previous.repositories);
  const events: WatchEvent[] = [];
  const failures: WatchFailure[] = [];
  const baselines: string[] = [];
  references.forEach((reference, index) => {
    const outcome = outcomes[index]!;
    if ("error" in outcome) {
      failures.push({ repository: reference.name, error: outcome.error });
      return;
    }
    const recorded = previous.repositories.get(reference.name);
    if (recorded === undefined) {
      baselines.push(reference.name);
      if (options.emitBaseline === true) events.push(...baselineEvents(reference.name, outcome.tags, outcome.time));
    } else {
      events.push(...diffTags(reference.name, recorded, outcome.tags, outcome.time));
    }
    repositories.set(reference.name, outcome.tags);
  });
  const state: WatchState = { selection: canonicalSelection(selection), repositories };
  return { state, events, failures, baselines, changed: events.length > 0 || baselines.length > 0 };
}

/**
 * Digests of the watched tags by the cheapest source: a vendor API that
 * gives many per request (Docker Hub's tags API: 100 tags a page), then one
 * HEAD with the manifest Accept header (DIG-1) for each tag it did not cover.
 */
async function digestsOf(client: WatchClient, reference: Reference, tags: readonly string[], options: WatchPassOptions): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  if (tags.length === 0) return digests;
  const details = await client.fetchDetails(reference, { source: "auto", ...withSignal(options) });
  for (const tag of tags) {
    const digest = details.details.get(tag)?.digest;
    if (digest !== undefined) digests.set(tag, digest);
  }
  const missing = tags.filter((tag) => !digests.has(tag));
  if (missing.length > 0) {
    for (const found of await client.fetchDigests(reference, missing, { ...withSignal(options), concurrency: options.digestConcurrency })) digests.set(found.tag, found.digest);
  }
  return digests;
}

function withSignal(options: WatchPassOptions): { signal?: AbortSignal } {
  return options.signal !== undefined ? { signal: options.signal } : {};
}
