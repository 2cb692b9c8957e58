/**
 * How a tag becomes a version for sorting, filtering and `latest`: a scheme,
 * and optionally a regex whose capture holds the version.
 */

import { InvalidArgumentError } from "../errors.js";
import { compileVersionPattern } from "./pattern.js";
import { type ParsedVersion, type VersionScheme, parseVersion } from "./version.js";

/** The schemes {@link parseVersion} knows, for help texts and validation. */
export const VERSION_SCHEMES: readonly VersionScheme[] = ["any", "semver", "calver"];

/** How tags are read as versions. */
export interface VersionReading {
  /**
   * Which tags qualify as versions (see {@link VersionScheme}).
   * @default "any" when sorting and filtering; "semver" in `latestTag` unless `versionRegex` is set
   */
  readonly scheme?: VersionScheme | undefined;
  /**
   * A regex that must match the whole tag; its group named `version`, or
   * else its first capturing group, is read as the version under `scheme`.
   * Tags it does not match are not versions. E.g. `amd64-version-(.+)` reads
   * `amd64-version-1.8.1` as 1.8.1. See `pattern.ts` for the regex rules.
   */
  readonly versionRegex?: string | undefined;
}

/**
 * Compiles a {@link VersionReading} into a function from tag to version.
 * The function never throws.
 *
 * @throws InvalidArgumentError for an unknown scheme or an invalid version regex.
 * @example
 * const read = compileVersionReader({ versionRegex: "(.+)-ls\\d+" });
 * read("1.9.5-ls73")?.release; // [1, 9, 5]
 */
export function compileVersionReader(reading: VersionReading = {}): (tag: string) => ParsedVersion | undefined {
  const scheme = reading.scheme ?? "any";
  if (!VERSION_SCHEMES.includes(scheme)) {
    throw new InvalidArgumentError(`unknown version scheme ${JSON.stringify(String(scheme))}: use ${VERSION_SCHEMES.join(", ")}`);
  }
  if (reading.versionRegex === undefined) return (tag) => parseVersion(tag, scheme);
  const capture = compileVersionPattern(reading.versionRegex);
  return (tag) => {
    const text = capture(tag);
    return text === undefined ? undefined : parseVersion(text, scheme);
  };
}
