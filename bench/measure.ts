/**
 * Running one command as a child process and measuring it: wall time (spawn to
 * exit), the time its first stdout byte arrived, its peak RSS and CPU time, its
 * exit status and a summary of its output. Peak RSS and CPU come from GNU time
 * (`/usr/bin/time -f "%M %U %S"`: the kernel's ru_maxrss, exact, and
 * ru_utime + ru_stime in 10 ms steps) when it is installed, else RSS
 * from polling `/proc/PID/status` VmHWM every few milliseconds (approximate: a
 * peak in the last few ms before exit can be missed).
 *
 * Every child runs in its own process group, so a timeout kills the command and
 * anything it started (GNU time's child included); children still running when
 * the bench exits are killed too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How peak RSS is measured in this run. */
export type RssMethod = "gnu-time" | "proc-poll";

export const GNU_TIME = "/usr/bin/time";

/** GNU time when it is installed and really is GNU time (BusyBox's lacks `-o`/`-f %M`). */
export function detectRssMethod(): RssMethod {
  return existsSync(GNU_TIME) ? "gnu-time" : "proc-poll";
}

/** What to keep of the child's stdout. */
export type OutputMode =
  /** Count newline bytes only (regtags' lines output): cheap for 1M lines. */
  | "count-lines"
  /** Keep everything (skopeo's JSON, parsed after exit). */
  | "capture";

export interface RunOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly output: OutputMode;
  /** `none`: no RSS, no wrapper (for start-up timings, where GNU time's own exec would count). */
  readonly rss: RssMethod | "none";
  /** Keep stderr (for --debug traces); otherwise only its last 2 KB. */
  readonly keepStderr?: boolean;
}

export interface RunResult {
  /** Wall time from spawn to exit, ms. */
  readonly wallMs: number;
  /** From spawn to the first stdout byte, ms; undefined if it printed nothing. */
  readonly firstByteMs: number | undefined;
  /** `Date.now()` at spawn and at the first stdout byte (to compare with the emulator's clock). */
  readonly startedAt: number;
  readonly firstByteAt: number | undefined;
  /** Peak resident set size, KiB; undefined if it could not be read. */
  readonly peakRssKiB: number | undefined;
  /** CPU time, user + system, ms (GNU time's %U + %S: 10 ms resolution); undefined without GNU time. */
  readonly cpuMs: number | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdoutBytes: number;
  readonly stdoutLines: number;
  /** Only with `output: "capture"`. */
  readonly stdout: string | undefined;
  /** Whole stderr with `keepStderr`, else its tail. */
  readonly stderr: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) killGroup(child);
  });
}

/** Kills every child this module started that is still running. */
export function killAllRunning(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

async function pollHwm(pid: number, onValue: (kib: number) => void): Promise<void> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (match?.[1] !== undefined) onValue(Number(match[1]));
  } catch {
    // the process is gone, or no /proc
  }
}

/** Runs one command to completion (or timeout) and measures it. Never rejects for a failing command. */
export async function runMeasured(options: RunOptions): Promise<RunResult> {
  installExitHook();
  let timeDir: string | undefined;
  let command = options.command;
  let args = [...options.args];
  if (options.rss === "gnu-time") {
    timeDir = mkdtempSync(join(tmpdir(), "regtags-bench-"));
    args = ["-f", "%M %U %S", "-o", join(timeDir, "rss"), command, ...args];
    command = GNU_TIME;
  }

  const startedAt = Date.now();
  const start = performance.now();
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
    detached: true,
  });
  live.add(child);

  let firstByteMs: number | undefined;
  let firstByteAt: number | undefined;
  let stdoutBytes = 0;
  let stdoutLines = 0;
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    if (firstByteMs === undefined) {
      firstByteMs = performance.now() - start;
      firstByteAt = Date.now();
    }
    stdoutBytes += chunk.length;
    if (options.output === "capture") chunks.push(chunk);
    let at = chunk.indexOf(10);
    while (at !== -1) {
      stdoutLines++;
      at = chunk.indexOf(10, at + 1);
    }
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr += text;
    if (options.keepStderr !== true && stderr.length > 8192) stderr = stderr.slice(-2048);
  });

  let polledHwm: number | undefined;
  let poller: NodeJS.Timeout | undefined;
  if (options.rss === "proc-poll" && child.pid !== undefined) {
    const pid = child.pid;
    poller = setInterval(() => void pollHwm(pid, (kib) => (polledHwm = Math.max(polledHwm ?? 0, kib))), 5);
  }

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs);

  const { exitCode, signal, wallMs } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; wallMs: number }>((resolve) => {
    let exited: { exitCode: number | null; signal: NodeJS.Signals | null; wallMs: number } | undefined;
    child.on("error", (error) => {
      stderr += String(error);
      resolve({ exitCode: null, signal: null, wallMs: performance.now() - start });
    });
    // Wall time is taken at process exit; "close" (all pipes drained) comes after.
    child.on("exit", (code, sig) => {
      exited = { exitCode: code, signal: sig, wallMs: performance.now() - start };
    });
    child.on("close", (code, sig) => resolve(exited ?? { exitCode: code, signal: sig, wallMs: performance.now() - start }));
  });
  clearTimeout(timer);
  if (poller !== undefined) clearInterval(poller);
  live.delete(child);

  let peakRssKiB: number | undefined = polledHwm;
  let cpuMs: number | undefined;
  if (timeDir !== undefined) {
    try {
      // GNU time writes "Command exited with non-zero status N" before the figures.
      const lines = readFileSync(join(timeDir, "rss"), "utf8").trim().split("\n");
      const [rss, user, system] = (lines.at(-1) ?? "").split(" ").map(Number);
      if (Number.isFinite(rss) && (rss as number) > 0) peakRssKiB = rss;
      if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = ((user as number) + (system as number)) * 1000;
    } catch {
      // killed before GNU time wrote it
    }
    rmSync(timeDir, { recursive: true, force: true });
  }

  // GNU time reports a failing child's status as its own exit code.
  return {
    wallMs,
    firstByteMs,
    startedAt,
    firstByteAt,
    peakRssKiB,
    cpuMs,
    exitCode,
    signal,
    timedOut,
    stdoutBytes,
    stdoutLines,
    stdout: options.output === "capture" ? Buffer.concat(chunks).toString("utf8") : undefined,
    stderr: options.keepStderr === true ? stderr : stderr.slice(-2048),
  };
}

/** Median of the values (mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
