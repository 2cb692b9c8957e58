import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTagsBody } from "./tags-body.js";
import { tagsUrl } from "./list-tags.js";
import { isRegtagsError } from "../errors.js";

test("PAG-2: null/missing tags, extras ignored, null and digest entries skipped and counted", () => {
  assert.deepEqual(parseTagsBody('{"name":"a","tags":null}', "w"), { name: "a", tags: [], nullEntries: 0, digestEntries: 0, invalidEntries: 0 });
  assert.deepEqual(parseTagsBody('{"name":"a"}', "w").tags, []);
  const gcr = parseTagsBody('{"child":[],"manifest":{"sha256:1":{"tag":["a"]}},"name":"p/x","tags":["a","b"]}', "w");
  assert.deepEqual(gcr.tags, ["a", "b"]);
  const nexus = parseTagsBody('{"name":"x","tags":["1",null,"2","sha256:abcd",null]}', "w");
  assert.deepEqual([nexus.tags, nexus.nullEntries, nexus.digestEntries], [["1", "2"], 2, 1]);
  const hostile = parseTagsBody(JSON.stringify({ tags: ["1", "\u001b[2J", "a\nb", "\u202e1", "-x", "t".repeat(129), "2"] }), "w");
  assert.deepEqual([hostile.tags, hostile.invalidEntries], [["1", "2"], 5]);
});

test("PAG-2: HTML with 200, wrong types and non-string entries are precise protocol errors", () => {
  const cases: Array<[string, RegExp]> = [
    ["<!DOCTYPE html><html>", /not JSON.*DOCTYPE/],
    ["[]", /not a JSON object/],
    ['{"tags":"latest"}', /"tags" is string, not an array/],
    ['{"tags":{"a":1}}', /"tags" is object/],
    ['{"tags":["a",5]}', /"tags"\[1\] is number/],
    ['{"tags":["a",["b"]]}', /"tags"\[1\] is an array/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => parseTagsBody(body, "docker.io/x: GET u"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && message.test((e as Error).message), body);
  }
});

test("PAG-1: tags URL with n and last", () => {
  assert.equal(tagsUrl(new URL("https://r.example"), "library/ubuntu", 1000, undefined).href, "https://r.example/v2/library/ubuntu/tags/list?n=1000");
  assert.equal(tagsUrl(new URL("http://127.0.0.1:5000/"), "a/b", 2, "x y").href, "http://127.0.0.1:5000/v2/a/b/tags/list?n=2&last=x+y");
  assert.equal(tagsUrl(new URL("https://r.example"), "a", undefined, undefined).href, "https://r.example/v2/a/tags/list");
});
