/**
 * The `regtags watch` workload (issue 15): one pass over 100 repositories of
 * 10,000 tags each on the emulator, as the CLI runs it, timed with its
 * requests counted by the emulator: the baseline pass (which writes the
 * state), a pass with nothing changed, and a pass that finds one new tag in
 * every repository: tags only, on distribution 3.1.0 (the v2 listing
 * alone). Then one pass with --digests on Docker Hub over the first 20 of
 * those repositories (all 100 took minutes of the bench's 10), whose tags API
 * gives 100 digests per request (HEADing each tag instead would take one
 * request per tag); every pass makes the same requests, so the baseline
 * stands for them. Then the largest state file is loaded and saved
 * in a fresh node process, timed.
 *
 * Runs inside `npm run bench` (its own table in BENCHMARKS.md), or alone:
 *   npx tsc -p tsconfig.build.json && npx tsc -p tsconfig.json && node build/bench/watch.js
 * (env: BENCH_WATCH_REPOS=100, BENCH_WATCH_DIGEST_REPOS=20, BENCH_WATCH_TAGS=10000, BENCH_LATENCY_MS=25).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTags, startEmulator } from "../src/emulator/index.js";
import { digestAt, readWatchState, recordTags, WATCH_STATE_VERSION, writeWatchState } from "../src/watch/index.js";
import { detectRssMethod, runMeasured } from "./measure.js";
import { CHILD_ENV, REGTAGS_CLI, TAG_SEED } from "./workloads.js";

export interface WatchPassFigures {
  readonly pass: "baseline" | "unchanged" | "one tag added in each repository";
  readonly wallMs: number;
  readonly requests: number;
  /** Requests by kind (tags, vendor, manifest, token, ping). */
  readonly byKind: Readonly<Record<string, number>>;
  readonly events: number;
  readonly peakRssKiB: number | undefined;
  readonly exitCode: number | null;
}

export interface WatchBenchCase {
  readonly profile: string;
  readonly digests: boolean;
  /** Repositories watched in this case (absent in older results: all of them). */
  readonly repositories?: number;
  readonly passes: readonly WatchPassFigures[];
  readonly stateBytes: number;
  /** readWatchState and writeWatchState of that state file, in a fresh node process. */
  readonly loadMs: number;
  readonly saveMs: number;
}

export interface WatchBenchResult {
  readonly repositories: number;
  readonly tagsPerRepository: number;
  readonly latencyMs: number;
  readonly cases: readonly WatchBenchCase[];
}

const REGISTRY: Readonly<Record<string, string>> = { "distribution-3.1.0": "registry.bench", dockerhub: "docker.io" };

/** Runs the watch workload; `log` hears progress. */
export async function measureWatch(options: { repositories: number; digestRepositories: number; tags: number; latencyMs: number; log: (message: string) => void }): Promise<WatchBenchResult> {
  const names = Array.from({ length: options.repositories }, (_, i) => `bench/watch-${String(i).padStart(3, "0")}`);
  const repositories: Record<string, { tags: string[] }> = {};
  names.forEach((name, i) => (repositories[name] = { tags: generateTags(options.tags, TAG_SEED + i) }));
  const emulator = await startEmulator({ profiles: Object.keys(REGISTRY), repositories, latencyMs: options.latencyMs });
  const dir = mkdtempSync(join(tmpdir(), "regtags-bench-watch-"));
  const rss = detectRssMethod();
  const cases: WatchBenchCase[] = [];
  try {
    for (const [profile, host] of Object.entries(REGISTRY)) {
      const registry = emulator.get(profile);
      const digests = profile === "dockerhub";
      const state = join(dir, `${profile}.state`);
      const watched = digests ? names.slice(0, options.digestRepositories) : names;
      const args = ["watch", "--state", state, "--concurrency", "8", ...(digests ? ["--digests"] : []), "--endpoint", `${host}=${registry.url}`, ...(host === "docker.io" ? ["--endpoint", `hub.docker.com=${registry.url}`] : []), ...watched.map((name) => `${host}/${name}`)];
      const passes: WatchPassFigures[] = [];
      // Every pass makes the same requests; with digests (minutes of vendor pages) the baseline stands for all.
      const kinds = digests ? (["baseline"] as const) : (["baseline", "unchanged", "one tag added in each repository"] as const);
      for (const pass of kinds) {
        if (pass === "one tag added in each repository") await forgetOneTagEach(state);
        registry.resetCounts();
        const run = await runMeasured({ command: process.execPath, args: [REGTAGS_CLI, ...args], env: CHILD_ENV, timeoutMs: 900_000, output: "count-lines", rss });
        const counts = registry.counts();
        const byKind = Object.fromEntries(Object.entries(counts).filter(([kind, n]) => kind !== "total" && n > 0));
        passes.push({ pass, wallMs: run.wallMs, requests: counts.total, byKind, events: run.stdoutLines, peakRssKiB: run.peakRssKiB, exitCode: run.exitCode });
        options.log(`watch ${profile}${digests ? " --digests" : ""}: ${pass} pass ${(run.wallMs / 1000).toFixed(1)} s, ${counts.total} requests, ${run.stdoutLines} events, exit ${run.exitCode}${run.exitCode !== 0 ? `: ${run.stderr.slice(-300)}` : ""}`);
      }
      const { loadMs, saveMs } = timeLoadAndSave(state, join(dir, "copy.state"));
      cases.push({ profile, digests, repositories: watched.length, passes, stateBytes: statSync(state).size, loadMs, saveMs });
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { repositories: options.repositories, tagsPerRepository: options.tags, latencyMs: options.latencyMs, cases };
}

/**
 * The emulator's repositories are fixed once started, so a change is made
 * on the other side: one tag per repository is dropped from the state, and
 * the next pass reports it as added (100 events), exactly as if it had been
 * pushed.
 */
async function forgetOneTagEach(path: string): Promise<void> {
  const state = readWatchState(path);
  const repositories = new Map([...state.repositories].map(([name, recorded]) => [name, recordTags(recorded.tags.slice(1), recorded.tags.slice(1).map((_, i) => digestAt(recorded, i + 1)))]));
  await writeWatchState(path, { selection: state.selection, repositories }, new Date());
}

/**
 * readWatchState then writeWatchState of `path`, timed in a fresh node
 * process, as the CLI pays them (this process holds the emulator's million
 * tags, whose garbage collection would be counted too).
 */
function timeLoadAndSave(path: string, copy: string): { loadMs: number; saveMs: number } {
  const module = new URL("../src/watch/index.js", import.meta.url).href;
  const script = `import { readWatchState, writeWatchState } from ${JSON.stringify(module)};
    let start = performance.now(); const state = readWatchState(${JSON.stringify(path)}); const loadMs = performance.now() - start;
    start = performance.now(); await writeWatchState(${JSON.stringify(copy)}, state, new Date()); const saveMs = performance.now() - start;
    process.stdout.write(JSON.stringify({ loadMs, saveMs }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  if (child.status !== 0) throw new Error(`timing the state file failed: ${child.stderr.slice(-500)}`);
  return JSON.parse(child.stdout) as { loadMs: number; saveMs: number };
}

/** The workload as markdown lines for BENCHMARKS.md. */
export function renderWatchMarkdown(result: WatchBenchResult): string[] {
  const lines = [
    `### regtags watch: ${result.repositories} repositories × ${result.tagsPerRepository.toLocaleString("en-US")} tags (emulator, ${result.latencyMs} ms per round trip)`,
    "",
    "| registry | pass | wall | requests | by kind | events | peak RSS |",
    "|---|---|--:|--:|---|--:|--:|",
  ];
  for (const c of result.cases) {
    for (const p of c.passes) {
      const kinds = Object.entries(p.byKind).map(([kind, n]) => `${kind} ${n}`).join(", ");
      const subset = c.repositories !== undefined && c.repositories !== result.repositories ? ` (${c.repositories} repositories)` : "";
      lines.push(`| ${c.profile}${c.digests ? " --digests" : ""}${subset} | ${p.pass} | ${(p.wallMs / 1000).toFixed(1)} s | ${p.requests} | ${kinds} | ${p.events} | ${p.peakRssKiB === undefined ? "?" : `${Math.round(p.peakRssKiB / 1024)} MB`} |`);
    }
  }
  lines.push("");
  for (const c of result.cases) {
    lines.push(`- ${c.profile}${c.digests ? " --digests" : ""}: state file (format version ${WATCH_STATE_VERSION}: sha256 digests packed as base64) ${(c.stateBytes / 1024 / 1024).toFixed(1)} MiB, loaded in ${c.loadMs.toFixed(0)} ms and saved in ${c.saveMs.toFixed(0)} ms (in a fresh node process, fsync included).`);
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  measureWatch({ repositories: env("BENCH_WATCH_REPOS", 100), digestRepositories: env("BENCH_WATCH_DIGEST_REPOS", 20), tags: env("BENCH_WATCH_TAGS", 10_000), latencyMs: env("BENCH_LATENCY_MS", 25), log: (m) => process.stderr.write(`[bench watch] ${m}\n`) }).then(
    (result) => {
      process.stdout.write(`${renderWatchMarkdown(result).join("\n")}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`bench watch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
