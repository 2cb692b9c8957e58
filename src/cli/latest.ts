/**
 * `regtags latest REF[:TAG]` and `regtags ls --newer REF:TAG`: the plan's
 * flags as library options, checked before any request, and the one-line
 * answer when nothing qualifies. The rules themselves are the library's
 * (src/tags/family.ts).
 */
import { NoMatchError, UsageError } from "../errors.js";
import type { Reference } from "../reference/reference.js";
import type { LatestOptions } from "../tags/family.js";
import { applyFilter } from "../tags/filter.js";
import { explainLatest, latestTag, newerTags } from "../tags/latest.js";
import type { VersionReading } from "../tags/reader.js";
import type { Plan } from "./ls.js";

/** What latest and --newer ask the library: REF's tag is the current version (REF:TAG). */
export function latestOptions(plan: Plan, reference: Reference): LatestOptions {
  return {
    ...plan.reading,
    filter: { ...plan.filter, limit: undefined },
    current: reference.tag,
    includePrerelease: plan.includePrerelease,
    anyVariant: plan.anyVariant,
  };
}

/** Rejects, before any request, a TAG that is not a version or options that contradict its family. */
export function checkFamily(plan: Plan, reference: Reference): void {
  if (plan.newer && reference.tag === undefined) throw new UsageError(`--newer needs the current tag: give ${reference.name}:TAG, e.g. ${reference.name}:1.2.3`);
  if (plan.latest || plan.newer) latestTag([], latestOptions(plan, reference));
}

/** The latest tag, or NoMatchError (exit 9) saying how many tags each rule passed over. */
export function pickLatest(all: readonly string[], plan: Plan, reference: Reference): string {
  const options = latestOptions(plan, reference);
  const pick = latestTag(all, options);
  if (pick === undefined) throw new NoMatchError(`${reference.name}: ${noMatchReason(all, options, plan.reading)}`);
  return pick;
}

/** --newer: the family above TAG, lowest first (highest first with --reverse), at most --limit. */
export function selectNewer(all: readonly string[], plan: Plan, reference: Reference): string[] {
  checkFamily(plan, reference);
  const newer = newerTags(all, latestOptions(plan, reference));
  return applyFilter(plan.reverse ? newer.reverse() : newer, { limit: plan.filter.limit });
}

/** The judge's order of reasons (library `TagReason`), for a stable message. */
const REASON_ORDER = ["filtered", "not-a-version", "other-variant", "other-precision", "prerelease", "outside-range", "lower-than-current"];

/** "no tag qualifies …", counting why the tags were passed over, so the user knows which flag to reach for. */
function noMatchReason(all: readonly string[], options: LatestOptions, reading: VersionReading): string {
  const counts = new Map<string, number>();
  for (const { reason } of explainLatest(all, options).tags) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = REASON_ORDER.filter((reason) => counts.has(reason)).map((reason) => `${reason.replaceAll("-", " ")} ${counts.get(reason)}`);
  const what = reading.versionRegex !== undefined ? "match of --version-regex" : `${reading.scheme ?? "semver"} version`;
  return `no tag qualifies as the latest ${what} (${all.length} tags${parts.length > 0 ? `; passed over: ${parts.join(", ")}` : ""}); see why with --explain`;
}
