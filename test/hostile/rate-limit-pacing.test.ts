/**
 * Rate-limit pacing is bounded (issue 10, item 9). A server announcing a quota
 * with a few requests left and a reset 69 days away must not make every later
 * request wait the cap (a long listing would take 69 days): past the cap on a
 * wait (--retry-max-wait), the request fails at once with ERR_RATE_LIMITED
 * saying when the quota resets, as a long Retry-After does. Small waits still
 * pace. The pipeline runs on a real socket to a hostile server, with the
 * clock and sleep injected; the CLI run shows the exit code and message.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isRegtagsError, RateLimitError, type TraceEvent } from "../../src/index.js";
import { createHttpTransport } from "../../src/transport/http.js";
import { withRateLimit } from "../../src/transport/rate-limit.js";
import { withRetry } from "../../src/transport/retry.js";
import type { TransportRequest } from "../../src/transport/types.js";
import { runCli } from "../helpers/run-cli.js";
import { lines, startHostileServer, tagsPage, type HostileServer } from "./servers.js";

const REPO = "app/x";
const NOW = Date.parse("2026-12-02T00:00:00Z");
const DAY_MS = 24 * 3600 * 1000;
const servers: HostileServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

/** Every page links on; each answer says one request fewer is left of 100, resetting at `resetAt` (epoch ms). */
async function quotaServer(firstRemaining: number, resetAt: () => number): Promise<HostileServer> {
  const server = await startHostileServer(
    (req) =>
      tagsPage(REPO, [`t${req.index}`], `/v2/${REPO}/tags/list?last=t${req.index}`, {
        "x-ratelimit-limit": "100",
        "x-ratelimit-remaining": String(Math.max(0, firstRemaining - req.index + 1)),
        "x-ratelimit-reset": String(Math.floor(resetAt() / 1000)),
      }),
    { maxRequests: 20 },
  );
  servers.push(server);
  return server;
}

/** The pipeline's retry and rate-limit layers over a real HTTP transport, on an injected clock. */
function pipeline(maxWaitMs = 60_000) {
  const http = createHttpTransport({ idleTimeoutMs: 10_000 });
  const sleeps: number[] = [];
  const events: TraceEvent[] = [];
  const clock = { now: NOW };
  const deps = { sleep: async (ms: number) => void (sleeps.push(ms), (clock.now += ms)), now: () => clock.now, onTrace: (e: TraceEvent) => events.push(e) };
  const paced = withRateLimit(http.send, {}, { ...deps, maxWaitMs });
  const send = withRetry(paced, { attempts: 4, baseDelayMs: 5, maxDelayMs: maxWaitMs }, { ...deps, random: () => 0 });
  const get = async (server: HostileServer, page: number) => {
    const req: TransportRequest = { method: "GET", url: new URL(`${server.url}/v2/${REPO}/tags/list?n=1&last=p${page}`) };
    const res = await send(req);
    await res.text(1 << 20);
    return res.status;
  };
  return { get, sleeps, events, close: () => http.close() };
}

describe("pacing with the clock injected", { concurrency: true }, () => {
  test("1 of 100 left, the reset 69 days away: the next request fails at once, nothing waited, not sent", async () => {
    const server = await quotaServer(3, () => NOW + 69 * DAY_MS);
    const p = pipeline();
    try {
      // 3 left, then 2: our requests consume the quota; the first spaced request goes at once.
      for (let page = 1; page <= 3; page++) assert.equal(await p.get(server, page), 200);
      await assert.rejects(p.get(server, 4), (error: unknown) => {
        assert.ok(error instanceof RateLimitError && isRegtagsError(error) && error.code === "ERR_RATE_LIMITED", String(error));
        assert.equal(error.retryAt, NOW + 69 * DAY_MS);
        assert.equal(
          error.message,
          `GET ${server.url}/v2/${REPO}/tags/list?n=1&last=p4: not sent: ${server.host} has 1 of 100 requests left until its quota resets in 1656 h, and staying under it means waiting 828 h first, longer than the 60 s cap on a wait (the retry.maxDelayMs option); retry after 2027-02-09T00:00:00.000Z`,
        );
        return true;
      });
    } finally {
      await p.close();
    }
    assert.deepEqual(p.sleeps, [], "no wait at all, let alone 60 s per request");
    assert.equal(server.requests.length, 3, "the fourth request is never sent");
  });

  test("0 left, the reset 69 days away: fails at once (the 429 is not even asked for)", async () => {
    const server = await quotaServer(1, () => NOW + 69 * DAY_MS);
    const p = pipeline();
    try {
      await p.get(server, 1);
      await p.get(server, 2);
      await assert.rejects(p.get(server, 3), /has 0 of 100 requests left until its quota resets in 1656 h, and staying under it means waiting 1656 h first, longer than the 60 s cap on a wait \(the retry\.maxDelayMs option\); retry after 2027-02-09T00:00:00\.000Z$/);
    } finally {
      await p.close();
    }
    assert.deepEqual(p.sleeps, []);
    assert.equal(server.requests.length, 2);
  });

  test("the reset 10 s away: small waits still pace, every request is sent", async () => {
    const server = await quotaServer(3, () => NOW + 10_000);
    const p = pipeline();
    try {
      for (let page = 1; page <= 5; page++) assert.equal(await p.get(server, page), 200);
    } finally {
      await p.close();
    }
    // 1 left over 10 s: 5 s after the last; then none left: the 5 s to the reset.
    assert.deepEqual(p.sleeps, [5000, 5000]);
    assert.equal(server.requests.length, 5);
    assert.deepEqual(
      p.events.filter((e) => e.type === "warning").map((e) => e.type === "warning" && e.message),
      [`${server.host}: 1 of 100 requests left until the quota resets in 10 s; spacing requests 5 s apart to stay under the limit`],
    );
  });

  test("a larger --retry-max-wait lets the same quota pace again", async () => {
    const server = await quotaServer(3, () => NOW + 60_000);
    const [tight, loose] = [pipeline(10_000), pipeline(60_000)];
    try {
      for (let page = 1; page <= 3; page++) await tight.get(server, page);
      await assert.rejects(tight.get(server, 4), /waiting 30 s first, longer than the 10 s cap on a wait/);
      assert.deepEqual(tight.sleeps, []);
    } finally {
      await tight.close();
    }
    const again = await quotaServer(3, () => NOW + 60_000);
    try {
      for (let page = 1; page <= 4; page++) assert.equal(await loose.get(again, page), 200);
      assert.deepEqual(loose.sleeps, [30_000]);
    } finally {
      await loose.close();
    }
  });
});

test("the CLI: a long listing against a quota resetting in 69 days exits 5 at once, saying when to retry", async () => {
  const server = await quotaServer(3, () => Date.now() + 69 * DAY_MS);
  const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, `r.test/${REPO}`], { timeoutMs: 30_000 });
  assert.equal(result.code, 5, result.stderr);
  assert.deepEqual(lines(result.stdout), ["t1", "t2", "t3"]);
  const errors = lines(result.stderr).filter((line) => !line.startsWith("regtags: warning:"));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(
    errors[0]!,
    new RegExp(
      `^regtags: GET ${server.url.replace(/\./g, "\\.")}/v2/app/x/tags/list\\?last=t3: not sent: ${server.host.replace(/\./g, "\\.")} has 1 of 100 requests left until its quota resets in 165\\d h, and staying under it means waiting 82\\d h first, longer than the 60 s cap on a wait \\(--retry-max-wait\\); retry after \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`,
    ),
  );
  assert.equal(server.requests.length, 3);
});
