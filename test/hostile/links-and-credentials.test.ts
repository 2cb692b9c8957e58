/**
 * Issue 10, "No downgrade, no stray credentials", against hostile loopback
 * servers. Two servers are two origins; each test asserts what the second
 * origin received (nothing, or nothing secret), the exit code and the message.
 *
 * - a Link rel="next" from an https page to http: refused, exit 5;
 * - the GitHub packages API's Link to another host: followed without the token;
 * - a 307/308/301 of the OAuth2 token POST (refresh token in the body) to
 *   another origin: refused, exit 5; the body is never resent.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, isRegtagsError } from "../../src/index.js";
import { runCli } from "../helpers/run-cli.js";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

interface Origin {
  readonly server: Server;
  readonly port: number;
  readonly seen: Seen[];
}

const servers: Server[] = [];
const dir = mkdtempSync(join(tmpdir(), "regtags-hostile-links-"));

/** Every server: loopback, port 0, closed after the file; each request ends within 10 s. */
async function listen(server: Server, handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<Origin> {
  const seen: Seen[] = [];
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const entry = { method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body };
      seen.push(entry);
      handle(req, res, entry);
    });
  });
  server.requestTimeout = 10_000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, seen, port: (server.address() as { port: number }).port };
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));

let tls: { key: Buffer; cert: Buffer };
before(() => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  tls = { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
});
after(() => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections();
  }
  rmSync(dir, { recursive: true, force: true });
});

test("a Link rel=next from an https page to http is refused: exit 5, the http origin hears nothing", async () => {
  const plain = await listen(createHttpServer(), (_req, res) => json(res, 200, { name: "team/app", tags: ["stolen"] }));
  const secure = await listen(createHttpsServer(tls), (_req, res) =>
    json(res, 200, { name: "team/app", tags: ["1.0", "2.0"] }, { link: `<http://127.0.0.1:${plain.port}/v2/team/app/tags/list?last=2.0>; rel="next"` }),
  );
  const run = await runCli(["ls", "--tls-verify=false", `127.0.0.1:${secure.port}/team/app`], { timeoutMs: 30_000 });
  assert.equal(run.code, 5, run.stderr);
  assert.match(run.stderr, new RegExp(`^regtags: 127\\.0\\.0\\.1:${secure.port}/team/app: GET https://127\\.0\\.0\\.1:${secure.port}/v2/team/app/tags/list\\?n=10000: refusing the Link rel="next" from https to http \\("http://127\\.0\\.0\\.1:${plain.port}"\\)`));
  assert.equal(run.stderr.trim().split("\n").length, 1);
  assert.equal(run.stdout, "");
  assert.deepEqual(plain.seen, []);
  assert.equal(secure.seen.length, 1);
});

test("the GitHub packages API's Link to another host is followed without the token", async () => {
  const other = await listen(createHttpServer(), (_req, res) => json(res, 200, [{ name: "sha256:2", metadata: { container: { tags: ["2.0"] } } }]));
  const api = await listen(createHttpServer(), (req, res) => {
    if (req.url?.startsWith("/orgs/owner/packages/container/app/versions")) {
      json(res, 200, [{ name: "sha256:1", metadata: { container: { tags: ["1.0"] } } }], { link: `<http://127.0.0.1:${other.port}/next?page=2>; rel="next"` });
    } else json(res, 404, { message: "Not Found" });
  });
  const client = createClient({ endpoints: { "ghcr.io": `http://127.0.0.1:${api.port}`, "api.github.com": `http://127.0.0.1:${api.port}` }, credentials: { username: "u", password: "ghp_SECRET" }, retry: { attempts: 1 } });
  try {
    const result = await client.fetchDetails("ghcr.io/owner/app", { source: "vendor" });
    assert.deepEqual([...result.details.keys()], ["1.0", "2.0"]);
  } finally {
    await client.close();
  }
  assert.deepEqual(api.seen.map((s) => s.authorization), ["Bearer ghp_SECRET"]);
  assert.deepEqual(other.seen.map((s) => [s.url, s.authorization]), [["/next?page=2", undefined]]);
});

test("the GitHub packages API's Link from https to http is refused, naming the repository", async () => {
  const plain = await listen(createHttpServer(), (_req, res) => json(res, 200, []));
  const api = await listen(createHttpsServer(tls), (_req, res) =>
    json(res, 200, [{ name: "sha256:1", metadata: { container: { tags: ["1.0"] } } }], { link: `<http://127.0.0.1:${plain.port}/next>; rel="next"` }),
  );
  const client = createClient({ endpoints: { "api.github.com": `https://127.0.0.1:${api.port}` }, tlsVerify: false, credentials: { username: "u", password: "ghp_SECRET" }, retry: { attempts: 1 } });
  try {
    await assert.rejects(client.fetchDetails("ghcr.io/owner/app", { source: "vendor" }), (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && /^ghcr\.io\/owner\/app: GET https:.*refusing the Link rel="next" from https to http/.test((e as Error).message));
  } finally {
    await client.close();
  }
  assert.deepEqual(plain.seen, []);
});

for (const status of [307, 308, 301]) {
  test(`a ${status} of the token POST to another origin is refused: the refresh token is never resent (exit 5)`, async () => {
    const elsewhere = await listen(createHttpServer(), (_req, res) => json(res, 200, { access_token: "t" }));
    const realm = await listen(createHttpServer(), (_req, res) => res.writeHead(status, { location: `http://127.0.0.1:${elsewhere.port}/token` }).end());
    const registry = await listen(createHttpServer(), (req, res) => {
      if (req.headers.authorization === "Bearer t") json(res, 200, { name: "team/app", tags: ["1.0"] });
      else json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "login" }] }, { "www-authenticate": `Bearer realm="http://127.0.0.1:${realm.port}/token",service="reg",scope="repository:team/app:pull"` });
    });
    const config = join(dir, `docker-${status}`);
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, "config.json"), JSON.stringify({ auths: { [`127.0.0.1:${registry.port}`]: { identitytoken: "REFRESH-SECRET" } } }));
    const run = await runCli(["ls", `127.0.0.1:${registry.port}/team/app`], { env: { DOCKER_CONFIG: config }, timeoutMs: 30_000 });
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, new RegExp(`POST http://127\\.0\\.0\\.1:${realm.port}/token: refusing a ${status} redirect to another origin \\(http://127\\.0\\.0\\.1:${elsewhere.port}/token\\): the request body may hold a refresh token or password and is never resent elsewhere`));
    assert.doesNotMatch(run.stderr, /REFRESH-SECRET/);
    assert.equal(run.stderr.trim().split("\n").length, 1);
    // The first origin got the form it was meant to get; the second got nothing at all.
    assert.equal(realm.seen.length, 1);
    assert.match(realm.seen[0]!.body, /refresh_token=REFRESH-SECRET/);
    assert.deepEqual(elsewhere.seen, []);
  });
}
