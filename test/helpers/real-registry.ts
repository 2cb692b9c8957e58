/**
 * Runs the real CNCF distribution registry (Debian's `docker-registry` 2.8)
 * on 127.0.0.1 for the integration tests, with no auth, htpasswd Basic auth or
 * token auth (then also a {@link TokenServer}). It owns the registry's config,
 * its process and temp dirs, pushing a real image through the API (skopeo) and
 * adding many tags by writing the storage layout directly. It imports only
 * `node:` modules and the other helpers, never src/, so that it checks the
 * client independently. Facts it relies on are in
 * shared/notes/real-registry.md.
 *
 * Lifetime: a registry never outlives the test process. `stop()` ends it; a
 * process `exit` or termination signal kills any still running; and a tiny
 * watchdog shell per registry kills it and removes its temp dir once the test
 * process is gone, however it ended (even SIGKILL), because its stdin pipe
 * from us then closes.
 *
 * Temp dirs live on /dev/shm when it exists: see {@link tempBase}.
 */

import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { findFreePort } from "./free-port.js";
import { spawnWatchdog, stopWithWatchdog } from "./watchdog.js";
import { writeOciImageLayout } from "./oci-image.js";
import { skopeoCopyFromOciLayout } from "./skopeo.js";
import { createTokenSigner, startTokenServer } from "./token-server.js";
import type { TokenServer } from "./token-server.js";

export type { TokenServer } from "./token-server.js";

const execFileAsync = promisify(execFile);

/** `auth.token.service` of every token-mode registry (becomes the JWT `aud`). */
export const TOKEN_SERVICE = "regtags-test-registry";
/** `auth.token.issuer` of every token-mode registry (becomes the JWT `iss`). */
export const TOKEN_ISSUER = "regtags-test-issuer";
/** `auth.htpasswd.realm` of every htpasswd-mode registry. */
export const HTPASSWD_REALM = "regtags-test-realm";

/** How long {@link startRealRegistry} waits for `GET /v2/` to answer. */
const READY_TIMEOUT_MS = 10_000;
/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3_000;
/**
 * Below this many tags `addTags` writes on the main thread: a worker costs
 * tens of milliseconds to start.
 */
const ADD_TAGS_WORKER_THRESHOLD = 2_000;

/** Options of {@link startRealRegistry}. */
export interface RealRegistryOptions {
  auth: "none" | "htpasswd" | "token";
  /** Users for htpasswd and for the token server's Basic check. Default `{ alice: "wonderland-secret" }`. */
  users?: Record<string, string>;
  /** Token lifetime the token server announces and encodes in exp (seconds). Default 300. */
  tokenLifetimeSeconds?: number;
  /** Repositories that anonymous users may pull (token mode). Default: everything except names starting with "private/". */
  isPublic?: (repository: string) => boolean;
  /**
   * Token mode: the host name the realm URL gives for the token server
   * (listening on 127.0.0.1), e.g. a name only a proxy resolves. Default 127.0.0.1.
   */
  tokenRealmHost?: string;
  /** Variables for the skopeo that pushImage runs, e.g. HTTP_PROXY when the realm names a proxy-only host. */
  pushEnv?: Record<string, string>;
  /** Serve https instead of http (`http.tls`); see {@link RegistryTlsOptions}. */
  tls?: RegistryTlsOptions;
}

/**
 * PEM files for a registry that serves TLS (distribution's `http.tls.certificate`
 * and `http.tls.key`), e.g. from tls-ca.ts. With `clientCas` it also demands a
 * client certificate signed by one of them (`http.tls.clientcas`, mTLS).
 */
export interface RegistryTlsOptions {
  certificate: string;
  key: string;
  /** The CA that signed `certificate`: the helper's own readiness check trusts it. */
  ca: string;
  /** `http.tls.clientcas`: the registry then refuses clients without a certificate. */
  clientCas?: readonly string[];
  /**
   * The certificate and key the helper itself presents (readiness check,
   * pushImage) when `clientCas` is set.
   */
  client?: { certificate: string; key: string };
}

/** A running registry; see {@link startRealRegistry}. */
export interface RealRegistry {
  /** `http://127.0.0.1:PORT`, or `https://127.0.0.1:PORT` with `tls`. */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly port: number;
  /** `storage.filesystem.rootdirectory` of the registry. */
  readonly storageDir: string;
  /** Token mode only. */
  readonly tokenServer?: TokenServer;
  readonly users: Record<string, string>;
  /**
   * Pushes one real image through the registry API (skopeo copy from an OCI
   * layout written by oci-image.ts) and resolves with its manifest digest.
   * The image's content is derived from `repository:tag`, so pushes under
   * different names give different digests. Uses the first user's credentials
   * in htpasswd and token mode.
   */
  pushImage(repository: string, tag: string): Promise<string>;
  /**
   * Adds tags pointing at an already pushed manifest by writing the storage
   * layout directly (fast; 100k tags in seconds). Default digest: the last
   * pushed image's for that repository.
   * @throws if a tag or the repository name is invalid, or the manifest was
   *   never pushed to that repository.
   */
  addTags(repository: string, tags: readonly string[], digest?: string): Promise<void>;
  /** Kills the registry (SIGTERM, SIGKILL after 3 s), closes the token server, removes the temp dirs. Idempotent. */
  stop(): Promise<void>;
}

// Grammar of distribution's reference package (OCI distribution-spec v1.1.1,
// "Pulling manifests"): checked before a name becomes a path on disk.
const REPOSITORY_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^sha256:([a-f0-9]{64})$/;

// ---------------------------------------------------------------------------
// Children that must die with this process.

interface LiveChild {
  registry: ChildProcess;
  watchdog: ChildProcess | undefined;
  tempDir: string;
}

const live = new Set<LiveChild>();
let handlersInstalled = false;

/**
 * Runs while this process exits (synchronous code only): SIGKILL the
 * registries, and leave their temp dirs to the watchdogs, which remove them
 * as soon as this process is gone; a synchronous rmSync of 100,000 tags would
 * hold the exit for ~20 s. Without a watchdog, remove the dir here.
 */
function killNow(child: LiveChild): void {
  const { registry, watchdog } = child;
  if (registry.exitCode === null && registry.signalCode === null) registry.kill("SIGKILL");
  if (watchdog === undefined || watchdog.exitCode !== null || watchdog.signalCode !== null) {
    fs.rmSync(child.tempDir, { recursive: true, force: true });
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const child of live) killNow(child);
    live.clear();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      for (const child of live) killNow(child);
      live.clear();
      // If nobody else handles the signal, behave as if we were not here.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// ---------------------------------------------------------------------------
// Files on disk.

/**
 * Where registries keep their temp dirs: /dev/shm (tmpfs) when it is
 * writable, else os.tmpdir(). Measured on this project's machines (a VM on
 * ext4): a directory or file create costs ~0.5 ms on the disk but ~6-15 µs on
 * tmpfs, so 10,000 tags took 31 s on /tmp and under 1 s on /dev/shm.
 */
function tempBase(): string {
  try {
    fs.accessSync("/dev/shm", fs.constants.W_OK);
    if (fs.statSync("/dev/shm").isDirectory()) return "/dev/shm";
  } catch {
    // No tmpfs here (not Linux, or a container without it).
  }
  return tmpdir();
}

/** Removes a tree with `rm -rf` (twice as fast as fs.rm on 100k tags here), else fs.rm. */
async function removeTree(dir: string): Promise<void> {
  try {
    await execFileAsync("rm", ["-rf", "--", dir], { timeout: 120_000 });
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `tags/TAG/current/link` and `tags/TAG/index/sha256/HEX/link`, both
 * holding `digest`, for each tag: what distribution's tagStore.Tag writes
 * (registry/storage/tagstore.go, paths.go), and what the registry reads back
 * as is. An existing tag is moved to the digest, as a push would.
 *
 * It runs inside worker threads as source text (see {@link writeTagLinks}),
 * so it must stay self-contained: no imports, closures or inner functions.
 * Synchronous calls on purpose: here the fs callback and promise APIs were
 * 3-10x slower than sync calls, the thread pool hand-off costing more than
 * the tmpfs operation itself.
 */
function writeTagLinksSync(fsModule: typeof fs, tagsDir: string, tags: readonly string[], hex: string, digest: string): void {
  // One mkdir per level: recursive mkdir of a deep new path first fails on
  // every missing level, which doubles the system calls.
  fsModule.mkdirSync(tagsDir, { recursive: true });
  for (const tag of tags) {
    const tagDir = tagsDir + "/" + tag;
    fsModule.mkdirSync(tagDir, { recursive: true });
    fsModule.mkdirSync(tagDir + "/current", { recursive: true });
    fsModule.writeFileSync(tagDir + "/current/link", digest);
    fsModule.mkdirSync(tagDir + "/index", { recursive: true });
    fsModule.mkdirSync(tagDir + "/index/sha256", { recursive: true });
    fsModule.mkdirSync(tagDir + "/index/sha256/" + hex, { recursive: true });
    fsModule.writeFileSync(tagDir + "/index/sha256/" + hex + "/link", digest);
  }
}

/**
 * {@link writeTagLinksSync} split over up to 4 worker threads (one per core),
 * which is the bounded concurrency that pays here: 100,000 tags take ~5 s on
 * two cores. Small batches run on the calling thread.
 */
async function writeTagLinks(tagsDir: string, tags: readonly string[], hex: string, digest: string): Promise<void> {
  const workers = Math.min(4, availableParallelism(), Math.ceil(tags.length / ADD_TAGS_WORKER_THRESHOLD));
  if (workers <= 1) {
    writeTagLinksSync(fs, tagsDir, tags, hex, digest);
    return;
  }
  fs.mkdirSync(tagsDir, { recursive: true });
  const source = [
    'const { workerData } = require("node:worker_threads");',
    `(${writeTagLinksSync.toString()})(require("node:fs"), workerData.tagsDir, workerData.tags, workerData.hex, workerData.digest);`,
  ].join("\n");
  const chunk = Math.ceil(tags.length / workers);
  await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const workerData = { tagsDir, tags: tags.slice(i * chunk, (i + 1) * chunk), hex, digest };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(source, { eval: true, workerData });
        worker.once("error", reject);
        worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`addTags worker exited with code ${code}`))));
      });
    }),
  );
}

// ---------------------------------------------------------------------------
// Processes.

async function htpasswdEntry(user: string, password: string): Promise<string> {
  try {
    // -B: bcrypt, the only hash distribution's htpasswd backend accepts.
    const { stdout } = await execFileAsync("htpasswd", ["-Bbn", user, password], { timeout: 15_000 });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`htpasswd failed (apt-get install -y apache2-utils): ${String(error)} ${stderr}`.trim());
  }
}

const yamlString = (value: string): string => JSON.stringify(value); // JSON strings are YAML double-quoted scalars

/** distribution's `http.tls` block (configuration.md, "tls"). */
function tlsConfig(tls: RegistryTlsOptions | undefined): string[] {
  if (tls === undefined) return [];
  const lines = ["  tls:", `    certificate: ${yamlString(tls.certificate)}`, `    key: ${yamlString(tls.key)}`];
  if (tls.clientCas !== undefined && tls.clientCas.length > 0) lines.push("    clientcas:", ...tls.clientCas.map((file) => `      - ${yamlString(file)}`));
  return lines;
}

function registryConfig(port: number, storageDir: string, auth: string[], tls?: RegistryTlsOptions): string {
  return [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${yamlString(storageDir)}`,
    "  delete:",
    "    enabled: true",
    // No background upload purging: nothing the tests need, and it walks the storage.
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    // Without a secret the registry logs a warning and makes one up.
    `  secret: ${randomBytes(16).toString("hex")}`,
    ...tlsConfig(tls),
    ...auth,
    "",
  ].join("\n");
}

type StartOutcome = { ok: true; child: ChildProcess } | { ok: false; retry: boolean; message: string };

/**
 * `GET URL/v2/` → status and API version header. Over https it trusts only
 * the test CA and presents the helper's client certificate, so a registry
 * that demands one answers too.
 */
async function getV2(url: string, tls: RegistryTlsOptions | undefined): Promise<{ status: number; apiVersion: string | null }> {
  if (tls === undefined) {
    const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return { status: response.status, apiVersion: response.headers.get("docker-distribution-api-version") };
  }
  const ca = await readFile(tls.ca);
  const client = tls.client !== undefined ? { cert: await readFile(tls.client.certificate), key: await readFile(tls.client.key) } : {};
  return new Promise((resolve, reject) => {
    const request = httpsRequest(`${url}/v2/`, { ca, ...client, timeout: 1000 }, (response) => {
      response.resume();
      const apiVersion = response.headers["docker-distribution-api-version"];
      resolve({ status: response.statusCode ?? 0, apiVersion: typeof apiVersion === "string" ? apiVersion : null });
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
    request.end();
  });
}

/** Spawns `docker-registry serve CONFIG` and waits for GET /v2/ to answer 200 or 401. */
async function spawnRegistry(configPath: string, url: string, tls?: RegistryTlsOptions): Promise<StartOutcome> {
  let stderr = "";
  const child = spawn("docker-registry", ["serve", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const stderrTail = (): string => stderr.trim().split("\n").slice(-15).join("\n") || "(stderr was empty)";
  let spawnError: Error | undefined;
  child.on("error", (error) => {
    spawnError = error;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError !== undefined) {
      const missing = (spawnError as NodeJS.ErrnoException).code === "ENOENT";
      return {
        ok: false,
        retry: false,
        message: missing
          ? "docker-registry is not installed (apt-get install -y docker-registry, the CNCF distribution registry)"
          : `could not start docker-registry: ${spawnError.message}`,
      };
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      // Another process took the port between findFreePort and the bind.
      const retry = /address already in use/i.test(stderr);
      return { ok: false, retry, message: `docker-registry exited early (${child.exitCode ?? child.signalCode}); stderr:\n${stderrTail()}` };
    }
    try {
      const response = await getV2(url, tls);
      // The API version header tells the registry from anything else that
      // might have grabbed the port (distribution docs/spec/api.md, "API Version Check").
      const isRegistry = response.apiVersion === "registry/2.0";
      if (isRegistry && (response.status === 200 || response.status === 401)) {
        child.unref();
        (child.stderr as unknown as Socket | null)?.unref();
        return { ok: true, child };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  return {
    ok: false,
    retry: false,
    message: `docker-registry did not answer GET ${url}/v2/ within ${READY_TIMEOUT_MS / 1000} s; stderr:\n${stderrTail()}`,
  };
}

/**
 * Starts a real registry on 127.0.0.1 on a free port, in its own temp dir.
 *
 * @example
 * const registry = await startRealRegistry({ auth: "token" });
 * try {
 *   await registry.pushImage("team/app", "v1");
 *   await registry.addTags("team/app", ["v2", "v3"]);
 * } finally {
 *   await registry.stop();
 * }
 * @throws if docker-registry, htpasswd or openssl is missing, or the registry
 *   does not answer `GET /v2/` within ~10 s (its stderr tail is in the message).
 */
export async function startRealRegistry(options: RealRegistryOptions): Promise<RealRegistry> {
  installExitHandlers();
  const users = { ...(options.users ?? { alice: "wonderland-secret" }) };
  const firstUser = Object.entries(users)[0];
  const creds = options.auth !== "none" && firstUser !== undefined ? `${firstUser[0]}:${firstUser[1]}` : undefined;

  const tempDir = await mkdtemp(join(tempBase(), "regtags-registry-"));
  const storageDir = join(tempDir, "storage");
  let tokenServer: TokenServer | undefined;
  try {
    await mkdir(storageDir);
    const auth: string[] = [];
    if (options.auth === "htpasswd") {
      const htpasswdPath = join(tempDir, "htpasswd");
      const entries = await Promise.all(Object.entries(users).map(([user, password]) => htpasswdEntry(user, password)));
      await writeFile(htpasswdPath, entries.join("\n") + "\n");
      auth.push("auth:", "  htpasswd:", `    realm: ${yamlString(HTPASSWD_REALM)}`, `    path: ${yamlString(htpasswdPath)}`);
    } else if (options.auth === "token") {
      const signer = await createTokenSigner();
      const bundlePath = join(tempDir, "token-root.pem");
      await writeFile(bundlePath, signer.certificatePem);
      tokenServer = await startTokenServer({
        users,
        lifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
        isPublic: options.isPublic ?? ((repository) => !repository.startsWith("private/")),
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        key: signer.key,
        certificateDer: signer.certificateDer,
      });
      auth.push(
        "auth:",
        "  token:",
        `    realm: ${yamlString(options.tokenRealmHost === undefined ? tokenServer.realm : tokenServer.realm.replace("//127.0.0.1:", `//${options.tokenRealmHost}:`))}`,
        `    service: ${yamlString(TOKEN_SERVICE)}`,
        `    issuer: ${yamlString(TOKEN_ISSUER)}`,
        `    rootcertbundle: ${yamlString(bundlePath)}`,
      );
    }

    const scheme = options.tls !== undefined ? "https" : "http";
    let started: ChildProcess | undefined;
    let port = 0;
    const failures: string[] = [];
    for (let attempt = 0; attempt < 5 && started === undefined; attempt++) {
      port = await findFreePort();
      const configPath = join(tempDir, "config.yml");
      await writeFile(configPath, registryConfig(port, storageDir, auth, options.tls));
      const outcome = await spawnRegistry(configPath, `${scheme}://127.0.0.1:${port}`, options.tls);
      if (outcome.ok) started = outcome.child;
      else {
        failures.push(outcome.message);
        if (!outcome.retry) break;
      }
    }
    if (started === undefined) {
      const attempts = failures.length > 1 ? ` (${failures.length} attempts, each port taken before the registry bound it)` : "";
      throw new Error(`startRealRegistry(${options.auth})${attempts}: ${failures.at(-1) ?? "unknown failure"}`);
    }

    const child: LiveChild = { registry: started, watchdog: undefined, tempDir };
    if (started.pid !== undefined) child.watchdog = spawnWatchdog(started.pid, tempDir);
    live.add(child);
    return makeRegistry({ child, port, scheme, storageDir, users, creds, tokenServer, tls: options.tls, pushEnv: options.pushEnv });
  } catch (error) {
    await tokenServer?.close();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}

function makeRegistry(init: {
  child: LiveChild;
  port: number;
  scheme: string;
  storageDir: string;
  users: Record<string, string>;
  creds: string | undefined;
  tokenServer: TokenServer | undefined;
  tls: RegistryTlsOptions | undefined;
  pushEnv: Record<string, string> | undefined;
}): RealRegistry {
  const { child, port, scheme, storageDir, users, creds, tokenServer, tls, pushEnv } = init;
  const host = `127.0.0.1:${port}`;
  const lastDigest = new Map<string, string>();
  let pushCount = 0;
  let stopping: Promise<void> | undefined;

  const repositoryDir = (repository: string): string => {
    if (!REPOSITORY_RE.test(repository) || repository.length > 255) throw new Error(`invalid repository name: ${JSON.stringify(repository)}`);
    return join(storageDir, "docker", "registry", "v2", "repositories", ...repository.split("/"));
  };

  const stop = async (): Promise<void> => {
    await stopWithWatchdog(child.registry, child.watchdog, STOP_GRACE_MS);
    live.delete(child);
    await tokenServer?.close();
    await removeTree(child.tempDir);
  };

  return {
    url: `${scheme}://${host}`,
    host,
    port,
    storageDir,
    ...(tokenServer !== undefined ? { tokenServer } : {}),
    users,

    async pushImage(repository, tag) {
      repositoryDir(repository);
      if (!TAG_RE.test(tag)) throw new Error(`invalid tag: ${JSON.stringify(tag)}`);
      const workDir = join(child.tempDir, `push-${++pushCount}`);
      try {
        const image = await writeOciImageLayout(join(workDir, "layout"), { content: `regtags test image ${repository}:${tag}\n` });
        const digestFile = join(workDir, "digest");
        // An mTLS registry wants skopeo's client certificate too (containers-certs.d(5) layout).
        let certDir: string | undefined;
        if (tls?.client !== undefined) {
          certDir = join(workDir, "certs");
          await mkdir(certDir, { recursive: true });
          await copyFile(tls.client.certificate, join(certDir, "client.cert"));
          await copyFile(tls.client.key, join(certDir, "client.key"));
        }
        await skopeoCopyFromOciLayout(image.dir, image.refName, host, repository, tag, {
          digestFile,
          ...(creds !== undefined ? { creds } : {}),
          ...(certDir !== undefined ? { certDir } : {}),
          ...(pushEnv !== undefined ? { env: pushEnv } : {}),
        });
        const digest = (await readFile(digestFile, "utf8")).trim();
        if (digest !== image.manifestDigest) {
          throw new Error(`skopeo pushed ${repository}:${tag} as ${digest}, expected the layout's ${image.manifestDigest}`);
        }
        lastDigest.set(repository, digest);
        return digest;
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },

    async addTags(repository, tags, digest) {
      const manifestsDir = join(repositoryDir(repository), "_manifests");
      const target = digest ?? lastDigest.get(repository);
      if (target === undefined) throw new Error(`addTags(${repository}): no image pushed to this repository yet and no digest given`);
      const hex = DIGEST_RE.exec(target)?.[1];
      if (hex === undefined) throw new Error(`addTags(${repository}): not a sha256 digest: ${target}`);
      // A tag link is only served if the revision link and the blob exist
      // (real-registry.md, "Filling a repository with many tags quickly").
      try {
        await access(join(manifestsDir, "revisions", "sha256", hex, "link"));
      } catch {
        throw new Error(`addTags(${repository}): manifest ${target} was never pushed to this repository`);
      }
      for (const tag of tags) if (!TAG_RE.test(tag)) throw new Error(`addTags(${repository}): invalid tag ${JSON.stringify(tag)}`);

      await writeTagLinks(join(manifestsDir, "tags"), tags, hex, target);
    },

    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
