/**
 * Exit codes as documented (issue 10, item 8), run as users run regtags: what
 * is not HTTP/1.1 (a garbage status line, a malformed header, a duplicate
 * Content-Length, a broken chunk, headers past node's 16 KiB) and a token a
 * header cannot carry are protocol errors, exit 5: not an internal error (1),
 * not a network error (6), and never retried, so the hostile server sees
 * exactly one request. Each message names the registry and the repository.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/run-cli.js";
import { bearerChallenge, lines, respond, startHostileServer, tagsPage, type HostileServer } from "./servers.js";

const REPO = "app/x";
const servers: HostileServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

const BODY = JSON.stringify({ name: REPO, tags: ["a", "b"] });

/** Raw answers to a tags request, and what llhttp calls each. */
const BROKEN_RESPONSES: ReadonlyArray<readonly [string, string, string]> = [
  ["a garbage status line", "FOO BAR\r\n\r\n", "Expected HTTP/, RTSP/ or ICE/, HPE_INVALID_CONSTANT"],
  ["a header line without a colon", `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Broken header\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, "Invalid header token, HPE_INVALID_HEADER_TOKEN"],
  ["a control character in a header value", `HTTP/1.1 200 OK\r\nX-Note: a\u0001b\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, "Invalid header value char, HPE_INVALID_HEADER_TOKEN"],
  ["a duplicate, conflicting Content-Length", `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\nContent-Length: 3\r\n\r\n${BODY}`, "Duplicate Content-Length, HPE_UNEXPECTED_CONTENT_LENGTH"],
  ["a chunk size that is not hex, mid-body", `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"nam\r\nZZ\r\n`, "Invalid character in chunk size, HPE_INVALID_CHUNK_SIZE"],
  ["headers past 16 KiB", `HTTP/1.1 200 OK\r\nX-Pad: ${"p".repeat(20_000)}\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, "Header overflow, HPE_HEADER_OVERFLOW"],
];

describe("a tags response that is not HTTP/1.1: exit 5, one request", { concurrency: true }, () => {
  for (const [what, raw, llhttp] of BROKEN_RESPONSES) {
    test(what, async () => {
      const server = await startHostileServer(() => raw, { maxRequests: 10 });
      servers.push(server);
      const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], { timeoutMs: 30_000 });
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, "");
      assert.deepEqual(lines(result.stderr), [
        `regtags: GET ${server.url}/v2/${REPO}/tags/list: the response is not valid HTTP/1.1 (${llhttp}); the registry or a proxy in front of it is broken`,
      ]);
      assert.equal(server.requests.length, 1, "a protocol error is not retried");
    });
  }
});

describe("the token service", { concurrency: true }, () => {
  test("a token with CR/LF: exit 5 naming registry and repository, the token never printed, one token request", async () => {
    const server = await startHostileServer(
      (req, self) =>
        req.target.startsWith("/token")
          ? respond(200, "OK", { "content-type": "application/json" }, JSON.stringify({ token: "abc\r\nX-Injected: 1", expires_in: 300 }))
          : req.headers["authorization"] === undefined
            ? bearerChallenge(`${self.url}/token`, REPO)
            : tagsPage(REPO, ["a"]),
      { maxRequests: 10 },
    );
    servers.push(server);
    const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], { timeoutMs: 30_000 });
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(lines(result.stderr), [
      `regtags: r.test/${REPO}: token service ${server.url}/token: the token holds a carriage return (CR) at offset 3, which an HTTP header cannot carry; the token service is broken`,
    ]);
    assert.doesNotMatch(result.stderr, /Injected/);
    assert.equal(server.requestsTo("/token").length, 1);
    assert.equal(server.requestsTo("/v2/").length, 1, "the token is never sent");
  });

  test("a malformed header from the token service: exit 5 naming registry and repository, one token request", async () => {
    const server = await startHostileServer(
      (req, self) => (req.target.startsWith("/token") ? "HTTP/1.1 200 OK\r\nContent-Type application/json\r\nContent-Length: 2\r\n\r\n{}" : bearerChallenge(`${self.url}/token`, REPO)),
      { maxRequests: 10 },
    );
    servers.push(server);
    const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], { timeoutMs: 30_000 });
    assert.equal(result.code, 5, result.stderr);
    assert.deepEqual(lines(result.stderr), [
      `regtags: r.test/${REPO}: GET ${server.url}/token: the response is not valid HTTP/1.1 (Invalid header token, HPE_INVALID_HEADER_TOKEN); the registry or a proxy in front of it is broken`,
    ]);
    assert.equal(server.requestsTo("/token").length, 1);
  });
});

describe("auth errors name the registry and the repository", { concurrency: true }, () => {
  const cases: ReadonlyArray<readonly [string, (url: string) => string, number, (url: string) => string]> = [
    [
      "a Bearer challenge without a realm",
      () => respond(401, "Unauthorized", { "www-authenticate": 'Bearer service="hostile.test"' }),
      3,
      (url) => `regtags: r.test/${REPO}: Bearer challenge without a realm from ${url.slice(7)}; the registry's WWW-Authenticate header is unusable`,
    ],
    [
      "a 401 without any challenge",
      () => respond(401, "Unauthorized"),
      3,
      (url) => `regtags: r.test/${REPO}: 401 Unauthorized without a usable WWW-Authenticate challenge at ${url}/v2/${REPO}/tags/list?n=10000`,
    ],
    [
      "a realm that is not a URL",
      () => respond(401, "Unauthorized", { "www-authenticate": 'Bearer realm="not a url",service="hostile.test"' }),
      5,
      () => `regtags: r.test/${REPO}: the registry's Bearer realm "not a url" is not a URL`,
    ],
  ];
  for (const [what, answer, code, message] of cases) {
    test(what, async () => {
      const server = await startHostileServer((_, self) => answer(self.url), { maxRequests: 10 });
      servers.push(server);
      const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], { timeoutMs: 30_000 });
      assert.equal(result.code, code, result.stderr);
      assert.deepEqual(lines(result.stderr), [message(server.url)]);
    });
  }
});
