/**
 * `regtags ls REF`, `regtags latest REF[:TAG]` and `regtags ls --newer REF:TAG`.
 *
 * Plain listings stream: each page's tags (filtered, up to --limit) are
 * printed as the page arrives, and the listing stops once --limit is met.
 * Sorting, --latest, digests, details, JSON and tables need the whole list
 * first. Filters run before digest lookups, so only shown tags cost a HEAD.
 */
import { parseArgs } from "node:util";
import { createClient, type DetailsSource, type RegtagsClient } from "../client.js";
import { DEFAULTS } from "../defaults.js";
import { UsageError } from "../errors.js";
import { parseReference, type Reference } from "../reference/reference.js";
import { applyFilter, compileFilter, type TagFilter } from "../tags/filter.js";
import type { VersionReading } from "../tags/reader.js";
import { sortTags, SORT_ORDERS, type SortOrder } from "../tags/sort.js";
import type { TagDetails } from "../vendor/types.js";
import { buildClientOptions, CLIENT_FLAGS, normaliseBooleanFlags, parsePositiveInt } from "./client-flags.js";
import { FILTER_FLAGS, readFilterFlags } from "./filter-flags.js";
import { checkFamily, latestOptions, pickLatest, selectNewer } from "./latest.js";
import { createProgress, writeOut } from "./output.js";
import type { CommandRun } from "./exit-codes.js";
import { csvHeader, parseOutputFormat, renderDigestGroups, renderNameLines, renderStreamingRows, renderWhole, type Field, type OutputFormat, type TagRow } from "./render.js";

/** Exactly the options help-table.ts lists for ls and latest (test/cli/help.test.ts). */
export const LS_FLAGS = {
  ...CLIENT_FLAGS,
  json: { type: "boolean" },
  format: { type: "string" },
  sort: { type: "string" },
  reverse: { type: "boolean" },
  ...FILTER_FLAGS,
  "include-prerelease": { type: "boolean" },
  "any-variant": { type: "boolean" },
  newer: { type: "boolean" },
  explain: { type: "boolean" },
  limit: { type: "string" },
  latest: { type: "boolean" },
  digests: { type: "boolean" },
  "group-by-digest": { type: "boolean" },
  concurrency: { type: "string" },
  details: { type: "boolean" },
  source: { type: "string" },
  "from-file": { type: "string" },
  all: { type: "string" },
} as const;

/** What to show, decided once from the flags. */
export interface Plan {
  readonly filter: TagFilter;
  readonly reading: VersionReading;
  readonly sort: SortOrder;
  readonly reverse: boolean;
  readonly latest: boolean;
  /** `--newer`: the tags of REF:TAG's family above TAG. */
  readonly newer: boolean;
  /** `--explain`: every tag with why it was or was not the latest. */
  readonly explain: boolean;
  /** `--include-prerelease`, `--any-variant`: how latest and --newer widen the default. */
  readonly includePrerelease: boolean;
  readonly anyVariant: boolean;
  readonly digests: boolean;
  readonly groupByDigest: boolean;
  readonly details: boolean;
  readonly source: DetailsSource;
  readonly concurrency: number;
  readonly format: OutputFormat;
}

const DETAIL_FIELDS: readonly Field[] = ["updated", "created", "size", "platforms"];

/** Tags written per write() while streaming. */
const OUTPUT_SLICE = 10_000;

export async function runLs(argv: string[], command: "ls" | "latest", run: CommandRun): Promise<number> {
  const { values, positionals } = parseArgs({ args: normaliseBooleanFlags(argv), allowPositionals: true, strict: true, options: LS_FLAGS });
  const plan = makePlan(values, command === "latest");
  if (positionals.length !== 1 || values["from-file"] !== undefined || values.all !== undefined) {
    if (plan.explain || plan.newer) throw new UsageError(`${plan.explain ? "--explain" : "--newer"} takes one repository at a time`);
    return (await import("./ls-many.js")).runMany(positionals, values, plan, command, run);
  }
  const reference = parseReference(positionals[0]!);
  checkFamily(plan, reference); // a TAG that is not a version fails before any request
  const options = await buildClientOptions(values, reference.registry, run);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  const client = createClient(options);
  try {
    const streams = plan.sort === "none" && !plan.latest && !plan.newer && !plan.digests && !plan.details && (plan.format.kind !== "json" && plan.format.kind !== "table");
    if (streams) await streamTags(client, reference, plan, controller.signal, values.debug === true);
    else await showWhole(client, reference, plan, controller.signal, values.debug === true);
    return 0;
  } finally {
    process.removeListener("SIGINT", onSigint);
    await client.close();
  }
}

export function makePlan(values: Record<string, unknown>, latestCommand: boolean): Plan {
  const text = (name: string) => values[name] as string | undefined;
  const flag = (name: string) => values[name] === true;
  const sort = (text("sort") ?? "none") as SortOrder;
  if (!SORT_ORDERS.includes(sort)) throw new UsageError(`--sort takes ${SORT_ORDERS.join(", ")}, got ${JSON.stringify(sort)}`);
  const source = (text("source") ?? "auto") as DetailsSource;
  if (!["auto", "vendor", "v2"].includes(source)) throw new UsageError(`--source takes auto, vendor or v2, got ${JSON.stringify(source)}`);
  const limit = text("limit");
  const { filter: selected, reading } = readFilterFlags(values);
  const filter: TagFilter = { ...selected, limit: limit === undefined ? undefined : parsePositiveInt("--limit", limit) };
  const groupByDigest = flag("group-by-digest");
  const extra: Field[] = [];
  if (flag("digests") || groupByDigest) extra.push("digest");
  if (flag("details")) extra.push("digest", "updated", "size", "platforms");
  const format = parseOutputFormat(text("format"), flag("json"), [...new Set(extra)]);
  const concurrency = text("concurrency");
  const latest = latestCommand || flag("latest");
  const newer = flag("newer");
  const explain = flag("explain");
  const includePrerelease = flag("include-prerelease");
  const anyVariant = flag("any-variant");
  if (newer && latest) throw new UsageError(`--newer lists every tag above TAG; ${latestCommand ? "latest" : "--latest"} picks one: give one of them`);
  if (explain && !latest) throw new UsageError("--explain explains the pick of latest: run regtags latest --explain REF[:TAG]");
  if (explain && format.kind !== "json" && !(format.kind === "lines" && format.fields.length === 1)) throw new UsageError("--explain prints lines, or one JSON object with --json");
  if (!latest && !newer && (includePrerelease || anyVariant)) {
    throw new UsageError(`${includePrerelease ? "--include-prerelease" : "--any-variant"} widens latest and --newer; a plain ls already lists every tag`);
  }
  if (includePrerelease && flag("no-prerelease")) throw new UsageError("--include-prerelease contradicts --no-prerelease: give one of them");
  if (newer && sort !== "none" && sort !== "version") throw new UsageError(`--newer lists tags in version order; --sort ${sort} does not apply`);
  return {
    filter,
    reading,
    sort,
    reverse: flag("reverse"),
    latest,
    newer,
    explain,
    includePrerelease,
    anyVariant,
    digests: format.fields.includes("digest"),
    groupByDigest,
    details: flag("details") || sort === "date" || format.fields.some((f) => DETAIL_FIELDS.includes(f)),
    source,
    concurrency: concurrency === undefined ? DEFAULTS.digestConcurrency : parsePositiveInt("--concurrency", concurrency, 64),
    format,
  };
}

/** Lines, ndjson, csv and templates as pages arrive; stops at --limit. */
async function streamTags(client: RegtagsClient, reference: Reference, plan: Plan, signal: AbortSignal, debug: boolean): Promise<void> {
  const accepts = compileFilter({ ...plan.filter, limit: undefined }, plan.reading);
  const limit = plan.filter.limit ?? Infinity;
  const plainLines = plan.format.kind === "lines" && plan.format.fields.length === 1;
  // Without filters a page is printed as it came: no copy of a million-tag page.
  const { include, exclude, versionRange, variant, omitDigestTags, noPrerelease } = plan.filter;
  const filtered = (include?.length ?? 0) > 0 || (exclude?.length ?? 0) > 0 || versionRange !== undefined || variant !== undefined || omitDigestTags === true || noPrerelease === true;
  const progress = createProgress(debug);
  let shown = 0;
  if (plan.format.kind === "csv") await writeOut(csvHeader(plan.format));
  try {
    for await (const page of client.listTagPages(reference, { signal })) {
      progress.page(page.tags.length);
      let picked = page.tags;
      if (filtered || shown + page.tags.length > limit) {
        const kept: string[] = [];
        for (const tag of page.tags) {
          if (shown + kept.length >= limit) break;
          if (accepts(tag)) kept.push(tag);
        }
        picked = kept;
      }
      shown += picked.length;
      // In slices, so a page of a million tags never becomes one huge string.
      for (let start = 0; start < picked.length; start += OUTPUT_SLICE) {
        const slice = picked.slice(start, start + OUTPUT_SLICE);
        await writeOut(plainLines ? renderNameLines(slice) : renderStreamingRows(slice.map((tag) => ({ tag })), plan.format));
      }
      if (shown >= limit) break; // no further pages needed
    }
  } finally {
    progress.done();
  }
}

/** Everything that needs the whole list: sorting, latest, digests, details, JSON, tables. */
async function showWhole(client: RegtagsClient, reference: Reference, plan: Plan, signal: AbortSignal, debug: boolean): Promise<void> {
  const progress = createProgress(debug);
  const all: string[] = [];
  try {
    for await (const page of client.listTagPages(reference, { signal })) {
      progress.page(page.tags.length);
      for (const tag of page.tags) all.push(tag);
    }
  } finally {
    progress.done();
  }

  let details: ReadonlyMap<string, TagDetails> = new Map();
  if (plan.details) {
    const result = await client.fetchDetails(reference, { source: plan.source, signal });
    details = result.details;
    if (plan.sort === "date" && result.source === undefined) {
      const why =
        plan.source === "v2"
          ? "--source v2 was given"
          : result.unavailableReason !== undefined
            ? `details are unavailable: ${result.unavailableReason}`
            : result.hasVendorApi
              ? "its vendor API did not answer (see the warning above)"
              : "no vendor API is known for it";
      throw new UsageError(`--sort date: no source of tag dates for ${reference.registry}: the OCI API has none and ${why}; sort by version or lexical instead`);
    }
  }
  const dates = new Map<string, Date>();
  for (const [tag, d] of details) {
    const date = d.updatedAt ?? d.createdAt;
    if (date !== undefined) dates.set(tag, date);
  }

  if (plan.explain) {
    await writeOut((await import("./explain.js")).renderExplanation(reference.name, all, latestOptions(plan, reference), plan.format));
    pickLatest(all, plan, reference); // exit 9 when nothing qualified, after saying why
    return;
  }
  const tags = selectTags(all, plan, dates, reference);
  const rows: TagRow[] = tags.map((tag) => {
    const d = details.get(tag);
    return { tag, digest: d?.digest, updated: d?.updatedAt, created: d?.createdAt, size: d?.size, platforms: d?.platforms };
  });
  if (plan.digests) {
    // HEAD only what the vendor API did not already say (DIG-1; HEAD is no Docker Hub pull).
    const missing = rows.filter((row) => row.digest === undefined).map((row) => row.tag);
    if (missing.length > 0) {
      const digests = new Map((await client.fetchDigests(reference, missing, { signal, concurrency: plan.concurrency })).map((d) => [d.tag, d.digest]));
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (row.digest === undefined) rows[i] = { ...row, digest: digests.get(row.tag) };
      }
    }
  }
  if (plan.groupByDigest) await writeOut(renderDigestGroups(reference.name, rows, plan.format.kind === "json"));
  else await writeOut(renderWhole(reference.name, rows, plan.format));
}

/** The tags to show from a whole list: --latest, --newer, or sorted, filtered and limited. */
export function selectTags(all: readonly string[], plan: Plan, dates: ReadonlyMap<string, Date>, reference: Reference): string[] {
  if (plan.latest) return [pickLatest(all, plan, reference)];
  if (plan.newer) return selectNewer(all, plan, reference);
  return applyFilter(sortTags(all, plan.sort, { reverse: plan.reverse, dates, ...plan.reading }), plan.filter, plan.reading);
}
