/**
 * Rate limits (RL-1..RL-3): the headers reach the trace; a quota our requests
 * consume is paced so a long listing finishes without a 429; Hub's pull quota
 * (which HEAD and tag listings do not consume) never slows anything; a 429
 * without Retry-After waits for the quota's reset; and a final 429 says which
 * limit it was and when it resets, in each of Hub's two forms.
 *
 * The emulator's quota windows and the client's pacing and retry waits run on
 * one VirtualClock: pacing a quota that resets every second costs no real
 * second, and "never slowed down" is the virtual time the client slept, not a
 * wall-clock bound. The clock starts far from the real time (its default,
 * 2027): the final 429's "it resets in" must be worded from the client's
 * clock, as the emulator's reset header is, not from the real one.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { TraceEvent } from "../../src/index.js";
import { digestOf, startEmulator, VirtualClock, type Emulator } from "../../src/emulator/index.js";
import { escape, numbered, paginating, profile, rejection, statuses, tagsRequests, withHarness } from "./helpers.js";

const TAGS = numbered(400);
const hub = profile("dockerhub");

const clock = new VirtualClock();
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      paginating("x-quota", { quota: { limit: 20, windowSeconds: 1, style: "x-ratelimit" } }),
      paginating("hub-quota", { quota: { limit: 20, windowSeconds: 1, style: "dockerhub" } }),
      paginating("x-quota-hour", { quota: { limit: 3, windowSeconds: 3600, style: "x-ratelimit" } }),
      paginating("hub-quota-hour", { quota: { limit: 3, windowSeconds: 3600, style: "dockerhub" } }),
      { ...hub, id: "hub-pulls", faults: { quota: { limit: 5, windowSeconds: 21600, style: "dockerhub" } } },
      { ...hub, id: "hub-abuse", faults: { rateLimit: { onTagsRequest: 1, times: 1000, retryAfterSeconds: 60 } } },
    ],
    repositories: { "app/x": { tags: TAGS }, "library/ubuntu": { tags: numbered(200, "u") } },
    clock,
  });
});
after(async () => emulator?.close());

const rateEvents = (events: readonly TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { type: "rate-limit" }> => e.type === "rate-limit");

describe("pacing a quota that our requests consume", () => {
  for (const [id, style] of [["x-quota", "x-ratelimit-*"], ["hub-quota", "ratelimit-*;w="]] as const) {
    test(`${style}: 40 pages against 20 requests per second finish without a single 429`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      const started = clock.now();
      await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
        const list = await h.client.listTags("r.test/app/x");
        assert.deepEqual(list.tags, TAGS);
        const events = rateEvents(h.events);
        assert.equal(events.length, 40, "one rate-limit event per response");
        assert.equal(events[0]?.limit, 20);
        assert.equal(events[0]?.remaining, 19);
        if (id === "x-quota") assert.ok(events[0]?.resetInSeconds !== undefined && events[0].resetInSeconds <= 2);
        else assert.equal(events[0]?.windowSeconds, 1);
        const spacing = h.warnings().filter((w) => /spacing requests/.test(w));
        assert.equal(spacing.length, 1, "announced once");
        assert.match(spacing[0]!, new RegExp(`^${escape(registry.host)}: [0-5] of 20 requests left until the quota resets in [\\d.]+ s; spacing requests [\\d.]+ s apart to stay under the limit$`));
      });
      assert.deepEqual(statuses(tagsRequests(registry)).filter((s) => s !== 200), [], "never ran into the limit");
      assert.equal(tagsRequests(registry).length, 40);
      assert.ok(clock.now() - started >= 1_000, `slowed down to the quota's pace: ${clock.now() - started} virtual ms`);
    });
  }

  test("without pacing (rateLimit.pace false) the same listing runs into 429s: what pacing avoids", async () => {
    const registry = emulator.get("x-quota");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, rateLimit: { pace: false }, retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 5_000 }, clock }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
      // A 429 without Retry-After waits for x-ratelimit-reset, not the 5 ms backoff.
      const waits = h.events.flatMap((e) => (e.type === "retry" ? [e.waitMs] : []));
      assert.ok(waits.length >= 1 && waits.every((w) => w > 50), `waited for the reset: ${waits}`);
    });
    assert.ok(statuses(tagsRequests(registry)).includes(429));
  });

  test("Hub's pull quota does not shrink with HEAD requests: shown, never paced", async () => {
    const registry = emulator.get("hub-pulls");
    registry.resetCounts();
    const wanted = numbered(200, "u");
    const slept = clock.slept;
    await withHarness(registry, "docker.io", { clock }, async (h) => {
      const digests = await h.client.fetchDigests("docker.io/library/ubuntu", wanted, { concurrency: 8 });
      assert.deepEqual(digests.map((d) => d.digest), wanted.map((tag) => digestOf("library/ubuntu", tag)));
      const events = rateEvents(h.events);
      assert.ok(events.length >= wanted.length);
      assert.ok(events.every((e) => e.limit === 5 && e.remaining === 5 && e.windowSeconds === 21600 && e.source === "127.0.0.1"));
      assert.deepEqual(h.warnings(), []);
    });
    assert.equal(clock.slept - slept, 0, "never waited");
  });
});

describe("the final 429 says which limit and when it resets", () => {
  test("Docker Hub's pull rate limit (RL-3, JSON TOOMANYREQUESTS with ratelimit headers)", async () => {
    const registry = emulator.get("hub-quota-hour");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10, rateLimit: { pace: false }, clock }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.equal(error.code, "ERR_RATE_LIMITED");
    assert.equal(
      error.message,
      `r.test/app/x: rate limited by ${registry.host}: Docker Hub's pull rate limit (429 TOOMANYREQUESTS: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit); limit 3 per 1 h, 0 remaining, counted for 127.0.0.1; the quota is counted over 1 h; log in (docker login, or the credentials option) for a higher limit`,
    );
    assert.deepEqual(statuses(tagsRequests(registry)), [200, 200, 200, 429, 429, 429, 429]);
  });

  test("an exhausted x-ratelimit quota resetting in an hour: no retry (longer than the cap), the reset time in the message", async () => {
    const registry = emulator.get("x-quota-hour");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10, rateLimit: { pace: false }, clock }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.equal(error.code, "ERR_RATE_LIMITED");
    assert.match(
      error.message,
      new RegExp(`^r\\.test/app/x: rate limited by ${escape(registry.host)}: the request quota is used up \\(429 TOOMANYREQUESTS: too many requests\\); limit 3, 0 remaining; it resets in (59\\.\\d min|1 h) \\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z\\)$`),
    );
    assert.deepEqual(statuses(tagsRequests(registry)), [200, 200, 200, 429]);
  });

  test("Hub's anti-abuse 429 (text/plain, Retry-After: 60) with a 5 s cap on a wait: fails at once, quoting the body and the Retry-After", async () => {
    const registry = emulator.get("hub-abuse");
    registry.resetCounts();
    const slept = clock.slept;
    const error = await withHarness(registry, "docker.io", { clock }, (h) => rejection(h.client.listTags("docker.io/library/ubuntu")));
    assert.equal(error.code, "ERR_RATE_LIMITED");
    assert.equal(error.message, `docker.io/library/ubuntu: rate limited by ${registry.host} (429 body: "Too Many Requests (HAP429).") ; the registry says retry after 60`.replace(") ;", ");"));
    assert.equal(clock.slept - slept, 0, "no wait at all");
    assert.deepEqual(statuses(tagsRequests(registry)), [429]);
  });
});
