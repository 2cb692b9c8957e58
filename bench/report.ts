/**
 * Turning a bench run into text: the table for the terminal, BENCHMARKS.md
 * (machine, targets, results, requests, start-up, time to first tag, a chart)
 * and BENCHMARKS.svg (time against number of tags, log-log). Every figure
 * comes from the BenchResult; nothing here is measured or assumed.
 */
import { median } from "./measure.js";
import type { BenchResult, RequestTally, ToolRun, WorkloadResult } from "./types.js";
import { renderWatchMarkdown } from "./watch.js";
import { sizeLabel } from "./workloads.js";

/** 1 MB = 10^6 bytes, as in the memory target. */
const MB = 1_000_000;
const RSS_TARGET_MB = 200;
const STARTUP_TARGET_MS = 100;
const RUN_TARGET_S = 600;

const okRuns = (runs: readonly ToolRun[]): ToolRun[] => runs.filter((run) => run.ok);

/** Workloads grouped by registry (in order of first appearance), then by number of tags. */
function byFamily(workloads: readonly WorkloadResult[]): WorkloadResult[] {
  const families = [...new Set(workloads.map((w) => w.workload.family))];
  return [...workloads].sort((a, b) => families.indexOf(a.workload.family) - families.indexOf(b.workload.family) || a.workload.size - b.workload.size);
}
const medianOf = (runs: readonly ToolRun[], pick: (run: ToolRun) => number | undefined): number | undefined =>
  median(okRuns(runs).flatMap((run) => {
    const value = pick(run);
    return value === undefined ? [] : [value];
  }));
const maxOf = (runs: readonly ToolRun[], pick: (run: ToolRun) => number | undefined): number | undefined => {
  const values = okRuns(runs).flatMap((run) => {
    const value = pick(run);
    return value === undefined ? [] : [value];
  });
  return values.length === 0 ? undefined : Math.max(...values);
};

function seconds(ms: number | undefined): string {
  if (ms === undefined) return "–";
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

function millis(ms: number | undefined): string {
  return ms === undefined ? "–" : `${ms.toFixed(0)} ms`;
}

function megabytes(kib: number | undefined): string {
  return kib === undefined ? "–" : `${((kib * 1024) / MB).toFixed(0)} MB`;
}

function ratioOf(result: WorkloadResult): number | undefined {
  const r = medianOf(result.regtags, (run) => run.wallMs);
  const s = medianOf(result.skopeo, (run) => run.wallMs);
  return r === undefined || s === undefined ? undefined : r / s;
}

function requestsCell(tally: RequestTally | undefined): string {
  if (tally === undefined) return "–";
  return tally.varied !== undefined ? tally.varied : String(tally.total);
}

function requestDetail(tally: RequestTally | undefined): string {
  if (tally === undefined) return "–";
  const parts = [`${tally.tags} tags`];
  if (tally.token > 0) parts.push(`${tally.token} token`);
  if (tally.ping > 0) parts.push(`${tally.ping} ping`);
  if (tally.other > 0) parts.push(`${tally.other} other`);
  parts.push(`${tally.unauthorized}×401`);
  if (tally.nValues.length > 0) parts.push(`n=${tally.nValues.join("/")}`);
  if (tally.failedAttempts !== undefined && tally.failedAttempts > 0) parts.push(`+${tally.failedAttempts} failed TLS attempt`);
  if (tally.note !== undefined) parts.push(`(${tally.note})`);
  return parts.join(", ");
}

function runsCell(result: WorkloadResult): string {
  const failed = [...result.regtags, ...result.skopeo].filter((run) => !run.ok).length;
  return `${result.regtags.length}+${result.skopeo.length}${failed > 0 ? ` (${failed} failed)` : ""}`;
}

// ---------------------------------------------------------------------------
// Targets.

type Status = "met" | "not met" | "not measured";

interface TargetLine {
  readonly target: string;
  readonly status: Status;
  readonly detail: string;
}

function withinBudget(result: WorkloadResult): boolean | undefined {
  const tally = result.regtagsRequests;
  if (tally === undefined) return undefined;
  const total = tally.varied !== undefined ? Number(tally.varied.split("-")[1]) : tally.total;
  return total <= result.workload.requirement.maxRequests && tally.token <= 1 && tally.unauthorized <= 1;
}

export function evaluateTargets(result: BenchResult): TargetLine[] {
  const lines: TargetLine[] = [];
  const all = result.workloads;

  // Requests, in the default mode (--parallel spends requests on purpose).
  const judged = all.filter((w) => w.workload.variant === undefined && withinBudget(w) !== undefined);
  const over = judged.filter((w) => withinBudget(w) === false);
  lines.push({
    target: "Requests: never more than the pagination requires for the largest page the registry allows, + 1 token request + at most 1 initial 401",
    status: judged.length === 0 ? "not measured" : over.length === 0 ? "met" : "not met",
    detail:
      judged.length === 0
        ? "no workload measured"
        : over.length === 0
          ? `all ${judged.length} workloads within bounds`
          : `${over.length} of ${judged.length} workloads over: ` +
            over
              .map((w) => `${w.workload.id} ${requestsCell(w.regtagsRequests)} > ${w.workload.requirement.maxRequests} (${w.workload.requirement.basis}; regtags sent n=${w.regtagsRequests?.nValues.join("/") ?? "?"})`)
              .join("; "),
  });

  const ghcr = all.find((w) => w.workload.profile === "ghcr" && w.workload.size === 10_000);
  if (ghcr?.regtagsRequests !== undefined && ghcr.skopeoRequests !== undefined) {
    const factor = ghcr.skopeoRequests.total / ghcr.regtagsRequests.total;
    lines.push({
      target: "Requests: ghcr-like registry, 10k tags: at least 10x fewer requests than skopeo",
      status: factor >= 10 ? "met" : "not met",
      detail: `regtags ${ghcr.regtagsRequests.total}, skopeo ${ghcr.skopeoRequests.total}: ${factor.toFixed(1)}x fewer`,
    });
  } else {
    lines.push({ target: "Requests: ghcr-like registry, 10k tags: at least 10x fewer requests than skopeo", status: "not measured", detail: "ghcr 10k not run" });
  }

  const real = all.filter((w) => w.workload.kind === "real" && (w.workload.size === 10_000 || w.workload.size === 100_000));
  if (real.length > 0) {
    const ratios = real.map((w) => ({ w, ratio: ratioOf(w) }));
    lines.push({
      target: "Wall time: at most skopeo's (ratio <= 1.0) on the real distribution registry at 10k and 100k tags",
      status: ratios.some((r) => r.ratio === undefined) ? "not measured" : ratios.every((r) => (r.ratio as number) <= 1.0) ? "met" : "not met",
      detail: ratios
        .map(({ w, ratio }) => `${sizeLabel(w.workload.size)}: ${seconds(medianOf(w.regtags, (r) => r.wallMs))} vs ${seconds(medianOf(w.skopeo, (r) => r.wallMs))}, ratio ${ratio?.toFixed(2) ?? "–"}`)
        .join("; "),
    });
  } else {
    lines.push({ target: "Wall time: ratio <= 1.0 on the real distribution registry at 10k and 100k tags", status: "not measured", detail: "real registry workloads not run" });
  }

  // Measured with --parallel where that row exists: the default is the fewest-requests mode.
  const cappedAll = all.filter((w) => w.workload.requirement.lastLexicalCapped && w.workload.size === 10_000 && w.workload.latencyMs >= 25);
  const capped = cappedAll.some((w) => w.workload.variant !== undefined) ? cappedAll.filter((w) => w.workload.variant !== undefined) : cappedAll;
  if (capped.length > 0) {
    const speedups = capped.map((w) => ({ w, speedup: (() => { const r = ratioOf(w); return r === undefined ? undefined : 1 / r; })() }));
    const met = speedups.filter((s) => s.speedup !== undefined && s.speedup >= 3);
    lines.push({
      target: `Wall time: at least 3x faster than skopeo at 10k tags on a last-paginated, lexically sorted, n-capped profile at ${capped[0]?.workload.latencyMs} ms latency (profiles of that shape here: ${capped.map((w) => w.workload.profile).join(", ")})`,
      status: met.length === capped.length ? "met" : "not met",
      detail: speedups
        .map(({ w, speedup }) => `${w.workload.profile}${w.workload.variant !== undefined ? ` (regtags ${w.workload.variant})` : ""}: regtags ${seconds(medianOf(w.regtags, (r) => r.wallMs))}, skopeo ${seconds(medianOf(w.skopeo, (r) => r.wallMs))}, ${speedup === undefined ? "–" : `${speedup.toFixed(2)}x`}`)
        .join("; "),
    });
  } else {
    lines.push({ target: "Wall time: at least 3x faster than skopeo at 10k tags on a last-paginated, lexically sorted, n-capped profile at 25 ms", status: "not measured", detail: "no such workload run" });
  }

  const paged = all.filter((w) => w.workload.kind === "emulator" && (medianOf(w.regtags, (r) => r.pages) ?? 0) > 1);
  if (paged.length > 0) {
    const streaming = paged.filter((w) => okRuns(w.regtags).length > 0 && okRuns(w.regtags).every((run) => run.firstBeforeLastPage === true));
    const worst = paged.filter((w) => !streaming.includes(w));
    const example = paged.reduce((a, b) => ((medianOf(b.regtags, (r) => r.wallMs) ?? 0) > (medianOf(a.regtags, (r) => r.wallMs) ?? 0) ? b : a));
    lines.push({
      target: "Memory: lines output streams (first tag printed before the last page arrives)",
      status: worst.length === 0 ? "met" : "not met",
      detail:
        `${streaming.length} of ${paged.length} multi-page workloads` +
        (worst.length > 0 ? `; not in: ${worst.map((w) => w.workload.id).join(", ")}` : "") +
        `; e.g. ${example.workload.id}: first tag after ${millis(medianOf(example.regtags, (r) => r.firstByteMs))}, last page requested after ${millis(medianOf(example.regtags, (r) => r.lastTagsRequestMs))}, exit after ${millis(medianOf(example.regtags, (r) => r.wallMs))}`,
    });
  } else {
    lines.push({ target: "Memory: lines output streams", status: "not measured", detail: "no multi-page workload" });
  }

  const million = all.filter((w) => w.workload.size >= 1_000_000);
  if (million.length > 0) {
    const peaks = million.map((w) => ({ w, peak: maxOf(w.regtags, (r) => r.peakRssKiB) }));
    lines.push({
      target: `Memory: listing 1M tags stays under ${RSS_TARGET_MB} MB peak RSS`,
      status: peaks.some((p) => p.peak === undefined) ? "not measured" : peaks.every((p) => ((p.peak as number) * 1024) / MB < RSS_TARGET_MB) ? "met" : "not met",
      detail: peaks.map(({ w, peak }) => `${w.workload.id}: ${megabytes(peak)} (skopeo ${megabytes(maxOf(w.skopeo, (r) => r.peakRssKiB))})`).join("; ") + " (highest of the runs)",
    });
  } else {
    lines.push({ target: `Memory: listing 1M tags stays under ${RSS_TARGET_MB} MB peak RSS`, status: "not measured", detail: "1M workloads not run" });
  }

  const startup = median(result.startup.regtagsVersionMs);
  lines.push({
    target: `Start-up: regtags --version under ${STARTUP_TARGET_MS} ms`,
    status: startup === undefined ? "not measured" : startup < STARTUP_TARGET_MS ? "met" : "not met",
    detail: `median ${millis(startup)} of ${result.startup.regtagsVersionMs.length} runs; node -e 0 alone: ${millis(median(result.startup.nodeBaselineMs))}`,
  });

  const total = result.npmScriptSeconds ?? result.durationSeconds;
  lines.push({
    target: "npm run bench finishes in under 10 minutes",
    status: total < RUN_TARGET_S ? "met" : "not met",
    detail:
      result.npmScriptSeconds !== undefined
        ? `${total.toFixed(0)} s including the TypeScript build (${result.durationSeconds.toFixed(0)} s of measuring)`
        : `${result.durationSeconds.toFixed(0)} s of measuring (the build before it was not timed)`,
  });
  return lines;
}

// ---------------------------------------------------------------------------
// Tables.

const HEADER = ["workload", "tags", "runs", "regtags", "skopeo", "regtags/skopeo", "requests regtags", "requests skopeo", "peak RSS regtags", "peak RSS skopeo", "regtags first tag"];

function row(result: WorkloadResult): string[] {
  const ratio = ratioOf(result);
  return [
    result.workload.id,
    result.workload.size.toLocaleString("en-US"),
    runsCell(result),
    seconds(medianOf(result.regtags, (r) => r.wallMs)),
    seconds(medianOf(result.skopeo, (r) => r.wallMs)),
    ratio === undefined ? "–" : ratio.toFixed(2),
    requestsCell(result.regtagsRequests),
    requestsCell(result.skopeoRequests),
    megabytes(medianOf(result.regtags, (r) => r.peakRssKiB)),
    megabytes(medianOf(result.skopeo, (r) => r.peakRssKiB)),
    seconds(medianOf(result.regtags, (r) => r.firstByteMs)),
  ];
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const lines = [`| ${header.map(escape).join(" | ")} |`, `|${header.map((_, i) => (rightAligned.has(i) ? "---:" : "---")).join("|")}|`];
  for (const cells of rows) lines.push(`| ${cells.map(escape).join(" | ")} |`);
  return lines.join("\n");
}

function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const NUMERIC = new Set([1, 3, 4, 5, 6, 7, 8, 9, 10]);

// ---------------------------------------------------------------------------
// Charts.

interface Series {
  readonly family: string;
  readonly tool: "regtags" | "skopeo";
  readonly points: ReadonlyArray<{ size: number; seconds: number }>;
}

function chartSeries(result: BenchResult): Series[] {
  const families = [...new Set(result.workloads.map((w) => w.workload.family))];
  const series: Series[] = [];
  for (const family of families) {
    for (const tool of ["regtags", "skopeo"] as const) {
      const points = result.workloads
        .filter((w) => w.workload.family === family)
        .flatMap((w) => {
          const ms = medianOf(w[tool], (r) => r.wallMs);
          return ms === undefined ? [] : [{ size: w.workload.size, seconds: ms / 1000 }];
        })
        .sort((a, b) => a.size - b.size);
      if (points.length > 0) series.push({ family, tool, points });
    }
  }
  return series;
}

/** Log-scale bars, grouped by registry then number of tags. */
function asciiChart(result: BenchResult): string {
  const width = 46;
  const values = result.workloads.flatMap((w) => [medianOf(w.regtags, (r) => r.wallMs), medianOf(w.skopeo, (r) => r.wallMs)]).filter((v): v is number => v !== undefined);
  if (values.length === 0) return "(nothing measured)";
  const low = Math.min(...values) / 1.5;
  const high = Math.max(...values);
  const span = Math.log(high / low) || 1;
  const bar = (ms: number) => "█".repeat(Math.max(1, Math.round((width * Math.log(ms / low)) / span)));
  const familyWidth = Math.max(...result.workloads.map((w) => w.workload.family.length));
  const lines: string[] = [];
  let lastFamily = "";
  for (const w of byFamily(result.workloads)) {
    for (const tool of ["regtags", "skopeo"] as const) {
      const ms = medianOf(w[tool], (r) => r.wallMs);
      const family = w.workload.family !== lastFamily && tool === "regtags" ? w.workload.family : "";
      const size = tool === "regtags" ? sizeLabel(w.workload.size) : "";
      if (family !== "" && lines.length > 0) lines.push("");
      lines.push(`${family.padEnd(familyWidth)} ${size.padStart(4)} ${tool === "regtags" ? "R" : "s"} ${ms === undefined ? "(failed)" : `${bar(ms)} ${seconds(ms)}`}`);
    }
    lastFamily = w.workload.family;
  }
  return [
    `wall time (median), log scale from ${seconds(low)} to ${seconds(high)}; R = regtags, s = skopeo`,
    "",
    ...lines,
  ].join("\n");
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2"];

/** Median wall time against number of tags, log-log: solid lines regtags, dashed skopeo, one colour per registry. */
export function renderSvg(result: BenchResult): string {
  const series = chartSeries(result);
  const W = 760;
  const H = 440;
  const left = 60;
  const right = 250;
  const top = 30;
  const bottom = 50;
  const sizes = series.flatMap((s) => s.points.map((p) => p.size));
  const times = series.flatMap((s) => s.points.map((p) => p.seconds));
  const xMin = Math.min(...sizes, 1000);
  const xMax = Math.max(...sizes, xMin * 10);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...times, 1)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...times, 1)));
  const x = (size: number) => left + ((W - left - right) * Math.log10(size / xMin)) / Math.log10(xMax / xMin);
  const y = (s: number) => H - bottom - ((H - top - bottom) * Math.log10(s / yMin)) / Math.log10(yMax / yMin);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="18" font-size="13">regtags (solid) vs skopeo list-tags (dashed): median wall time against number of tags</text>`,
  ];
  for (let decade = yMin; decade <= yMax * 1.001; decade *= 10) {
    out.push(`<line x1="${left}" y1="${y(decade)}" x2="${W - right}" y2="${y(decade)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(decade) + 4}" text-anchor="end">${decade >= 1 ? decade.toFixed(0) : decade.toString()} s</text>`);
  }
  for (const size of [...new Set(sizes)].sort((a, b) => a - b)) {
    out.push(`<line x1="${x(size)}" y1="${top}" x2="${x(size)}" y2="${H - bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(size)}" y="${H - bottom + 16}" text-anchor="middle">${sizeLabel(size)}</text>`);
  }
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 12}" text-anchor="middle">tags in the repository (log scale)</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#999"/>`);
  const families = [...new Set(series.map((s) => s.family))];
  for (const s of series) {
    const color = COLORS[families.indexOf(s.family) % COLORS.length];
    const dash = s.tool === "skopeo" ? ` stroke-dasharray="5,4"` : "";
    const path = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.size).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const p of s.points) {
      out.push(
        s.tool === "regtags"
          ? `<circle cx="${x(p.size).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="3" fill="${color}"/>`
          : `<rect x="${(x(p.size) - 3).toFixed(1)}" y="${(y(p.seconds) - 3).toFixed(1)}" width="6" height="6" fill="white" stroke="${color}"/>`,
      );
    }
  }
  families.forEach((family, i) => {
    const color = COLORS[i % COLORS.length];
    const ly = top + 10 + i * 18;
    out.push(`<line x1="${W - right + 14}" y1="${ly}" x2="${W - right + 34}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${W - right + 40}" y="${ly + 4}">${family.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>`);
  });
  out.push("</svg>", "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// Whole reports.

function describeConfig(result: BenchResult): string[] {
  const c = result.config;
  const iterations = c.maxIterationsOverride !== undefined ? `${c.maxIterationsOverride} per tool` : c.quick ? "1-2 per tool" : "3-5 per tool at 1k and 10k tags, 1-3 at 100k and 1M (fewer when a workload is slow)";
  return [
    `- Runs: each workload runs regtags and skopeo alternately (who goes first alternates too), ${iterations}; medians are reported. Each tool is a fresh child process: \`node dist/cli/main.js ls …\` (lines output) and \`skopeo list-tags --tls-verify=false docker://…\` (JSON). Every run is checked to list exactly the repository's tags.`,
    `- Emulated registries answer every request after ${c.latencyMs} ms (like a round trip on the internet); regtags reaches each through \`--endpoint NAME=URL\` under the name of the registry the profile imitates (docker.io, ghcr.io, quay.io; \`registry.bench\`, a name regtags has no profile for, for distribution-3), skopeo through \`127.0.0.1:PORT\`. The emulator runs in its own process, warmed up (listing built and sorted) before anything is timed.`,
    `- The real registry is Debian's docker-registry with token auth (ES256 JWTs from the test harness's token server) on 127.0.0.1, no added latency; tags are written into its storage. ${result.real !== undefined ? `Setup took ${result.real.setupSeconds.toFixed(1)} s. Probe: ${result.real.probe}.` : ""}`,
    `- Requests: from the emulator's request log (every HTTP request it answered, token endpoint included); on the real registry from one extra untimed run of each tool with \`--debug\` (regtags' trace, skopeo's debug log), the token server's own count checked against it. A failed https attempt on a plain-http port is not an HTTP request: it is listed apart where a trace shows it (real registry); skopeo makes the same attempt against the emulator, whose log cannot see it.`,
    `- Peak RSS: ${result.rssMethod === "gnu-time" ? "GNU time's `%M` (the kernel's maximum resident set size of the child), exact" : "polling `/proc/PID/status` VmHWM every 5 ms (GNU time is not installed): approximate, a peak in the last milliseconds can be missed"}. 1 MB = 10^6 bytes.`,
  ];
}

export function renderMarkdown(result: BenchResult, svgPath: string): string {
  const m = result.machine;
  const targets = evaluateTargets(result);
  const out: string[] = [];
  out.push("# regtags benchmarks", "");
  out.push(
    `Generated by \`npm run bench\` on ${result.date.replace("T", " ").replace(/\.\d+Z$/, " UTC")}; every figure below comes from that run ` +
      `(re-run it to regenerate this file and [${svgPath}](${svgPath})). ` +
      `The run took ${result.npmScriptSeconds !== undefined ? `${result.npmScriptSeconds.toFixed(0)} s including the build` : `${result.durationSeconds.toFixed(0)} s`}.`,
    "",
  );
  if (m.revision !== undefined) out.push(`Measured: regtags at ${m.revision}.`, "");
  out.push("## Machine", "");
  out.push(
    `- ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB RAM, ${m.platform}; node ${m.node}; ${m.skopeo}; ${m.registry}`,
    `- Load average (1/5/15 min) at start ${m.loadAtStart.map((v) => v.toFixed(2)).join(" / ")}, at end ${m.loadAtEnd.map((v) => v.toFixed(2)).join(" / ")} (other work on the machine shows up as noise in the timings)`,
    ...(result.installed.length > 0 ? [`- Installed by this run: ${result.installed.join(", ")}`] : []),
    "",
  );
  out.push("## Targets", "");
  out.push(markdownTable(["target", "status", "measured"], targets.map((t) => [t.target, t.status === "met" ? "**met**" : t.status === "not met" ? "**not met**" : t.status, t.detail])));
  out.push("");
  out.push("## Results", "");
  out.push(markdownTable(HEADER, byFamily(result.workloads).map(row), NUMERIC));
  out.push("");
  out.push(
    "Times are medians of wall time from spawn to exit; `regtags/skopeo` below 1 means regtags was faster. `requests`: HTTP requests the registry and its token service answered for one listing. `regtags first tag`: from spawn to the first byte on regtags' stdout.",
    "",
  );
  const failures = result.workloads.flatMap((w) =>
    (["regtags", "skopeo"] as const).flatMap((tool) => w[tool].filter((run) => !run.ok).map((run) => `- ${w.workload.id}, ${tool}: ${run.problem}`)),
  );
  const notes = result.workloads.filter((w) => w.note !== undefined).map((w) => `- ${w.workload.id}: ${w.note}`);
  if (failures.length > 0) out.push("Failed runs (left out of the medians):", "", ...failures, "");
  if (notes.length > 0) out.push(...notes, "");
  if (result.skipped.length > 0) out.push("Not run:", "", ...result.skipped.map((s) => `- ${s}`), "");

  out.push("## Requests in detail", "");
  out.push(
    markdownTable(
      ["workload", "registry's pagination", "least possible", "target max", "regtags", "skopeo"],
      byFamily(result.workloads).map((w) => [
        w.workload.id,
        w.workload.requirement.basis,
        `${w.workload.requirement.pages} page(s)`,
        String(w.workload.requirement.maxRequests),
        `${requestsCell(w.regtagsRequests)}: ${requestDetail(w.regtagsRequests)}`,
        `${requestsCell(w.skopeoRequests)}: ${requestDetail(w.skopeoRequests)}`,
      ]),
    ),
    "",
    "`least possible`: tag pages a client cannot avoid with the largest page the registry serves (the emulator's profile data; the real registry was probed with `n=1`). `target max` adds one token request and one initial 401.",
    "",
  );

  const s = result.startup;
  out.push("## Start-up", "");
  out.push(
    markdownTable(
      ["command", "runs", "median", "min", "max"],
      [
        ["`node dist/cli/main.js --version` (regtags)", String(s.regtagsVersionMs.length), millis(median(s.regtagsVersionMs)), millis(Math.min(...s.regtagsVersionMs)), millis(Math.max(...s.regtagsVersionMs))],
        ["`node -e 0` (node itself, for reference)", String(s.nodeBaselineMs.length), millis(median(s.nodeBaselineMs)), millis(Math.min(...s.nodeBaselineMs)), millis(Math.max(...s.nodeBaselineMs))],
        ["`skopeo --version`", String(s.skopeoVersionMs.length), millis(median(s.skopeoVersionMs)), millis(Math.min(...s.skopeoVersionMs)), millis(Math.max(...s.skopeoVersionMs))],
      ],
      new Set([1, 2, 3, 4]),
    ),
    "",
    `Peak RSS of \`regtags --version\`: ${megabytes(s.regtagsVersionRssKiB)}.`,
    "",
  );

  out.push("## Time to first tag", "");
  const listed = byFamily(result.workloads).filter((w) => okRuns(w.regtags).length > 0);
  if (listed.length === 0) out.push("No workload was run.", "");
  else {
    const streamed = (w: WorkloadResult): string => {
      const pages = medianOf(w.regtags, (r) => r.pages);
      if (pages === undefined) return "–";
      if (pages <= 1) return "one page";
      return `${okRuns(w.regtags).filter((r) => r.firstBeforeLastPage === true).length} of ${okRuns(w.regtags).length} runs`;
    };
    out.push(
      markdownTable(
        ["workload", "regtags pages", "first tag printed", "last page requested", "regtags exit", "first tag before last page", "skopeo first output"],
        listed.map((w) => [
          w.workload.id,
          String(medianOf(w.regtags, (r) => r.pages) ?? "–"),
          millis(medianOf(w.regtags, (r) => r.firstByteMs)),
          millis(medianOf(w.regtags, (r) => r.lastTagsRequestMs)),
          millis(medianOf(w.regtags, (r) => r.wallMs)),
          streamed(w),
          millis(medianOf(w.skopeo, (r) => r.firstByteMs)),
        ]),
        new Set([1, 2, 3, 4, 6]),
      ),
      "",
      "Milliseconds after spawn (medians). `regtags pages`: tags pages the emulator answered with 200 (`–` on the real registry, which keeps no request log). `last page requested`: when the emulator received regtags' last tags request; its answer left at least the injected latency later, so a first tag printed before that time was printed before the last page arrived. skopeo prints its JSON only at the end.",
      "",
    );
  }

  if (result.watch !== undefined) out.push(...renderWatchMarkdown(result.watch), "");
  out.push("## Time against number of tags", "");
  out.push(`![median wall time against number of tags](${svgPath})`, "");
  out.push("```", asciiChart(result), "```", "");
  out.push("## How it was run", "");
  out.push(...describeConfig(result), "");
  out.push(
    "Reproduce: `npm ci && npm run bench` (as root it installs skopeo, docker-registry, openssl and GNU time from Debian's packages when missing). `BENCH_QUICK=1 npm run bench` is a smoke run (1k and 10k tags, no 1M) that writes build/bench/BENCHMARKS.quick.md instead; see bench/run.ts for the other BENCH_* settings.",
    "",
  );
  return out.join("\n");
}

export function renderTerminal(result: BenchResult): string {
  const out: string[] = ["", textTable(HEADER, byFamily(result.workloads).map(row)), ""];
  const s = result.startup;
  out.push(
    `start-up: regtags --version median ${millis(median(s.regtagsVersionMs))} (node -e 0: ${millis(median(s.nodeBaselineMs))}, skopeo --version: ${millis(median(s.skopeoVersionMs))})`,
    "",
    "targets:",
  );
  for (const t of evaluateTargets(result)) out.push(`  [${t.status}] ${t.target}\n      ${t.detail}`);
  if (result.watch !== undefined) out.push("", ...renderWatchMarkdown(result.watch));
  out.push("");
  return out.join("\n");
}
