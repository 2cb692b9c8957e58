/**
 * Runs a docker credential helper (`docker-credential-<name> get`) as a
 * child process with a time limit. The protocol itself is in
 * helper-protocol.ts. The program is looked up on the PATH of the
 * environment given (node:child_process does so when `env` is passed).
 */
import { spawn } from "node:child_process";
import { type HelperOutcome, interpretHelperResult } from "./helper-protocol.js";

/** Runs helper `name` for `serverUrl`. Never throws: every failure is an outcome. */
export type HelperRunner = (name: string, serverUrl: string) => Promise<HelperOutcome>;

export interface HelperRunnerOptions {
  /** The helper's environment, PATH included. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the helper after this long (keychain prompts can hang forever). @default 30000 */
  readonly timeoutMs?: number;
}

/** Helpers print a few hundred bytes; anything past this is not the protocol. */
const OUTPUT_LIMIT = 1024 * 1024;

/** Creates the runner that spawns real helper programs. */
export function createHelperRunner(options: HelperRunnerOptions = {}): HelperRunner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return (name, serverUrl) =>
    new Promise<HelperOutcome>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: HelperOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(`docker-credential-${name}`, ["get"], {
          env: { ...(options.env ?? process.env) } as NodeJS.ProcessEnv,
          stdio: ["pipe", "pipe", "pipe"],
        });
      } catch (error) {
        resolve({ status: "failed", message: `could not be started: ${(error as Error).message}` });
        return;
      }
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        finish({ status: "failed", message: `did not answer within ${formatSeconds(timeoutMs)}` });
      }, timeoutMs);
      let stdout = "";
      let stderr = "";
      let tooLong = false;
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        if (stdout.length + chunk.length > OUTPUT_LIMIT) tooLong = true;
        else stdout += chunk;
      });
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        if (stderr.length < 4096) stderr += chunk;
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") finish({ status: "missing" });
        else finish({ status: "failed", message: `could not be run: ${error.code ?? error.message}` });
      });
      child.on("close", (code) => {
        if (tooLong) finish({ status: "failed", message: `printed more than ${OUTPUT_LIMIT} bytes` });
        else finish(interpretHelperResult(code, stdout, stderr));
      });
      // docker-credential-helpers client.Get writes the URL without a newline.
      child.stdin?.on("error", () => {
        // The helper exited without reading stdin; its exit status tells the rest.
      });
      child.stdin?.end(serverUrl);
    });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
