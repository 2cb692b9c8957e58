import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "../errors.js";
import { latestTag } from "./latest.js";
import { type SortOrder, sortTags } from "./sort.js";
import { leastCpuMsOf } from "../../test/helpers/cpu-time.js";

const MIXED = ["v1.2.3", "latest", "1.0.0-14", "2021.11.28", "1.0.0", "1359", "edge", "1.0.0-9", "v1.2.3-alpine"];

describe("sortTags: orders", () => {
  test("none keeps the registry's order, reverse reverses it", () => {
    assert.deepEqual(sortTags(MIXED, "none"), MIXED);
    assert.deepEqual(sortTags(MIXED, "none", { reverse: true }), [...MIXED].reverse());
  });
  test("lexical is by code unit (digits < upper < lower, '-' < '.')", () => {
    assert.deepEqual(sortTags(["b", "B", "a-1", "a.1", "10", "9", "a"], "lexical"), ["10", "9", "B", "a", "a-1", "a.1", "b"]);
  });
  test("version: non-versions first (lexical), then versions ascending", () => {
    assert.deepEqual(sortTags(MIXED, "version"), ["edge", "latest", "1.0.0-9", "1.0.0-14", "1.0.0", "v1.2.3-alpine", "v1.2.3", "1359", "2021.11.28"]);
  });
  test("version with reverse: exactly reversed, highest first, non-versions last", () => {
    assert.deepEqual(sortTags(MIXED, "version", { reverse: true }), ["2021.11.28", "1359", "v1.2.3", "v1.2.3-alpine", "1.0.0", "1.0.0-14", "1.0.0-9", "latest", "edge"]);
  });
  test("version under the semver scheme: tags that do not qualify sort as non-versions", () => {
    assert.deepEqual(sortTags(MIXED, "version", { scheme: "semver" }), ["1359", "2021.11.28", "edge", "latest", "1.0.0-9", "1.0.0-14", "1.0.0", "v1.2.3-alpine", "v1.2.3"]);
  });
  test("version with a version regex: the captured part is compared, the tag breaks ties", () => {
    const tags = ["arm64v8-1.10.0", "amd64-1.9.0", "amd64-1.10.0", "latest", "amd64-1.9.0-ls3"];
    assert.deepEqual(sortTags(tags, "version", { versionRegex: "[a-z0-9]+-(\\d+\\.\\d+\\.\\d+)(?:-ls\\d+)?" }), [
      "latest",
      "amd64-1.9.0",
      "amd64-1.9.0-ls3",
      "amd64-1.10.0",
      "arm64v8-1.10.0",
    ]);
  });
  test("duplicates are kept", () => assert.deepEqual(sortTags(["1.1", "1.0", "1.1", "x", "x"], "version"), ["x", "x", "1.0", "1.1", "1.1"]));
  test("empty input", () => {
    for (const order of ["none", "lexical", "version", "date"] as const) assert.deepEqual(sortTags([], order), []);
  });
  test("the input is not modified", () => {
    const input = ["b", "a"];
    sortTags(input, "lexical");
    assert.deepEqual(input, ["b", "a"]);
  });
});

describe("sortTags: date", () => {
  const dates = new Map([
    ["1.0", new Date("2024-01-01T00:00:00Z")],
    ["1.1", new Date("2024-03-01T00:00:00Z")],
    ["latest", new Date("2024-03-01T00:00:00Z")],
    ["1.1-alpine", new Date("2024-03-01T00:00:00Z")],
    ["0.9", new Date("2023-06-01T00:00:00Z")],
    ["broken", new Date("not a date")],
  ]);
  const tags = ["1.1", "nightly", "latest", "1.0", "0.8", "1.1-alpine", "0.9", "broken"];
  test("undated first (in version order), then oldest to newest, ties in version order", () => {
    assert.deepEqual(sortTags(tags, "date", { dates }), ["broken", "nightly", "0.8", "0.9", "1.0", "latest", "1.1-alpine", "1.1"]);
  });
  test("reverse: newest first, undated last", () => {
    assert.deepEqual(sortTags(tags, "date", { dates, reverse: true }), ["1.1", "1.1-alpine", "latest", "1.0", "0.9", "0.8", "nightly", "broken"]);
  });
  test("without dates it is the version order", () => assert.deepEqual(sortTags(tags, "date"), sortTags(tags, "version")));
});

describe("sortTags: usage errors", () => {
  test("unknown order", () =>
    assert.throws(() => sortTags(["a"], "semver" as SortOrder), (e: unknown) => e instanceof InvalidArgumentError && /^unknown sort order "semver": use none, lexical, version, date$/.test(e.message)));
  test("unknown scheme", () => assert.throws(() => sortTags(["a"], "version", { scheme: "x" as "any" }), InvalidArgumentError));
  test("invalid version regex", () => assert.throws(() => sortTags(["a"], "version", { versionRegex: "(" }), InvalidArgumentError));
  test("a version regex is not compiled for orders that do not read versions", () => assert.deepEqual(sortTags(["b", "a"], "lexical", { versionRegex: "(" }), ["a", "b"]));
});

/** A deterministic mix of real-world shapes: versions, variants, prereleases, SHAs, words. */
function manyTags(count: number): string[] {
  // xorshift32: a linear congruential generator's low bits repeat too soon and would make most tags duplicates.
  let seed = 42;
  const next = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const hex = (length: number): string => {
    let text = "";
    for (let i = 0; i < length; i++) text += "0123456789abcdef"[next(16)];
    return text;
  };
  const shapes: Array<() => string> = [
    () => `${next(30)}.${next(30)}.${next(30)}`,
    () => `v${next(5)}.${next(20)}.${next(50)}-rc.${next(9)}`,
    () => `${next(25)}.${next(12)}-alpine3.${next(20)}`,
    () => `${next(25)}.${next(9)}.${next(20)}_${next(15)}-jdk-alpine`,
    () => `${next(3)}.${next(12)}.${next(9)}-ls${next(200)}`,
    () => hex(40),
    () => `${hex(40)}-${1400000000 + next(100000000)}-${next(30)}-1`,
    () => `sha256-${hex(64)}.sig`,
    () => `20${10 + next(15)}.${1 + next(12)}.${1 + next(28)}`,
    () => `feature-${hex(7)}`,
  ];
  const tags = Array.from({ length: count }, () => shapes[next(shapes.length)]!());
  // Flat strings, as JSON.parse gives them from a registry's response (concatenation builds rope strings).
  return JSON.parse(JSON.stringify(tags)) as string[];
}

describe("sortTags: scale (performance guard: CPU time, see test/helpers/cpu-time.ts)", () => {
  // About 100-200 ms of CPU; a quadratic step over 100k tags costs minutes. What this
  // guards against is an order of magnitude (a quadratic step, a backtracking regex), not a few percent.
  const BOUND_MS = 2000;
  const tags = manyTags(100_000);
  test("100k tags sort by version in well under a second", () => {
    let sorted: string[] = [];
    const elapsed = leastCpuMsOf(() => {
      sorted = sortTags(tags, "version");
    });
    assert.equal(sorted.length, tags.length);
    assert.ok(elapsed < BOUND_MS, `sorting 100k tags took ${elapsed.toFixed(0)} ms of CPU`);
  });
  test("100k tags sort by date in well under a second", () => {
    const dates = new Map(tags.map((tag, i) => [tag, new Date(1_700_000_000_000 + (i % 5000) * 1000)]));
    const elapsed = leastCpuMsOf(() => sortTags(tags, "date", { dates, reverse: true }));
    assert.ok(elapsed < BOUND_MS, `sorting 100k tags by date took ${elapsed.toFixed(0)} ms of CPU`);
  });
  test("latestTag over 100k tags in well under a second", () => {
    const elapsed = leastCpuMsOf(() => latestTag(tags, { filter: { omitDigestTags: true, noPrerelease: true, versionRange: ">=1" } }));
    assert.ok(elapsed < BOUND_MS, `latestTag over 100k tags took ${elapsed.toFixed(0)} ms of CPU`);
  });
});
