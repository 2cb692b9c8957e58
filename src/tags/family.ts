/**
 * Which tags can be "the latest", as update bots mean it, and why the others
 * cannot: one judge behind `latestTag`, `newerTags` and `explainLatest`, so
 * the pick and its explanation never disagree.
 *
 * Without a current tag (Flux ImagePolicy and Argo CD Image Updater with a
 * plain semver range): stable releases without a variant suffix.
 *
 * With a current tag (Renovate's docker versioning, lib/modules/versioning/docker):
 * the tag's own family: exactly its variant suffix (`-alpine3.19` stays
 * `-alpine3.19`), exactly its number of release numbers (`20.11` → `22.1`,
 * `20` → `22`), prereleases only if it is one, and nothing lower than it.
 * One refinement over Renovate: a last variant segment that is a rebuild
 * counter (linuxserver.io's `-ls56`, Bitnami's `-r5`) is a build, not a
 * flavour, so `1.9.3-ls56` moves to `1.9.5-ls73` (Renovate's docs tell
 * linuxserver users to write a regex versioning for exactly this).
 */

import { InvalidArgumentError, truncate } from "../errors.js";
import { compareVersions } from "./compare.js";
import { type FilterParts, type TagFilter, compileFilterParts, isDigestTag } from "./filter.js";
import { compileVersionRange } from "./range.js";
import { type VersionReading, compileVersionReader } from "./reader.js";
import { scanVersion } from "./scan.js";
import type { ParsedVersion } from "./version.js";

/** Options of `latestTag`, `newerTags` and `explainLatest`. */
export interface LatestOptions extends VersionReading {
  /**
   * Which tags qualify (see {@link VersionScheme}). With `versionRegex`, the
   * scheme applies to the captured text. With `current` and no scheme, the
   * family's shape replaces the semver shape rules (see `current`).
   * @default "semver", or "any" when `versionRegex` is set (the regex already says what a version is)
   */
  readonly scheme?: VersionReading["scheme"];
  /**
   * Conditions a tag must also meet, read with the same scheme and regex;
   * `limit` is ignored. `noPrerelease` drops prereleases even when
   * `includePrerelease` or a prerelease `current` admits them. `variant`
   * picks a variant suffix instead of none (without `current`).
   */
  readonly filter?: TagFilter | undefined;
  /**
   * The tag in use now (`20.11.1-alpine3.19`): only its family qualifies,
   * and only at or above it. It must be a version (else InvalidArgumentError): under
   * `scheme` when one is given; otherwise any version, and tags qualify
   * only with a MAJOR below 1000 when its MAJOR is (years and build numbers
   * are other lines).
   */
  readonly current?: string | undefined;
  /**
   * Admit prereleases (`1.0.0-rc.1`). Without it they qualify only when
   * `current` is one.
   * @default false
   */
  readonly includePrerelease?: boolean | undefined;
  /**
   * Admit every variant suffix, not only none (the old default of `latestTag`). Not allowed with `current` or `filter.variant`.
   * @default false
   */
  readonly anyVariant?: boolean | undefined;
}

/**
 * Why a tag is or is not a candidate, the first reason that applies, in this
 * order: `filtered` (include, exclude, digest tag), `not-a-version`,
 * `other-variant`, `other-precision`, `prerelease`, `outside-range`,
 * `lower-than-current`. A candidate is `qualifies`, or `current` for the
 * current tag itself.
 */
export type TagReason =
  | "qualifies"
  | "current"
  | "filtered"
  | "not-a-version"
  | "other-variant"
  | "other-precision"
  | "prerelease"
  | "outside-range"
  | "lower-than-current";

/** The judgement on one tag. */
export interface TagJudgement {
  readonly reason: TagReason;
  /** One clause for people: `variant "alpine" is not "alpine3.19"`. Tags in it are quoted, never raw. */
  readonly detail: string;
  /** The tag read as a version (under the reading), when it is one. */
  readonly version: ParsedVersion | undefined;
}

/** A compiled judge and the current tag it measures against. Internal to this folder. */
export interface Judge {
  readonly judge: (tag: string) => TagJudgement;
  readonly current: { readonly tag: string; readonly version: ParsedVersion } | undefined;
}

/**
 * Last variant segments that count a rebuild of the same release rather
 * than name a flavour. linuxserver.io: `1.9.3-ls56` (docs.linuxserver.io,
 * "Image tags"); Bitnami: `16.2.0-debian-12-r5` (the revision).
 */
const REBUILD_COUNTERS: readonly RegExp[] = [/^ls\d+$/, /^r\d+$/];

/** Semver scheme: a MAJOR of 1000 or more is taken for a year or a build number (as in `version.ts`). */
const SEMVER_MAJOR_LIMIT = 1000;

/**
 * The variant with a trailing rebuild counter replaced by `#`: the part of
 * the variant a family keeps. `alpine3.19` → `alpine3.19`, `ls56` → `ls#`,
 * `debian-12-r5` → `debian-12-r#`.
 */
export function familyVariant(variant: string): string {
  const dash = variant.lastIndexOf("-");
  const last = variant.slice(dash + 1);
  for (const counter of REBUILD_COUNTERS) {
    if (counter.test(last)) return `${variant.slice(0, dash + 1)}${last.replace(/\d+$/, "#")}`;
  }
  return variant;
}

/**
 * Compiles the options into a judge. Validates everything up front.
 * @throws InvalidArgumentError for an invalid filter, scheme or regex, a `current`
 *   that is not a version, or contradicting options.
 */
export function compileJudge(options: LatestOptions): Judge {
  const { versionRegex, current } = options;
  const filter = { ...options.filter, limit: undefined };
  const explicitScheme = options.scheme ?? (versionRegex === undefined ? undefined : "any");
  const reading: VersionReading = { scheme: explicitScheme ?? (current === undefined ? "semver" : "any"), versionRegex };
  const read = compileVersionReader(reading);
  // Validates include, exclude and the range; their halves are used one by one below for the reasons.
  compileFilterParts(filter, reading);
  const include = textCondition({ include: filter.include }, reading);
  const exclude = textCondition({ exclude: filter.exclude }, reading);
  const inRange = filter.versionRange === undefined ? undefined : compileVersionRange(filter.versionRange);
  if (options.anyVariant === true && (current !== undefined || filter.variant !== undefined)) {
    throw new InvalidArgumentError(`any variant contradicts ${current !== undefined ? `the current tag's family` : `variant ${JSON.stringify(filter.variant)}`}: give one of them`);
  }

  let currentVersion: ParsedVersion | undefined;
  if (current !== undefined) {
    currentVersion = typeof current === "string" ? read(current) : undefined;
    if (currentVersion === undefined) throw new InvalidArgumentError(notAVersionMessage(current, reading, explicitScheme !== undefined));
    if (filter.variant !== undefined && filter.variant !== currentVersion.variant) {
      throw new InvalidArgumentError(
        `variant ${JSON.stringify(truncate(filter.variant, 60))} contradicts tag ${JSON.stringify(truncate(current, 60))}, whose family is variant ${JSON.stringify(currentVersion.variant)}: drop one of them`,
      );
    }
  }
  const wantedVariant = currentVersion !== undefined ? familyVariant(currentVersion.variant) : options.anyVariant === true ? undefined : (filter.variant ?? "");
  const matchVariant = currentVersion !== undefined ? (v: ParsedVersion) => familyVariant(v.variant) === wantedVariant : (v: ParsedVersion) => v.variant === wantedVariant;
  const precision = currentVersion?.release.length;
  const belowYears = currentVersion !== undefined && explicitScheme === undefined && currentVersion.release[0]! < SEMVER_MAJOR_LIMIT;
  const admitsPrerelease = filter.noPrerelease !== true && (options.includePrerelease === true || (currentVersion?.prerelease.length ?? 0) > 0);

  const judge = (tag: string): TagJudgement => {
    const filtered = (detail: string): TagJudgement => ({ reason: "filtered", detail, version: undefined });
    if (filter.omitDigestTags === true && isDigestTag(tag)) return filtered("a digest or signature tag");
    if (!include(tag)) return filtered("matches no include regex");
    if (!exclude(tag)) return filtered("matches an exclude regex");
    const version = read(tag);
    if (version === undefined) return { reason: "not-a-version", detail: notAVersionDetail(tag, reading), version };
    const verdict = (reason: TagReason, detail: string): TagJudgement => ({ reason, detail, version });
    if (belowYears && version.release[0]! >= SEMVER_MAJOR_LIMIT) return verdict("not-a-version", `MAJOR ${version.release[0]} is a year or build number, not a version like the current tag`);
    if (wantedVariant !== undefined && !matchVariant(version)) {
      const why =
        currentVersion !== undefined
          ? `the current tag has ${describeVariant(currentVersion.variant)}`
          : wantedVariant === ""
            ? "only tags without one qualify unless a variant is asked for"
            : `${describeVariant(wantedVariant)} was asked for`;
      return verdict("other-variant", `${describeVariant(version.variant)} (${why})`);
    }
    if (precision !== undefined && version.release.length !== precision) {
      return verdict("other-precision", `${numbers(version.release.length)} (the current tag has ${precision})`);
    }
    if (version.prerelease.length > 0 && !admitsPrerelease) {
      return verdict("prerelease", filter.noPrerelease === true ? "a prerelease, and prereleases are dropped" : "a prerelease; prereleases qualify only when asked for or when the current tag is one");
    }
    if (inRange !== undefined && !inRange(version)) return verdict("outside-range", `outside the range ${JSON.stringify(truncate(filter.versionRange!, 60))}`);
    if (currentVersion !== undefined) {
      if (tag === current) return verdict("current", "the current tag");
      if (compareVersions(version, currentVersion) < 0) return verdict("lower-than-current", "lower than the current tag");
    }
    return verdict("qualifies", "qualifies");
  };
  return { judge, current: currentVersion === undefined ? undefined : { tag: current!, version: currentVersion } };
}

function textCondition(filter: TagFilter, reading: VersionReading): FilterParts["acceptsText"] {
  return compileFilterParts(filter, reading).acceptsText;
}

function describeVariant(variant: string): string {
  return variant === "" ? "no variant suffix" : `variant ${JSON.stringify(variant)}`;
}

function numbers(count: number): string {
  return count === 1 ? "1 number" : `${count} numbers`;
}

function notAVersionDetail(tag: string, reading: VersionReading): string {
  if (reading.versionRegex !== undefined) return "the version regex captures no version in it";
  if (scanVersion(tag) === undefined) return "not a version";
  return reading.scheme === "calver" ? "not a calver version (a date or year first)" : "not a semver version (2 to 4 numbers, MAJOR below 1000)";
}

function notAVersionMessage(current: unknown, reading: VersionReading, explicitScheme: boolean): string {
  const shown = JSON.stringify(truncate(String(current), 60));
  const what = reading.versionRegex !== undefined ? "has no version the version regex captures" : explicitScheme ? `is not a ${reading.scheme} version` : "is not a version";
  return `tag ${shown} ${what}, so it has no family to pick from: give a version tag (e.g. node:20.11.1) or no tag for the latest stable release`;
}
