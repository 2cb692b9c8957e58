/**
 * "The latest version" of a repository as update bots mean it: the highest
 * tag the judge of `family.ts` lets through. By default a stable release
 * without a variant suffix under the semver scheme; with a current tag, the
 * highest of its family at or above it. Garbage tags (`1359`, `2021.11.28`,
 * `latest`, git SHAs) must not outrank real versions (updatecli#1321), so
 * the semver scheme asks for at least MAJOR.MINOR and a MAJOR below 1000;
 * see {@link VersionScheme}.
 */

import { InvalidArgumentError } from "../errors.js";
import { comparePrerelease, compareRelease, releaseKey } from "./compare.js";
import { type Judge, type LatestOptions, type TagReason, compileJudge } from "./family.js";
import { type KeyedTag, compareByVersion } from "./sort.js";
import type { ParsedVersion } from "./version.js";

export type { LatestOptions } from "./family.js";

/**
 * The highest qualifying tag, or undefined when none qualifies (the caller
 * says so). With `current`, never undefined: the current tag itself when no
 * tag of its family is higher (even when the list lacks it), so a script can
 * compare the answer with what it runs.
 *
 * "Highest" is the `version` order of {@link sortTags}: numbers, then a
 * release above its prereleases, a later build above an earlier one, the
 * bare tag above its variants, more precise above less (`16.2.0` over
 * `16.2`), then by tag text. Linear in the number of tags.
 *
 * @throws InvalidArgumentError for an invalid filter, scheme or version regex, or a
 *   `current` that is not a version.
 * @example
 * latestTag(["1359", "2021.11.28", "v1.2.3", "v1.2.4-rc.1", "1.2.5-alpine", "latest"]); // "v1.2.3"
 * latestTag(["1.0.0-9", "1.0.0-14"], { includePrerelease: true }); // "1.0.0-14"
 * latestTag(["20.11.1-alpine3.19", "22.1.0-alpine3.19", "22.1.0", "22-alpine3.19"], { current: "20.11.1-alpine3.19" }); // "22.1.0-alpine3.19"
 * latestTag(["20230308", "2023.03.09", "v1.2.3"], { scheme: "calver" }); // "2023.03.09"
 */
export function latestTag(tags: readonly string[], options: LatestOptions = {}): string | undefined {
  const compiled = compileJudge(options);
  let best: KeyedTag | undefined;
  for (const tag of tags) {
    const candidate = candidateOf(compiled, tag);
    if (candidate !== undefined && (best === undefined || compareByVersion(candidate, best) > 0)) best = candidate;
  }
  const { current } = compiled;
  // Nothing newer than the current tag: answer it, not an equal spelled otherwise (`v20.11.1`).
  if (current !== undefined && (best === undefined || sameVersion(best.version!, current.version))) return current.tag;
  return best?.tag;
}

/**
 * The tags of `current`'s family above it, lowest first: what an update bot
 * would offer. The same rules as {@link latestTag} with `current`, less the
 * current tag and its equals (`v20.11.1` beside `20.11.1`).
 *
 * @throws InvalidArgumentError as {@link latestTag}, and when `current` is missing.
 * @example
 * newerTags(["20.11.1", "20.12.0", "22.1.0", "22.1.0-alpine", "23.0.0-rc.1", "22.1"], { current: "20.11.1" }); // ["20.12.0", "22.1.0"]
 */
export function newerTags(tags: readonly string[], options: LatestOptions): string[] {
  const compiled = compileJudge(options);
  if (compiled.current === undefined) throw new InvalidArgumentError("newer tags need the current tag: give REF:TAG");
  const current = compiled.current;
  const newer: KeyedTag[] = [];
  for (const tag of tags) {
    const candidate = candidateOf(compiled, tag);
    // The judge already dropped lower tags; equal ones (the tag itself, `v20.11.1`) are not newer.
    if (candidate !== undefined && !sameVersion(candidate.version!, current.version)) newer.push(candidate);
  }
  return newer.sort(compareByVersion).map((entry) => entry.tag);
}

/** Every tag with its judgement; the pick marked. See {@link explainLatest}. */
export interface LatestExplanation {
  /** What {@link latestTag} returns for the same tags and options. */
  readonly pick: string | undefined;
  /** The current tag, when one was given. */
  readonly current: string | undefined;
  /** One entry per tag, in the order given. */
  readonly tags: readonly TagDecision[];
}

/** Whether one tag could be the latest, and if not, why. */
export interface TagDecision {
  readonly tag: string;
  /** `picked` for the pick; otherwise the judge's reason (see {@link TagReason}). */
  readonly reason: TagReason | "picked";
  /** One clause for people, e.g. `variant "alpine" is not the current tag's variant "alpine3.19"`. */
  readonly detail: string;
}

/**
 * Explains {@link latestTag}: for every tag, whether it qualified and, if
 * not, the first rule it failed (not a version, another variant, another
 * precision, a prerelease, outside the range, filtered by include/exclude,
 * lower than the current tag). Linear in the number of tags.
 *
 * @throws InvalidArgumentError as {@link latestTag}.
 * @example
 * explainLatest(["22.1.0", "20.11.1-alpine"], {}).tags;
 * // [{ tag: "22.1.0", reason: "picked", detail: "the highest that qualifies" },
 * //  { tag: "20.11.1-alpine", reason: "other-variant", detail: "variant \"alpine\", not no variant suffix" }]
 */
export function explainLatest(tags: readonly string[], options: LatestOptions = {}): LatestExplanation {
  const compiled = compileJudge(options);
  const pick = latestTag(tags, options);
  const decisions = tags.map((tag): TagDecision => {
    const { reason, detail } = compiled.judge(tag);
    return tag === pick && (reason === "qualifies" || reason === "current") ? { tag, reason: "picked", detail: reason === "current" ? "the current tag: nothing in its family is higher" : "the highest that qualifies" } : { tag, reason, detail };
  });
  return { pick, current: compiled.current?.tag, tags: decisions };
}

function candidateOf(compiled: Judge, tag: string): KeyedTag | undefined {
  const { reason, version } = compiled.judge(tag);
  if ((reason !== "qualifies" && reason !== "current") || version === undefined) return undefined;
  return { tag, version, key: releaseKey(version.release), time: Number.NaN };
}

/** Equal in everything but the text (`v20.11.1` and `20.11.1`). */
function sameVersion(a: ParsedVersion, b: ParsedVersion): boolean {
  return (
    a.release.length === b.release.length &&
    compareRelease(a.release, b.release) === 0 &&
    comparePrerelease(a.prerelease, b.prerelease) === 0 &&
    a.build === b.build &&
    a.variant === b.variant
  );
}
