/**
 * Runs the built CLI in a child process, like test/helpers/run-cli.ts, and
 * also reports the child's peak memory (process.resourceUsage().maxRSS,
 * written by a preloaded exit hook), can run it in another directory, and
 * can stop it with SIGINT once enough stdout lines have arrived.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_PATH, NOWHERE } from "../helpers/run-cli.js";

export interface MeasuredRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the CLI process, in MiB. */
  readonly peakMiB: number;
}

const EXIT_HOOK = `data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.REGTAGS_TEST_RSS_FILE,String(process.resourceUsage().maxRSS)))`;

export function runMeasured(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; interruptAfterLines?: number } = {},
): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), "regtags-rss-"));
  const rssFile = join(dir, "rss");
  return new Promise<MeasuredRun>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", EXIT_HOOK, CLI_PATH, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE, XDG_CACHE_HOME: NOWHERE, ...options.env, REGTAGS_TEST_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let lines = 0;
    let interrupted = false;
    const stderrChunks: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      if (options.interruptAfterLines === undefined || interrupted) return;
      for (const byte of chunk) if (byte === 10) lines++;
      if (lines >= options.interruptAfterLines) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderrChunks.push(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`regtags ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms; stderr: ${stderrChunks.join("").slice(-500)}`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      let peakMiB = Number.NaN;
      try {
        peakMiB = Math.round(Number(readFileSync(rssFile, "utf8")) / 1024);
      } catch {
        // killed before its exit hook ran
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: stderrChunks.join(""), peakMiB });
    });
  });
}
