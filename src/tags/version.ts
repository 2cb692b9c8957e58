/**
 * Reading a tag as a version under a scheme. The grammar (what is a version
 * at all, and where a prerelease ends and a variant begins) is in `scan.ts`;
 * the calver reading in `calver.ts`; the order of versions in `compare.ts`.
 */

import { parseCalver } from "./calver.js";
import { scanVersion } from "./scan.js";

/**
 * How tags are read as versions.
 * - `"any"`: every tag the grammar of `scan.ts` accepts, including `1359`, `3`
 *   and `2021.11.28`. Used to sort and filter.
 * - `"semver"`: semantic versions only. Qualifies when the release has 2 to
 *   4 numbers (at least MAJOR.MINOR, so `1359`, `20` and `3` do not) and
 *   MAJOR is below 1000 (so year-first dates such as `2021.11.28` and build
 *   numbers do not). Prereleases and variants qualify; filters drop them.
 * - `"calver"`: calendar versions. Qualifies when the first number is a date
 *   or a year: 8, 12 or 14 digits forming a valid `YYYYMMDD[hhmm[ss]]`
 *   (`20230308` reads as 2023.3.8), a 4-digit year 1970–2199 followed by at
 *   least one more number (`2021.11.28`, `2024.1`), a 2-digit year followed by
 *   at least one more number (`24.04` reads as 2024.4), or `YYYY-MM-DD`
 *   (`2023-03-08`). Two-digit years are read as 20YY, so `24.04` and
 *   `2024.04` compare equal by number, and node's `20.11.1` qualifies too:
 *   the scheme says what the repository uses, it cannot guess it.
 */
export type VersionScheme = "any" | "semver" | "calver";

/** A tag (or the part of it a version regex captured) read as a version. */
export interface ParsedVersion {
  /** The text that was read: the whole tag, or the captured part. */
  readonly original: string;
  /**
   * The release numbers, never empty: `[20, 11, 1]` for `20.11.1`, `[3]` for
   * `3`. Under the calver scheme they are normalised: `[2023, 3, 8]` for
   * `20230308`, `[2024, 4]` for `24.04`.
   */
  readonly release: readonly number[];
  /**
   * Prerelease identifiers, `[]` for a release. Words are lower-cased and
   * `a`/`b` are spelled `alpha`/`beta`; runs of letters and digits are split:
   * `-rc.1`, `-rc1`, `-rc-1` and `rc1` all give `["rc", 1]`, `a1` gives
   * `["alpha", 1]`, `-14` gives `[14]`.
   */
  readonly prerelease: readonly (string | number)[];
  /** Build: what follows `_` right after the release (`"11"` for `21.0.5_11-jre`) or `+`; `""` when none. */
  readonly build: string;
  /** Variant suffix as written: `"alpine3.19"`, `"bookworm-slim"`, `"jdk-alpine"`, `"ls56"`; `""` when none. */
  readonly variant: string;
}

/** OCI distribution-spec v1.1.1: a tag is at most 128 characters. Longer input is never a version. */
/** Semver scheme: a MAJOR of 1000 or more is taken for a year or a build number. */
const SEMVER_MAJOR_LIMIT = 1000;

/**
 * Reads a tag as a version under a scheme, or returns `undefined` when it is
 * not one. Never throws.
 *
 * @param scheme which tags qualify; default `"any"` (see {@link VersionScheme}).
 * @example
 * parseVersion("17.0.13_11-jdk-alpine");
 * // { original: "17.0.13_11-jdk-alpine", release: [17, 0, 13], prerelease: [], build: "11", variant: "jdk-alpine" }
 * parseVersion("v0.2.0a1")?.prerelease;   // ["alpha", 1]
 * parseVersion("1359", "semver");         // undefined: a single number is not MAJOR.MINOR
 * parseVersion("20230308", "calver")?.release; // [2023, 3, 8]
 */
export function parseVersion(tag: string, scheme: VersionScheme = "any"): ParsedVersion | undefined {
  if (typeof tag !== "string") return undefined;
  switch (scheme) {
    case "any":
      return scanVersion(tag);
    case "semver":
      return parseSemver(tag);
    case "calver":
      return parseCalver(tag);
    default:
      return undefined;
  }
}

function parseSemver(tag: string): ParsedVersion | undefined {
  const version = scanVersion(tag);
  if (version === undefined) return undefined;
  const { release } = version;
  if (release.length < 2 || release.length > 4) return undefined;
  return release[0]! < SEMVER_MAJOR_LIMIT ? version : undefined;
}
