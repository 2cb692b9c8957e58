/**
 * Tag filters: regex include/exclude, version range, variant, digest tags,
 * prereleases, and a limit. A filter is compiled once (which validates every
 * pattern and the range) into a predicate that never throws.
 */

import { InvalidArgumentError } from "../errors.js";
import { compileTagPattern } from "./pattern.js";
import { compileVersionRange } from "./range.js";
import { type VersionReading, compileVersionReader } from "./reader.js";
import type { ParsedVersion } from "./version.js";

/**
 * What to keep. Every condition set must hold; an empty filter keeps every
 * tag. Conditions on versions read tags with the {@link VersionReading}
 * given next to the filter (by default every version-shaped tag, "any").
 */
export interface TagFilter {
  /** Keep only tags that match at least one of these regexes (an empty list is no condition). Each must match the whole tag (see `pattern.ts`). */
  readonly include?: readonly string[] | undefined;
  /** Drop tags that match any of these regexes (whole tag). */
  readonly exclude?: readonly string[] | undefined;
  /**
   * Keep only versions in this npm-style range, e.g. `>=3.18 <4`; tags that
   * are not versions are dropped. See `range.ts` for partial versions and
   * prereleases.
   */
  readonly versionRange?: string | undefined;
  /**
   * Keep only versions whose variant is exactly this, case-sensitive:
   * `alpine` keeps `3.19-alpine` and `20-alpine`, but neither `3.19` nor
   * `3.19-alpine3.18` nor `17.0.13_11-jdk-alpine` (their variants are
   * `alpine3.18` and `jdk-alpine`). Exact, because the usual question is
   * "the newest tag of the same flavour as mine": a looser match would mix
   * flavours. `""` keeps versions without a variant. Tags that are not
   * versions are dropped. For looser matching use `include`, e.g. `.*-alpine.*`.
   */
  readonly variant?: string | undefined;
  /**
   * Drop digest and signature tags (see {@link isDigestTag}).
   * @default false
   */
  readonly omitDigestTags?: boolean | undefined;
  /**
   * Drop versions with a prerelease (`1.0.0-rc.1`, `v0.2.0a1`, `1.0.0-14`).
   * Tags that are not versions are kept.
   * @default false
   */
  readonly noPrerelease?: boolean | undefined;
  /**
   * Keep at most this many tags: the first ones, in the order given to
   * {@link applyFilter}, after every other condition. A non-negative integer.
   */
  readonly limit?: number | undefined;
}

const DIGEST_TAG_PREFIXES = ["sha256-", "sha384-", "sha512-"];
const SIGNATURE_TAG_SUFFIXES = [".sig", ".att", ".sbom"];

/**
 * True for tags that name a digest rather than a version: tags starting with
 * `sha256-`, `sha384-` or `sha512-` followed by a hex digit (the OCI 1.1
 * referrers fallback tag `sha256-<hex>`, cosign's `sha256-<hex>.sig`, `.att`,
 * `.sbom` and other `.<kind>` suffixes; crane `--omit-digest-tags` drops
 * every `sha256-` tag), and tags ending in `.sig`, `.att` or `.sbom`
 * (oras#658).
 */
export function isDigestTag(tag: string): boolean {
  for (const prefix of DIGEST_TAG_PREFIXES) {
    if (tag.startsWith(prefix) && isHexDigit(tag.charCodeAt(prefix.length))) return true;
  }
  return SIGNATURE_TAG_SUFFIXES.some((suffix) => tag.endsWith(suffix));
}

/**
 * Compiles a filter into a predicate; `limit` is validated but not applied
 * (a predicate sees one tag at a time: {@link applyFilter} applies it, or
 * the caller counts).
 *
 * @param reading how tags are read as versions for `versionRange`,
 *   `variant` and `noPrerelease`; default: scheme "any".
 * @throws InvalidArgumentError, one line saying what is wrong, for an invalid regex,
 *   range, scheme or limit.
 * @example
 * const keep = compileFilter({ versionRange: ">=3.18 <4", variant: "alpine" });
 * ["3.19-alpine", "3.19", "4.0-alpine", "edge"].filter(keep); // ["3.19-alpine"]
 */
export function compileFilter(filter: TagFilter, reading: VersionReading = {}): (tag: string) => boolean {
  const { acceptsText, acceptsVersion, read } = compileFilterParts(filter, reading);
  if (read === undefined) return acceptsText;
  return (tag) => acceptsText(tag) && acceptsVersion(read(tag));
}

/** A compiled filter in two halves, so that `latest.ts` reads each tag as a version once. Internal to this folder. */
export interface FilterParts {
  /** The conditions on the text: digest tags, include, exclude. */
  readonly acceptsText: (tag: string) => boolean;
  /** The conditions on the version (`undefined`: not a version): range, variant, prerelease. */
  readonly acceptsVersion: (version: ParsedVersion | undefined) => boolean;
  /** Reads tags as versions; undefined when no condition needs it. */
  readonly read: ((tag: string) => ParsedVersion | undefined) | undefined;
}

/** {@link compileFilter}, in two halves. */
export function compileFilterParts(filter: TagFilter, reading: VersionReading): FilterParts {
  const { limit } = filter;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new InvalidArgumentError(`invalid limit ${String(limit)}: give a whole number, 0 or more`);
  }
  const includes = (filter.include ?? []).map((source) => compileTagPattern(source, "include"));
  const excludes = (filter.exclude ?? []).map((source) => compileTagPattern(source, "exclude"));
  const conditions: Array<(version: ParsedVersion) => boolean> = [];
  if (filter.versionRange !== undefined) conditions.push(compileVersionRange(filter.versionRange));
  const { variant } = filter;
  if (variant !== undefined) conditions.push((version) => version.variant === variant);
  const noPrerelease = filter.noPrerelease === true;
  const omitDigestTags = filter.omitDigestTags === true;
  return {
    acceptsText: (tag) =>
      !(omitDigestTags && isDigestTag(tag)) &&
      (includes.length === 0 || includes.some((matches) => matches(tag))) &&
      !excludes.some((matches) => matches(tag)),
    // A tag that is not a version has no range, variant or prerelease: it fails the first two and passes the last.
    acceptsVersion: (version) =>
      version === undefined
        ? conditions.length === 0
        : !(noPrerelease && version.prerelease.length > 0) && conditions.every((holds) => holds(version)),
    read: conditions.length > 0 || noPrerelease ? compileVersionReader(reading) : undefined,
  };
}

/**
 * Keeps the tags that pass the filter, in their order, then the first
 * `limit` of them. To keep the highest N, sort first.
 *
 * @throws InvalidArgumentError as {@link compileFilter}.
 * @example
 * applyFilter(sortTags(tags, "version", { reverse: true }), { omitDigestTags: true, limit: 5 }); // the 5 highest
 */
export function applyFilter(tags: readonly string[], filter: TagFilter, reading: VersionReading = {}): string[] {
  const keep = compileFilter(filter, reading);
  const limit = filter.limit ?? Infinity;
  const kept: string[] = [];
  for (const tag of tags) {
    if (kept.length >= limit) break;
    if (keep(tag)) kept.push(tag);
  }
  return kept;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}
