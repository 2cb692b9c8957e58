import { test } from "node:test";
import assert from "node:assert/strict";
import { baselineEvents, diffTags } from "./events.js";
import { jitteredDelay, parseDuration } from "./duration.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const T = "2026-12-02T07:00:00.000Z";
const REPO = "127.0.0.1:5000/team/app";

test("diffTags: added and moved in the current order, then removed, with the digests each side knew", () => {
  const previous = new Map([["1.0", A], ["latest", A], ["old", B]]);
  const current = new Map([["2.0", B], ["latest", B], ["1.0", A]]);
  assert.deepEqual(diffTags(REPO, previous, current, T), [
    { event: "added", repository: REPO, tag: "2.0", digest: B, time: T },
    { event: "moved", repository: REPO, tag: "latest", digest: B, previousDigest: A, time: T },
    { event: "removed", repository: REPO, tag: "old", digest: B, time: T },
  ]);
});

test("diffTags: identical states give nothing; unknown digests never count as a move", () => {
  const tags = new Map<string, string | null>([["1.0", A], ["__proto__", null]]);
  assert.deepEqual(diffTags(REPO, tags, new Map(tags), T), []);
  assert.deepEqual(diffTags(REPO, new Map([["x", null]]), new Map([["x", A]]), T), []);
  assert.deepEqual(diffTags(REPO, new Map([["x", A]]), new Map([["x", null]]), T), []);
  assert.deepEqual(diffTags(REPO, new Map([["x", null]]), new Map(), T), [{ event: "removed", repository: REPO, tag: "x", digest: null, time: T }]);
});

test("baselineEvents: every tag as added", () => {
  assert.deepEqual(baselineEvents(REPO, new Map([["a", null]]), T), [{ event: "added", repository: REPO, tag: "a", digest: null, time: T }]);
});

test("parseDuration: ms, s, m, h and compounds; anything else is a one-line usage error", () => {
  assert.equal(parseDuration("--interval", "200ms"), 200);
  assert.equal(parseDuration("--interval", "30s"), 30_000);
  assert.equal(parseDuration("--interval", "5m"), 300_000);
  assert.equal(parseDuration("--interval", "1h30m"), 5_400_000);
  for (const bad of ["", "5", "0s", "-1s", "1d", "1.5s", "8h200h", "s"]) {
    assert.throws(() => parseDuration("--interval", bad), { code: "ERR_USAGE", message: `--interval takes a duration such as 200ms, 30s, 5m or 1h (at most 7 days), got ${JSON.stringify(bad)}` });
  }
});

test("jitteredDelay: within ±10 %", () => {
  assert.equal(jitteredDelay(1000, () => 0), 900);
  assert.equal(jitteredDelay(1000, () => 0.999999), 1100);
  assert.equal(jitteredDelay(1000, () => 0.5), 1000);
});
