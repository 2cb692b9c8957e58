import { test } from "node:test";
import assert from "node:assert/strict";
import { baselineEvents, diffTags } from "./events.js";
import { recordTags } from "./state.js";
import { jitteredDelay, parseDuration } from "./duration.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const T = "2026-12-02T07:00:00.000Z";
const REPO = "127.0.0.1:5000/team/app";

test("diffTags: added and moved in the current order, then removed, with the digests each side knew", () => {
  const previous = recordTags(["1.0", "latest", "old"], [A, A, B]);
  const current = recordTags(["2.0", "latest", "1.0"], [B, B, A]);
  assert.deepEqual(diffTags(REPO, previous, current, T), [
    { event: "added", repository: REPO, tag: "2.0", digest: B, time: T },
    { event: "moved", repository: REPO, tag: "latest", digest: B, previousDigest: A, time: T },
    { event: "removed", repository: REPO, tag: "old", digest: B, time: T },
  ]);
});

test("diffTags: identical states give nothing; unknown digests never count as a move", () => {
  const tags = recordTags(["1.0", "__proto__"], [A, null]);
  assert.deepEqual(diffTags(REPO, tags, recordTags(["1.0", "__proto__"], [A, null]), T), []);
  assert.deepEqual(diffTags(REPO, recordTags(["x"], undefined), recordTags(["x"], [A]), T), []);
  assert.deepEqual(diffTags(REPO, recordTags(["x"], [A]), recordTags(["x"], [null]), T), []);
  assert.deepEqual(diffTags(REPO, recordTags(["x"], [null]), recordTags([], []), T), [{ event: "removed", repository: REPO, tag: "x", digest: null, time: T }]);
});

test("diffTags: packed and unpacked digests compare by value, the same tags in another order are no change", () => {
  const packed = recordTags(["a", "b", "c"], [A, B, A]);
  const mixed = recordTags(["c", "a", "b", "d"], [A, A, B, `sha512:${"c".repeat(128)}`]);
  assert.ok(packed.digests instanceof Uint8Array);
  assert.ok(Array.isArray(mixed.digests));
  assert.deepEqual(diffTags(REPO, packed, recordTags(["c", "b", "a"], [A, B, A]), T), []);
  assert.deepEqual(diffTags(REPO, packed, mixed, T), [{ event: "added", repository: REPO, tag: "d", digest: `sha512:${"c".repeat(128)}`, time: T }]);
  assert.deepEqual(diffTags(REPO, mixed, recordTags(["c", "a", "b", "d"], [B, A, B, null]), T), [{ event: "moved", repository: REPO, tag: "c", digest: B, previousDigest: A, time: T }]);
});

test("baselineEvents: every tag as added", () => {
  assert.deepEqual(baselineEvents(REPO, recordTags(["a"], undefined), T), [{ event: "added", repository: REPO, tag: "a", digest: null, time: T }]);
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
