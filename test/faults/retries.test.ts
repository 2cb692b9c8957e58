/**
 * Retries (RL-2): 429 with Retry-After in both forms, 503 bursts and other
 * retryable statuses from a front proxy, the attempt cap, a Retry-After past
 * the cap on a wait, backoff shared per origin, and cancellation during a
 * wait. Each test asserts the exact tag list or the exact error and the
 * requests the emulator saw.
 *
 * The emulator and the clients share one VirtualClock: every Retry-After and
 * backoff is waited in virtual time (the suite sleeps for none of them), and
 * what is asserted about waits is exact virtual time, never a wall-clock bound.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, VirtualClock, type Emulator } from "../../src/emulator/index.js";
import { escape, numbered, paginating, rejection, statuses, tagsRequests, tokenProfile, withHarness } from "./helpers.js";

const TAGS = numbered(30);
const REPOS = { "app/x": { tags: TAGS } };

const clock = new VirtualClock();
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      paginating("retry-after-seconds", { rateLimit: { onTagsRequest: 2, times: 1, retryAfterSeconds: 1 } }),
      paginating("retry-after-date", { rateLimit: { onTagsRequest: 2, times: 1, retryAfterSeconds: 2, retryAfterForm: "http-date" } }),
      paginating("retry-after-past", { rateLimit: { onTagsRequest: 1, times: 2, retryAfterSeconds: -3600, retryAfterForm: "http-date" } }),
      paginating("retry-after-long", { rateLimit: { onTagsRequest: 1, times: 1000, retryAfterSeconds: 3600 } }),
      paginating("burst-503", { statusBurst: { onTagsRequest: 2, times: 3, status: 503 } }),
      paginating("burst-502", { statusBurst: { onTagsRequest: 1, times: 2, status: 502 } }),
      paginating("burst-504", { statusBurst: { onTagsRequest: 3, times: 1, status: 504 } }),
      paginating("burst-408", { statusBurst: { onTagsRequest: 1, times: 1, status: 408 } }),
      paginating("burst-500", { statusBurst: { onTagsRequest: 2, times: 2, status: 500 } }),
      paginating("down", { statusBurst: { onTagsRequest: 1, times: 1000, status: 503 } }),
      tokenProfile("burst-after-token", { statusBurst: { onTagsRequest: 2, times: 2, status: 503, retryAfterSeconds: 0 } }),
    ],
    repositories: REPOS,
    clock,
  });
});
after(async () => emulator?.close());

describe("retryable statuses", () => {
  test("429 with Retry-After in seconds: waits that long, then the exact list", async () => {
    const registry = emulator.get("retry-after-seconds");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      const list = await h.client.listTags("r.test/app/x");
      assert.deepEqual(list.tags, TAGS);
      const retries = h.events.filter((e) => e.type === "retry");
      assert.deepEqual(retries.map((e) => e.type === "retry" && e.waitMs), [1000]);
    });
    const tags = tagsRequests(registry);
    assert.deepEqual(statuses(tags), [200, 429, 200, 200]);
    assert.equal(tags[2]?.query, tags[1]?.query, "the refused page is asked for again");
    assert.ok((tags[2]?.at ?? 0) - (tags[1]?.at ?? 0) >= 1_000, "waited for Retry-After: 1");
  });

  test("429 with Retry-After as an HTTP date: waits until then (never longer than the date says)", async () => {
    const registry = emulator.get("retry-after-date");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
      const waits = h.events.flatMap((e) => (e.type === "retry" ? [e.waitMs] : []));
      assert.equal(waits.length, 1);
      // The date has one-second resolution: the wait is 1 to 2 s, not the 5 ms backoff.
      assert.ok(waits[0]! > 900 && waits[0]! <= 2000, `waited ${waits[0]} ms`);
    });
    assert.deepEqual(statuses(tagsRequests(registry)), [200, 429, 200, 200]);
  });

  test("429 with a Retry-After date in the past: the backoff is used instead", async () => {
    const registry = emulator.get("retry-after-past");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
      const waits = h.events.flatMap((e) => (e.type === "retry" ? [e.waitMs] : []));
      assert.equal(waits.length, 2);
      assert.ok(waits.every((w) => w <= 10), `backoff waits, not the past date: ${waits}`);
    });
    assert.deepEqual(statuses(tagsRequests(registry)), [429, 429, 200, 200, 200]);
  });

  const bursts: ReadonlyArray<readonly [string, number[]]> = [
    ["burst-503", [200, 503, 503, 503, 200, 200]],
    ["burst-502", [502, 502, 200, 200, 200]],
    ["burst-504", [200, 200, 504, 200]],
    ["burst-408", [408, 200, 200, 200]],
    ["burst-500", [200, 500, 500, 200, 200]],
  ];
  for (const [id, expected] of bursts) {
    test(`${id}: retried with backoff, each page once in the result`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
        const list = await h.client.listTags("r.test/app/x");
        assert.deepEqual(list.tags, TAGS);
        assert.equal(list.pages, 3);
      });
      assert.deepEqual(statuses(tagsRequests(registry)), expected);
    });
  }

  test("a 503 burst after the token was fetched: retried with the same token, no new token request", async () => {
    const registry = emulator.get("burst-after-token");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      assert.deepEqual((await h.client.listTags("r.test/app/x")).tags, TAGS);
    });
    // distribution 3 links after a full page to an empty one (PAG-5): 4 pages.
    assert.deepEqual(statuses(tagsRequests(registry)), [401, 503, 503, 200, 200, 200, 200]);
    assert.equal(registry.counts().token, 1);
  });

  test("a registry that stays down: exactly `attempts` requests, then exit-5 RegistryError naming the URL and the status", async () => {
    const registry = emulator.get("down");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10, retry: { attempts: 3, baseDelayMs: 5 }, clock }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.equal(error.code, "ERR_REGISTRY");
    assert.match(error.message, new RegExp(`^r\\.test/app/x: GET ${escape(registry.url)}/v2/app/x/tags/list\\?n=10 failed \\(503 UNAVAILABLE: service unavailable\\)$`));
    assert.deepEqual(statuses(tagsRequests(registry)), [503, 503, 503]);
  });
});

describe("waits", () => {
  test("a Retry-After longer than the cap on a wait fails at once, saying when to come back (no early retry)", async () => {
    const registry = emulator.get("retry-after-long");
    registry.resetCounts();
    const slept = clock.slept;
    await withHarness(registry, "r.test", { pageSize: 10, retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 60_000 }, clock }, async (h) => {
      const error = await rejection(h.client.listTags("r.test/app/x"));
      assert.equal(error.code, "ERR_RATE_LIMITED");
      assert.match(error.message, new RegExp(`^r\\.test/app/x: rate limited by ${escape(registry.host)} \\(429 TOOMANYREQUESTS: too many requests\\); the registry says retry after 3600$`));
      assert.deepEqual(h.warnings(), [`${registry.host}: status 429; the registry asks to wait 3600 s, longer than the 60 s cap on a wait (the retry.maxDelayMs option): not retrying`]);
    });
    assert.equal(clock.slept - slept, 0, "no wait at all");
    assert.deepEqual(statuses(tagsRequests(registry)), [429]);
  });

  test("backoff is shared per origin: concurrent listings of one origin all wait out one 429", async () => {
    const registry = emulator.get("retry-after-seconds");
    registry.resetCounts();
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      const lists = await Promise.all(Array.from({ length: 4 }, () => h.client.listTags("r.test/app/x")));
      for (const list of lists) assert.deepEqual(list.tags, TAGS);
    });
    const tags = tagsRequests(registry);
    const refused = tags.findIndex((r) => r.status === 429);
    assert.ok(refused >= 0);
    const at = tags[refused]!.at;
    // Requests already on their way when the 429 came may land just after it; after that,
    // nothing reaches the origin until its Retry-After is over.
    const during = tags.filter((r) => r.at > at && r.at < at + 1_000);
    assert.deepEqual(during, [], "no request to the origin during its Retry-After");
    assert.ok(tags.slice(refused + 1).some((r) => r.at - at >= 1_000), "the listings went on after it");
    assert.equal(tags.filter((r) => r.status === 429).length, 1);
  });

  test("an AbortSignal during a Retry-After wait rejects at once with ERR_ABORTED", async () => {
    const registry = emulator.get("retry-after-long");
    registry.resetCounts();
    const controller = new AbortController();
    // A clock that never moves by itself: the hour's wait can only end by the abort.
    const stopped = new VirtualClock({ autoAdvance: false });
    await withHarness(registry, "r.test", { pageSize: 10, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 3_600_000 }, clock: stopped }, async (h) => {
      let settled = false;
      const pending = rejection(h.client.listTags("r.test/app/x", { signal: controller.signal })).finally(() => (settled = true));
      while (stopped.pending === 0 && !settled) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(stopped.slept, 3_600_000, "waiting out the Retry-After");
      controller.abort();
      const error = await pending;
      assert.equal(error.code, "ERR_ABORTED");
      assert.equal(stopped.pending, 0, "the wait was cut short, not left behind");
    });
    assert.deepEqual(statuses(tagsRequests(registry)), [429]);
  });
});
