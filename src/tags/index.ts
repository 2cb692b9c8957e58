/**
 * Tag intelligence: reading tags as versions, sorting, filtering and picking
 * the latest. This folder is pure: it does no I/O, imports only
 * `../errors.js` and the `semver` package (for range syntax), and never
 * throws on any tag text; only invalid options (a bad regex, range, scheme,
 * order or limit) throw, as a one-line `InvalidArgumentError` from `../errors.ts`.
 *
 * The decisions, each documented where it is made:
 * - A `-` suffix is a prerelease when made of known prerelease words and
 *   numbers (`rc.1`, `beta2`, `14`), otherwise a variant (`alpine`,
 *   `bookworm-slim`, `ls56`): `scan.ts`.
 * - Versions order by numbers, prerelease, build, variant (the bare tag
 *   highest), precision, text: `compare.ts`.
 * - Tags that are not versions sort first, undated tags sort first, so the
 *   highest or newest is last (first with `reverse`): `sort.ts`.
 * - Regexes match the whole tag and run only on tags of at most 128
 *   characters: `pattern.ts`. A variant filter matches the variant exactly:
 *   `filter.ts`. Ranges match prereleases by position: `range.ts`.
 * - `latest` defaults to the semver scheme: MAJOR.MINOR at least, MAJOR
 *   below 1000: `version.ts`, `latest.ts`. It takes stable releases
 *   without a variant suffix, or, given the current tag, that tag's family
 *   (same variant, same count of numbers, nothing lower), and says why any
 *   other tag was passed over: `family.ts`.
 *
 * @example
 * import { applyFilter, latestTag, sortTags } from "./tags/index.js";
 * const shown = applyFilter(sortTags(tags, "version", { reverse: true }), { omitDigestTags: true, limit: 10 });
 * const newest = latestTag(tags, { filter: { variant: "alpine" } });
 * const update = latestTag(tags, { current: "20.11.1-alpine3.19" });
 */

export { type ParsedVersion, type VersionScheme, parseVersion } from "./version.js";
export { MAX_TAG_LENGTH, PRERELEASE_WORDS } from "./scan.js";
export { compareVersions, compareNatural } from "./compare.js";
export { type VersionReading, VERSION_SCHEMES, compileVersionReader } from "./reader.js";
export { type SortOrder, type SortOptions, SORT_ORDERS, sortTags } from "./sort.js";
export { type TagFilter, applyFilter, compileFilter, isDigestTag } from "./filter.js";
export { MAX_PATTERN_LENGTH } from "./pattern.js";
export { MAX_RANGE_LENGTH } from "./range.js";
export { type LatestExplanation, type TagDecision, explainLatest, latestTag, newerTags } from "./latest.js";
export { type LatestOptions, type TagReason, familyVariant } from "./family.js";
