import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { describeJsonSyntaxError, findJsonSyntaxError } from "./json-syntax.js";

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

test("positions of broken JSON, never the content", () => {
  const cases: Array<[string, string | undefined]> = [
    ['{"a": 1}', undefined],
    ['{"password":hunter2}', "line 1, column 13"],
    ['{\n  "auths": {\n    "x": {"auth": "c2VjcmV0"},\n  }\n}', "line 4, column 3"],
    ['{"password":"hunter2"', "it ends too early"],
    ["hunter2secret", "line 1, column 1"],
    ['{"a":1}}', "line 1, column 8"],
    ["{'a':1}", "line 1, column 2"],
    ["", "it ends too early"],
    ['[1, 2,]', "line 1, column 7"],
    ['"\\x"', "line 1, column 3"],
    ["-", "it ends too early"],
    ["01", "line 1, column 2"],
    ['{"a" 1}', "line 1, column 6"],
    [" [true, fals] ", "line 1, column 13"],
  ];
  for (const [text, expected] of cases) assert.equal(describeJsonSyntaxError(text), expected, text);
});

test("deep nesting does not overflow the stack", () => {
  assert.equal(findJsonSyntaxError("[".repeat(1_000_000)), 1_000_000);
  assert.equal(findJsonSyntaxError(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), undefined);
});

test("property: valid exactly when JSON.parse accepts it", () => {
  const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9eE.+\-tfrulnasx\\]*$/, { maxLength: 40 });
  const mutated = fc.tuple(fc.jsonValue(), fc.nat(), fc.constantFrom("", "}", "]", ",", '"', ":", "x", "\\", "\n", "\u0001")).map(([value, at, insert]) => {
    const text = JSON.stringify(value, null, at % 3);
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${insert}${text.slice(i)}`;
  });
  fc.assert(
    fc.property(fc.oneof(jsonish, mutated, fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
      const at = findJsonSyntaxError(text);
      assert.equal(at === undefined, isJson(text), text);
      if (at !== undefined) assert.ok(at >= 0 && at <= text.length);
    }),
    { numRuns: 3000 },
  );
});
