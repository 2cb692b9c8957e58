/**
 * Concurrent listing of a lexically sorted, `last`-paginated list: the key
 * space after a start cursor is split into ranges (lo, hi] walked side by
 * side and stitched in order, so a list of P pages takes about P/k round
 * trips instead of P. Splitting is adaptive (a range still being walked is
 * cut at the midpoint between its cursor and its upper bound whenever a
 * worker is idle), so sparse key spaces cost few empty requests.
 *
 * Exactness rests on the registry (a) answering `last=X` with the entries
 * greater than X in byte order, for any X, and (b) linking while more
 * remain. Each answer is checked (ascending, all greater than the cursor);
 * any surprise throws RangeAnomaly and the caller falls back to walking the
 * server's links one by one. This module does no I/O itself.
 */

/** Characters of tags (REF-2) in code-unit order; digit 0 means "end of string". */
const ALPHABET = "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const BASE = ALPHABET.length + 1;

/** The ranged walk met something its exactness depends on; walk the links instead. */
export class RangeAnomaly extends Error {
  override name = "RangeAnomaly";
}

/** Entries after `cursor` (exclusive), ascending, and whether the server links to more. */
export type FetchAfter = (cursor: string) => Promise<{ entries: readonly string[]; hasMore: boolean }>;

/**
 * A short string strictly between `lo` and `hi` (undefined = +∞) made of tag
 * characters, or undefined when there is none (e.g. `a` and `a-`). It cuts at
 * the first character where the ends differ, as fractional indexing does.
 */
export function midpoint(lo: string, hi: string | undefined): string | undefined {
  if (hi !== undefined && !(lo < hi)) return undefined;
  let prefix = "";
  let low = lo;
  let high = hi;
  for (let i = 0; i < 256; i++) {
    const cl = low.length > 0 ? ALPHABET.indexOf(low[0]!) + 1 : 0;
    const ch = high === undefined ? BASE : high.length > 0 ? ALPHABET.indexOf(high[0]!) + 1 : 0;
    if (cl < 0 || ch < 0 || (low.length > 0 && cl === 0) || (high !== undefined && high.length > 0 && ch === 0)) return undefined; // not tag characters
    if (cl === ch) {
      prefix += low[0];
      low = low.slice(1);
      high = high?.slice(1);
      continue;
    }
    if (ch - cl > 1) return check(prefix + ALPHABET[Math.floor((cl + ch) / 2) - 1], lo, hi);
    // Adjacent characters: keep the lower one and go above the rest of `low`.
    if (cl === 0) {
      // `low` ended where `high` has the smallest character: that character alone
      // lies between them when `high` goes on after it.
      return high!.length > 1 ? check(prefix + high![0], lo, hi) : undefined;
    }
    prefix += low[0];
    low = low.slice(1);
    high = undefined;
  }
  return undefined;
}

function check(candidate: string, lo: string, hi: string | undefined): string | undefined {
  return candidate > lo && (hi === undefined || candidate < hi) && candidate.length <= 128 ? candidate : undefined;
}

/** Rough position of a string in [0, 1), for choosing which range to split. */
function position(text: string | undefined): number {
  if (text === undefined) return 1;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < Math.min(text.length, 8); i++) {
    scale /= BASE;
    value += (ALPHABET.indexOf(text[i]!) + 1) * scale;
  }
  return value;
}

interface Range {
  /** Exclusive lower bound; the range holds entries in (lo, hi]. */
  readonly lo: string;
  hi: string | undefined;
  cursor: string;
  done: boolean;
  busy: boolean;
  chunks: string[][];
  /** Length of the prefix every entry of the range shares (positions are measured after it, for precision). */
  readonly prefix: number;
  /** Entries per unit of position, from this range's own last page (or the seed); undefined until seen. */
  density: number | undefined;
  /** Entries on the last page: the registry's effective page size. */
  pageLength: number;
}

export interface RangedWalkOptions {
  readonly concurrency: number;
  /** Stop (RangeAnomaly) past this many requests. */
  readonly maxRequests: number;
  /** Entries already listed before `start` (the first page), to estimate how dense the key space is. */
  readonly seed?: readonly string[];
  /**
   * A check the caller sent with the first wave (its probe that the registry
   * honours any `last`): it holds one of the lanes until it settles, nothing
   * is yielded before it passes, and when it fails the walk throws its error,
   * discarding whatever the wave brought (exactness first).
   */
  readonly gate?: Promise<unknown>;
}

function commonPrefixLength(a: string, b: string | undefined): number {
  if (b === undefined) return 0;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Estimated entries per unit of position in an ascending run, if measurable. */
function densityOf(entries: readonly string[], from: string, prefix: number): number | undefined {
  if (entries.length < 2) return undefined;
  const span = position(entries[entries.length - 1]!.slice(prefix)) - position(from.slice(prefix));
  return span > 0 ? entries.length / span : undefined;
}

/**
 * Yields the entries after `start` in ascending order, in chunks, fetching
 * up to `concurrency` ranges at once. A range is split only when its own
 * last page says at least three more pages remain, so a sparse or uneven
 * key space costs few extra requests.
 */
export async function* walkRanges(fetchAfter: FetchAfter, start: string, options: RangedWalkOptions): AsyncGenerator<string[], void, undefined> {
  const seed = options.seed ?? [];
  const ranges: Range[] = [
    { lo: start, hi: undefined, cursor: start, done: false, busy: false, chunks: [], prefix: 0, density: densityOf(seed, seed[0] ?? start, 0), pageLength: seed.length },
  ];
  const inflight = new Map<Range, Promise<void>>();
  let requests = 0;
  let failure: unknown;
  let gateOpen = options.gate === undefined;
  let gateFailed = false;
  let gateFailure: unknown;
  const gate = options.gate?.then(
    () => {
      gateOpen = true;
    },
    (error: unknown) => {
      gateFailed = true;
      gateFailure = error;
    },
  );
  /** Lanes for ranges: the gate's request holds one until it settles. */
  const lanes = () => (gateOpen || gateFailed ? options.concurrency : Math.max(1, options.concurrency - 1));

  const run = (range: Range) => {
    range.busy = true;
    requests++;
    if (requests > options.maxRequests) throw new RangeAnomaly(`more than ${options.maxRequests} requests`);
    const cursor = range.cursor;
    // Never rejects: a failure is kept and rethrown by the loop, so an abandoned
    // walk leaves no unhandled rejection behind.
    const task = fetchAfter(cursor)
      .then(({ entries, hasMore }) => absorb(range, cursor, entries, hasMore))
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        range.busy = false;
        inflight.delete(range);
      });
    inflight.set(range, task);
  };

  /** Pages absorbed so far. */
  let answered = 0;
  const absorb = (range: Range, cursor: string, entries: readonly string[], hasMore: boolean) => {
    answered++;
    let previous = cursor;
    const kept: string[] = [];
    for (const entry of entries) {
      if (entry <= previous) throw new RangeAnomaly(`entry ${JSON.stringify(entry)} does not follow ${JSON.stringify(previous)}`);
      previous = entry;
      if (range.hi !== undefined && entry > range.hi) {
        range.done = true; // the rest belongs to the next range
        break;
      }
      kept.push(entry);
    }
    if (kept.length > 0) {
      range.chunks.push(kept);
      range.cursor = kept[kept.length - 1]!;
    }
    // A page cut short by `hi` says nothing about density beyond it.
    range.density = range.done ? undefined : (densityOf(kept, cursor, range.prefix) ?? range.density);
    range.pageLength = Math.max(range.pageLength, entries.length);
    if (!hasMore) range.done = true;
    else if (entries.length === 0) throw new RangeAnomaly(`an empty page after ${JSON.stringify(cursor)} links to more`);
  };

  const remainder = (range: Range): number =>
    range.density === undefined ? 0 : range.density * (position(range.hi?.slice(range.prefix)) - position(range.cursor.slice(range.prefix)));

  /** Splits the range `score` rates highest (undefined: not a candidate) at the midpoint of what it has left. */
  const splitBest = (score: (range: Range) => number | undefined): boolean => {
    let best: Range | undefined;
    let bestScore = 0;
    for (const range of ranges) {
      if (range.done || range.pageLength === 0) continue;
      const rating = score(range);
      if (rating !== undefined && rating > bestScore) {
        best = range;
        bestScore = rating;
      }
    }
    if (best === undefined) return false;
    const cut = midpoint(best.cursor, best.hi);
    if (cut === undefined) return false;
    const prefix = Math.max(best.prefix, commonPrefixLength(cut, best.hi));
    const fresh: Range = {
      lo: cut,
      hi: best.hi,
      cursor: cut,
      done: false,
      busy: false,
      chunks: [],
      prefix,
      // Unknown until its own first page: estimates borrowed from elsewhere in
      // the key space are what made splits land in empty regions.
      density: undefined,
      pageLength: best.pageLength,
    };
    best.hi = cut;
    ranges.splice(ranges.indexOf(best) + 1, 0, fresh);
    run(fresh);
    return true;
  };
  /** Entries left by the range's own density, when at least three pages: the cut then lies past the page in flight. */
  const byEstimate = (range: Range): number | undefined => {
    const estimate = remainder(range);
    return estimate >= 3 * range.pageLength ? estimate : undefined;
  };
  /** A range no page has measured yet, by the width of its key span: splitting it is a guess, worth a lane that would idle. */
  const byWidth = (range: Range): number | undefined => (range.density === undefined ? position(range.hi) - position(range.cursor) : undefined);

  while (ranges.length > 0) {
    if (gateFailed) throw gateFailure;
    for (const range of ranges) if (!range.done && !range.busy && inflight.size < lanes()) run(range);
    // Every lane busy: split where the most is left; in the first wave, before
    // any range has measured its part, guess at the widest unmeasured span.
    while (inflight.size < lanes() && (splitBest(byEstimate) || (answered === 0 && splitBest(byWidth)))) {
      // until the lanes are full or nothing is worth a split
    }
    // Hand out what is complete on the left: everything before the first unfinished range.
    while (gateOpen && ranges.length > 0) {
      const head = ranges[0]!;
      for (const chunk of head.chunks.splice(0)) yield chunk;
      if (!head.done || head.busy) break;
      ranges.shift();
    }
    if (ranges.length === 0) break;
    if (inflight.size === 0 && gateOpen) continue;
    await Promise.race(gateOpen ? inflight.values() : [...inflight.values(), gate]);
    if (failure !== undefined) {
      // A failed check explains a failed request (a 404 for an unknown `last`) better than the request.
      if (!gateOpen) await gate;
      throw gateFailed ? gateFailure : failure;
    }
  }
}
