/**
 * Runs Debian's squid on 127.0.0.1 as the real forward proxy of the network
 * tests, from a config of the test's own in a temp dir: no cache, an access
 * log the tests read back, and a `hosts_file` that makes squid (and only
 * squid) resolve test names such as `registry.test` to 127.0.0.1, so that a
 * listing of `registry.test:PORT` can only succeed through the proxy
 * (field-networking.md, "Checked here"). Variants: open, Basic proxy auth
 * (`basic_ncsa_auth`), and one that refuses CONNECT.
 *
 * Lifetime: `stop()` ends squid (SIGTERM, SIGKILL after 3 s) and removes the
 * temp dir; a process `exit` kills any squid still running; and a watchdog
 * (watchdog.ts) kills it and removes the temp dir once the test process is
 * gone, however it ended. Imports only `node:` modules and sibling helpers.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { findFreePort } from "./free-port.js";
import { spawnWatchdog, stopWithWatchdog } from "./watchdog.js";

const execFileAsync = promisify(execFile);

/** Names the proxy resolves to 127.0.0.1 unless a test says otherwise; the client resolves none of them. */
export const PROXY_ONLY_NAMES = ["registry.test", "ca.registry.test"] as const;

/** How long {@link startSquid} waits for squid to listen. */
const READY_TIMEOUT_MS = 15_000;
/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3_000;
/** Where Debian puts the binary; root's PATH has /usr/sbin, a user's may not. */
const SQUID_FALLBACK = "/usr/sbin/squid";
/** Debian's Basic auth helper for htpasswd-style files. */
const NCSA_AUTH = "/usr/lib/squid/basic_ncsa_auth";

export interface SquidOptions {
  /** Require Basic proxy credentials (`basic_ncsa_auth` over an htpasswd file). */
  users?: Record<string, string>;
  /** Deny every CONNECT (squid answers 403), allow everything else. */
  refuseConnect?: boolean;
  /** Names squid's `hosts_file` maps to 127.0.0.1. @default PROXY_ONLY_NAMES */
  names?: readonly string[];
}

/** One line of squid's native access log (squid.conf `logformat squid`). */
export interface AccessLogEntry {
  /** `GET`, `HEAD`, `CONNECT`, ... */
  readonly method: string;
  /** Absolute URL for forwarded requests, `HOST:PORT` for CONNECT. */
  readonly url: string;
  /** HTTP status squid answered the client with (0 when none). */
  readonly status: number;
  /** Squid's result code, e.g. `TCP_TUNNEL`, `TCP_MISS`, `TCP_DENIED`. */
  readonly result: string;
  /** The authenticated proxy user, or `-`. */
  readonly user: string;
}

export interface Squid {
  /** `http://127.0.0.1:PORT` (no credentials). */
  readonly url: string;
  readonly port: number;
  /** `http://USER:PASSWORD@127.0.0.1:PORT`, percent-encoding both. */
  urlWithCredentials(user: string, password: string): string;
  /**
   * Access log entries logged so far, after making sure squid has logged
   * everything that happened before the call: it sends a sentinel request
   * through squid and waits for its line (tunnels are logged when they close).
   * The sentinel lines themselves are left out.
   */
  entries(): Promise<AccessLogEntry[]>;
  /** Entries logged after a previous {@link entries} call returned `since` of them. */
  entriesSince(since: number): Promise<AccessLogEntry[]>;
  /** The raw access log (for failure messages and reports). */
  rawLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Parses squid's native access log format:
 * `time elapsed client result/status bytes method URL user hierarchy/peer type`.
 * Lines that do not have at least those 9 fields are skipped.
 */
export function parseSquidAccessLog(text: string): AccessLogEntry[] {
  const entries: AccessLogEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 9) continue;
    const [result, status] = (fields[3] ?? "").split("/");
    entries.push({ method: fields[5]!, url: fields[6]!, status: Number(status ?? 0) || 0, result: result ?? "", user: fields[7]! });
  }
  return entries;
}

/** The squid binary: on PATH, else Debian's /usr/sbin/squid. */
function findSquid(): string {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, "squid");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  try {
    fs.accessSync(SQUID_FALLBACK, fs.constants.X_OK);
    return SQUID_FALLBACK;
  } catch {
    throw new Error("squid is not installed (apt-get install -y squid); the proxy tests need it");
  }
}

/**
 * Whether squid says it accepts connections on `port` (cache.log). Read from
 * the log rather than by connecting: a probe connection would be logged as
 * a transaction that ended before its headers.
 */
async function isListening(dir: string, port: number): Promise<boolean> {
  const cacheLog = await readFile(join(dir, "cache.log"), "utf8").catch(() => "");
  return cacheLog.includes(`Accepting HTTP Socket connections at`) && cacheLog.includes(`local=127.0.0.1:${port} `);
}

/**
 * Run as root, squid drops to `cache_effective_user` (Debian: `proxy`) and
 * then writes its logs as that user, so the temp dir must belong to it.
 * Unprivileged, squid ignores the directive and runs as the caller.
 */
async function effectiveUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number((await execFileAsync("id", ["-u", "proxy"])).stdout.trim());
    const gid = Number((await execFileAsync("id", ["-g", "proxy"])).stdout.trim());
    return { name: "proxy", uid, gid };
  } catch {
    throw new Error("squid runs as root here but the user 'proxy' (created by Debian's squid package) does not exist");
  }
}

async function htpasswdFile(users: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  for (const [user, password] of Object.entries(users)) {
    try {
      // -m: MD5 (apr1), which basic_ncsa_auth understands (bcrypt it does not).
      lines.push((await execFileAsync("htpasswd", ["-nbm", user, password], { timeout: 15_000 })).stdout.trim());
    } catch (error) {
      throw new Error(`htpasswd failed (apt-get install -y apache2-utils): ${String(error)}`);
    }
  }
  return lines.join("\n") + "\n";
}

function squidConfig(dir: string, port: number, options: SquidOptions, user: string | undefined): string {
  const file = (name: string): string => join(dir, name);
  const lines = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${file("squid.pid")}`,
    `access_log stdio:${file("access.log")}`,
    `cache_log ${file("cache.log")}`,
    "cache_store_log none",
    "buffered_logs off",
    // Log whole URLs (the default strips the query, hiding `n=1000`).
    "strip_query_terms off",
    "logfile_rotate 0",
    `coredump_dir ${dir}`,
    "cache deny all",
    `hosts_file ${file("hosts")}`,
    "pinger_enable off",
    "shutdown_lifetime 0 seconds",
    "visible_hostname regtags-test-proxy",
    ...(user !== undefined ? [`cache_effective_user ${user}`] : []),
  ];
  // No Safe_ports/SSL_ports rules (Debian's default config has them): CONNECT
  // to the registry's non-443 port must be allowed.
  if (options.users !== undefined) {
    lines.push(
      `auth_param basic program ${NCSA_AUTH} ${file("htpasswd")}`,
      "auth_param basic children 2",
      "auth_param basic realm regtags-test-proxy",
      "acl authenticated proxy_auth REQUIRED",
      "http_access allow authenticated",
      "http_access deny all",
    );
  } else if (options.refuseConnect === true) {
    lines.push("acl tunnel method CONNECT", "http_access deny tunnel", "http_access allow all");
  } else {
    lines.push("http_access allow all");
  }
  return lines.join("\n") + "\n";
}

const live = new Set<ChildProcess>();
let exitHandlerInstalled = false;

/**
 * Starts squid on a free 127.0.0.1 port and waits until it listens.
 * @throws naming the reason and quoting cache.log when squid is missing,
 *   exits or does not listen within 15 s.
 */
export async function startSquid(options: SquidOptions = {}): Promise<Squid> {
  const binary = findSquid();
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.on("exit", () => {
      for (const child of live) child.kill("SIGKILL");
    });
  }
  const owner = await effectiveUser();
  const dir = await mkdtemp(join(tmpdir(), "regtags-squid-"));
  try {
    await writeFile(join(dir, "hosts"), (options.names ?? PROXY_ONLY_NAMES).map((name) => `127.0.0.1 ${name}\n`).join(""));
    if (options.users !== undefined) {
      await writeFile(join(dir, "htpasswd"), await htpasswdFile(options.users));
      await chmod(join(dir, "htpasswd"), 0o644);
    }
    if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
    await chmod(join(dir, "hosts"), 0o644);

    const failures: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await findFreePort();
      const configPath = join(dir, "squid.conf");
      await writeFile(configPath, squidConfig(dir, port, options, owner?.name));
      await chmod(configPath, 0o644);
      const child = spawn(binary, ["-N", "-f", configPath], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
      let spawnError: Error | undefined;
      child.on("error", (error) => (spawnError = error));
      live.add(child);
      child.once("exit", () => live.delete(child));

      const deadline = Date.now() + READY_TIMEOUT_MS;
      let ready = false;
      while (Date.now() < deadline && spawnError === undefined && child.exitCode === null && child.signalCode === null) {
        if (await isListening(dir, port)) {
          ready = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (ready) {
        child.unref();
        child.stderr?.removeAllListeners("data");
        (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
        const watchdog = child.pid !== undefined ? spawnWatchdog(child.pid, dir) : undefined;
        return makeSquid(child, watchdog, dir, port);
      }
      const cacheLog = await readFile(join(dir, "cache.log"), "utf8").catch(() => "");
      const tail = `${cacheLog}\n${stderr}`.trim().split("\n").slice(-12).join("\n") || "(no output)";
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (spawnError !== undefined) throw new Error(`could not start ${binary}: ${spawnError.message}`);
      failures.push(`squid on 127.0.0.1:${port} did not start (exit ${child.exitCode ?? child.signalCode ?? "none, not listening"}):\n${tail}`);
      if (!/Address already in use|bind/i.test(tail)) break;
    }
    throw new Error(`startSquid: ${failures.at(-1)}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The sentinel's URL path: port 1 refuses at once, so squid answers 503 quickly and logs it. */
const SENTINEL_PREFIX = "http://registry.test:1/regtags-squid-sentinel-";

function makeSquid(child: ChildProcess, watchdog: ChildProcess | undefined, dir: string, port: number): Squid {
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(dir, "access.log");
  let sentinels = 0;
  let stopping: Promise<void> | undefined;

  const readEntries = async (): Promise<AccessLogEntry[]> => parseSquidAccessLog(await readFile(logPath, "utf8").catch(() => ""));

  /** Sends a sentinel through squid (plain http, absolute form) and waits until it is logged. */
  const settle = async (): Promise<void> => {
    const sentinel = `${SENTINEL_PREFIX}${++sentinels}`;
    await new Promise<void>((resolve) => {
      // write, not end: a half-closed client makes squid abort the request.
      const socket = connect(port, "127.0.0.1", () => socket.write(`GET ${sentinel} HTTP/1.1\r\nHost: registry.test:1\r\nConnection: close\r\n\r\n`));
      socket.setTimeout(5_000, () => socket.destroy());
      socket.on("data", () => {});
      socket.once("close", () => resolve());
      socket.once("error", () => resolve());
    });
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if ((await readEntries()).some((entry) => entry.url === sentinel)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`squid did not log the sentinel request ${sentinel} within 5 s; log:\n${await readFile(logPath, "utf8").catch(() => "")}`);
  };

  const entries = async (): Promise<AccessLogEntry[]> => {
    await settle();
    return (await readEntries()).filter((entry) => !entry.url.startsWith(SENTINEL_PREFIX));
  };

  const stop = async (): Promise<void> => {
    await stopWithWatchdog(child, watchdog, STOP_GRACE_MS);
    live.delete(child);
    await rm(dir, { recursive: true, force: true });
  };

  return {
    url,
    port,
    urlWithCredentials: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    entries,
    async entriesSince(since) {
      return (await entries()).slice(since);
    },
    rawLog: () => readFile(logPath, "utf8").catch(() => ""),
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
