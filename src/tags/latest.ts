/**
 * "The latest version" of a repository: the highest tag that qualifies under
 * an explicit scheme, after filters. Garbage tags (`1359`, `2021.11.28`,
 * `latest`, git SHAs) must not outrank real versions (updatecli#1321), so
 * the default scheme, semver, asks for at least MAJOR.MINOR and a MAJOR
 * below 1000; see {@link VersionScheme}.
 */

import { type TagFilter, compileFilterParts } from "./filter.js";
import { type VersionReading, compileVersionReader } from "./reader.js";
import { releaseKey } from "./compare.js";
import { type KeyedTag, compareByVersion } from "./sort.js";

/** Options of {@link latestTag}. */
export interface LatestOptions extends VersionReading {
  /**
   * Which tags qualify (see {@link VersionScheme}). With `versionRegex`, the
   * scheme applies to the captured text.
   * @default "semver", or "any" when `versionRegex` is set (the regex already says what a version is)
   */
  readonly scheme?: VersionReading["scheme"];
  /**
   * Conditions a tag must also meet, read with the same scheme and regex;
   * `limit` is ignored. Prereleases qualify unless `noPrerelease` is set.
   */
  readonly filter?: TagFilter | undefined;
}

/**
 * The highest qualifying tag, or undefined when none qualifies (the caller
 * says so). "Highest" is the `version` order of {@link sortTags}: numbers,
 * then a release above its prereleases, a later build above an earlier one,
 * the bare tag above its variants (`20.11.1` over `20.11.1-alpine`), more
 * precise above less (`16.2.0` over `16.2`), then by tag text. It is always
 * the last tag of `sortTags(applyFilter(tags, filter), "version", reading)`
 * among those that qualify. Linear in the number of tags.
 *
 * @throws UsageError for an invalid filter, scheme or version regex.
 * @example
 * latestTag(["1359", "2021.11.28", "v1.2.3", "latest"]); // "v1.2.3"
 * latestTag(["1.0.0-9", "1.0.0-14"]); // "1.0.0-14"
 * latestTag(["20230308", "2023.03.09", "v1.2.3"], { scheme: "calver" }); // "2023.03.09"
 * latestTag(["amd64-version-1.8.1", "1.9.5-ls73"], { versionRegex: "amd64-version-(.+)" }); // "amd64-version-1.8.1"
 */
export function latestTag(tags: readonly string[], options: LatestOptions = {}): string | undefined {
  const { versionRegex } = options;
  const reading: VersionReading = { scheme: options.scheme ?? (versionRegex === undefined ? "semver" : "any"), versionRegex };
  const { acceptsText, acceptsVersion } = compileFilterParts({ ...options.filter, limit: undefined }, reading);
  const read = compileVersionReader(reading);
  let best: KeyedTag | undefined;
  for (const tag of tags) {
    if (!acceptsText(tag)) continue;
    const version = read(tag);
    if (version === undefined || !acceptsVersion(version)) continue;
    const candidate: KeyedTag = { tag, version, key: releaseKey(version.release), time: Number.NaN };
    if (best === undefined || compareByVersion(candidate, best) > 0) best = candidate;
  }
  return best?.tag;
}
