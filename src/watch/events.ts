/**
 * The change feed's events and the pure diff that produces them: what a
 * repository's watched tags were at the last recorded pass, against what
 * they are now. Pure: no I/O.
 */
import { digestAt, digestsDiffer, type RecordedTags } from "./state.js";

/** One change, printed as one NDJSON line and sent in webhook documents. */
export interface WatchEvent {
  /** `added`: a tag that was not there; `removed`: a tag that is gone; `moved`: a tag now pointing at another manifest (needs `--digests`). */
  readonly event: "added" | "removed" | "moved";
  /** Normalised repository name, e.g. `docker.io/library/alpine`. */
  readonly repository: string;
  readonly tag: string;
  /** The new digest (added, moved), the last known one (removed); null when digests are not tracked. */
  readonly digest: string | null;
  /** moved only: the digest the tag pointed at before. */
  readonly previousDigest?: string;
  /** ISO 8601 time of the listing that saw the change. */
  readonly time: string;
}

/**
 * The events that turn `previous` into `current`: `added` and `moved` in
 * the order of `current` (the registry's), then `removed` in the order of
 * `previous`. A tag whose digest is unknown on either side never moves:
 * only a change between two known digests is one. Digests stay packed
 * until an event needs one.
 */
export function diffTags(repository: string, previous: RecordedTags, current: RecordedTags, time: string): WatchEvent[] {
  const events: WatchEvent[] = [];
  const moved = (before: number, now: number) => {
    if (digestsDiffer(previous, before, current, now)) {
      events.push({ event: "moved", repository, tag: current.tags[now]!, digest: digestAt(current, now), previousDigest: digestAt(previous, before)!, time });
    }
  };
  // The usual pass: the same tags in the same order, so no index is needed.
  if (sameTags(previous.tags, current.tags)) {
    for (let i = 0; i < current.tags.length; i++) moved(i, i);
    return events;
  }
  const previousIndex = new Map<string, number>();
  previous.tags.forEach((tag, i) => previousIndex.set(tag, i));
  const currentTags = new Set(current.tags);
  current.tags.forEach((tag, i) => {
    const before = previousIndex.get(tag);
    if (before === undefined) events.push({ event: "added", repository, tag, digest: digestAt(current, i), time });
    else moved(before, i);
  });
  previous.tags.forEach((tag, i) => {
    if (!currentTags.has(tag)) events.push({ event: "removed", repository, tag, digest: digestAt(previous, i), time });
  });
  return events;
}

/** `added` events for every tag of a first listing (`--emit-baseline`). */
export function baselineEvents(repository: string, current: RecordedTags, time: string): WatchEvent[] {
  return current.tags.map((tag, i) => ({ event: "added" as const, repository, tag, digest: digestAt(current, i), time }));
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
