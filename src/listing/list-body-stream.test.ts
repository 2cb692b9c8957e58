import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ListBodyParser } from "./list-body-stream.js";
import { parseCatalogBody, parseTagsBody } from "./tags-body.js";
import { isRegtagsError } from "../errors.js";

/** Feeds `text` in the given chunk sizes. */
function streamParse(text: string, sizes: readonly number[], field: "tags" | "repositories" = "tags") {
  const bytes = Buffer.from(text, "utf8");
  const parser = new ListBodyParser(field, "w");
  let offset = 0;
  let k = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, sizes[k++ % Math.max(sizes.length, 1)] ?? bytes.length);
    parser.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return parser.end();
}

/** The reference: the whole-body parser, or its error message. */
function reference(text: string): unknown {
  try {
    const body = parseTagsBody(text, "w");
    return { name: body.name, entries: body.tags, nullEntries: body.nullEntries, digestEntries: body.digestEntries };
  } catch (error) {
    return { error: isRegtagsError(error) ? error.code : String(error) };
  }
}

function streamed(text: string, sizes: readonly number[]): unknown {
  try {
    return streamParse(text, sizes);
  } catch (error) {
    return { error: isRegtagsError(error) ? error.code : String(error) };
  }
}

test("fixtures: same result as the whole-body parser, whatever the chunking", () => {
  const bodies = [
    '{"name":"library/ubuntu","tags":["10.04","12.04","latest"]}',
    '{"name":"x","tags":null}',
    '{"name":"x"}',
    '{"child":[],"manifest":{"sha256:1":{"tag":["a"],"imageSizeBytes":"12","timeCreatedMs":"1"}},"name":"p/x","tags":["a","b"]}',
    '{"name":"x","tags":["1",null,"2","sha256:abcd",null]}',
    ' \n{ "tags" : [ "a\\u0041\\n" , "é€𝄞" ] , "name" : "n\\"q" } \n',
    '{"tags":["a"],"tags":["b","c"]}',
    '{"tags":[]}',
  ];
  for (const body of bodies) for (const sizes of [[body.length], [1], [2, 3, 5], [7]]) assert.deepEqual(streamed(body, sizes), reference(body), `${body} in ${sizes}`);
});

test("errors: the same kind of ProtocolError as the whole-body parser", () => {
  const cases: Array<[string, RegExp]> = [
    ["<!DOCTYPE html><html>", /not JSON.*DOCTYPE/],
    ["", /not JSON .*\(the body is empty\)$/],
    ["[]", /not a JSON object/],
    ['"x"', /not a JSON object/],
    ['{"tags":"latest"}', /"tags" is string, not an array/],
    ['{"tags":{"a":1}}', /"tags" is object, not an array/],
    ['{"tags":["a",5]}', /"tags"\[1\] is number, not a string/],
    ['{"tags":["a",["b"]]}', /"tags"\[1\] is an array, not a string/],
    ['{"tags":["a",{"b":1}]}', /"tags"\[1\] is object, not a string/],
    ['{"tags":["a" "b"]}', /missing comma/],
    ['{"tags":["a",]}', /misplaced \]/],
    ['{"tags":["a"]} x', /not JSON/],
    ['{"tags":["a\\x"]}', /invalid escape/],
    ['{"tags":["a', /ends inside a string/],
    ['{"tags":["a"]', /ends before the JSON does/],
    ['{tags:["a"]}', /not JSON/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => streamParse(body, [64]), (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && message.test((e as Error).message), body);
    assert.equal((reference(body) as { error?: string }).error, "ERR_PROTOCOL", `the whole-body parser also refuses ${body}`);
  }
});

test("catalog bodies", () => {
  const body = '{"repositories":["a/b","c",null]}';
  const whole = parseCatalogBody(body, "w");
  assert.deepEqual(streamParse(body, [4], "repositories"), { name: undefined, entries: whole.repositories, nullEntries: 1, digestEntries: 0 });
});

test("property: any JSON value, any chunking: the same outcome as JSON.parse-based parsing", () => {
  const tagsValue = fc.oneof(fc.array(fc.oneof(fc.string(), fc.constant(null), fc.integer())), fc.constant(null), fc.string(), fc.dictionary(fc.string(), fc.integer()));
  const body = fc.oneof(
    fc.record({ name: fc.string(), tags: tagsValue, extra: fc.jsonValue() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );
  fc.assert(
    fc.property(body, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), (text, sizes) => {
      const a = streamed(text, sizes) as { error?: string };
      const b = reference(text) as { error?: string };
      if (b.error !== undefined || a.error !== undefined) return a.error === b.error;
      assert.deepEqual(a, b);
      return true;
    }),
    { numRuns: 400 },
  );
});

test("a million tags parse in well under the time budget", () => {
  const tags = Array.from({ length: 1_000_000 }, (_, i) => `v1.${i % 1000}.${i}`);
  const text = JSON.stringify({ name: "big/repo", tags });
  const started = performance.now();
  const result = streamParse(text, [65536]);
  assert.equal(result.entries.length, 1_000_000);
  assert.ok(performance.now() - started < 5000);
});
