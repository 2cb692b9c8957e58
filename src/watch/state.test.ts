import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalSelection, emptyWatchState, parseWatchState, serializeWatchState, WATCH_STATE_VERSION, type WatchState } from "./state.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const S512 = `sha512:${"c".repeat(128)}`;
const SAVED = new Date("2026-12-02T07:00:00.000Z");

function sample(): WatchState {
  return {
    selection: canonicalSelection({ digests: true, include: ["1\\..*"] }),
    repositories: new Map([
      ["127.0.0.1:5000/team/app", new Map<string, string | null>([["1.0", A], ["__proto__", B], ["constructor", A]])],
      ["127.0.0.1:5000/team/mixed", new Map<string, string | null>([["x", S512], ["y", null]])],
      ["127.0.0.1:5000/team/empty", new Map()],
      ["127.0.0.1:5000/team/plain", new Map([["x", null]])],
    ]),
  };
}

test("serialize then parse gives the same state back, tag order and prototype-like names included", () => {
  const text = serializeWatchState(sample(), SAVED);
  const parsed = parseWatchState(text);
  assert.equal(parsed.status, "ok");
  if (parsed.status !== "ok") return;
  assert.deepEqual(parsed.state, sample());
  assert.deepEqual([...parsed.state.repositories.get("127.0.0.1:5000/team/app")!.keys()], ["1.0", "__proto__", "constructor"]);
  assert.equal(
    text,
    `{"format":"regtags-watch-state","version":1,"savedAt":"2026-12-02T07:00:00.000Z","selection":{"digests":true,"include":["1\\\\..*"]},"repositories":{\n` +
      `"127.0.0.1:5000/team/app":{"tags":["1.0","__proto__","constructor"],"sha256":"${"a".repeat(64)}${"b".repeat(64)}${"a".repeat(64)}"},\n` +
      `"127.0.0.1:5000/team/mixed":{"tags":["x","y"],"digests":["${S512}",null]},\n` +
      `"127.0.0.1:5000/team/empty":{"tags":[]},\n` +
      `"127.0.0.1:5000/team/plain":{"tags":["x"]}\n}}\n`,
  );
  assert.deepEqual(parseWatchState(serializeWatchState(emptyWatchState(), SAVED)), { status: "ok", state: { selection: '{"digests":false}', repositories: new Map() } });
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
    [good.replace('"version":1', `"version":${WATCH_STATE_VERSION + 1}`), `it has version ${WATCH_STATE_VERSION + 1}, written by a newer regtags (this one reads version ${WATCH_STATE_VERSION}); upgrade regtags`],
    [good.replace('"version":1', '"version":"1"'), 'its "version" is not a positive whole number'],
    [good.replace(/"selection":\{[^}]*\}/, '"selection":[]'), 'its "selection" is missing or malformed'],
    [good.replace("a".repeat(64), "A".repeat(64)), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace("a".repeat(64), "a".repeat(63)), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace('"sha256":"', '"digests":[],"sha256":"'), 'repository "127.0.0.1:5000/team/app" is malformed'],
    [good.replace(S512, "not-a-digest"), 'tag "x" of 127.0.0.1:5000/team/mixed is malformed'],
    [good.replace(`"${S512}"`, "5"), 'tag "x" of 127.0.0.1:5000/team/mixed is malformed'],
    [good.replace(`"${S512}",`, ""), 'repository "127.0.0.1:5000/team/mixed" is malformed'],
    [good.replace('"__proto__"', '"1.0"'), 'tag "1.0" of 127.0.0.1:5000/team/app is malformed'],
    [good.replace('{"tags":[]}', '{"tags":{}}'), 'repository "127.0.0.1:5000/team/empty" is malformed'],
    ['{"format":"regtags-watch-state","version":1,"selection":{"digests":false}}', 'its "repositories" is missing or not an object'],
  ];
  for (const [text, reason] of cases) assert.deepEqual(parseWatchState(text), { status: "invalid", reason }, text.slice(0, 80));
});
