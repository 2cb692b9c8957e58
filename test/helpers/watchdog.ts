/**
 * Watchdogs for servers the tests run as child processes (registry, squid):
 * they must not outlive the test process, however it ends.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

/**
 * A shell that waits for EOF on its stdin (a pipe from this process), then
 * SIGKILLs `pid` (a server the tests started) and removes its temp dir. The
 * pipe closes only when this process is gone, however it ended (even
 * SIGKILL), so the server cannot outlive it. A server's stop() kills the
 * watchdog first and cleans up itself.
 */
export function spawnWatchdog(pid: number, tempDir: string): ChildProcess | undefined {
  try {
    // Its own process group and ignored signals: a Ctrl-C or a runner's kill
    // of our group must not end the watchdog before it has cleaned up.
    const script = 'trap "" HUP INT TERM; while read -r _; do :; done; kill -KILL "$0" 2>/dev/null; rm -rf -- "$1"';
    const watchdog = spawn("/bin/sh", ["-c", script, String(pid), tempDir], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    watchdog.on("error", () => {});
    // Neither the watchdog nor its pipe may keep this process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as Socket | null)?.unref();
    return watchdog.pid !== undefined ? watchdog : undefined;
  } catch {
    return undefined;
  }
}

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/**
 * Ends a server started with a watchdog: the watchdog first (it must neither
 * kill a recycled pid later nor remove the temp dir under our feet), then the
 * server with SIGTERM, and SIGKILL after `graceMs`. Resolves once it exited.
 */
export async function stopWithWatchdog(server: ChildProcess, watchdog: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (watchdog !== undefined && isRunning(watchdog)) watchdog.kill("SIGKILL");
  if (!isRunning(server)) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
