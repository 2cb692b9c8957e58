/**
 * Runs the compiled regtags CLI as a child process, as users and scripts do,
 * and collects its exit code and output.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** build/src/cli/main.js, next to this file's build/test/helpers/. */
export const CLI_PATH = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Where the CLI looks for credentials unless a test says otherwise: nowhere
 * real. HOME, XDG_RUNTIME_DIR and XDG_CONFIG_HOME point at a directory that
 * does not exist, so a test never reads the real user's ~/.docker/config.json
 * or containers auth.json; DOCKER_CONFIG, REGISTRY_AUTH_FILE,
 * DOCKER_AUTH_CONFIG and tokens are not inherited.
 */
export const NOWHERE = "/nonexistent-regtags-test";

/**
 * @param options.env replaces the defaults above variable by variable.
 * @param options.input written to the CLI's stdin (else stdin is empty).
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.on("error", () => {}); // the CLI may exit without reading it
    child.stdin.end(options.input ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`regtags ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms; stderr: ${stderr.slice(-500)}`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
