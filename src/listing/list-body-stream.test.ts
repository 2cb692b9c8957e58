import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ListBodyParser, MAX_DEPTH, type StreamedListBody } from "./list-body-stream.js";
import { MAX_RUN_BYTES } from "./list-body-runs.js";
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

test("catalog bodies: a name longer than any registry allows is dropped, as the whole-body parser drops it", () => {
  // 4097 to 24576 characters used to be kept when streamed (only the oversize path dropped names).
  const body = JSON.stringify({ repositories: ["a/b", "n".repeat(4097), "x".repeat(30_000), "c"] });
  const whole = parseCatalogBody(body, "w");
  assert.deepEqual([whole.repositories, whole.invalidEntries], [["a/b", "c"], 2]);
  for (const sizes of [[body.length], [4096], [13]]) {
    assert.deepEqual(comparable(streamParse(body, sizes, "repositories")), { name: undefined, entries: ["a/b", "c"], nullEntries: 0, digestEntries: 0, invalid: 2 });
  }
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

describe("fast path: runs of complete elements go to JSON.parse (issue 13)", () => {
  /** Feeds `bytes` in chunks of the given sizes, cycling. */
  function feed(bytes: Buffer, sizes: readonly number[], scanOnly: boolean, field: "tags" | "repositories" = "tags"): StreamedListBody | { error: string } {
    const parser = new ListBodyParser(field, "w", { scanOnly });
    try {
      let offset = 0;
      for (let k = 0; offset < bytes.length; k++) {
        const size = Math.max(1, sizes[k % sizes.length]!);
        // A copy, as a socket hands over fresh buffers: nothing may keep a view of the last one.
        parser.push(Buffer.from(bytes.subarray(offset, offset + size)));
        offset += size;
      }
      return parser.end();
    } catch (error) {
      return { error: isRegtagsError(error) ? `${error.code} ${(error as Error).message}` : `not a regtags error: ${String(error)}` };
    }
  }

  /** JSON.parse of the whole body, then the same rules for each entry: the meaning the fast path must keep. */
  function parsedWhole(text: string) {
    const tags = (JSON.parse(text) as { tags?: unknown }).tags;
    const entries: string[] = [];
    let nulls = 0;
    let digests = 0;
    let invalid = 0;
    for (const entry of Array.isArray(tags) ? tags : []) {
      if (entry === null) nulls++;
      else if ((entry as string).includes(":")) digests++;
      else if (/^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/.test(entry as string)) entries.push(entry as string);
      else invalid++;
    }
    return { entries, nulls, digests, invalid };
  }

  const validTag = fc.stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,30}$/);
  /** Any UTF-16 code unit (lone surrogates too, which JSON.stringify escapes), and surrogate pairs. */
  const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }));
  const entry = fc.oneof(
    { weight: 6, arbitrary: validTag },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom("sha256:0123abcd", "a:b", ":") },
    { weight: 2, arbitrary: anyText },
    { weight: 1, arbitrary: fc.constantFrom("", "-x", "a,b", "a]b", 'q"uote', "back\\slash", "[", "{", "\u2028", "😀", "é€") },
    // Past 128 characters: invalid when short enough to read, oversize past 768 raw bytes.
    { weight: 1, arbitrary: fc.integer({ min: 129, max: 900 }).map((n) => "t".repeat(n)) },
  );
  /** JSON text of one entry, sometimes with escapes spelt out where JSON.stringify would not use them. */
  const encoded = entry.chain((value) =>
    typeof value !== "string"
      ? fc.constant(JSON.stringify(value))
      : fc.constantFrom(
          JSON.stringify(value),
          `"${[...value].map((c) => (c.length === 1 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`)).join("")}"`,
          JSON.stringify(value).replaceAll("/", "\\/"),
        ),
  );
  const ws = fc.constantFrom("", "", " ", "\n", "\t", " \r\n ");
  const otherField = fc.tuple(fc.constantFrom('"name"', '"child"', '"manifest"', '"tag"', '"x\\"y"'), fc.jsonValue({ maxDepth: 4 })).map(([key, value]) => `${key}:${JSON.stringify(value)}`);
  const body = fc
    .tuple(fc.array(otherField, { maxLength: 2 }), fc.array(fc.tuple(ws, encoded, ws), { maxLength: 80 }), fc.array(otherField, { maxLength: 2 }), ws)
    .map(([before, items, after, space]) => {
      const tags = `"tags"${space}:${space}[${items.map(([a, e, b]) => a + e + b).join(",")}]`;
      return `{${space}${[...before, tags, ...after].join(`,${space}`)}}`;
    });
  const chunking = fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 })), { minLength: 1, maxLength: 6 });

  test("property: the same result as the scanner, and as JSON.parse of the whole body, whatever the chunking", () => {
    fc.assert(
      fc.property(body, chunking, (text, sizes) => {
        const bytes = Buffer.from(text, "utf8");
        const fast = feed(bytes, sizes, false);
        assert.deepEqual(fast, feed(bytes, [bytes.length], true), "equals the scanner");
        assert.ok(!("error" in fast), (fast as { error: string }).error);
        const whole = parsedWhole(text);
        assert.deepEqual(
          { entries: fast.entries, nulls: fast.nullEntries, digests: fast.digestEntries, invalid: fast.invalidEntries.length + fast.oversizeEntries },
          whole,
          "equals JSON.parse of the whole body",
        );
      }),
      { numRuns: 600 },
    );
  });

  test("property: broken bodies and raw bytes fail (or pass) exactly as the scanner does, with the same message", () => {
    const damage = fc.tuple(fc.nat(), fc.constantFrom("", ",", "]", "[", "{", '"', "\\", "\\u12", "5", "true", "nul", "\u0001", "\n", ",5", ",true", ',["x"]', ",{}", ", ]", ",]", ",null", ',"a"'), fc.integer({ min: 0, max: 3 }));
    const rawByte = fc.integer({ min: 0x80, max: 0xff });
    fc.assert(
      fc.property(body, damage, fc.array(fc.tuple(fc.nat(), rawByte), { maxLength: 3 }), chunking, (text, [at, insert, cut], raw, sizes) => {
        const spot = at % (text.length + 1);
        let bytes = Buffer.from(text.slice(0, spot) + insert + text.slice(spot + cut), "utf8");
        // Invalid UTF-8 (lone continuation bytes, truncated sequences) wherever it lands, inside strings or not.
        for (const [where, byte] of raw) {
          const i = where % (bytes.length + 1);
          bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
        }
        assert.deepEqual(feed(bytes, sizes, false), feed(bytes, sizes, true));
        assert.deepEqual(feed(bytes, sizes, false, "repositories"), feed(bytes, sizes, true, "repositories"));
      }),
      { numRuns: 600 },
    );
  });

  test("an element that is not a string is named by its index, after runs taken by the fast path", () => {
    const tags = Array.from({ length: 500 }, (_, i) => `v${i}`);
    for (const [bad, what] of [["5", "number"], ["true", "boolean"], ['["x"]', "an array"], ["{}", "object"]]) {
      const text = JSON.stringify({ tags }).replace('"v450"', bad!);
      for (const sizes of [[64], [1000], [7, 300], [text.length]]) {
        for (const scanOnly of [false, true]) {
          const result = feed(Buffer.from(text), sizes, scanOnly) as { error?: string };
          assert.match(result.error ?? "", new RegExp(`^ERR_PROTOCOL w: "tags"\\[450\\] is ${what}, not a string$`), `${bad} in ${sizes}, scanOnly ${scanOnly}`);
        }
      }
    }
  });

  test("a page of tags takes the fast path: a few JSON.parse calls over runs, not a string per tag", () => {
    const tags = Array.from({ length: 20_000 }, (_, i) => `v${i}`);
    const bytes = Buffer.from(JSON.stringify({ name: "a/b", tags }));
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      calls++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    let result: StreamedListBody | { error: string };
    try {
      result = feed(bytes, [65536], false);
    } finally {
      JSON.parse = parse;
    }
    assert.deepEqual((result as StreamedListBody).entries, tags);
    // One run per 64 KiB chunk (and the partial element at each chunk's edge is scanned).
    assert.ok(calls >= 1 && calls <= Math.ceil(bytes.length / 65536) * 2, `${calls} JSON.parse calls`);
  });

  test("one chunk of many megabytes is parsed in runs of bounded size", () => {
    const tags = Array.from({ length: 300_000 }, (_, i) => `tag-${i}`);
    const bytes = Buffer.from(JSON.stringify({ tags }));
    const parse = JSON.parse;
    let longest = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      longest = Math.max(longest, text.length);
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      assert.equal((feed(bytes, [bytes.length], false) as StreamedListBody).entries.length, tags.length);
    } finally {
      JSON.parse = parse;
    }
    assert.ok(bytes.length > 4 * MAX_RUN_BYTES && longest <= MAX_RUN_BYTES + 2, `longest JSON.parse input ${longest} characters`);
  });
});
