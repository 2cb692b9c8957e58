/**
 * Starting and stopping emulated registries: one `node:http` listener per profile,
 * plus a separate auth server when the profile's realm lives elsewhere (Hub's
 * auth.docker.io) and a second "foreign" origin when a fault needs one. Every request
 * is routed (`router.ts`), delayed by `latencyMs`, recorded, then answered.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authSchemeOf, userOf, type Call, type Listener, type RegistryContext } from "./context.js";
import type { DeliveryFault, EmulatorProfile } from "./profile.js";
import { builtinProfiles } from "./profiles/index.js";
import { errorReply, type Reply } from "./reply.js";
import { defaultRepositories } from "./repositories.js";
import { route } from "./router.js";
import { createStore } from "./store.js";
import { newFaultState, type FaultState } from "./tags.js";
import { TokenStore } from "./tokens.js";
import type { EmulatedRegistry, EmulatorClock, Emulator, EmulatorOptions, RecordedRequest, RequestCounts, RequestKind } from "./types.js";

const REAL_CLOCK: EmulatorClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

class RunningRegistry implements EmulatedRegistry {
  #log: RecordedRequest[] = [];

  constructor(
    readonly profile: EmulatorProfile,
    readonly url: string,
    readonly host: string,
    readonly authUrl: string | undefined,
    readonly foreignUrl: string | undefined,
    private readonly faultState: FaultState,
  ) {}

  get requests(): readonly RecordedRequest[] {
    return this.#log;
  }

  counts(): RequestCounts {
    const counts: Record<RequestKind | "total", number> = { ping: 0, token: 0, tags: 0, manifest: 0, catalog: 0, vendor: 0, other: 0, total: 0 };
    for (const request of this.#log) counts[request.kind]++;
    counts.total = this.#log.length;
    return counts;
  }

  resetCounts(): void {
    this.#log = [];
    Object.assign(this.faultState, newFaultState());
  }

  record(request: RecordedRequest): void {
    this.#log.push(request);
  }
}

function resolveProfile(profile: string | EmulatorProfile): EmulatorProfile {
  if (typeof profile !== "string") return profile;
  const found = builtinProfiles[profile];
  if (found === undefined) {
    throw new Error(`unknown emulator profile "${profile}"; built-in profiles: ${Object.keys(builtinProfiles).join(", ")}`);
  }
  return found;
}

function listen(server: Server, host: string, port = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve(host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function write(res: ServerResponse, reply: Reply, extraHeaders: Readonly<Record<string, string>>, method: string): void {
  const headers = { ...extraHeaders, ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) };
  const bodyless = reply.headOnly === true || method === "HEAD";
  if (reply.delivery !== undefined && !bodyless) return deliver(res, reply, headers, reply.delivery);
  res.writeHead(reply.status, headers);
  res.end(bodyless ? undefined : reply.body);
}

/** Writes a reply with a socket-level fault (profile.ts, DeliveryFault). */
function deliver(res: ServerResponse, reply: Reply, headers: Record<string, string>, fault: DeliveryFault): void {
  const body = Buffer.from(reply.body);
  const half = body.subarray(0, Math.floor(body.length / 2));
  switch (fault.kind) {
    case "stall":
      // Accept and never answer, or answer half and go quiet; the socket stays open until close().
      if (fault.phase === "body") {
        res.writeHead(reply.status, headers);
        res.write(half);
      }
      return;
    case "reset-mid-body":
      res.writeHead(reply.status, headers);
      res.write(half, () => res.socket?.destroy());
      return;
    case "trickle": {
      res.writeHead(reply.status, headers);
      let offset = 0;
      const timer = setInterval(() => {
        if (res.destroyed || offset >= body.length) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(body.subarray(offset, offset + fault.bytesPerChunk));
        offset += fault.bytesPerChunk;
      }, fault.intervalMs);
      res.once("close", () => clearInterval(timer));
      return;
    }
    case "endless-body": {
      const { "content-length": _length, ...chunked } = headers;
      res.writeHead(reply.status, chunked);
      const chunk = Buffer.from(`"${"x".repeat(64 * 1024 - 3)}",`);
      res.write('{"tags":[');
      // Write as fast as the client reads, forever, until it hangs up.
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      res.once("close", () => res.removeListener("drain", pump));
      pump();
      return;
    }
  }
}

/** Starts one profile's listeners; pushes every server it opens to `servers` for cleanup. */
async function startRegistry(profile: EmulatorProfile, options: EmulatorOptions, host: string, port: number, servers: Server[]): Promise<RunningRegistry> {
  const faults = profile.faults ?? {};
  const latencyMs = options.latencyMs ?? 0;
  const clock = options.clock ?? REAL_CLOCK;
  const faultState: FaultState = newFaultState();
  let ctx: RegistryContext | undefined;
  let registry: RunningRegistry | undefined;

  const handler = (listener: Listener) => (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const at = clock.now();
      const raw = req.url ?? "/";
      const q = raw.indexOf("?");
      const rawQuery = q < 0 ? "" : raw.slice(q + 1);
      const call: Call = {
        method: req.method ?? "GET",
        path: q < 0 ? raw : raw.slice(0, q),
        rawQuery,
        query: new URLSearchParams(rawQuery),
        authorization: req.headers.authorization,
        listener,
      };
      let kind: RequestKind = "other";
      let reply: Reply;
      // Who the request authenticated as is decided on arrival, before a token can expire.
      const user = ctx === undefined ? undefined : userOf(ctx, call.authorization);
      try {
        if (ctx === undefined) throw new Error("registry not ready");
        ({ kind, reply } = route(ctx, call, faultState));
      } catch (error) {
        reply = errorReply(500, "UNKNOWN", `emulator error: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (latencyMs > 0) await clock.sleep(latencyMs);
      registry?.record({
        kind,
        method: call.method,
        path: call.path,
        query: rawQuery,
        status: reply.status,
        authScheme: authSchemeOf(call.authorization),
        user,
        at,
        server: listener,
      });
      write(res, reply, listener === "auth" ? {} : (profile.headers ?? {}), call.method);
    })();
  };

  const open = async (listener: Listener, at = 0): Promise<string> => {
    const server = createServer(handler(listener));
    servers.push(server);
    return `http://${await listen(server, host, at)}`;
  };

  const origin = await open("registry", port);
  const authOrigin = profile.auth.kind === "bearer" && profile.auth.realm.server === "separate" ? await open("auth") : undefined;
  const needsForeign = faults.foreignLink === true || faults.redirectTagsDroppingQuery === true;
  const foreignOrigin = needsForeign ? await open("foreign") : undefined;
  const hostPort = origin.slice("http://".length);

  ctx = {
    profile,
    origin,
    host: hostPort,
    authOrigin: authOrigin ?? origin,
    foreignOrigin,
    tokens: new TokenStore(),
    users: options.users ?? {},
    repositories: createStore(options.repositories ?? defaultRepositories(), profile.tags),
    cursorKey: randomBytes(32),
    now: () => clock.now(),
  };
  registry = new RunningRegistry(profile, origin, hostPort, authOrigin, foreignOrigin, faultState);
  return registry;
}

/**
 * Starts one emulated registry per profile, each on its own port of `host`.
 * Throws on an unknown profile id or a duplicate id. Close it with `close()`.
 *
 * @example
 * const emulator = await startEmulator({ profiles: ["dockerhub", "quay-2023"] });
 * const hub = emulator.get("dockerhub");
 * await fetch(`${hub.url}/v2/`); // 401 with a Bearer challenge
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const profiles = options.profiles.map(resolveProfile);
  const ids = new Set<string>();
  for (const profile of profiles) {
    if (ids.has(profile.id)) throw new Error(`profile id "${profile.id}" given twice; give overridden profiles their own id`);
    ids.add(profile.id);
  }
  const host = options.host ?? "127.0.0.1";
  const servers: Server[] = [];
  const registries = new Map<string, EmulatedRegistry>();
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map(close));
  };
  try {
    for (const [i, profile] of profiles.entries()) registries.set(profile.id, await startRegistry(profile, options, host, options.port ? options.port + i : 0, servers));
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    registries,
    get(id) {
      const registry = registries.get(id);
      if (registry === undefined) throw new Error(`no emulated registry "${id}"; running: ${[...registries.keys()].join(", ")}`);
      return registry;
    },
    close: closeAll,
  };
}
