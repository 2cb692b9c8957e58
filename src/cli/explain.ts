/**
 * `regtags latest --explain`: every tag of the listing with why it was or
 * was not the latest, highest first, so users see why their tag lost.
 * Lines are `TAG<TAB>REASON<TAB>DETAIL`; `--json` gives one object.
 */
import { UsageError } from "../errors.js";
import type { LatestOptions } from "../tags/family.js";
import { explainLatest } from "../tags/latest.js";
import { sortTags } from "../tags/sort.js";
import { escapeJsonText } from "../text/safe-text.js";
import { safeField, type OutputFormat } from "./render.js";

/** The explanation as text for stdout; the pick first, then the other tags highest first (tags that are not versions last). */
export function renderExplanation(repository: string, tags: readonly string[], options: LatestOptions, format: OutputFormat): string {
  const explanation = explainLatest(tags, options);
  const byTag = new Map(explanation.tags.map((decision) => [decision.tag, decision]));
  const order = sortTags([...byTag.keys()], "version", { reverse: true, versionRegex: options.versionRegex });
  const decisions = order.map((tag) => byTag.get(tag)!).sort((a, b) => Number(b.reason === "picked") - Number(a.reason === "picked"));
  if (format.kind === "json") {
    const body = { Repository: repository, Current: explanation.current ?? null, Latest: explanation.pick ?? null, Tags: decisions.map((d) => ({ Tag: d.tag, Reason: d.reason, Detail: d.detail })) };
    return `${escapeJsonText(JSON.stringify(body, null, 4))}\n`;
  }
  if (format.kind !== "lines" || format.fields.length !== 1) throw new UsageError("--explain prints lines, or one JSON object with --json");
  let out = "";
  for (const { tag, reason, detail } of decisions) out += `${safeField(tag)}\t${reason}\t${safeField(detail)}\n`;
  return out;
}
