/**
 * The order of versions, and the two string orders the other orders fall
 * back on. Every function here is a total order (antisymmetric and
 * transitive), so sorting with it is deterministic whatever the input order.
 */

import { PRERELEASE_WORDS } from "./scan.js";
import type { ParsedVersion } from "./version.js";

/**
 * Compares two versions; negative when `a` is lower, positive when higher,
 * 0 only when both were read from the same text. The keys, in turn:
 *
 * 1. Release numbers, missing ones read as 0, so `3.19` equals `3.19.0` here
 *    and `1.2.3.4` is above `1.2.3` (semver.org §11, extended to any count).
 * 2. Prerelease: a release is above any of its prereleases (`1.0.0-rc.1` <
 *    `1.0.0`). Identifiers compare one by one: numbers numerically (`1.0.0-9`
 *    < `1.0.0-14`), numbers below words, words by {@link PRERELEASE_WORDS}
 *    rank (dev < alpha < beta < pre < rc) then spelling; a shorter list is
 *    lower (`alpha` < `alpha.1`). Unlike strict semver, `rc10` is above `rc9`,
 *    because runs of letters and digits are separate identifiers.
 * 3. Build: none is below any; otherwise natural order (`21.0.5_9` <
 *    `21.0.5_11`). A later build of the same version is newer.
 * 4. Variant: a tag with a variant is below the bare version
 *    (`20.11.1-alpine` < `20.11.1`), so the bare tag wins a tie, as the
 *    release wins over its prereleases; variants among themselves in natural
 *    order (`1.9.3-ls9` < `1.9.3-ls56`, `alpine3.9` < `alpine3.18`).
 * 5. Precision: fewer release numbers first (`16.2` < `16.2.0`).
 * 6. The text, by UTF-16 code units (`1.0` < `v1.0`).
 *
 * @example
 * compareVersions(parseVersion("1.0.0-9")!, parseVersion("1.0.0-14")!); // < 0
 */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  // Fast paths for sorting: duplicates, and the usual difference in MAJOR.
  if (a.original === b.original) return 0;
  const majorA = a.release[0]!;
  const majorB = b.release[0]!;
  if (majorA !== majorB) return majorA < majorB ? -1 : 1;
  return (
    compareRelease(a.release, b.release) ||
    comparePrerelease(a.prerelease, b.prerelease) ||
    compareOptional(a.build, b.build, -1) ||
    compareOptional(a.variant, b.variant, 1) ||
    a.release.length - b.release.length ||
    compareCodeUnits(a.original, b.original)
  );
}

const SLOT = 2 ** 20;
/** Below this MAJOR, MAJOR·2^40 + MINOR·2^20 + PATCH stays under 2^53, so the sum is exact. */
const EXACT_MAJOR = 2 ** 13;

/**
 * A number that orders like {@link compareRelease} on the first three
 * release numbers, without its ties: if `releaseKey(a) < releaseKey(b)` then
 * `a` is lower; equal keys say nothing. Sorting compares keys first and runs
 * {@link compareVersions} only on ties. Every key is computed exactly (no
 * rounding); where the numbers do not fit, the key keeps less and ties more:
 * from MAJOR 8192 on (`20230308.1`) only MAJOR counts, and a MINOR or PATCH
 * of 2^20 or more counts as 2^20 - 1, a clipped MINOR with the highest PATCH.
 */
export function releaseKey(release: readonly number[]): number {
  const major = release[0] ?? 0;
  if (major >= EXACT_MAJOR) return major * SLOT * SLOT;
  const minor = release[1] ?? 0;
  // A clipped MINOR takes the highest key of its MAJOR, so it ties with, never undercuts, MINOR 2^20 - 1.
  if (minor >= SLOT) return major * SLOT * SLOT + (SLOT - 1) * SLOT + (SLOT - 1);
  const patch = release[2] ?? 0;
  return major * SLOT * SLOT + minor * SLOT + (patch >= SLOT ? SLOT - 1 : patch);
}

/** Release numbers component by component, missing components read as 0. */
export function compareRelease(a: readonly number[], b: readonly number[]): number {
  const common = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  for (let i = common; i < a.length; i++) if (a[i] !== 0) return 1;
  for (let i = common; i < b.length; i++) if (b[i] !== 0) return -1;
  return 0;
}

/** Prerelease identifier lists; `[]` (a release) is above every non-empty list. */
export function comparePrerelease(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  if (b.length === 0) return -1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === "number" && typeof y === "number") {
      if (x !== y) return x < y ? -1 : 1;
    } else if (typeof x === "number") {
      return -1;
    } else if (typeof y === "number") {
      return 1;
    } else if (x !== y) {
      return (PRERELEASE_WORDS.get(x) ?? 0) - (PRERELEASE_WORDS.get(y) ?? 0) || compareCodeUnits(x, y);
    }
  }
  return a.length - b.length;
}

/**
 * Two strings where `""` means absent: `emptyFirst` = -1 puts the empty one
 * first (build), 1 puts it last (variant); otherwise natural order.
 */
function compareOptional(a: string, b: string, emptyFirst: -1 | 1): number {
  if (a === b) return 0;
  if (a === "") return emptyFirst;
  if (b === "") return -emptyFirst;
  return compareNatural(a, b);
}

/**
 * Natural order: runs of digits compare as numbers of any length (`ls9` <
 * `ls56`, `007` = `7`), everything else by UTF-16 code unit; when that finds
 * no difference, the code-unit order decides (`07` < `7`). Linear.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      // Skip leading zeros, then the longer run is the larger number.
      while (a.charCodeAt(i) === 0x30 && isDigit(a.charCodeAt(i + 1))) i++;
      while (b.charCodeAt(j) === 0x30 && isDigit(b.charCodeAt(j + 1))) j++;
      let endA = i;
      let endB = j;
      while (isDigit(a.charCodeAt(endA))) endA++;
      while (isDigit(b.charCodeAt(endB))) endB++;
      const byLength = endA - i - (endB - j);
      if (byLength !== 0) return Math.sign(byLength);
      for (; i < endA; i++, j++) {
        const difference = a.charCodeAt(i) - b.charCodeAt(j);
        if (difference !== 0) return Math.sign(difference);
      }
    } else {
      if (x !== y) return x < y ? -1 : 1;
      i++;
      j++;
    }
  }
  const byRest = a.length - i - (b.length - j);
  return byRest !== 0 ? Math.sign(byRest) : compareCodeUnits(a, b);
}

/** Plain string order by UTF-16 code unit, as `LC_ALL=C sort` orders ASCII tags. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
