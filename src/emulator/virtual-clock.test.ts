/**
 * VirtualClock on its own, and as the one clock of a client and an emulator:
 * a 30 s Retry-After and an expired token cost no real time, and every wait
 * the client decides on is the clock's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient, systemClock, type Clock } from "../index.js";
import { clockFunctions } from "../clock.js";
import { builtinProfiles, startEmulator, VirtualClock, type EmulatorProfile } from "./index.js";

test("auto-advancing: a sleep ends at once and moves the time; concurrent sleeps end in the order of their ends", async () => {
  const clock = new VirtualClock({ start: 1_000 });
  const ended: string[] = [];
  await Promise.all([
    clock.sleep(300).then(() => ended.push(`300 at ${clock.now()}`)),
    clock.sleep(100).then(() => ended.push(`100 at ${clock.now()}`)),
    clock.sleep(200).then(() => ended.push(`200 at ${clock.now()}`)),
  ]);
  assert.deepEqual(ended, ["100 at 1100", "200 at 1200", "300 at 1300"]);
  assert.equal(clock.slept, 600);
  await clock.sleep(50);
  assert.equal(clock.now(), 1350, "a later sleep starts from the current time");
});

test("stopped (autoAdvance false): sleeps end only when the test advances the time, in order", async () => {
  const clock = new VirtualClock({ start: 0, autoAdvance: false });
  const ended: number[] = [];
  void clock.sleep(500).then(() => ended.push(500));
  void clock.sleep(100).then(() => ended.push(100));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(ended, []);
  assert.equal(clock.pending, 2);
  await clock.advance(200);
  assert.deepEqual(ended, [100]);
  assert.equal(clock.now(), 200);
  await clock.advance(300);
  assert.deepEqual(ended, [100, 500]);
  assert.equal(clock.pending, 0);
});

test("an abort ends a sleep with the signal's reason; the client's clock functions make that an AbortedError", async () => {
  const clock = new VirtualClock({ autoAdvance: false });
  const controller = new AbortController();
  const raw = clock.sleep(1_000, controller.signal);
  const wrapped = clockFunctions(clock).sleep(1_000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(raw, /stop/);
  await assert.rejects(wrapped, (e: unknown) => (e as { code?: string }).code === "ERR_ABORTED");
  assert.equal(clock.pending, 0);
});

test("random() is a fixed sequence per seed in [0, 1)", () => {
  const draw = (seed: number) => Array.from({ length: 5 }, ((c) => () => c.random())(new VirtualClock({ seed })));
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  assert.ok(draw(7).every((x) => x >= 0 && x < 1));
});

test("VirtualClock and systemClock are both Clocks", () => {
  const clocks: Clock[] = [new VirtualClock(), systemClock];
  assert.equal(clocks.length, 2);
});

// The 20 s timeout is the only real-time bound: a real 30 s wait would fail the test.
test("a client and an emulator on one VirtualClock: a 2 s token that dies during a 30 s Retry-After is renewed, at no real cost", { timeout: 20_000 }, async () => {
  const dist3 = builtinProfiles["distribution-3"]!;
  assert.ok(dist3.auth.kind === "bearer");
  const profile: EmulatorProfile = {
    ...dist3,
    id: "slow-to-forgive",
    auth: { ...dist3.auth, token: { ...dist3.auth.token, expiresIn: 2, lifetimeSeconds: 2 } },
    faults: { rateLimit: { onTagsRequest: 2, times: 1, retryAfterSeconds: 30 } },
  };
  const clock = new VirtualClock();
  const tags = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, "0")}`);
  const emulator = await startEmulator({ profiles: [profile], repositories: { "app/x": { tags } }, clock });
  const registry = emulator.get("slow-to-forgive");
  const waits: number[] = [];
  const client = createClient({
    endpoints: { "r.test": registry.url },
    pageSize: 10,
    clock,
    onTrace: (e) => (e.type === "retry" ? waits.push(e.waitMs) : undefined),
  });
  try {
    const started = clock.now();
    assert.deepEqual((await client.listTags("r.test/app/x")).tags, tags);
    assert.deepEqual(waits, [30_000], "the Retry-After, waited on the clock");
    assert.equal(clock.now() - started, 30_000);
    // The retry layer (below auth) resent the fresh token after the wait, when it had died:
    // one invalid_token 401, one renewal, not "the registry refused a token just issued" (an AuthError before).
    const statuses = registry.requests.filter((r) => r.kind === "tags").map((r) => r.status);
    assert.deepEqual(statuses, [401, 429, 401, 200, 200, 200, 200]);
    assert.equal(registry.counts().token, 2);
  } finally {
    await client.close();
    await emulator.close();
  }
});
