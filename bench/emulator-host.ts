/**
 * The registry emulator in a process of its own, driven by the bench over IPC.
 * Keeping it out of the bench's process means that serving (and JSON-encoding)
 * a million tags never delays the bench's own clock readings (first stdout
 * byte, exit) of the clients it measures.
 *
 * Messages (request → reply, each with the request's `id`):
 * - `start` {profiles, sizes, seed, latencyMs, users?} → {registries: {profileId: {url, host}}, repositories: {size: name}}
 * - `warm` {profile, repository}: lists one tag (with a token when needed) so the
 *   registry has built and sorted its listing before anything is timed; then resets the counts
 * - `reset` {profile}
 * - `stats` {profile} → request counts, 401s, and when the first and last tags requests arrived
 * - `close`
 * The process exits when the bench disconnects.
 */
import { generateTags, startEmulator, type Emulator } from "../src/emulator/index.js";

export interface HostStartRequest {
  readonly profiles: readonly string[];
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly latencyMs: number;
  /** Users (name → password) for the profiles that always want credentials (ecr). */
  readonly users?: Readonly<Record<string, string>>;
}

export interface HostStats {
  readonly counts: Readonly<Record<string, number>>;
  /** Requests answered 401. */
  readonly unauthorized: number;
  /** `Date.now()` (emulator clock) when the first / last tags request arrived. */
  readonly firstTagsAt: number | undefined;
  readonly lastTagsAt: number | undefined;
  /** Tags requests answered 200. */
  readonly tagPages: number;
  /** Distinct `n` values of the tags requests, in order of appearance (`none` when absent). */
  readonly nValues: readonly string[];
}

export type HostMessage =
  | { id: number; cmd: "start"; start: HostStartRequest }
  | { id: number; cmd: "warm"; profile: string; repository: string }
  | { id: number; cmd: "reset"; profile: string }
  | { id: number; cmd: "stats"; profile: string }
  | { id: number; cmd: "close" };

export function repositoryName(size: number): string {
  return `bench/tags-${size}`;
}

let emulator: Emulator | undefined;
let basicAuth: string | undefined;

async function warm(profile: string, repository: string): Promise<void> {
  const registry = emulator!.get(profile);
  const url = `${registry.url}/v2/${repository}/tags/list?n=1`;
  let response = await fetch(url);
  await response.arrayBuffer();
  if (response.status === 401 && /^basic/i.test(response.headers.get("www-authenticate") ?? "") && basicAuth !== undefined) {
    response = await fetch(url, { headers: { authorization: basicAuth } });
    await response.arrayBuffer();
  } else if (response.status === 401) {
    const challenge = response.headers.get("www-authenticate") ?? "";
    const param = (name: string): string | undefined => new RegExp(`${name}="([^"]*)"`, "i").exec(challenge)?.[1];
    const realm = param("realm");
    if (realm === undefined) throw new Error(`warm-up of ${profile}: 401 without a realm: ${challenge}`);
    const tokenUrl = new URL(realm);
    const service = param("service");
    if (service !== undefined) tokenUrl.searchParams.set("service", service);
    tokenUrl.searchParams.set("scope", `repository:${repository}:pull`);
    const tokenResponse = await fetch(tokenUrl);
    const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
    const token = body.token || body.access_token;
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
  }
  if (response.status !== 200) throw new Error(`warm-up of ${profile} ${repository}: HTTP ${response.status}`);
  registry.resetCounts();
}

async function handle(message: HostMessage): Promise<unknown> {
  switch (message.cmd) {
    case "start": {
      const { profiles, sizes, seed, latencyMs, users = {} } = message.start;
      const repositories: Record<string, { tags: string[] }> = {};
      for (const size of sizes) repositories[repositoryName(size)] = { tags: generateTags(size, seed) };
      const [user] = Object.entries(users);
      basicAuth = user === undefined ? undefined : `Basic ${Buffer.from(`${user[0]}:${user[1]}`).toString("base64")}`;
      emulator = await startEmulator({ profiles, repositories, latencyMs, users });
      const registries: Record<string, { url: string; host: string }> = {};
      for (const [id, registry] of emulator.registries) registries[id] = { url: registry.url, host: registry.host };
      return { registries };
    }
    case "warm":
      await warm(message.profile, message.repository);
      return {};
    case "reset":
      emulator!.get(message.profile).resetCounts();
      return {};
    case "stats": {
      const registry = emulator!.get(message.profile);
      const tags = registry.requests.filter((request) => request.kind === "tags");
      const stats: HostStats = {
        counts: registry.counts(),
        unauthorized: registry.requests.filter((request) => request.status === 401).length,
        firstTagsAt: tags[0]?.at,
        lastTagsAt: tags.at(-1)?.at,
        tagPages: tags.filter((request) => request.status === 200).length,
        nValues: [...new Set(tags.map((request) => new URLSearchParams(request.query).get("n") ?? "none"))],
      };
      return stats;
    }
    case "close":
      await emulator?.close();
      emulator = undefined;
      return {};
  }
}

if (process.send !== undefined) {
  process.on("message", (message: HostMessage) => {
    handle(message).then(
      (result) => process.send!({ id: message.id, ok: true, result }),
      (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on("disconnect", () => {
    void (emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}
