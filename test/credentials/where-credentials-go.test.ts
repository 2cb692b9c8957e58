/**
 * Credentials go only to the registry they belong to and to its token
 * realm: never to a plain-http realm on a non-loopback host (Basic or a
 * refresh token), never to another origin a Link points at, and a
 * resolver is only ever asked about the registry being listed. Small
 * node:http servers on 127.0.0.1 play the registry.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, createCredentialResolver, CredentialsError, isRegtagsError } from "../../src/index.js";
import { authEntry, createSandbox, type Sandbox } from "./sandbox.js";

interface Seen {
  url: string;
  authorization: string | undefined;
}

async function serve(handler: (req: IncomingMessage, seen: Seen[]) => { status: number; headers?: Record<string, string>; body?: string }): Promise<{ server: Server; host: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    const reply = handler(req, seen);
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe("where credentials go", () => {
  let sandbox: Sandbox;
  const servers: Server[] = [];
  before(async () => {
    sandbox = await createSandbox();
  });
  after(async () => {
    for (const server of servers) server.close();
    await sandbox.remove();
  });

  for (const [kind, entry] of [
    ["Basic credentials", authEntry("alice", "S3CR3T-pw")],
    ["a refresh token (identitytoken)", { auth: authEntry("alice", "").auth, identitytoken: "S3CR3T-refresh" }],
  ] as const) {
    test(`${kind}: never sent to a plain-http realm on a non-loopback host`, async () => {
      const registry = await serve(() => ({
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="http://auth.registry.example/token",service="registry.example"' },
        body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
      }));
      servers.push(registry.server);
      const dir = `${sandbox.dir}/${kind.length}`;
      await sandbox.write(`${kind.length}/config.json`, { auths: { [registry.host]: entry } });
      const client = createClient({ plainHttp: true, credentials: createCredentialResolver({ env: { ...sandbox.env, DOCKER_CONFIG: dir } }), retry: { attempts: 1 } });
      try {
        await assert.rejects(client.listTags(`${registry.host}/team/app`), (error: unknown) => {
          assert.ok(error instanceof CredentialsError, String(error));
          assert.equal(error.message, `${registry.host}/team/app: refusing to send credentials to the plain-http token realm http://auth.registry.example/token; use an https realm or pass the allowInsecureRealm option`);
          return true;
        });
      } finally {
        await client.close();
      }
      assert.deepEqual(registry.seen.map((s) => s.authorization), [undefined], "one anonymous request, nothing else");
    });
  }

  test("a Link to another origin gets no credentials; the resolver is asked about the registry only", async () => {
    const foreign = await serve(() => ({ status: 200, body: JSON.stringify({ name: "team/app", tags: ["b"] }) }));
    servers.push(foreign.server);
    const registry = await serve((req) =>
      req.headers.authorization === undefined
        ? { status: 401, headers: { "www-authenticate": 'Basic realm="r"' } }
        : { status: 200, headers: { link: `<http://${foreign.host}/v2/team/app/tags/list?last=a>; rel="next"` }, body: JSON.stringify({ name: "team/app", tags: ["a"] }) },
    );
    servers.push(registry.server);
    await sandbox.write("link/config.json", { auths: { [registry.host]: authEntry("alice", "S3CR3T-link"), [foreign.host]: authEntry("mallory", "S3CR3T-foreign") } });
    const asked: string[] = [];
    const resolve = createCredentialResolver({ env: { ...sandbox.env, DOCKER_CONFIG: `${sandbox.dir}/link` } });
    const client = createClient({
      plainHttp: true,
      retry: { attempts: 1 },
      credentials: (name, repository) => {
        asked.push(`${name} ${repository ?? ""}`);
        return resolve(name, repository);
      },
    });
    try {
      const result = await client.listTags(`${registry.host}/team/app`).catch((error: unknown) => error);
      // Whether the client follows a foreign-origin link is the listing's business; credentials never go there.
      if (!isRegtagsError(result)) assert.deepEqual((result as { tags: string[] }).tags, ["a", "b"]);
    } finally {
      await client.close();
    }
    assert.ok(registry.seen.some((s) => s.authorization?.startsWith("Basic ")));
    assert.ok(foreign.seen.every((s) => s.authorization === undefined), "the foreign origin never sees Authorization");
    assert.deepEqual([...new Set(asked)], [`${registry.host} team/app`]);
  });
});
