import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalSelection, digestAt, emptyWatchState, encodeWatchState, parseWatchState, recordTags, serializeWatchState, WATCH_STATE_VERSION, type WatchState } from "./state.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
/** base64 of the bytes of A, B, A. */
const ABA = Buffer.from(`${"a".repeat(64)}${"b".repeat(64)}${"a".repeat(64)}`, "hex").toString("base64");
const S512 = `sha512:${"c".repeat(128)}`;
const SAVED = new Date("2026-12-02T07:00:00.000Z");

function sample(): WatchState {
  return {
    selection: canonicalSelection({ digests: true, include: ["1\\..*"] }),
    repositories: new Map([
      ["127.0.0.1:5000/team/app", recordTags(["1.0", "__proto__", "constructor"], [A, B, A])],
      ["127.0.0.1:5000/team/mixed", recordTags(["x", "y"], [S512, null])],
      ["127.0.0.1:5000/team/empty", recordTags([], [])],
      ["127.0.0.1:5000/team/plain", recordTags(["x"], [null])],
    ]),
  };
}

test("serialize then parse gives the same state back, tag order and prototype-like names included", () => {
  const text = serializeWatchState(sample(), SAVED);
  const parsed = parseWatchState(text);
  assert.equal(parsed.status, "ok");
  if (parsed.status !== "ok") return;
  assert.deepEqual(parsed.state, sample());
  const app = parsed.state.repositories.get("127.0.0.1:5000/team/app")!;
  assert.deepEqual(app.tags, ["1.0", "__proto__", "constructor"]);
  assert.deepEqual([0, 1, 2].map((i) => digestAt(app, i)), [A, B, A]);
  assert.equal(
    text,
    `{"format":"regtags-watch-state","version":2,"savedAt":"2026-12-02T07:00:00.000Z","selection":{"digests":true,"include":["1\\\\..*"]},"repositories":{\n` +
      `"127.0.0.1:5000/team/app":{"tags":["1.0","__proto__","constructor"],"sha256":"${ABA}"},\n` +
      `"127.0.0.1:5000/team/mixed":{"tags":["x","y"],"digests":["${S512}",null]},\n` +
      `"127.0.0.1:5000/team/empty":{"tags":[]},\n` +
      `"127.0.0.1:5000/team/plain":{"tags":["x"]}\n}}\n`,
  );
  assert.deepEqual(parseWatchState(serializeWatchState(emptyWatchState(), SAVED)), { status: "ok", state: { selection: '{"digests":false}', repositories: new Map() } });
});

test("a version 1 state (hex digests), as regtags wrote it before, still loads as the same state", () => {
  const v1 =
    `{"format":"regtags-watch-state","version":1,"savedAt":"2026-12-02T07:00:00.000Z","selection":{"include":["1\\\\..*"],"digests":true},"repositories":{\n` +
    `"127.0.0.1:5000/team/app":{"tags":["1.0","__proto__","constructor"],"sha256":"${"a".repeat(64)}${"b".repeat(64)}${"a".repeat(64)}"},\n` +
    `"127.0.0.1:5000/team/mixed":{"tags":["x","y"],"digests":["${S512}",null]},\n` +
    `"127.0.0.1:5000/team/empty":{"tags":[]},\n` +
    `"127.0.0.1:5000/team/plain":{"tags":["x"]}\n}}\n`;
  assert.deepEqual(parseWatchState(v1), { status: "ok", state: sample() });
  assert.deepEqual(parseWatchState(v1.replace("a".repeat(64), "A".repeat(64))), { status: "invalid", reason: 'repository "127.0.0.1:5000/team/app" is malformed' });
  assert.deepEqual(parseWatchState(v1.replace("a".repeat(64), "a".repeat(63))), { status: "invalid", reason: 'repository "127.0.0.1:5000/team/app" is malformed' });
  // Saved again, it is written as version 2.
  assert.equal(serializeWatchState(sample(), SAVED), serializeWatchState((parseWatchState(v1) as { state: WatchState }).state, SAVED));
});

test("canonicalSelection: key order and unset values do not matter, real differences do", () => {
  assert.equal(canonicalSelection({ digests: false, include: [], exclude: undefined, omitDigestTags: false }), '{"digests":false}');
  assert.equal(canonicalSelection({ variant: "alpine", digests: true, include: ["a"] } as never), canonicalSelection({ digests: true, include: ["a"], variant: "alpine" }));
  assert.notEqual(canonicalSelection({ digests: true }), canonicalSelection({ digests: false }));
});

test("parseWatchState refuses anything it cannot trust, with a reason", () => {
  const good = serializeWatchState(sample(), SAVED);
  const cases: Array<[string, string]> = [
    ["", "it is empty (a truncated write?)"],
    [good.slice(0, good.length / 2), "it is not valid JSON (truncated or corrupt)"],
    ['{"version":1}', 'it is not a regtags watch state (no "format": "regtags-watch-state")'],
    [good.replace('"version":2', '"version":3'), "it has version 3, written by a newer regtags (this one reads version 2); upgrade regtags"],
    [good.replace('"version":2', '"version":"2"'), 'its "version" is not a positive whole number'],
    [good.replace('"version":2', '"version":0'), 'its "version" is not a positive whole number'],
    [good.replace(/"selection":\{[^}]*\}/, '"selection":[]'), 'its "selection" is missing or malformed'],
    [good.replace(ABA, `${ABA.slice(0, 10)}!${ABA.slice(11)}`), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace(ABA, ABA.slice(0, -4)), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace(ABA, `${ABA.slice(0, 20)}=${ABA.slice(21)}`), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace(ABA, `${ABA.slice(0, -1)}=`), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace('"tags":["x"]', '"tags":["x"],"sha256":""'), 'repository "127.0.0.1:5000/team/plain" is malformed'],
    [good.replace('"sha256":"', '"digests":[],"sha256":"'), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace(S512, "not-a-digest"), 'tag "x" of 127.0.0.1:5000/team/mixed is malformed'],
    [good.replace(`"${S512}"`, "5"), 'tag "x" of 127.0.0.1:5000/team/mixed is malformed'],
    [good.replace(`"${S512}",`, ""), 'repository "127.0.0.1:5000/team/mixed" is malformed'],
    [good.replace('"__proto__"', '"1.0"'), 'tag "1.0" of 127.0.0.1:5000/team/app is malformed'],
    [good.replace('["1.0","__proto__","constructor"]', '["1.0","__proto__","__proto__"]'), 'tag "__proto__" of 127.0.0.1:5000/team/app is malformed'],
    [good.replace('{"tags":[]}', '{"tags":{}}'), 'repository "127.0.0.1:5000/team/empty" is malformed'],
    ['{"format":"regtags-watch-state","version":1,"selection":{"digests":false}}', 'its "repositories" is missing or not an object'],
  ];
  for (const [text, reason] of cases) assert.deepEqual(parseWatchState(text), { status: "invalid", reason }, text.slice(0, 80));
});

test("encodeWatchState gives the bytes of serializeWatchState's text, non-ASCII names and tags included", () => {
  const state: WatchState = { selection: '{"digests":true}', repositories: new Map([["127.0.0.1:5000/équipe/app", recordTags(["été", "1.0"], [A, B])], ...sample().repositories]) };
  const bytes = encodeWatchState(state, SAVED);
  assert.equal(bytes.toString("utf8"), serializeWatchState(state, SAVED));
  assert.deepEqual(parseWatchState(bytes.toString("utf8")), { status: "ok", state });
});

test("serializeWatchState refuses a state it could not read back (tag → digest Maps of the old shape)", () => {
  const old = { selection: '{"digests":false}', repositories: new Map([["a/b", new Map([["x", null]])]]) } as unknown as WatchState;
  assert.throws(() => serializeWatchState(old, SAVED), { name: "TypeError", message: "the tags of a/b are not an array (RecordedTags: see recordTags)" });
});
