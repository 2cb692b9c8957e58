/**
 * The change feed's events and the pure diff that produces them: what a
 * repository's watched tags were at the last recorded pass, against what
 * they are now. Pure: no I/O.
 */

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

/** Watched tags of one repository: tag → manifest digest (null when digests are not tracked). */
export type TagDigests = ReadonlyMap<string, string | null>;

/**
 * The events that turn `previous` into `current`: `added` and `moved` in
 * the order of `current` (the registry's), then `removed` in the order of
 * `previous`. A tag whose digest is unknown on either side never moves:
 * only a change between two known digests is one.
 */
export function diffTags(repository: string, previous: TagDigests, current: TagDigests, time: string): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const [tag, digest] of current) {
    if (!previous.has(tag)) {
      events.push({ event: "added", repository, tag, digest, time });
      continue;
    }
    const before = previous.get(tag) ?? null;
    if (before !== null && digest !== null && before !== digest) events.push({ event: "moved", repository, tag, digest, previousDigest: before, time });
  }
  for (const [tag, digest] of previous) {
    if (!current.has(tag)) events.push({ event: "removed", repository, tag, digest, time });
  }
  return events;
}

/** `added` events for every tag of a first listing (`--emit-baseline`). */
export function baselineEvents(repository: string, current: TagDigests, time: string): WatchEvent[] {
  return [...current].map(([tag, digest]) => ({ event: "added" as const, repository, tag, digest, time }));
}
