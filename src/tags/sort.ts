/**
 * Sorting tag lists. Registries send tags in their own order (ghcr by push,
 * quay and distribution by name, ECR unsorted; skopeo#1465), so callers who
 * want an order must ask for one. Each order here is total on distinct tags:
 * the result depends only on the tags, never on the order they arrived in.
 * Each tag is read once, and most comparisons are between two numbers
 * ({@link releaseKey}), so 100k tags sort in a few hundred milliseconds even
 * on a cold JIT.
 */

import { InvalidArgumentError } from "../errors.js";
import { compareCodeUnits, compareVersions, releaseKey } from "./compare.js";
import { type VersionReading, compileVersionReader } from "./reader.js";
import type { ParsedVersion } from "./version.js";

/**
 * - `none`: as given (the registry's order).
 * - `lexical`: by UTF-16 code unit, as `LC_ALL=C sort`.
 * - `version`: tags that are not versions first, among themselves lexical;
 *   then versions lowest to highest ({@link compareVersions}). So the highest
 *   version is always last, and first with `reverse`, whatever garbage the
 *   repository holds.
 * - `date`: tags without a date first, in `version` order; then dated tags
 *   oldest to newest, ties in `version` order. So the newest is last, and
 *   first with `reverse`.
 */
export type SortOrder = "none" | "lexical" | "version" | "date";

/** Every {@link SortOrder}, for help texts and validation. */
export const SORT_ORDERS: readonly SortOrder[] = ["none", "lexical", "version", "date"];

/** Options of {@link sortTags}. */
export interface SortOptions extends VersionReading {
  /**
   * Reverse the result exactly (newest or highest first).
   * @default false
   */
  readonly reverse?: boolean | undefined;
  /**
   * The date of each tag for the `date` order, e.g. push or creation time
   * from a vendor API. Tags missing from the map, or with an invalid Date,
   * count as undated.
   */
  readonly dates?: ReadonlyMap<string, Date> | undefined;
}

/**
 * Returns a sorted copy of `tags`; duplicates are kept. Never throws on any
 * tag text.
 *
 * @param options - `reverse`, `dates`, and how tags are read as versions
 *   (`scheme`, default "any": every version-shaped tag; `versionRegex`);
 *   tags that do not qualify sort as non-versions.
 * @throws InvalidArgumentError for an unknown order or scheme, or an invalid version regex.
 * @example
 * sortTags(["1.0.0-14", "latest", "1.0.0-9", "v1.2.3", "1.0.0"], "version");
 * // ["latest", "1.0.0-9", "1.0.0-14", "1.0.0", "v1.2.3"]
 */
export function sortTags(tags: readonly string[], order: SortOrder, options: SortOptions = {}): string[] {
  if (!SORT_ORDERS.includes(order)) {
    throw new InvalidArgumentError(`unknown sort order ${JSON.stringify(String(order))}: use ${SORT_ORDERS.join(", ")}`);
  }
  let sorted: string[];
  if (order === "none") {
    sorted = [...tags];
  } else if (order === "lexical") {
    // Without a comparator, Array.prototype.sort compares strings by UTF-16 code unit (ECMA-262 §23.1.3.30.2), natively.
    sorted = [...tags].sort();
  } else if (order === "version") {
    sorted = sortByVersion(tags.map(keyer(options, undefined)));
  } else {
    const keyed = tags.map(keyer(options, options.dates ?? new Map<string, Date>()));
    const undated = keyed.filter((entry) => Number.isNaN(entry.time));
    const dated = keyed.filter((entry) => !Number.isNaN(entry.time)).sort(compareByDate);
    sorted = sortByVersion(undated);
    for (const entry of dated) sorted.push(entry.tag);
  }
  return options.reverse === true ? sorted.reverse() : sorted;
}

/** A function from tag to its sort keys; the version regex is compiled once. */
function keyer(reading: VersionReading, dates: ReadonlyMap<string, Date> | undefined): (tag: string) => KeyedTag {
  const read = compileVersionReader(reading);
  return (tag) => {
    const version = read(tag);
    return {
      tag,
      version,
      key: version === undefined ? 0 : releaseKey(version.release),
      time: dates === undefined ? Number.NaN : timeOf(dates.get(tag)),
    };
  };
}

/**
 * The `version` order, split for speed: non-versions by the native string
 * sort, then versions by {@link releaseKey} and, on ties, the full order.
 */
function sortByVersion(entries: readonly KeyedTag[]): string[] {
  const others: string[] = [];
  const versions: KeyedTag[] = [];
  for (const entry of entries) {
    if (entry.version === undefined) others.push(entry.tag);
    else versions.push(entry);
  }
  others.sort();
  versions.sort(compareByVersion);
  for (const entry of versions) others.push(entry.tag);
  return others;
}

/** A tag with its sort keys. Internal to this folder. */
export interface KeyedTag {
  readonly tag: string;
  /** Undefined when the tag is not a version under the reading. */
  readonly version: ParsedVersion | undefined;
  /** {@link releaseKey} of the version, 0 for non-versions: compared before the version. */
  readonly key: number;
  /** Milliseconds since the epoch; NaN when undated. */
  readonly time: number;
}

/** The `version` order on keyed tags; exported for `latest.ts`, which picks the maximum of it. */
export function compareByVersion(a: KeyedTag, b: KeyedTag): number {
  if (a.version === undefined || b.version === undefined) {
    if (a.version !== undefined) return 1;
    if (b.version !== undefined) return -1;
    return compareCodeUnits(a.tag, b.tag);
  }
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  // The versions may have been read from the same captured text: the tag decides then.
  return compareVersions(a.version, b.version) || compareCodeUnits(a.tag, b.tag);
}

/** Dated tags: oldest first, ties in `version` order. */
function compareByDate(a: KeyedTag, b: KeyedTag): number {
  return a.time !== b.time ? (a.time < b.time ? -1 : 1) : compareByVersion(a, b);
}

function timeOf(date: Date | undefined): number {
  return date instanceof Date ? date.getTime() : Number.NaN;
}
