/**
 * Bodies and timeouts: a connection reset mid-body, a TLS handshake that
 * never completes (connect timeout), a server that accepts and never
 * answers, one that stops mid-body, a body trickled too slowly to ever
 * finish, a body that never ends, and bodies that are not the tag list.
 * Timeouts are shrunk to fractions of a second so a stall costs little.
 *
 * Connect, idle and request timeouts are real timers on real sockets (they
 * bound real I/O; the client's clock does not drive them), so a test may check
 * that a timeout really waited (a lower bound: a timer never fires early) but
 * never how soon it ended: an upper bound only measures the machine's load.
 * That the right timer ended it, and how often it was retried, is in the
 * message, the trace and the request count.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { escape, numbered, paginating, profile, rejection, statuses, tagsRequests, withHarness } from "./helpers.js";

const TAGS = numbered(30);
const REPOS = { "app/x": { tags: TAGS }, "library/ubuntu": { tags: ["22.04", "24.04", "latest"] } };
/** Timeouts small enough for tests, large enough for a loaded machine's loopback. */
const QUICK = { idleTimeoutMs: 500, requestTimeoutMs: 2_000 } as const;

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      paginating("reset-once", { delivery: { onTagsRequest: 2, times: 1, fault: { kind: "reset-mid-body" } } }),
      paginating("reset-always", { delivery: { onTagsRequest: 2, fault: { kind: "reset-mid-body" } } }),
      paginating("stall-once", { delivery: { onTagsRequest: 2, times: 1, fault: { kind: "stall", phase: "headers" } } }),
      paginating("stall-always", { delivery: { onTagsRequest: 1, fault: { kind: "stall", phase: "headers" } } }),
      paginating("stall-body-once", { delivery: { onTagsRequest: 3, times: 1, fault: { kind: "stall", phase: "body" } } }),
      paginating("stall-body-always", { delivery: { onTagsRequest: 1, fault: { kind: "stall", phase: "body" } } }),
      paginating("trickle", { delivery: { onTagsRequest: 1, fault: { kind: "trickle", bytesPerChunk: 16, intervalMs: 60 } } }),
      paginating("endless", { delivery: { onTagsRequest: 1, fault: { kind: "endless-body" } } }),
      paginating("html", { tagsBody: { contentType: "text/html; charset=utf-8", body: "<!DOCTYPE html>\n<html><body>Sign in</body></html>" } }),
      paginating("truncated", { tagsBody: { contentType: "application/json", body: '{"name":"app/x","tags":["v01","v0' } }),
      paginating("tags-object", { tagsBody: { contentType: "application/json", body: '{"name":"app/x","tags":{"v01":true}}' } }),
      paginating("tags-numbers", { tagsBody: { contentType: "application/json", body: '{"name":"app/x","tags":["v01",2,"v03"]}' } }),
      paginating("array-body", { tagsBody: { contentType: "application/json", body: '["v01","v02"]' } }),
      paginating("json-as-html", { tagsBody: { contentType: "text/html", body: '{"name":"app/x","tags":["v01","v02"]}' } }),
      paginating("no-content-type", { tagsBody: { contentType: "", body: '{"name":"app/x","tags":["v01","v02"]}' } }),
      paginating("nulls-and-digests", { tagsBody: { contentType: "application/json", body: `{"name":"app/x","tags":[null,"v01","sha256:${"a".repeat(64)}","v02",null]}` } }),
      profile("nexus"),
    ],
    repositories: REPOS,
  });
});
after(async () => emulator?.close());

describe("a body that breaks off is asked for again as a page", () => {
  test("reset mid-body once: the page is fetched again; exact list, no page lost or repeated", async () => {
    const registry = emulator.get("reset-once");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10 }, async (h) => {
      const pages: string[][] = [];
      for await (const page of h.client.listTagPages("r.test/app/x")) pages.push([...page.tags]);
      assert.deepEqual(pages, [TAGS.slice(0, 10), TAGS.slice(10, 20), TAGS.slice(20, 30)]);
      const retries = h.events.filter((e) => e.type === "retry");
      assert.equal(retries.length, 1);
      assert.match(retries[0]!.type === "retry" ? retries[0]!.reason : "", /^the body broke off \(GET .*: connection reset.*\); asking for the page again$/);
    });
    const tags = tagsRequests(registry);
    assert.equal(tags.length, 4);
    assert.equal(tags[1]?.query, tags[2]?.query, "the broken page, once more");
  });

  test("reset mid-body on every try: a NetworkError after 3 tries of that page, what came before kept in order", async () => {
    const registry = emulator.get("reset-always");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10 }, async (h) => {
      const got: string[] = [];
      const error = await rejection((async () => {
        for await (const page of h.client.listTagPages("r.test/app/x")) got.push(...page.tags);
      })());
      assert.equal(error.code, "ERR_NETWORK");
      assert.match(error.message, new RegExp(`^GET ${escape(registry.url)}/v2/app/x/tags/list: connection reset`));
      assert.deepEqual(got, TAGS.slice(0, 10));
    });
    assert.equal(tagsRequests(registry).length, 4, "1 good page + 3 tries of the broken one");
  });
});

describe("timeouts", () => {
  test("a TLS handshake that never completes: the connect timeout fires, retried once, then a NetworkError", async () => {
    // A TCP server that accepts and stays silent: an https client waits for the ServerHello forever.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    try {
      const error = await withHarness({ url: `https://127.0.0.1:${port}` }, "r.test", { connectTimeoutMs: 300, idleTimeoutMs: 5_000 }, (h) => rejection(h.client.listTags("r.test/app/x")));
      assert.equal(error.code, "ERR_NETWORK");
      assert.equal(error.message, `GET https://127.0.0.1:${port}/v2/app/x/tags/list: connect timeout`);
      assert.equal(sockets.size, 2, "one retry after a timeout");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 550, `two connect timeouts of 0.3 s: ${elapsed} ms`);
  });

  test("a server that accepts and never answers once: the idle timeout fires and one retry gets the page", async () => {
    const registry = emulator.get("stall-once");
    registry.resetCounts();
    const started = Date.now();
    await withHarness(registry, "r.test", { pageSize: 10, ...QUICK }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
      const retry = h.events.find((e) => e.type === "retry");
      assert.match(retry?.type === "retry" ? retry.reason : "", /idle timeout/);
    });
    assert.ok(Date.now() - started >= 450, "waited for the idle timeout");
    assert.equal(tagsRequests(registry).length, 4);
  });

  test("a server that never answers: fails within two idle timeouts (a timeout is retried once), naming the URL", async () => {
    const registry = emulator.get("stall-always");
    registry.resetCounts();
    const started = Date.now();
    await withHarness(registry, "r.test", { pageSize: 10, ...QUICK }, async (h) => {
      const error = await rejection(h.client.listTags("r.test/app/x"));
      assert.equal(error.code, "ERR_NETWORK");
      assert.match(error.message, new RegExp(`^GET ${escape(registry.url)}/v2/app/x/tags/list: the server stopped answering \\(idle timeout\\)$`));
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950, `two idle timeouts of 0.5 s: ${elapsed} ms`);
    assert.equal(tagsRequests(registry).length, 2);
  });

  test("a body that stops half-way once: the idle timeout cuts it and the page is fetched again", async () => {
    const registry = emulator.get("stall-body-once");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, ...QUICK }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
    });
    const tags = tagsRequests(registry);
    assert.equal(tags.length, 4);
    assert.equal(tags[2]?.query, tags[3]?.query);
  });

  test("a body that always stops half-way: one retry of the page, then a NetworkError", async () => {
    const registry = emulator.get("stall-body-always");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, ...QUICK }, async (h) => {
      const error = await rejection(h.client.listTags("r.test/app/x"));
      assert.equal(error.code, "ERR_NETWORK");
      assert.match(error.message, /tags\/list: .*(idle timeout|stopped answering)/);
    });
    assert.equal(tagsRequests(registry).length, 2);
  });

  test("a body trickled too slowly to finish: the whole-request timeout fires although the socket is never idle", async () => {
    const registry = emulator.get("trickle");
    registry.resetCounts();
    const started = Date.now();
    // One page of 30 tags (about 300 bytes) at 16 bytes per 60 ms takes about a second.
    await withHarness(registry, "r.test", { pageSize: 50, idleTimeoutMs: 1_000, requestTimeoutMs: 500 }, async (h) => {
      const error = await rejection(h.client.listTags("r.test/app/x"));
      assert.equal(error.code, "ERR_NETWORK");
      assert.equal(error.message, `GET ${registry.url}/v2/app/x/tags/list: no complete answer within 0.5 s (request timeout)`);
      // Retried once: two requests below. (On a loaded machine the deadline can also fall
      // before the headers, and then both the transport and the page announce the retry.)
      assert.ok(h.events.some((e) => e.type === "retry"), "the timeout is retried");
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900, `two tries of 0.5 s: ${elapsed} ms`);
    assert.equal(tagsRequests(registry).length, 2);
  });

  test("a slow body within the timeouts is read whole", async () => {
    const registry = emulator.get("trickle");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 50, idleTimeoutMs: 1_000, requestTimeoutMs: 20_000 }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
    });
    assert.equal(tagsRequests(registry).length, 1);
  });
});

describe("bodies", () => {
  test("a body that never ends stops at the size cap: one request, a ProtocolError, memory bounded", async () => {
    const registry = emulator.get("endless");
    registry.resetCounts();
    const before = process.memoryUsage().rss;
    await withHarness(registry, "r.test", { maxPageBytes: 8 * 1024 * 1024 }, async (h) => {
      const error = await rejection(h.client.listTags("r.test/app/x"));
      assert.equal(error.code, "ERR_PROTOCOL");
      assert.equal(error.message, `GET ${registry.url}/v2/app/x/tags/list: response body exceeds 8388608 bytes; the server sent more than any valid answer needs`);
    });
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, "read no more than the cap");
    assert.equal(tagsRequests(registry).length, 1);
  });

  const broken: ReadonlyArray<readonly [string, string]> = [
    ["html", 'the tag list is not JSON \\(body starts "<!DOCTYPE html> <html><body>Sign in</body></html>"\\); the registry or a proxy in front of it answered something else'],
    ["truncated", 'the tag list is not JSON \\(body starts "\\{\\\\"name\\\\":\\\\"app/x\\\\",\\\\"tags\\\\":\\[\\\\"v01\\\\",\\\\"v0"\\)'],
    ["tags-object", '"tags" is object, not an array'],
    ["tags-numbers", '"tags"\\[1\\] is number, not a string'],
    ["array-body", "the tag list is not a JSON object"],
  ];
  for (const [id, why] of broken) {
    test(`a 200 whose body is not a tag list (${id}): a ProtocolError naming the URL and the rule`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      const error = await withHarness(registry, "r.test", {}, (h) => rejection(h.client.listTags("r.test/app/x")));
      assert.equal(error.code, "ERR_PROTOCOL");
      assert.match(error.message, new RegExp(`^r\\.test/app/x: GET ${escape(registry.url)}/v2/app/x/tags/list\\?n=10000: ${why}`));
      assert.equal(tagsRequests(registry).length, 1, "not retried: the body is wrong, not lost");
    });
  }

  test("tolerated: a JSON tag list sent as text/html or without a Content-Type (the body decides, ECR sends text/plain)", async () => {
    for (const id of ["json-as-html", "no-content-type"]) {
      const registry = emulator.get(id);
      const list = await withHarness(registry, "r.test", {}, (h) => h.client.listTags("r.test/app/x"));
      assert.deepEqual(list.tags, ["v01", "v02"], id);
    }
  });

  test("tolerated: null and digest-shaped entries are skipped with one warning each", async () => {
    const registry = emulator.get("nulls-and-digests");
    await withHarness(registry, "r.test", {}, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, ["v01", "v02"]);
      const where = `r.test/app/x: GET ${registry.url}/v2/app/x/tags/list?n=10000`;
      assert.deepEqual(h.warnings(), [`${where}: skipped 2 null entries in "tags"`, `${where}: skipped 1 digest-shaped entries in "tags" (not tags)`]);
    });
  });

  test("Nexus: a null at the end of every page, over several pages", async () => {
    const registry = emulator.get("nexus");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10 }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
      assert.ok(h.warnings().every((w) => /skipped 1 null entries in "tags"$/.test(w)));
    });
    assert.ok(statuses(tagsRequests(registry)).every((s) => s === 200));
    assert.ok(tagsRequests(registry).length <= 4);
  });
});
