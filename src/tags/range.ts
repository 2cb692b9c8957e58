/**
 * npm-style version ranges (`>=3.18 <4`, `^1.2`, `~3.19`, `1.x`, `1 - 2`,
 * `<2 || >=3`) applied to versions read from tags. The `semver` package
 * parses the range and desugars it into comparator sets; each comparator is
 * then evaluated here with {@link compareRelease} and
 * {@link comparePrerelease}, so partial versions (`3.19` reads as 3.19.0),
 * 4-part versions (`1.2.3.4` satisfies `>1.2.3`) and `rc1`-style
 * prereleases are all handled the way the rest of this folder orders them.
 *
 * Prereleases are matched by position, like npm's `includePrerelease`
 * option: `3.19.0-rc.1` satisfies `>=3.18 <4`, and `<4` excludes `4.0.0-rc.1`
 * (npm desugars it to `<4.0.0-0`). To drop prereleases, use the separate
 * `noPrerelease` filter. Variant and build are ignored: `16.2-alpine`
 * satisfies `16.x`.
 */

import { createRequire } from "node:module";
import type Comparator from "semver/classes/comparator.js";
import type Range from "semver/classes/range.js";
import { InvalidArgumentError, truncate } from "../errors.js";
import { comparePrerelease, compareRelease } from "./compare.js";
import { splitPrerelease } from "./scan.js";
import type { ParsedVersion } from "./version.js";

/**
 * semver builds its ~40 regular expressions when loaded, a sizeable part of
 * regtags' start-up; it is required (synchronously: it is CommonJS) at the
 * first range, so a listing without --range never pays for it (issue 13).
 */
const requireFromHere = createRequire(import.meta.url);
let semverRange: typeof Range | undefined;
const loadSemverRange = (): typeof Range => (semverRange ??= requireFromHere("semver/classes/range.js") as typeof Range);

/** Longest range accepted; npm's own limit for a version string is 256. */
export const MAX_RANGE_LENGTH = 1024;

/**
 * Compiles an npm-style range into a predicate on versions.
 *
 * @throws InvalidArgumentError when the range is too long or not a valid range.
 * @example
 * const inRange = compileVersionRange(">=3.18 <4");
 * inRange(parseVersion("3.19-alpine")!); // true: 3.19 reads as 3.19.0
 * inRange(parseVersion("4.0.0-rc.1")!);  // false
 */
export function compileVersionRange(range: string): (version: ParsedVersion) => boolean {
  if (typeof range !== "string") throw new InvalidArgumentError("version range must be a string");
  if (range.length > MAX_RANGE_LENGTH) {
    throw new InvalidArgumentError(`version range is ${range.length} characters long; the limit is ${MAX_RANGE_LENGTH}`);
  }
  const SemverRange = loadSemverRange();
  let parsed: Range;
  try {
    parsed = new SemverRange(range, { includePrerelease: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(`invalid version range ${JSON.stringify(truncate(range, 100))}: ${truncate(reason.replace(/\s+/g, " "), 200)}`);
  }
  const sets = parsed.set.map((comparators) => comparators.map(toBound));
  return (version) => sets.some((bounds) => bounds.every((bound) => bound(version)));
}

/** One desugared comparator (`>=3.18.0-0`, `<4.0.0-0`, `` for any) as a predicate. */
function toBound(comparator: Comparator): (version: ParsedVersion) => boolean {
  // Comparator.ANY (a symbol) stands for "any version": the range `*` or ``.
  if (typeof comparator.semver !== "object") return () => true;
  const { major, minor, patch, prerelease } = comparator.semver;
  const release = [major, minor, patch];
  // Re-read npm's identifiers with our rules, so `rc1` in a range means ["rc", 1] as in a tag.
  const pre = prerelease.length === 0 ? [] : splitPrerelease(prerelease.join("."));
  if (pre === undefined) throw new InvalidArgumentError(`version range bound ${comparator.value} has a prerelease number longer than 15 digits`);
  const operator = comparator.operator;
  return (version) => {
    const order = compareRelease(version.release, release) || comparePrerelease(version.prerelease, pre);
    switch (operator) {
      case "<":
        return order < 0;
      case "<=":
        return order <= 0;
      case ">":
        return order > 0;
      case ">=":
        return order >= 0;
      default:
        return order === 0;
    }
  };
}
