/**
 * `npm run bench`: regtags against `skopeo list-tags` on the real CNCF
 * distribution registry (token auth) and on emulated Docker Hub, ghcr, quay
 * (2023, 2024) and distribution 3 with 25 ms per round trip, at 1k, 10k and
 * 100k tags, plus 1M tags; ghcr, ECR and Hub behaviour under a registry name
 * regtags has no profile for; regtags' start-up and its time to the first tag.
 * Prints a table and writes BENCHMARKS.md (and BENCHMARKS.svg, the chart).
 *
 * Targets relative to "today's" regtags (issue 13: 1M paged wall, a 1k
 * listing's CPU, requests on an unknown distribution 3.1.0) are measured, not
 * remembered: the baseline revision (BENCH_BASELINE) is exported with `git
 * archive` into a temporary directory, built there with its own `npm run
 * build` (node_modules linked to this checkout's), and run side by side with
 * this build, alternately, in the same run. Its package.json `bin` says what
 * to run, as for this build.
 *
 * Installs what it needs from Debian's packages when missing and running as
 * root (skopeo, docker-registry, openssl, GNU time). Each workload runs the two
 * tools alternately, several times, with fewer iterations for the slow ones so
 * the whole run stays under ~10 minutes on a 2-core machine.
 *
 * Environment (all optional):
 * - BENCH_QUICK=1         smoke run: 1k and 10k tags, 1-2 iterations, no 1M; writes build/bench/BENCHMARKS.quick.md
 * - BENCH_SIZES=1000,...  tag counts of the real-registry and emulator workloads (default 1000,10000,100000)
 * - BENCH_MILLION=0|1     the 1M-tag workloads (default 1, 0 in quick mode)
 * - BENCH_LATENCY_MS=25   delay the emulator adds to every response
 * - BENCH_BUDGET_S=540    past this many seconds every remaining workload runs once
 * - BENCH_ITERATIONS=N    the same number of iterations everywhere (ignores the budget)
 * - BENCH_TIMEOUT_S=300   per run of one tool
 * - BENCH_OUT=FILE        report path (default BENCHMARKS.md in the repository)
 * - BENCH_WATCH=0|1       the regtags watch workload, 100 repositories × 10k tags (default 1; 10 repositories in quick mode)
 * - BENCH_BASELINE=REV    the git revision "today's" figures come from (default 7918737, the start of issue 13's
 *                         round); `none` skips it and leaves the relative targets unmeasured
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, platform, arch, totalmem, release, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { detectRssMethod, killAllRunning, runMeasured, type RssMethod, type RunResult } from "./measure.js";
import { renderMarkdown, renderSvg, renderTerminal } from "./report.js";
import type { BaselineInfo, BenchConfig, BenchResult, MachineInfo, RequestTally, StartupResult, ToolRun, WorkloadResult } from "./types.js";
import {
  CHILD_ENV,
  ECR_USER,
  MILLION_ONE_RESPONSE,
  MILLION_PAGED,
  REGTAGS_CLI,
  REPO_ROOT,
  TAG_SEED,
  UNKNOWN_REGISTRY,
  UNKNOWN_REGISTRY_CASES,
  countRegtagsTrace,
  countSkopeoTrace,
  emulatorProfilesFor,
  emulatorWorkloads,
  regtagsCliOf,
  sizeLabel,
  startEmulatorHost,
  startRealEnvironment,
  unknownRegistryWorkloads,
  type EmulatorHost,
  type Workload,
} from "./workloads.js";
import { repositoryName, type HostStats } from "./emulator-host.js";
import { measureWatch, type WatchBenchResult } from "./watch.js";

/** "Today's" regtags when BENCH_BASELINE is not set: the commit issue 13's round started from. */
const DEFAULT_BASELINE = "7918737";
/** Every run's figures, as JSON, for `--report` (build/ is not committed). */
const RESULTS_DIR = join(REPO_ROOT, "build", "bench");
const RESULTS_JSON = join(RESULTS_DIR, "last-run.json");
const benchStart = performance.now();
const elapsedSeconds = (): number => (performance.now() - benchStart) / 1000;

function log(message: string): void {
  process.stderr.write(`[bench ${elapsedSeconds().toFixed(0).padStart(3)} s] ${message}\n`);
}

// ---------------------------------------------------------------------------
// Configuration.

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return value;
}

function readConfig(): BenchConfig {
  const quick = process.env["BENCH_QUICK"] === "1";
  const sizesRaw = process.env["BENCH_SIZES"];
  const sizes =
    sizesRaw !== undefined && sizesRaw !== ""
      ? sizesRaw.split(",").map((part) => {
          const value = Number(part.trim());
          if (!Number.isInteger(value) || value < 2) throw new Error(`BENCH_SIZES: ${JSON.stringify(part)} is not a whole number >= 2`);
          return value;
        })
      : quick
        ? [1000, 10_000]
        : [1000, 10_000, 100_000];
  const iterations = process.env["BENCH_ITERATIONS"];
  return {
    quick,
    sizes,
    million: (process.env["BENCH_MILLION"] ?? (quick ? "0" : "1")) === "1",
    latencyMs: envNumber("BENCH_LATENCY_MS", 25),
    budgetSeconds: envNumber("BENCH_BUDGET_S", quick ? 120 : 540),
    softWorkloadSeconds: quick ? 5 : 20,
    timeoutSeconds: envNumber("BENCH_TIMEOUT_S", 300),
    maxIterationsOverride: iterations !== undefined && iterations !== "" ? Math.max(1, Math.floor(envNumber("BENCH_ITERATIONS", 1))) : undefined,
    outFile: process.env["BENCH_OUT"] ?? (quick ? join(REPO_ROOT, "build", "bench", "BENCHMARKS.quick.md") : join(REPO_ROOT, "BENCHMARKS.md")),
    baseline: ["none", ""].includes(process.env["BENCH_BASELINE"] ?? DEFAULT_BASELINE) ? undefined : (process.env["BENCH_BASELINE"] ?? DEFAULT_BASELINE),
  };
}

/** Iterations (pairs of runs) by size: at least `min`, at most `max`, more only while the workload is quick. */
function iterationPlan(size: number, config: BenchConfig): { min: number; max: number } {
  if (config.maxIterationsOverride !== undefined) return { min: config.maxIterationsOverride, max: config.maxIterationsOverride };
  if (config.quick) return { min: 1, max: 2 };
  if (size <= 10_000) return { min: 3, max: 5 };
  return { min: 1, max: 3 };
}

// ---------------------------------------------------------------------------
// Prerequisites.

function hasCommand(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Installs missing Debian packages when root; returns what it installed. */
function ensurePrerequisites(): string[] {
  const wanted: Array<[string, string]> = [
    ["skopeo", "skopeo"],
    ["docker-registry", "docker-registry"],
    ["openssl", "openssl"],
    ["/usr/bin/time", "time"],
  ];
  const missing = wanted.filter(([command]) => (command.startsWith("/") ? !existsSync(command) : !hasCommand(command))).map(([, pkg]) => pkg);
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !hasCommand("apt-get")) {
    log(`missing ${missing.join(", ")} and cannot install them (needs root and apt-get); going on without`);
    return [];
  }
  log(`installing ${missing.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 300_000 });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing, "ca-certificates"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 600_000,
  });
  return missing;
}

function versionOf(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", timeout: 10_000 }).trim().split("\n")[0] ?? "?";
  } catch {
    return "not installed";
  }
}

/** Which regtags was measured: the commit, and whether src/ differs from it. */
function revision(): string | undefined {
  try {
    const options = { cwd: REPO_ROOT, encoding: "utf8" as const, timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] as ["ignore", "pipe", "ignore"] };
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], options).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "package.json", "package-lock.json"], options).trim() !== "";
    return `commit ${commit}${dirty ? " with uncommitted changes in src/ or the package files" : ""}`;
  } catch {
    return undefined;
  }
}

function machineInfo(loadAtStart: number[]): MachineInfo {
  return {
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "?",
    memoryGiB: totalmem() / 1024 ** 3,
    loadAtStart,
    loadAtEnd: loadavg(),
    skopeo: versionOf("skopeo", ["--version"]),
    registry: versionOf("docker-registry", ["--version"]),
    revision: revision(),
  };
}

/**
 * Seconds since the shell running `npm run bench`'s script started, i.e. with
 * the TypeScript build: read from /proc when our parent is that shell (its
 * command line holds this script's path), else undefined.
 */
function npmScriptSeconds(): number | undefined {
  try {
    const cmdline = readFileSync(`/proc/${process.ppid}/cmdline`, "utf8");
    if (!cmdline.includes("build/bench/run.js") || !cmdline.includes("tsc")) return undefined;
    const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    // Field 22 (starttime, clock ticks since boot) counted after the ")" closing the command name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = Number(fields[19]);
    const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    const startedAt = bootTime + startTicks / ticksPerSecond;
    const seconds = Date.now() / 1000 - startedAt;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// The baseline build ("today's" regtags).

interface BaselineBuild {
  readonly info: BaselineInfo;
  /** Its `regtags` executable. */
  readonly cli: string;
  readonly dir: string;
}

/** Exports `rev` into a temporary directory and builds it there with its own `npm run build`. */
function buildBaseline(rev: string): BaselineBuild {
  const started = performance.now();
  const git = { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 512 * 1024 * 1024 };
  const commit = execFileSync("git", ["rev-parse", "--short", `${rev}^{commit}`], { ...git, encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "regtags-bench-baseline-"));
  try {
    const tar = execFileSync("git", ["archive", "--format=tar", commit], git);
    execFileSync("tar", ["-x", "-C", dir], { input: tar, timeout: 60_000 });
    // The same toolchain as this checkout (typescript and whatever its build needs).
    symlinkSync(realpathSync(join(REPO_ROOT, "node_modules")), join(dir, "node_modules"));
    execFileSync("npm", ["run", "--silent", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], timeout: 300_000 });
    const cli = regtagsCliOf(dir);
    if (!existsSync(cli)) throw new Error(`the baseline's build did not produce ${cli}`);
    return { info: { rev, commit, buildSeconds: (performance.now() - started) / 1000 }, cli, dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

let baselineBuild: BaselineBuild | undefined;

// ---------------------------------------------------------------------------
// Measuring.

let rssMethod: RssMethod = "gnu-time";
let config: BenchConfig;

function runRegtags(args: readonly string[], keepStderr = false, cli = REGTAGS_CLI): Promise<RunResult> {
  return runMeasured({
    command: process.execPath,
    args: [cli, ...args],
    env: CHILD_ENV,
    timeoutMs: config.timeoutSeconds * 1000,
    output: "count-lines",
    rss: rssMethod,
    keepStderr,
  });
}

function runSkopeo(args: readonly string[], keepStderr = false): Promise<RunResult> {
  return runMeasured({
    command: "skopeo",
    args,
    env: CHILD_ENV,
    timeoutMs: config.timeoutSeconds * 1000,
    output: "capture",
    rss: rssMethod,
    keepStderr,
  });
}

function problemOf(result: RunResult, tags: number | undefined, expected: number): string | undefined {
  if (result.timedOut) return `timed out after ${config.timeoutSeconds} s`;
  if (result.exitCode !== 0) return `exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`;
  if (tags !== expected) return `listed ${tags ?? "?"} tags, expected ${expected}`;
  return undefined;
}

function checkRegtags(result: RunResult, expected: number): string | undefined {
  return problemOf(result, result.stdoutLines, expected);
}

function checkSkopeo(result: RunResult, expected: number): string | undefined {
  let count: number | undefined;
  try {
    const parsed = JSON.parse(result.stdout ?? "") as { Tags?: string[] | null };
    count = new Set(parsed.Tags ?? []).size;
  } catch {
    count = undefined;
  }
  return problemOf(result, count, expected);
}

/** One run of one tool on a workload, checked. */
async function runTool(tool: Tool, workload: Workload): Promise<{ result: RunResult; problem: string | undefined }> {
  if (tool === "skopeo") {
    const result = await runSkopeo(workload.skopeoArgs);
    return { result, problem: checkSkopeo(result, workload.size) };
  }
  const cli = tool === "baseline" ? baselineBuild?.cli : REGTAGS_CLI;
  if (cli === undefined) throw new Error("no baseline build");
  const result = await runRegtags(workload.regtagsArgs, false, cli);
  return { result, problem: checkRegtags(result, workload.size) };
}

function tallyFromEmulator(stats: HostStats): RequestTally {
  const c = stats.counts;
  return {
    total: c["total"] ?? 0,
    ping: c["ping"] ?? 0,
    token: c["token"] ?? 0,
    tags: c["tags"] ?? 0,
    other: (c["manifest"] ?? 0) + (c["catalog"] ?? 0) + (c["other"] ?? 0),
    unauthorized: stats.unauthorized,
    failedAttempts: undefined,
    nValues: stats.nValues,
    source: "emulator request log",
  };
}

/** One tally for all runs; `varied` when they disagree. */
function combineTallies(tallies: readonly RequestTally[]): RequestTally | undefined {
  const first = tallies[0];
  if (first === undefined) return undefined;
  const totals = tallies.map((tally) => tally.total);
  const low = Math.min(...totals);
  const high = Math.max(...totals);
  return low === high ? first : { ...first, varied: `${low}-${high}` };
}

function toolRun(result: RunResult, problem: string | undefined, extra: Partial<ToolRun> = {}): ToolRun {
  return {
    wallMs: result.wallMs,
    firstByteMs: result.firstByteMs,
    peakRssKiB: result.peakRssKiB,
    cpuMs: result.cpuMs,
    ok: problem === undefined,
    ...(problem !== undefined ? { problem } : {}),
    ...extra,
  };
}

type Tool = "regtags" | "skopeo" | "baseline";

interface Measurer {
  /** Runs one tool once, checked and with its requests ("baseline": this workload's regtags arguments with the baseline build). */
  run(tool: Tool): Promise<ToolRun>;
  /** Untimed runs with --debug when requests cannot be counted on the server side. */
  traceRequests?(): Promise<{ regtags: RequestTally; skopeo: RequestTally }>;
}

async function measureWorkload(workload: Workload, measurer: Measurer): Promise<WorkloadResult> {
  const started = performance.now();
  const plan = iterationPlan(workload.size, config);
  const regtags: ToolRun[] = [];
  const skopeo: ToolRun[] = [];
  const baseline: ToolRun[] = [];
  const runs: Record<Tool, ToolRun[]> = { regtags, skopeo, baseline };
  const tools: Tool[] = ["regtags", ...(workload.skopeo !== false ? (["skopeo"] as const) : []), ...(workload.baseline === true && baselineBuild !== undefined ? (["baseline"] as const) : [])];
  let note: string | undefined;
  let lastPairSeconds = 0;
  for (let i = 0; i < plan.max; i++) {
    const spent = (performance.now() - started) / 1000;
    if (i >= plan.min) {
      if (config.maxIterationsOverride === undefined && spent + lastPairSeconds > config.softWorkloadSeconds) break;
    }
    if (i >= 1 && config.maxIterationsOverride === undefined && elapsedSeconds() + lastPairSeconds > config.budgetSeconds) {
      note = `${i} iteration(s): time budget of ${config.budgetSeconds} s reached`;
      break;
    }
    const pairStart = performance.now();
    // Alternate, and alternate who goes first, so neither tool always runs on a warmer machine.
    const order = i % 2 === 0 ? tools : [...tools].reverse();
    for (const tool of order) {
      const run = await measurer.run(tool);
      runs[tool].push(run);
      if (!run.ok) log(`  ${workload.id}: ${tool} failed: ${run.problem}`);
    }
    lastPairSeconds = (performance.now() - pairStart) / 1000;
    const last = (tool: Tool) => `${tool} ${((runs[tool].at(-1)?.wallMs ?? 0) / 1000).toFixed(2)} s`;
    log(`  ${workload.id} #${i + 1}: ${tools.map(last).join(", ")}`);
  }
  const tallies = (runs: ToolRun[]) => runs.flatMap((run) => (run.ok && run.requests !== undefined ? [run.requests] : []));
  let regtagsRequests = combineTallies(tallies(regtags));
  let skopeoRequests = combineTallies(tallies(skopeo));
  const baselineRequests = combineTallies(tallies(baseline));
  if (measurer.traceRequests !== undefined) {
    try {
      const traced = await measurer.traceRequests();
      regtagsRequests = mergeTokenCount(traced.regtags, regtagsRequests);
      skopeoRequests = mergeTokenCount(traced.skopeo, skopeoRequests);
    } catch (error) {
      log(`  ${workload.id}: counting requests failed: ${error instanceof Error ? error.message : String(error)}`);
      note = `${note !== undefined ? `${note}; ` : ""}requests: only the token server's count (the --debug runs failed)`;
    }
  }
  return {
    workload,
    regtags,
    skopeo,
    regtagsRequests,
    skopeoRequests,
    ...(baseline.length > 0 ? { baseline, baselineRequests } : {}),
    seconds: (performance.now() - started) / 1000,
    ...(note !== undefined ? { note } : {}),
  };
}

/** The traced tally, checked against the token server's count of the timed runs. */
function mergeTokenCount(traced: RequestTally, timed: RequestTally | undefined): RequestTally {
  if (timed === undefined || (timed.token === traced.token && timed.varied === undefined)) return traced;
  return { ...traced, note: `the token server counted ${timed.varied ?? timed.token} token request(s) per timed run` };
}

// ---------------------------------------------------------------------------
// Workload families.

/** Runs of `--version` against `node -e 0`, and of the 1k-tag listing against the baseline build. */
const STARTUP_RUNS = 15;

async function measureStartup(): Promise<StartupResult> {
  log("start-up: regtags --version, node -e 0, skopeo --version");
  const timed = async (command: string, args: string[], times: number): Promise<number[]> => {
    const values: number[] = [];
    for (let i = 0; i < times; i++) {
      const result = await runMeasured({ command, args, env: CHILD_ENV, timeoutMs: 30_000, output: "count-lines", rss: "none" });
      if (result.exitCode !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
      values.push(result.wallMs);
    }
    return values;
  };
  // One of each first, untimed: the page cache, not start-up, would be measured otherwise.
  await timed(process.execPath, [REGTAGS_CLI, "--version"], 1);
  await timed("skopeo", ["--version"], 1);
  const regtagsVersionMs: number[] = [];
  const nodeBaselineMs: number[] = [];
  // Interleaved, so both see the same machine.
  for (let i = 0; i < STARTUP_RUNS; i++) {
    regtagsVersionMs.push(...(await timed(process.execPath, [REGTAGS_CLI, "--version"], 1)));
    nodeBaselineMs.push(...(await timed(process.execPath, ["-e", "0"], 1)));
  }
  const skopeoVersionMs = await timed("skopeo", ["--version"], 5);
  const withRss = await runMeasured({
    command: process.execPath,
    args: [REGTAGS_CLI, "--version"],
    env: CHILD_ENV,
    timeoutMs: 30_000,
    output: "count-lines",
    rss: rssMethod,
  });
  const listing = baselineBuild !== undefined ? await measureListingCpu(baselineBuild.cli) : undefined;
  return {
    regtagsCommand: `node ${relative(REPO_ROOT, REGTAGS_CLI)}`,
    regtagsVersionMs,
    regtagsVersionRssKiB: withRss.peakRssKiB,
    nodeBaselineMs,
    skopeoVersionMs,
    ...(listing !== undefined ? { listing } : {}),
  };
}

/**
 * CPU (user + system) of a 1k-tag listing, this build and the baseline
 * alternately: the emulator's distribution 3.1.0 under a name without a
 * profile, over plain http, at 0 ms latency, so start-up and parsing are the
 * whole cost. GNU time counts in 10 ms steps, too coarse for ~100 ms, so
 * each child reports its own `process.cpuUsage()` (microseconds, every
 * thread, since the process started) from an exit handler preloaded with
 * `--require`; the same preload for both builds, and no GNU time wrapper.
 */
async function measureListingCpu(baselineCli: string): Promise<NonNullable<StartupResult["listing"]>> {
  const size = 1000;
  const profile = "distribution-3.1.0";
  log(`start-up: CPU of a ${sizeLabel(size)}-tag listing, this build and the baseline, ${STARTUP_RUNS} runs each`);
  const host = await startEmulatorHost({ profiles: [profile], sizes: [size], seed: TAG_SEED, latencyMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), "regtags-bench-cpu-"));
  try {
    const registry = host.registries[profile] as { url: string };
    await host.warm(profile, repositoryName(size));
    const args = ["ls", "--endpoint", `${UNKNOWN_REGISTRY}=${registry.url}`, `${UNKNOWN_REGISTRY}/${repositoryName(size)}`];
    const figures = { regtagsCpuMs: [] as number[], regtagsWallMs: [] as number[], baselineCpuMs: [] as number[], baselineWallMs: [] as number[] };
    const reporter = join(dir, "cpu-at-exit.cjs");
    const report = join(dir, "cpu.json");
    writeFileSync(reporter, `process.on("exit", () => { const u = process.cpuUsage(); require("node:fs").writeFileSync(${JSON.stringify(report)}, String((u.user + u.system) / 1000)); });\n`);
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const order: Array<"regtags" | "baseline"> = i % 2 === 0 ? ["regtags", "baseline"] : ["baseline", "regtags"];
      for (const tool of order) {
        rmSync(report, { force: true });
        const cli = tool === "regtags" ? REGTAGS_CLI : baselineCli;
        const result = await runMeasured({ command: process.execPath, args: ["--require", reporter, cli, ...args], env: CHILD_ENV, timeoutMs: 60_000, output: "count-lines", rss: "none" });
        const problem = checkRegtags(result, size);
        const cpuMs = existsSync(report) ? Number(readFileSync(report, "utf8")) : Number.NaN;
        if (problem !== undefined || !Number.isFinite(cpuMs)) throw new Error(`${tool} ${args.join(" ")}: ${problem ?? "no CPU figure from the exit handler"}`);
        figures[`${tool}CpuMs`].push(cpuMs);
        figures[`${tool}WallMs`].push(result.wallMs);
      }
    }
    return { description: `regtags ls of ${size.toLocaleString("en-US")} tags, emulator ${profile} as ${UNKNOWN_REGISTRY} over http, 0 ms latency`, ...figures };
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureReal(sizes: readonly number[], skipped: string[]): Promise<{ results: WorkloadResult[]; real: BenchResult["real"] }> {
  if (!hasCommand("docker-registry") || !hasCommand("openssl")) {
    skipped.push("real distribution registry: docker-registry or openssl is not installed");
    return { results: [], real: undefined };
  }
  log(`real distribution registry (token auth): filling ${sizes.map(sizeLabel).join(", ")} tags`);
  const env = await startRealEnvironment(sizes);
  log(`  ready in ${env.setupSeconds.toFixed(1)} s; ${env.probe}`);
  const results: WorkloadResult[] = [];
  try {
    const tokenServer = env.registry.tokenServer;
    for (const workload of env.workloads) {
      const tokenTally = (before: number): RequestTally => {
        const token = (tokenServer?.requests.length ?? before) - before;
        return { total: token, ping: 0, token, tags: 0, other: 0, unauthorized: 0, failedAttempts: undefined, nValues: [], source: "token server" };
      };
      results.push(
        await measureWorkload(workload, {
          async run(tool) {
            const before = tokenServer?.requests.length ?? 0;
            const { result, problem } = await runTool(tool, workload);
            return toolRun(result, problem, { requests: tokenTally(before) });
          },
          async traceRequests() {
            const [command, ...rest] = workload.regtagsArgs;
            const r = await runRegtags([command as string, "--debug", ...rest], true);
            const s = await runSkopeo(["--debug", ...workload.skopeoArgs], true);
            const rProblem = checkRegtags(r, workload.size);
            const sProblem = checkSkopeo(s, workload.size);
            if (rProblem !== undefined || sProblem !== undefined) {
              throw new Error(`${workload.id}: --debug run failed: ${rProblem ?? ""} ${sProblem ?? ""}`.trim());
            }
            const rt = countRegtagsTrace(r.stderr);
            const st = countSkopeoTrace(s.stderr);
            const firstTags = /^regtags: ← \d{3} GET (\S+\/tags\/list\S*)/m.exec(r.stderr)?.[1];
            const n = firstTags !== undefined ? (new URL(firstTags).searchParams.get("n") ?? "none") : undefined;
            return {
              regtags: { ...rt.answered, unauthorized: rt.unauthorized, failedAttempts: rt.failedAttempts, nValues: n !== undefined ? [n] : [], source: "regtags --debug trace" },
              skopeo: { ...st.answered, unauthorized: st.unauthorized, failedAttempts: st.failedAttempts, nValues: [], source: "skopeo --debug log" },
            };
          },
        }),
      );
    }
  } finally {
    await env.registry.stop();
  }
  return { results, real: { setupSeconds: env.setupSeconds, probe: env.probe } };
}

interface EmulatedSet {
  readonly profiles: readonly string[];
  readonly sizes: readonly number[];
  readonly latencyMs: number;
  readonly users?: Readonly<Record<string, string>>;
  /** The workloads on the started host (default: every profile at every size). */
  readonly workloads?: (host: EmulatorHost) => Workload[];
}

async function measureEmulated(set: EmulatedSet): Promise<{ results: WorkloadResult[]; setupSeconds: number }> {
  const { profiles, sizes, latencyMs } = set;
  log(`emulator: ${profiles.join(", ")} with ${sizes.map(sizeLabel).join(", ")} tags, ${latencyMs} ms per response`);
  const setupStart = performance.now();
  const host: EmulatorHost = await startEmulatorHost({ profiles, sizes, seed: TAG_SEED, latencyMs, ...(set.users !== undefined ? { users: set.users } : {}) });
  let setupSeconds = (performance.now() - setupStart) / 1000;
  const results: WorkloadResult[] = [];
  try {
    for (const workload of set.workloads?.(host) ?? emulatorWorkloads(host, profiles, sizes, latencyMs)) {
      const profile = workload.profile as string;
      const warmStart = performance.now();
      await host.warm(profile, repositoryName(workload.size));
      setupSeconds += (performance.now() - warmStart) / 1000;
      results.push(
        await measureWorkload(workload, {
          async run(tool) {
            await host.reset(profile);
            const { result, problem } = await runTool(tool, workload);
            const stats = await host.stats(profile);
            const extra: Partial<ToolRun> = { requests: tallyFromEmulator(stats), pages: stats.tagPages };
            if (stats.lastTagsAt !== undefined) {
              (extra as { lastTagsRequestMs: number }).lastTagsRequestMs = stats.lastTagsAt - result.startedAt;
              if (result.firstByteAt !== undefined) {
                (extra as { firstBeforeLastPage: boolean }).firstBeforeLastPage = result.firstByteAt < stats.lastTagsAt + workload.latencyMs;
              }
            }
            return toolRun(result, problem, extra);
          },
        }),
      );
    }
  } finally {
    await host.close();
  }
  return { results, setupSeconds };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  config = readConfig();
  const loadAtStart = loadavg();
  const installed = ensurePrerequisites();
  if (!hasCommand("skopeo")) throw new Error("skopeo is not installed (apt-get install -y skopeo) and could not be installed: nothing to compare with");
  if (!existsSync(REGTAGS_CLI)) throw new Error(`${REGTAGS_CLI} is missing: run npm run build first`);
  rssMethod = detectRssMethod();
  log(`peak RSS by ${rssMethod === "gnu-time" ? "GNU time (%M)" : "polling /proc/PID/status VmHWM"}; report → ${relative(process.cwd(), config.outFile) || config.outFile}`);

  const skipped: string[] = [];
  if (config.baseline !== undefined) {
    log(`baseline: building ${config.baseline} in a temporary directory`);
    baselineBuild = buildBaseline(config.baseline);
    log(`  built ${baselineBuild.info.commit} in ${baselineBuild.info.buildSeconds.toFixed(1)} s`);
  } else {
    skipped.push("the baseline build (BENCH_BASELINE=none): targets relative to today's are not measured");
  }
  try {
    return await measureAll(loadAtStart, installed, skipped);
  } finally {
    if (baselineBuild !== undefined) rmSync(baselineBuild.dir, { recursive: true, force: true });
  }
}

async function measureAll(loadAtStart: number[], installed: string[], skipped: string[]): Promise<void> {
  const startup = await measureStartup();
  const workloads: WorkloadResult[] = [];
  const real = await measureReal(config.sizes, skipped);
  workloads.push(...real.results);
  let emulatorSetupSeconds = 0;
  const measure = async (set: EmulatedSet): Promise<void> => {
    const emulated = await measureEmulated(set);
    workloads.push(...emulated.results);
    emulatorSetupSeconds += emulated.setupSeconds;
  };
  for (const size of config.sizes) {
    // One emulator per size keeps every repository's memory out of the others' runs.
    await measure({ profiles: emulatorProfilesFor(size), sizes: [size], latencyMs: config.latencyMs });
  }
  // Under a name regtags has no profile for: what it learns from the responses is all it has.
  const unknownProfiles = [...new Set(UNKNOWN_REGISTRY_CASES.map((c) => c.profile))];
  const unknownSizes = [...new Set(UNKNOWN_REGISTRY_CASES.map((c) => c.size))];
  await measure({
    profiles: unknownProfiles,
    sizes: unknownSizes,
    latencyMs: config.latencyMs,
    users: { [ECR_USER.name]: ECR_USER.password },
    workloads: (host) => unknownRegistryWorkloads(host, config.latencyMs),
  });
  if (config.million) {
    await measure({ profiles: [MILLION_ONE_RESPONSE], sizes: [1_000_000], latencyMs: config.latencyMs });
    await measure({ profiles: [MILLION_PAGED], sizes: [1_000_000], latencyMs: 0 });
  } else {
    skipped.push("1M-tag workloads (BENCH_MILLION=0 or quick mode)");
  }

  let watch: WatchBenchResult | undefined;
  if ((process.env["BENCH_WATCH"] ?? "1") === "1") {
    watch = await measureWatch({ repositories: config.quick ? 10 : 100, digestRepositories: config.quick ? 5 : 20, tags: 10_000, latencyMs: config.latencyMs, log });
  } else {
    skipped.push("the regtags watch workload (BENCH_WATCH=0)");
  }

  const result: BenchResult = {
    date: new Date().toISOString(),
    durationSeconds: elapsedSeconds(),
    npmScriptSeconds: npmScriptSeconds(),
    machine: machineInfo(loadAtStart),
    config,
    rssMethod,
    startup,
    ...(baselineBuild !== undefined ? { baseline: baselineBuild.info } : {}),
    workloads,
    real: real.real,
    emulatorSetupSeconds,
    skipped,
    installed,
    ...(watch !== undefined ? { watch } : {}),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(RESULTS_JSON, JSON.stringify(result, null, 1));
  writeReports(result);
}

/** Writes the markdown report and its chart, and prints the table. */
function writeReports(result: BenchResult): void {
  mkdirSync(dirname(result.config.outFile), { recursive: true });
  const config = result.config;
  const svgFile = config.outFile.replace(/\.md$/, "") + ".svg";
  writeFileSync(svgFile, renderSvg(result));
  writeFileSync(config.outFile, renderMarkdown(result, relative(dirname(config.outFile), svgFile)));
  process.stdout.write(renderTerminal(result));
  log(`done in ${result.durationSeconds.toFixed(0)} s; wrote ${relative(process.cwd(), config.outFile) || config.outFile} and ${relative(process.cwd(), svgFile) || svgFile}`);
  const failed = result.workloads.flatMap((w) => [...w.regtags, ...w.skopeo]).filter((run) => !run.ok).length;
  if (failed > 0) log(`${failed} run(s) failed; see the report`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAllRunning();
    if (baselineBuild !== undefined) rmSync(baselineBuild.dir, { recursive: true, force: true });
    process.exit(130);
  });
}

/** `node build/bench/run.js --report [FILE]`: renders the reports again from a saved run (default: the last one). */
const reportAt = process.argv.indexOf("--report");
const entry =
  reportAt >= 0
    ? async () => writeReports(JSON.parse(readFileSync(process.argv[reportAt + 1] ?? RESULTS_JSON, "utf8")) as BenchResult)
    : main;

entry().then(
  () => process.exit(0),
  (error: unknown) => {
    killAllRunning();
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
