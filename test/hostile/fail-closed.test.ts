/**
 * Fail closed (issue 10, item 1), run as users run regtags: a response the
 * transport cannot turn into a result ends the listing with an error, never
 * exit 0. A 101 Switching Protocols on page 2 or from the token realm, a final
 * 1xx, a connection closed without an answer; and, should any path still leave
 * a request unsettled, the process that drains with work pending exits 1.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { bearerChallenge, lines, respond, startHostileServer, SWITCHING_PROTOCOLS, tagsPage, type HostileServer } from "./servers.js";

const REPO = "app/x";
const servers: HostileServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

/** Page 1 lists a and b and links to page 2, which `page2` answers. */
async function twoPages(page2: string): Promise<HostileServer> {
  const server = await startHostileServer((req) => (req.target.includes("last=b") ? page2 : tagsPage(REPO, ["a", "b"], `/v2/${REPO}/tags/list?last=b`)), { maxRequests: 20 });
  servers.push(server);
  return server;
}

function regtags(server: HostileServer, ...args: string[]): Promise<CliResult> {
  return runCli([...args.slice(0, 1), "--endpoint", `r.test=${server.url}`, ...args.slice(1), `r.test/${REPO}`], { timeoutMs: 30_000 });
}

const UPGRADE = (url: string, path: string) =>
  `regtags: GET ${url}${path}: the server answered 101 Switching Protocols to a plain request; regtags never asks for that, so the registry or a proxy in front of it is broken`;

describe("a 101 Switching Protocols on page 2", { concurrency: true }, () => {
  test("lines: page 1 may be out, but exit 5 and one error line, never exit 0", async () => {
    const server = await twoPages(SWITCHING_PROTOCOLS);
    const result = await regtags(server, "ls");
    assert.equal(result.code, 5, result.stderr);
    assert.deepEqual(lines(result.stdout), ["a", "b"]);
    assert.deepEqual(lines(result.stderr), [UPGRADE(server.url, `/v2/${REPO}/tags/list`)]);
    assert.equal(server.requests.length, 2, "the 101 is not retried");
  });

  test("--json: nothing on stdout, exit 5", async () => {
    const server = await twoPages(SWITCHING_PROTOCOLS);
    const result = await regtags(server, "ls", "--json");
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(lines(result.stderr), [UPGRADE(server.url, `/v2/${REPO}/tags/list`)]);
  });

  test("latest: nothing on stdout, exit 5", async () => {
    const server = await twoPages(SWITCHING_PROTOCOLS);
    const result = await regtags(server, "latest");
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(lines(result.stderr), [UPGRADE(server.url, `/v2/${REPO}/tags/list`)]);
  });

  test("a 101 without an Upgrade header (node:http hands it over as final): exit 5", async () => {
    const server = await twoPages("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    const result = await regtags(server, "ls", "--json");
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(lines(result.stderr), [
      `regtags: GET ${server.url}/v2/${REPO}/tags/list: the server answered 101 as its final response; a 1xx status is never an answer (RFC 9110 §15.2)`,
    ]);
  });
});

test("a 101 from the token realm: exit 5 naming the registry and repository, nothing on stdout", async () => {
  const server = await startHostileServer((req, self) => (req.target.startsWith("/token") ? SWITCHING_PROTOCOLS : bearerChallenge(`${self.url}/token`, REPO)), { maxRequests: 10 });
  servers.push(server);
  const result = await regtags(server, "ls");
  assert.equal(result.code, 5, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(lines(result.stderr), [`${UPGRADE(server.url, "/token").replace("regtags: ", `regtags: r.test/${REPO}: `)}`]);
  assert.equal(server.requestsTo("/token").length, 1, "one token request, not retried");
});

test("a connection closed without an answer: a reset, retried, then exit 6", async () => {
  const server = await startHostileServer(() => "close", { maxRequests: 10 });
  servers.push(server);
  const result = await regtags(server, "ls", "--retry-attempts", "2");
  assert.equal(result.code, 6, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(lines(result.stderr).filter((l) => !l.startsWith("regtags: warning:")), [`regtags: GET ${server.url}/v2/${REPO}/tags/list: connection reset (ECONNRESET)`]);
  assert.equal(server.requests.length, 2);
});

test("interim 1xx answers are skipped up to a bound; past it, exit 5", async () => {
  const server = await startHostileServer(() => "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n".repeat(21), { maxRequests: 5 });
  servers.push(server);
  const result = await regtags(server, "ls");
  assert.equal(result.code, 5, result.stderr);
  assert.deepEqual(lines(result.stderr), [`regtags: GET ${server.url}/v2/${REPO}/tags/list: more than 20 interim 1xx responses and no final one`]);
  assert.equal(server.requests.length, 1);
});

describe("a process that drains with the command still pending exits 1, never 0", () => {
  // The guard of last resort, for any path the transport still misses: a preload
  // makes node:http's second request one that never answers, as the 101 did.
  let dir: string;
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("lines: page 1 is out, then an internal error line and exit 1", async () => {
    const server = await twoPages(tagsPage(REPO, ["c"]));
    dir = await mkdtemp(join(tmpdir(), "regtags-drain-"));
    const preload = join(dir, "second-request-never-answers.mjs");
    await writeFile(
      preload,
      `import http from "node:http";
import { EventEmitter } from "node:events";
import { syncBuiltinESMExports } from "node:module";
const real = http.request;
let count = 0;
http.request = (...args) => {
  if (++count !== 2) return real(...args);
  const silent = new EventEmitter();
  silent.setTimeout = () => silent;
  silent.end = () => silent;
  silent.destroy = () => silent;
  return silent;
};
syncBuiltinESMExports();
`,
    );
    const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], {
      env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` },
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(lines(result.stdout), ["a", "b"]);
    assert.deepEqual(lines(result.stderr), [
      "regtags: internal error: the command ended with work pending (a request or a wait that nothing will complete), so its output is incomplete; please report it with --debug output",
    ]);
  });
});

test("the hostile server helper answers a plain request as a registry would (control)", async () => {
  const server = await startHostileServer(() => respond(200, "OK", { "content-type": "application/json" }, JSON.stringify({ name: REPO, tags: ["only"] })));
  servers.push(server);
  const result = await regtags(server, "ls");
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(lines(result.stdout), ["only"]);
});
