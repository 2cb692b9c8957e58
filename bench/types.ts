/**
 * What a bench run produces: the figures report.ts turns into the table,
 * the chart and the targets. Types only.
 */
import type { RssMethod } from "./measure.js";
import type { Workload } from "./workloads.js";
import type { WatchBenchResult } from "./watch.js";

/** Requests one tool made for one listing. */
export interface RequestTally {
  readonly total: number;
  readonly ping: number;
  readonly token: number;
  readonly tags: number;
  readonly other: number;
  /** Requests answered 401. */
  readonly unauthorized: number;
  /** Connection attempts without an HTTP answer (https tried on a plain-http port); undefined when not observable. */
  readonly failedAttempts: number | undefined;
  /** Distinct `n` values of the tags requests (`none`: no `n`); empty when not observable. */
  readonly nValues: readonly string[];
  /** Where the figures come from. */
  readonly source: string;
  /** Set when the runs disagreed: e.g. `12-13`. */
  readonly varied?: string;
  /** A discrepancy worth showing (the timed runs' token count differing from the traced run's). */
  readonly note?: string;
}

/** One measured run of one tool. */
export interface ToolRun {
  readonly wallMs: number;
  /** First stdout byte after spawn. */
  readonly firstByteMs: number | undefined;
  readonly peakRssKiB: number | undefined;
  /** User + system CPU, ms (GNU time; 10 ms steps). */
  readonly cpuMs?: number | undefined;
  /** Exit 0 and every tag listed exactly as many times as the repository holds. */
  readonly ok: boolean;
  readonly problem?: string;
  readonly requests?: RequestTally;
  /** Emulator only: ms after spawn at which the last tags request arrived (its answer leaves `latencyMs` later). */
  readonly lastTagsRequestMs?: number;
  /** Emulator only: tags pages answered 200. */
  readonly pages?: number;
  /** Emulator only: the first stdout byte reached the bench before the last page could have reached the tool. */
  readonly firstBeforeLastPage?: boolean;
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly regtags: readonly ToolRun[];
  readonly skopeo: readonly ToolRun[];
  readonly regtagsRequests: RequestTally | undefined;
  readonly skopeoRequests: RequestTally | undefined;
  /** The baseline build (BENCH_BASELINE, "today's") on the same workload, when the row asks for it. */
  readonly baseline?: readonly ToolRun[];
  readonly baselineRequests?: RequestTally | undefined;
  /** Seconds spent on this workload, warm-up and trace runs included. */
  readonly seconds: number;
  /** Why fewer iterations than planned, if so. */
  readonly note?: string;
}

export interface StartupResult {
  /** The command measured, as package.json's bin names it (e.g. `node dist/cli/main.js`). */
  readonly regtagsCommand?: string;
  /** `regtags --version`, wall ms per run. */
  readonly regtagsVersionMs: readonly number[];
  readonly regtagsVersionRssKiB: number | undefined;
  /** `node -e 0`: what any node program pays before its first line runs. */
  readonly nodeBaselineMs: readonly number[];
  /** `skopeo --version`. */
  readonly skopeoVersionMs: readonly number[];
  /** A 1k-tag listing (emulator, 0 ms latency, a name without a profile): CPU ms (user + system) per run, this build and the baseline, interleaved. */
  readonly listing?: {
    readonly description: string;
    readonly regtagsCpuMs: readonly number[];
    readonly regtagsWallMs: readonly number[];
    readonly baselineCpuMs: readonly number[];
    readonly baselineWallMs: readonly number[];
  };
}

/** The build "today's" figures come from (BENCH_BASELINE). */
export interface BaselineInfo {
  /** As given, e.g. `7918737`. */
  readonly rev: string;
  /** `git rev-parse --short` of it. */
  readonly commit: string;
  readonly buildSeconds: number;
}

export interface MachineInfo {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAtStart: readonly number[];
  readonly loadAtEnd: readonly number[];
  readonly skopeo: string;
  readonly registry: string;
  /** The measured code: `commit abc1234` (+ whether src/ had uncommitted changes), when in a git checkout. */
  readonly revision: string | undefined;
}

export interface BenchConfig {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  readonly million: boolean;
  readonly latencyMs: number;
  readonly budgetSeconds: number;
  readonly softWorkloadSeconds: number;
  readonly timeoutSeconds: number;
  readonly maxIterationsOverride: number | undefined;
  readonly outFile: string;
  /** Git revision of "today's" regtags (BENCH_BASELINE), or undefined for none. */
  readonly baseline: string | undefined;
}

export interface BenchResult {
  readonly date: string;
  /** Seconds of the bench itself (after the build). */
  readonly durationSeconds: number;
  /** Seconds since `npm run bench`'s script shell started (build included), when that can be read from /proc. */
  readonly npmScriptSeconds: number | undefined;
  readonly machine: MachineInfo;
  readonly config: BenchConfig;
  readonly rssMethod: RssMethod;
  readonly startup: StartupResult;
  /** The baseline build, when one was measured. */
  readonly baseline?: BaselineInfo;
  readonly workloads: readonly WorkloadResult[];
  /** The real registry: setup time and what probing its paging showed; undefined when it was not run. */
  readonly real: { readonly setupSeconds: number; readonly probe: string } | undefined;
  /** Seconds the emulator hosts took to generate tags and start. */
  readonly emulatorSetupSeconds: number;
  /** Things not run, and why. */
  readonly skipped: readonly string[];
  readonly installed: readonly string[];
  /** `regtags watch` over 100 repositories × 10k tags (bench/watch.ts); absent with BENCH_WATCH=0 or in older results. */
  readonly watch?: WatchBenchResult;
}
