/**
 * The bench's workloads and the registries behind them: the real CNCF
 * distribution registry with token auth (test/helpers/real-registry.ts) and
 * emulated registries (src/emulator, run in a child process by
 * emulator-host.ts), each holding repositories of 1k, 10k, 100k or 1M
 * generated tags. For every workload this module knows how to call regtags
 * and skopeo, and how many requests the registry's pagination requires at
 * least, computed from the emulator profile's data or probed on the real
 * registry, never written down by hand.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinProfiles, generateTags, type EmulatorProfile } from "../src/emulator/index.js";
import { startRealRegistry, type RealRegistry } from "../test/helpers/real-registry.js";
import type { HostMessage, HostStartRequest, HostStats } from "./emulator-host.js";
import { repositoryName } from "./emulator-host.js";

/** The executable `regtags` of the package in `root`: its package.json `bin`, as npm installs it. */
export function regtagsCliOf(root: string): string {
  const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["regtags"];
  if (bin === undefined) throw new Error(`${root}/package.json has no bin for regtags`);
  return resolve(root, bin);
}

/** The repository the bench was built from (build/bench/ → ../../). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The built regtags CLI (npm run build → dist/), as package.json's bin names it. */
export const REGTAGS_CLI = regtagsCliOf(REPO_ROOT);

/** skopeo must not pick up the credentials of whoever runs the bench. */
const NO_AUTH_FILE = "/nonexistent/regtags-bench/auth.json";

/** Environment of every measured child: no user config for regtags, no NODE_OPTIONS. */
export const CHILD_ENV: Readonly<Record<string, string>> = { XDG_CONFIG_HOME: "/nonexistent/regtags-bench", NODE_OPTIONS: "" };

/** Seed of the generated tags: the same tags in every run. */
export const TAG_SEED = 20_240_601;

/** Which public registry each emulator profile imitates, so regtags applies its own profile for it. */
export const REGISTRY_NAME: Readonly<Record<string, string>> = {
  dockerhub: "docker.io",
  ghcr: "ghcr.io",
  "quay-2023": "quay.io",
  "quay-2024": "quay.io",
  // A name regtags has no profile for: it behaves as with any self-hosted registry.
  // distribution 3.1: sorted, `last` links, pages of 1000 with or without `n` (distribution#4844).
  "distribution-3.1.0": "registry.bench",
};

/**
 * The emulator profiles of the 1k/10k/100k workloads. At 100k only those whose
 * time is not just round trips at 25 ms (quay's 2000 pages are ~55 s a run and
 * say nothing the 10k rows do not), so the whole bench stays under 10 minutes.
 */
export const EMULATOR_PROFILES = ["dockerhub", "ghcr", "quay-2023", "quay-2024", "distribution-3.1.0"] as const;
export function emulatorProfilesFor(size: number): readonly string[] {
  return size >= 100_000 ? ["dockerhub", "distribution-3.1.0"] : EMULATOR_PROFILES;
}
/** 1M tags in one response (Docker Hub, at the bench's latency), and 1M paged (distribution 3.1.0, at 0 ms: its 1001 round trips would otherwise be the whole time). */
export const MILLION_ONE_RESPONSE = "dockerhub";
export const MILLION_PAGED = "distribution-3.1.0";

/**
 * Registries regtags has no profile for (issue 13): the emulator's ghcr, ECR,
 * Docker Hub and distribution 3.1.0 behaviour under a name regtags cannot
 * recognise, so only what it learns from the responses counts. distribution
 * 3.1.0 is the `distribution-3.1.0 10k` row (under `registry.bench`).
 */
export const UNKNOWN_REGISTRY = "registry.example.test";
export const UNKNOWN_REGISTRY_CASES: ReadonlyArray<{ readonly profile: string; readonly size: number }> = [
  { profile: "ghcr", size: 10_000 },
  { profile: "ecr", size: 10_000 },
  { profile: "dockerhub", size: 1001 },
];
/** ECR always wants credentials (Basic); both tools get these. */
export const ECR_USER = { name: "AWS", password: "bench-password" } as const;

/** The least a client must do to list every tag, by the registry's own rules. */
export interface RequestRequirement {
  /** Largest page the registry serves: a number, or "all" when it sends everything in one response. */
  readonly largestPage: number | "all";
  /** Tag pages a client cannot avoid (an exactly full last page may force an empty one). */
  readonly pages: number;
  /** Target: pages + one token request + at most one initial 401. */
  readonly maxRequests: number;
  /** Why, in one line. */
  readonly basis: string;
  /** Paginated by `last`, lexically sorted, `n` capped (the wall-time target's profile shape). */
  readonly lastLexicalCapped: boolean;
}

export interface Workload {
  /** e.g. `ghcr 10k`. */
  readonly id: string;
  /** e.g. `ghcr` or `real distribution 2.8`. */
  readonly family: string;
  readonly kind: "real" | "emulator";
  readonly profile: string | undefined;
  readonly size: number;
  readonly latencyMs: number;
  readonly regtagsArgs: readonly string[];
  readonly skopeoArgs: readonly string[];
  readonly requirement: RequestRequirement;
  /** Extra regtags flags this row measures (e.g. `--parallel 8`), beyond the defaults. */
  readonly variant?: string;
  /** Also run the baseline build (BENCH_BASELINE): the row's target is relative to "today's". */
  readonly baseline?: boolean;
  /** Run skopeo too (default); false where only regtags against its baseline matters. */
  readonly skopeo?: boolean;
}

/** Concurrent ranges measured beside the default on name-sorted, `last`-paginated, capped registries. */
const PARALLEL_RANGES = 8;

export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1000 && size % 1000 === 0) return `${size / 1000}k`;
  return String(size);
}

export function skopeoArgs(host: string, repository: string): string[] {
  return ["list-tags", "--tls-verify=false", "--authfile", NO_AUTH_FILE, `docker://${host}/${repository}`];
}

/** What the emulator profile's paging rules force on any client, for `size` tags. */
export function emulatorRequirement(profile: EmulatorProfile, size: number): RequestRequirement {
  const paging = profile.tags.paging;
  const lastLexicalCapped =
    !paging.ignoreParams && paging.cursor.kind === "last-entry" && profile.tags.order === "lexical" && paging.maxPageSize !== undefined;
  let largestPage: number | "all";
  let basis: string;
  if (paging.ignoreParams) {
    largestPage = "all";
    basis = "ignores n: every tag in one response";
  } else if (paging.defaultPageSize === "all") {
    largestPage = "all";
    basis = "without n: every tag in one response";
  } else if (paging.maxPageSize !== undefined) {
    largestPage = paging.maxPageSize;
    basis = `n capped at ${paging.maxPageSize}`;
  } else {
    largestPage = "all";
    basis = "no cap on n";
  }
  let pages = 1;
  if (largestPage !== "all") {
    pages = Math.max(1, Math.ceil(size / largestPage));
    // distribution 3 links after every full page, so an exactly full last page is followed by an empty one.
    if (paging.fullFinalPage === "link-to-empty-page" && size % largestPage === 0) {
      pages++;
      basis += ", + an empty page after the exactly full last one";
    }
  }
  return { largestPage, pages, maxRequests: pages + 2, basis, lastLexicalCapped };
}

// ---------------------------------------------------------------------------
// Emulated registries, in a child process.

export interface EmulatorHost {
  readonly registries: Readonly<Record<string, { url: string; host: string }>>;
  warm(profile: string, repository: string): Promise<void>;
  reset(profile: string): Promise<void>;
  stats(profile: string): Promise<HostStats>;
  close(): Promise<void>;
}

/** A host message without its id (distributes over the union). */
type HostCommand = HostMessage extends infer M ? (M extends HostMessage ? Omit<M, "id"> : never) : never;

const HOST_SCRIPT = fileURLToPath(new URL("./emulator-host.js", import.meta.url));

/** Starts emulator-host.js with the profiles and one repository per size. */
export async function startEmulatorHost(start: HostStartRequest): Promise<EmulatorHost> {
  const child: ChildProcess = fork(HOST_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--max-old-space-size=4096"] });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on("message", (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`emulator host: ${message.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`emulator host exited (${code ?? signal})`));
    pending.clear();
  });
  const call = <T>(message: HostCommand, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`emulator host: no answer to ${message.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ ...message, id } as HostMessage);
    });
  let registries: Record<string, { url: string; host: string }>;
  try {
    ({ registries } = await call<{ registries: Record<string, { url: string; host: string }> }>({ cmd: "start", start }));
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    registries,
    warm: (profile, repository) => call({ cmd: "warm", profile, repository }),
    reset: (profile) => call({ cmd: "reset", profile }),
    stats: (profile) => call<HostStats>({ cmd: "stats", profile }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        await call({ cmd: "close" }, 10_000);
      } catch {
        // closing anyway
      }
      child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The emulator workloads of one host: one per profile and size. */
export function emulatorWorkloads(host: EmulatorHost, profiles: readonly string[], sizes: readonly number[], latencyMs: number): Workload[] {
  const workloads: Workload[] = [];
  for (const size of sizes) {
    for (const profileId of profiles) {
      const profile = builtinProfiles[profileId];
      const registry = host.registries[profileId];
      const name = REGISTRY_NAME[profileId];
      if (profile === undefined || registry === undefined || name === undefined) throw new Error(`no emulated registry for ${profileId}`);
      const repository = repositoryName(size);
      const requirement = emulatorRequirement(profile, size);
      workloads.push({
        id: `${profileId} ${sizeLabel(size)}`,
        family: profileId,
        kind: "emulator",
        profile: profileId,
        size,
        latencyMs,
        regtagsArgs: ["ls", "--endpoint", `${name}=${registry.url}`, `${name}/${repository}`],
        skopeoArgs: skopeoArgs(registry.host, repository),
        requirement,
        // An unknown name: its requests must stay within today's + 1 (issue 13); 1M paged: wall against today's.
        ...(profileId === "distribution-3.1.0" && (size === 10_000 || size >= 1_000_000) ? { baseline: true } : {}),
      });
      // The default walks links one by one (fewest requests); --parallel trades a few requests for round trips.
      if (requirement.lastLexicalCapped && size === 10_000) {
        workloads.push({
          id: `${profileId} ${sizeLabel(size)} --parallel ${PARALLEL_RANGES}`,
          family: profileId,
          kind: "emulator",
          profile: profileId,
          size,
          latencyMs,
          regtagsArgs: ["ls", "--parallel", String(PARALLEL_RANGES), "--endpoint", `${name}=${registry.url}`, `${name}/${repository}`],
          skopeoArgs: skopeoArgs(registry.host, repository),
          requirement,
          variant: `--parallel ${PARALLEL_RANGES}`,
        });
      }
    }
  }
  return workloads;
}

/** The unknown-registry workloads of one host (profiles ghcr, ecr, dockerhub; sizes 10k and 1001). */
export function unknownRegistryWorkloads(host: EmulatorHost, latencyMs: number): Workload[] {
  return UNKNOWN_REGISTRY_CASES.map(({ profile: profileId, size }) => {
    const profile = builtinProfiles[profileId];
    const registry = host.registries[profileId];
    if (profile === undefined || registry === undefined) throw new Error(`no emulated registry for ${profileId}`);
    const repository = repositoryName(size);
    const creds = profileId === "ecr" ? [`${ECR_USER.name}:${ECR_USER.password}`] : [];
    return {
      id: `${profileId}-like ${sizeLabel(size)}, unknown name`,
      family: `${profileId}-like, unknown name`,
      kind: "emulator",
      profile: profileId,
      size,
      latencyMs,
      regtagsArgs: ["ls", ...creds.flatMap((c) => ["--creds", c]), "--endpoint", `${UNKNOWN_REGISTRY}=${registry.url}`, `${UNKNOWN_REGISTRY}/${repository}`],
      skopeoArgs: [...skopeoArgs(registry.host, repository).slice(0, 1), ...creds.flatMap((c) => ["--creds", c]), ...skopeoArgs(registry.host, repository).slice(1)],
      requirement: emulatorRequirement(profile, size),
      baseline: true,
    };
  });
}

// ---------------------------------------------------------------------------
// The real distribution registry.

export interface RealEnvironment {
  readonly registry: RealRegistry;
  readonly workloads: Workload[];
  /** Seconds spent pushing and writing tags. */
  readonly setupSeconds: number;
  /** `docker-registry --version`-independent facts probed from the running registry. */
  readonly probe: string;
}

interface ProbeResult {
  readonly ignoresN: boolean;
  readonly tagsForN1: number;
  readonly link: string | null;
}

/** Lists `repository` with n=1 through the token dance, to learn whether the registry honours n. */
async function probePaging(registry: RealRegistry, repository: string): Promise<ProbeResult> {
  const url = `${registry.url}/v2/${repository}/tags/list?n=1`;
  const first = await fetch(url);
  await first.arrayBuffer();
  const challenge = first.headers.get("www-authenticate") ?? "";
  const param = (name: string): string | undefined => new RegExp(`${name}="([^"]*)"`, "i").exec(challenge)?.[1];
  const realm = param("realm");
  const headers: Record<string, string> = {};
  if (first.status === 401 && realm !== undefined) {
    const tokenUrl = new URL(realm);
    const service = param("service");
    if (service !== undefined) tokenUrl.searchParams.set("service", service);
    tokenUrl.searchParams.set("scope", `repository:${repository}:pull`);
    const body = (await (await fetch(tokenUrl)).json()) as { token?: string; access_token?: string };
    headers["authorization"] = `Bearer ${body.token || body.access_token}`;
  }
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { tags?: string[] | null };
  const tagsForN1 = body.tags?.length ?? 0;
  return { ignoresN: tagsForN1 > 1, tagsForN1, link: response.headers.get("link") };
}

/**
 * Starts the real registry with token auth, fills `bench/tags-N` for each size
 * (one pushed image, then the generated tags written to storage), and probes
 * its paging.
 */
export async function startRealEnvironment(sizes: readonly number[]): Promise<RealEnvironment> {
  const started = performance.now();
  const registry = await startRealRegistry({ auth: "token" });
  try {
    const workloads: Workload[] = [];
    let probe = "";
    for (const size of sizes) {
      const repository = repositoryName(size);
      const tags = generateTags(size, TAG_SEED);
      // generateTags ends with "latest": that one is pushed, the rest point at it.
      const last = tags.pop() as string;
      await registry.pushImage(repository, last);
      await registry.addTags(repository, tags);
      const probed = await probePaging(registry, repository);
      probe = probed.ignoresN
        ? `n=1 answered with ${probed.tagsForN1} tags and ${probed.link === null ? "no" : "a"} Link: n is ignored, every tag comes in one response`
        : `n=1 answered with ${probed.tagsForN1} tag(s)${probed.link !== null ? " and a Link" : ""}: n is honoured`;
      const requirement: RequestRequirement = probed.ignoresN
        ? { largestPage: "all", pages: 1, maxRequests: 3, basis: "ignores n (probed): every tag in one response", lastLexicalCapped: false }
        : { largestPage: size, pages: 1, maxRequests: 3, basis: "honours n (probed); assumed uncapped", lastLexicalCapped: false };
      workloads.push({
        id: `real distribution ${sizeLabel(size)}`,
        family: "real distribution 2.8 (token auth)",
        kind: "real",
        profile: undefined,
        size,
        latencyMs: 0,
        // Loopback: regtags tries https, then plain http, as skopeo does with --tls-verify=false.
        regtagsArgs: ["ls", `${registry.host}/${repository}`],
        skopeoArgs: skopeoArgs(registry.host, repository),
        requirement,
      });
    }
    return { registry, workloads, setupSeconds: (performance.now() - started) / 1000, probe };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Requests seen in --debug traces (real registry: it keeps no request log).

export interface TraceCounts {
  /** HTTP requests that got a response, by kind. */
  readonly answered: { ping: number; token: number; tags: number; other: number; total: number };
  readonly unauthorized: number;
  /** Connection attempts that got no HTTP response (the https try on a plain-http port). */
  readonly failedAttempts: number;
}

function kindOf(url: string): "ping" | "token" | "tags" | "other" {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return "other";
  }
  if (path === "/v2/" || path === "/v2") return "ping";
  if (path.endsWith("/tags/list")) return "tags";
  if (!path.startsWith("/v2/")) return "token";
  return "other";
}

/** Counts regtags' `--debug` lines: `← STATUS METHOD URL` answered, `✗ METHOD URL` failed. */
export function countRegtagsTrace(stderr: string): TraceCounts {
  const answered = { ping: 0, token: 0, tags: 0, other: 0, total: 0 };
  let unauthorized = 0;
  let failedAttempts = 0;
  for (const line of stderr.split("\n")) {
    const ok = /^regtags: ← (\d{3}) [A-Z]+ (\S+)/.exec(line);
    if (ok !== null) {
      answered[kindOf(ok[2] as string)]++;
      answered.total++;
      if (ok[1] === "401") unauthorized++;
      continue;
    }
    if (/^regtags: ✗ [A-Z]+ \S+/.test(line)) failedAttempts++;
  }
  return { answered, unauthorized, failedAttempts };
}

/** Counts skopeo's `--debug` lines: `GET URL` sent, `Ping URL err` failed, `Ping URL status 401`. */
export function countSkopeoTrace(stderr: string): TraceCounts {
  const answered = { ping: 0, token: 0, tags: 0, other: 0, total: 0 };
  let unauthorized = 0;
  const failed = new Map<string, number>();
  const sent: string[] = [];
  for (const line of stderr.split("\n")) {
    const request = /msg="(?:GET|HEAD|POST) (\S+?)"/.exec(line);
    if (request !== null) {
      sent.push(request[1] as string);
      continue;
    }
    const ping = /msg="Ping (\S+) (err|status (\d{3}))/.exec(line);
    if (ping !== null) {
      if (ping[2] === "err") failed.set(ping[1] as string, (failed.get(ping[1] as string) ?? 0) + 1);
      else if (ping[3] === "401") unauthorized++;
    }
  }
  let failedAttempts = 0;
  for (const url of sent) {
    const left = failed.get(url) ?? 0;
    if (left > 0) {
      failed.set(url, left - 1);
      failedAttempts++;
      continue;
    }
    answered[kindOf(url)]++;
    answered.total++;
  }
  return { answered, unauthorized, failedAttempts };
}
