/**
 * Runs a docker credential helper (`docker-credential-<name> get`) as a
 * child process with a time limit. The protocol itself is in
 * helper-protocol.ts.
 *
 * The program is looked up here, not by the shell or spawn(): only absolute
 * PATH entries count, and the absolute path found is what runs. An empty or
 * relative entry (`PATH=:/usr/bin`, `PATH=.:bin:/usr/bin`) means "relative to
 * the current directory", so a repository being worked in could plant
 * `docker-credential-osxkeychain` and be handed the user's credentials
 * request. Go refuses such a match since 1.19 (os/exec ErrDot), so docker and
 * skopeo would not run it either; a helper found only that way is reported
 * as refused, saying why.
 */
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { createRequire } from "node:module";
import { type HelperOutcome, interpretHelperResult } from "./helper-protocol.js";

/** node:child_process is required when a helper first runs: most listings never run one (issue 13, start-up). */
const requireFromHere = createRequire(import.meta.url);

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
      const env = options.env ?? process.env;
      const program = findHelperProgram(`docker-credential-${name}`, env["PATH"] ?? env["Path"]);
      if (program.path === undefined) {
        resolve(program.refused !== undefined ? { status: "missing", refused: program.refused } : { status: "missing" });
        return;
      }
      let child: ChildProcess;
      try {
        const { spawn } = requireFromHere("node:child_process") as typeof import("node:child_process");
        child = spawn(program.path, ["get"], {
          env: { ...env } as NodeJS.ProcessEnv,
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

/** Where a helper program is: its absolute path, or why none may run. */
export interface HelperProgram {
  readonly path?: string;
  /** Set when the program exists only under an empty or relative PATH entry: why it is not run. */
  readonly refused?: string;
}

/** Windows runs `name.exe`; elsewhere the name as is. */
const EXTENSIONS = process.platform === "win32" ? [".exe", ".com"] : [""];

/**
 * Looks `program` up in the absolute entries of `pathVariable`, in order.
 * Empty and relative entries are skipped (and remembered for the message).
 */
export function findHelperProgram(program: string, pathVariable: string | undefined): HelperProgram {
  let refused: string | undefined;
  for (const entry of (pathVariable ?? "").split(delimiter)) {
    const absolute = entry !== "" && isAbsolute(entry);
    for (const extension of EXTENSIONS) {
      const candidate = join(entry === "" ? "." : entry, program + extension);
      if (!isExecutableFile(candidate)) continue;
      if (absolute) return { path: candidate };
      const shown = candidate.startsWith(".") ? candidate : `./${candidate}`;
      refused ??= `${program} was found only through the ${entry === "" ? "empty PATH entry (the current directory)" : `relative PATH entry ${JSON.stringify(entry)}`}, as ${shown}, and regtags never runs a program relative to the current directory (Go refuses it too since 1.19, exec.ErrDot); put its directory on PATH as an absolute path`;
    }
  }
  return refused !== undefined ? { refused } : {};
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
