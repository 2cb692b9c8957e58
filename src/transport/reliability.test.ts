/**
 * The reliability decorators against scripted transports with injected
 * clocks and sleeps (no real waiting): the whole-request deadline, the retry
 * rules added for timeouts, waits past the cap and exhausted quotas, and
 * rate-limit pacing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortedError, NetworkError, isRegtagsError } from "../errors.js";
import { withDeadline, REQUEST_TIMEOUT_CODE } from "./deadline.js";
import { withRateLimit } from "./rate-limit.js";
import { isTimeoutError, withRetry } from "./retry.js";
import type { TraceEvent } from "./trace.js";
import { fakeResponse } from "../../test/helpers/fake-response.js";
import { type Transport, type TransportRequest, type TransportResponse } from "./types.js";

const GET = (signal?: AbortSignal): TransportRequest => ({ method: "GET", url: new URL("https://r.example/v2/x/tags/list"), signal });

function response(status: number, headers: Record<string, string> = {}, body: () => Promise<string> = async () => "{}"): TransportResponse {
  return fakeResponse(status, headers, body, "https://r.example/v2/x/tags/list");
}

/** A body that never arrives: it settles only when the request's signal aborts. */
const neverEndingBody = (signal: AbortSignal | undefined) => () =>
  new Promise<string>((_, reject) => signal?.addEventListener("abort", () => reject(new AbortedError({ cause: signal.reason })), { once: true }));

// The deadline is a real timer (it bounds real I/O): the test's own timeout, not a stopwatch,
// fails a deadline that never fires.
test("deadline: a body that never finishes fails with a request timeout (ERR_NETWORK), not an abort", { timeout: 10_000 }, async () => {
  // The deadline's timer is unref'd (it must never keep a process alive); the fake transport has no socket that would.
  const keepAlive = setTimeout(() => undefined, 10_000);
  const send = withDeadline(async (req) => response(200, {}, neverEndingBody(req.signal)), 50);
  const res = await send(GET());
  await assert.rejects(res.text(1000), (e: unknown) => {
    assert.ok(e instanceof NetworkError && e.code === "ERR_NETWORK" && e.systemCode === REQUEST_TIMEOUT_CODE, String(e));
    assert.equal(e.message, "GET https://r.example/v2/x/tags/list: no complete answer within 0.05 s (request timeout)");
    assert.ok(isTimeoutError(e));
    return true;
  });
  clearTimeout(keepAlive);
});

test("deadline: the caller's abort stays an AbortedError; a finished exchange is never aborted later", async () => {
  const controller = new AbortController();
  const send = withDeadline(async (req) => response(200, {}, neverEndingBody(req.signal)), 10_000);
  const res = await send(GET(controller.signal));
  const pending = res.text(1000);
  controller.abort();
  await assert.rejects(pending, (e: unknown) => isRegtagsError(e) && e.code === "ERR_ABORTED");

  let downstream: AbortSignal | undefined;
  const quick = withDeadline(async (req) => ((downstream = req.signal), response(200)), 30);
  assert.equal(await (await quick(GET())).text(10), "{}");
  await new Promise((resolve) => setTimeout(resolve, 60)); // a ref'd timer: the loop stays up past the deadline
  assert.equal(downstream?.aborted, false, "the timer was cleared when the body was read");
});

test("retry: a timeout is retried once, a reset up to the attempt cap", async () => {
  const sleep = async () => undefined;
  let calls = 0;
  const timingOut = withRetry(async () => {
    calls++;
    throw new NetworkError("ERR_NETWORK", "GET x: the server stopped answering (idle timeout)", { systemCode: "ETIMEDOUT_IDLE" });
  }, { attempts: 5 }, { sleep, now: () => 0, random: () => 0 });
  await assert.rejects(timingOut(GET()), /idle timeout/);
  assert.equal(calls, 2);

  calls = 0;
  const resetting = withRetry(async () => {
    calls++;
    throw new NetworkError("ERR_NETWORK", "GET x: connection reset", { systemCode: "ECONNRESET" });
  }, { attempts: 5 }, { sleep, now: () => 0, random: () => 0 });
  await assert.rejects(resetting(GET()), /connection reset/);
  assert.equal(calls, 5);
});

test("retry: a Retry-After past the cap is not shortened: the 429 comes back at once, with a warning", async () => {
  const events: TraceEvent[] = [];
  const waits: number[] = [];
  let calls = 0;
  const send = withRetry(async () => (calls++, response(429, { "retry-after": "600" })), { attempts: 4, maxDelayMs: 60_000 }, {
    sleep: async (ms) => void waits.push(ms),
    now: () => 0,
    random: () => 0,
    onTrace: (e) => events.push(e),
  });
  assert.equal((await send(GET())).status, 429);
  assert.equal(calls, 1);
  assert.deepEqual(waits, []);
  assert.deepEqual(events, [{ type: "warning", message: "r.example: status 429; the registry asks to wait 600 s, longer than the 60 s cap on a wait (the retry.maxDelayMs option): not retrying" }]);
});

test("retry: a 429 without Retry-After waits for an exhausted quota's reset (x-ratelimit-reset, epoch seconds)", async () => {
  const now = 1_800_000_000_000;
  const waits: number[] = [];
  const answers = [response(429, { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 7) }), response(200)];
  const send = withRetry(async () => answers.shift()!, { attempts: 3, baseDelayMs: 1 }, { sleep: async (ms) => void waits.push(ms), now: () => now, random: () => 0 });
  assert.equal((await send(GET())).status, 200);
  assert.ok(waits.includes(7_000), `waited ${waits}`);
});

/** A server-side quota: `limit` per window, counted per request, reported in x-ratelimit headers. */
function quotaServer(limit: number, windowMs: number, clock: { now: number }): { send: Transport; refused: () => number } {
  let used = 0;
  let windowStart = clock.now;
  let refused = 0;
  const send: Transport = async () => {
    if (clock.now >= windowStart + windowMs) {
      windowStart = clock.now;
      used = 0;
    }
    const headers = (remaining: number) => ({ "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": String(Math.ceil((windowStart + windowMs) / 1000)) });
    if (used >= limit) {
      refused++;
      return response(429, headers(0));
    }
    used++;
    clock.now += 1; // each request takes 1 ms
    return response(200, headers(limit - used));
  };
  return { send, refused: () => refused };
}

test("rate limit: a consumed quota is paced so 100 requests against 20 per second never see a 429", async () => {
  const clock = { now: 1_800_000_000_000 };
  const server = quotaServer(20, 1000, clock);
  const events: TraceEvent[] = [];
  const send = withRateLimit(server.send, {}, {
    sleep: async (ms) => void (clock.now += ms),
    now: () => clock.now,
    maxWaitMs: 60_000,
    onTrace: (e) => events.push(e),
  });
  const started = clock.now;
  for (let i = 0; i < 100; i++) assert.equal((await send(GET())).status, 200, `request ${i}`);
  assert.equal(server.refused(), 0);
  assert.ok(clock.now - started >= 4_000, "100 requests at 20 per second take at least 4 windows");
  assert.equal(events.filter((e) => e.type === "rate-limit").length, 100);
  assert.equal(events.filter((e) => e.type === "warning").length, 1, "pacing announced once");
});

test("rate limit: a quota that our requests do not consume (Hub's pulls vs HEAD) is shown, never paced; pace:false never waits", async () => {
  const sleeps: number[] = [];
  const deps = { sleep: async (ms: number) => void sleeps.push(ms), now: () => 0, maxWaitMs: 60_000 };
  const hub = withRateLimit(async () => response(200, { "ratelimit-limit": "100;w=21600", "ratelimit-remaining": "1;w=21600" }), {}, deps);
  for (let i = 0; i < 20; i++) await hub(GET());
  assert.deepEqual(sleeps, []);

  let remaining = 50;
  const consumed = withRateLimit(async () => response(200, { "x-ratelimit-limit": "50", "x-ratelimit-remaining": String(--remaining), "x-ratelimit-reset": "3600" }), { pace: false }, deps);
  for (let i = 0; i < 49; i++) await consumed(GET());
  assert.deepEqual(sleeps, []);
});

test("retry: a wait of 2 s or more is announced as a warning, a shorter one only traced", async () => {
  const events: TraceEvent[] = [];
  const answers = [response(503, { "retry-after": "1" }), response(429, { "retry-after": "3" }), response(200)];
  const send = withRetry(async () => answers.shift()!, { attempts: 4 }, { sleep: async () => undefined, now: () => 0, random: () => 0, onTrace: (e) => events.push(e) });
  assert.equal((await send(GET())).status, 200);
  assert.deepEqual(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.waitMs), [1000, 3000]);
  assert.deepEqual(events.filter((e) => e.type === "warning"), [{ type: "warning", message: "r.example: status 429; waiting 3.0 s before retry 2/3" }]);
});
