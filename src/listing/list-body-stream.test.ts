import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ListBodyParser, MAX_DEPTH, type StreamedListBody } from "./list-body-stream.js";
import { parseCatalogBody, parseTagsBody } from "./tags-body.js";
import { isRegtagsError } from "../errors.js";
import { returnsOrThrowsTyped } from "../../test/helpers/typed-errors.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

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
    return { name: body.name, entries: body.tags, nullEntries: body.nullEntries, digestEntries: body.digestEntries, invalid: body.invalidEntries };
  } catch (error) {
    return { error: isRegtagsError(error) ? error.code : String(error) };
  }
}

/** The streamed result in the whole-body parser's terms (dropped entries only counted). */
function comparable(body: StreamedListBody) {
  return { name: body.name, entries: body.entries, nullEntries: body.nullEntries, digestEntries: body.digestEntries, invalid: body.invalidEntries.length + body.oversizeEntries };
}

function streamed(text: string, sizes: readonly number[]): unknown {
  try {
    return comparable(streamParse(text, sizes));
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
    '{"tags":["ok","-dash","a\\u001b[31m","bad\\nline","\\u202eevil","sp ace","","1.0"]}',
    `{"tags":["a","${"t".repeat(129)}","${"\\u0074".repeat(128)}","b"]}`,
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
  assert.deepEqual(comparable(streamParse(body, [4], "repositories")), { name: undefined, entries: whole.repositories, nullEntries: 1, digestEntries: 0, invalid: 0 });
});

test("property: any JSON value, any chunking: the same outcome as JSON.parse-based parsing", () => {
  const tagsValue = fc.oneof(fc.array(fc.oneof(fc.string(), fc.constant(null), fc.integer())), fc.constant(null), fc.string(), fc.dictionary(fc.string(), fc.integer()));
  // Within the nesting limit: deeper bodies are refused by design (see the depth tests below).
  const body = fc.oneof(
    fc.record({ name: fc.string(), tags: tagsValue, extra: fc.jsonValue({ maxDepth: MAX_DEPTH - 2 }) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.jsonValue({ maxDepth: MAX_DEPTH - 1 }).map((v) => JSON.stringify(v)),
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

test("a million tags parse in well under the time budget (performance guard: CPU time)", () => {
  const tags = Array.from({ length: 1_000_000 }, (_, i) => `v1.${i % 1000}.${i}`);
  const text = JSON.stringify({ name: "big/repo", tags });
  let result: ReturnType<typeof streamParse> | undefined;
  const cpuMs = cpuMsOf(() => (result = streamParse(text, [65536])));
  assert.equal(result?.entries.length, 1_000_000);
  assert.ok(cpuMs < 5000, `${cpuMs.toFixed(0)} ms of CPU`);
});

describe("hostile bodies within the size cap (issue 10, bounded memory)", () => {
  const chunk = (byte: number) => Buffer.alloc(64 * 1024, byte);

  test("nesting deeper than MAX_DEPTH is a ProtocolError, not a frame per byte", () => {
    const parser = new ListBodyParser("tags", "r/x: GET u");
    parser.push(Buffer.from('{"tags":["a"],"x":'));
    // 64 MiB of `[` grew to GBs and died in V8's heap limit before the limit.
    assert.throws(
      () => {
        for (let i = 0; i < 1024; i++) parser.push(chunk(0x5b));
      },
      (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && /nests deeper than 16 levels/.test((e as Error).message),
    );
  });

  test("GCR's four levels and anything up to MAX_DEPTH parse; one more is refused", () => {
    const nested = (depth: number) => `{"tags":["a"],"x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    assert.deepEqual(streamParse(nested(MAX_DEPTH), [7]).entries, ["a"]);
    assert.throws(() => streamParse(nested(MAX_DEPTH + 1), [7]), /nests deeper/);
    const gcr = '{"manifest":{"sha256:1":{"tag":["a"],"imageSizeBytes":"1"}},"name":"p/x","tags":["a","b"]}';
    assert.deepEqual(streamParse(gcr, [3]).entries, ["a", "b"]);
  });

  test("a 250 MB tag is counted as dropped without being built", () => {
    const parser = new ListBodyParser("tags", "w");
    const before = process.memoryUsage();
    parser.push(Buffer.from('{"tags":["a","'));
    const piece = chunk(0x61);
    for (let i = 0; i < 4000; i++) parser.push(piece); // the same 64 KiB again and again: 250 MiB
    parser.push(Buffer.from('","b"]}'));
    const body = parser.end();
    const after = process.memoryUsage();
    assert.deepEqual([body.entries, body.oversizeEntries, body.lastEntry], [["a", "b"], 1, "b"]);
    // Keeping its pieces (as before) cost 250 MiB of buffers, and its text as much heap again.
    assert.ok(after.arrayBuffers - before.arrayBuffers < 32 * 2 ** 20, `buffers grew ${after.arrayBuffers - before.arrayBuffers}`);
    assert.ok(after.heapUsed - before.heapUsed < 32 * 2 ** 20, `heap grew ${after.heapUsed - before.heapUsed}`);
  });

  test("huge keys, names and skipped strings are scanned, escapes checked as they pass", () => {
    const huge = "k".repeat(2 ** 20);
    const body = streamParse(`{"${huge}":"${huge}","name":"${huge}","x":["${huge}"],"tags":["a"]}`, [65536]);
    assert.deepEqual([body.entries, body.name], [["a"], undefined]);
    assert.throws(() => streamParse(`{"x":"${"\\u0041".repeat(1000)}\\u00zz","tags":[]}`, [100]), /invalid escape/);
    assert.throws(() => streamParse(`{"x":"${"a".repeat(100_000)}\\q","tags":[]}`, [4096]), /invalid escape/);
  });

  test("property: any hostile shape returns or throws a regtags error", () => {
    const piece = fc.oneof(
      fc.constantFrom("[", "{", "]", "}", ",", ":", '"', "\\", "\\u", "null", "-", "1e", "0"),
      fc.integer({ min: 1, max: 5000 }).chain((n) => fc.constantFrom("[".repeat(n), "{\"a\":".repeat(n), "9".repeat(n), "\\u0041".repeat(n), `"${"x".repeat(n * 50)}"`, `"k${n}":1,`.repeat(Math.min(n, 500)))),
      fc.string({ unit: "binary", maxLength: 20 }),
    );
    const hostile = fc.tuple(fc.constantFrom('{"tags":["a"],"x":', '{"tags":[', '{"', "[", ""), fc.array(piece, { maxLength: 20 })).map(([head, rest]) => head + rest.join(""));
    fc.assert(
      fc.property(hostile, fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }), fc.constantFrom("tags" as const, "repositories" as const), (text, sizes, field) => {
        returnsOrThrowsTyped(() => streamParse(text, sizes, field));
      }),
      { numRuns: 300 },
    );
  });
});
