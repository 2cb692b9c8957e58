import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "../errors.js";
import { type TagFilter, applyFilter, compileFilter, isDigestTag } from "./filter.js";
import { MAX_PATTERN_LENGTH } from "./pattern.js";
import { MAX_RANGE_LENGTH } from "./range.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

const DIGEST = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

function keeps(tags: readonly string[], filter: TagFilter, expected: readonly string[]): void {
  assert.deepEqual(applyFilter(tags, filter), expected);
}

/** compileFilter must throw a InvalidArgumentError whose one-line message matches. */
function rejects(filter: TagFilter, message: RegExp): void {
  assert.throws(
    () => compileFilter(filter),
    (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError, `expected a InvalidArgumentError, got ${String(e)}`);
      assert.equal(e.code, "ERR_INVALID_ARGUMENT");
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    },
  );
}

describe("isDigestTag", () => {
  const table: Array<[string, boolean]> = [
    [`sha256-${DIGEST}`, true],
    [`sha256-${DIGEST}.sig`, true],
    [`sha256-${DIGEST}.att`, true],
    [`sha256-${DIGEST}.sbom`, true],
    [`sha256-${DIGEST}.intoto`, true],
    [`sha512-${DIGEST}${DIGEST}`, true],
    ["sha256-deadbeef.sig", true],
    ["v1.0.0.sig", true],
    ["release.att", true],
    ["sha256-support", false],
    ["sha256", false],
    ["1.0.0", false],
    ["signature", false],
    ["latest", false],
  ];
  for (const [tag, expected] of table) test(tag.slice(0, 30), () => assert.equal(isDigestTag(tag), expected));
});

describe("include / exclude: anchored regexes", () => {
  const tags = ["3.19", "3.19-alpine", "3.19-alpine3.18", "alpine", "edge", "alpine-edge"];
  test("a pattern must match the whole tag", () => keeps(tags, { include: ["alpine"] }, ["alpine"]));
  test("a suffix needs .*", () => keeps(tags, { include: [".*-alpine"] }, ["3.19-alpine"]));
  test("repeated include: any of them", () => keeps(tags, { include: [".*-alpine", "edge"] }, ["3.19-alpine", "edge"]));
  test("exclude: any of them drops", () => keeps(tags, { exclude: [".*alpine.*", "3\\.19"] }, ["edge"]));
  test("include and exclude together", () => keeps(tags, { include: [".*alpine.*"], exclude: [".*edge"] }, ["3.19-alpine", "3.19-alpine3.18", "alpine"]));
  test("alternation stays inside the anchors", () => keeps(tags, { include: ["3|edge"] }, ["edge"]));
  test("backslash escapes that need no u flag", () => keeps(["3.19-alpine", "3x19-alpine"], { include: ["3\\.19\\-alpine"] }, ["3.19-alpine"]));
  test("a tag over 128 characters never matches a user regex", () => {
    const long = `v${"1".repeat(128)}`;
    keeps([long, "v1"], { include: ["v1.*"] }, ["v1"]);
    keeps([long, "v1"], { exclude: ["v1.*"] }, [long]);
  });
  test("backtracking is bounded by the tag length (performance guard: CPU time)", () => {
    // Cubic on unbounded input (seconds on the 100k-character string); a valid tag is at most 128 characters.
    const cpuMs = cpuMsOf(() => applyFilter(["a".repeat(100_000), `${"a".repeat(127)}!`], { include: ["a*a*a*c"] }));
    assert.ok(cpuMs < 500, `${cpuMs.toFixed(0)} ms of CPU`);
  });
});

describe("version range", () => {
  const tags = ["3", "3.17", "3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2", "4.0.0-rc.1", "4", "4.0", "edge", "1359", "2021.11.28"];
  const table: Array<[string, string[]]> = [
    [">=3.18 <4", ["3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2"]],
    [">= 3.18 < 4", ["3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2"]],
    ["^3.18", ["3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2"]],
    ["~3.18", ["3.18", "3.18.4"]],
    ["3.18.x", ["3.18", "3.18.4"]],
    ["3", ["3", "3.17", "3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2"]],
    ["3.18", ["3.18", "3.18.4"]],
    ["=3.18.0", ["3.18"]],
    [">3.20.1", ["3.20.1.2", "4.0.0-rc.1", "4", "4.0", "1359", "2021.11.28"]],
    ["<3.18 || >=4", ["3", "3.17", "4.0.0-rc.1", "4", "4.0", "1359", "2021.11.28"]],
    ["3.17 - 3.18", ["3.17", "3.18", "3.18.4"]],
    [">=4.0.0-rc.1 <5", ["4.0.0-rc.1", "4", "4.0"]],
    ["*", ["3", "3.17", "3.18", "3.18.4", "3.19-alpine", "3.19.0-rc.1", "3.20.1.2", "4.0.0-rc.1", "4", "4.0", "1359", "2021.11.28"]],
    [">=2000", ["2021.11.28"]],
  ];
  for (const [range, expected] of table) test(range, () => keeps(tags, { versionRange: range }, expected));
  test("rc1-style prereleases in a range read like tags", () => keeps(["1.22rc1", "1.22rc2", "1.22.0"], { versionRange: ">=1.22.0-rc2" }, ["1.22rc2", "1.22.0"]));
  test("with the calver scheme the normalised release is matched", () =>
    assert.deepEqual(applyFilter(["20230308", "2023.03.09", "24.04", "v1.2.3"], { versionRange: ">=2023.3.9 <2025" }, { scheme: "calver" }), ["2023.03.09", "24.04"]));
});

describe("variant: exact", () => {
  const tags = ["3.19", "3.19-alpine", "3.19-alpine3.18", "20-alpine", "17.0.13_11-jdk-alpine", "alpine", "3.19.0-rc.1-alpine"];
  test("alpine matches the alpine variant only", () => keeps(tags, { variant: "alpine" }, ["3.19-alpine", "20-alpine", "3.19.0-rc.1-alpine"]));
  test("alpine3.18 must be asked for", () => keeps(tags, { variant: "alpine3.18" }, ["3.19-alpine3.18"]));
  test("the whole variant", () => keeps(tags, { variant: "jdk-alpine" }, ["17.0.13_11-jdk-alpine"]));
  test('"" keeps versions without a variant', () => keeps(tags, { variant: "" }, ["3.19"]));
  test("case-sensitive", () => keeps(tags, { variant: "Alpine" }, []));
  test("combined with a range and no prereleases", () => keeps(tags, { variant: "alpine", versionRange: ">=3.18 <4", noPrerelease: true }, ["3.19-alpine"]));
});

describe("noPrerelease, omitDigestTags, limit", () => {
  const tags = ["1.0.0-rc.1", "v0.2.0a1", "1.0.0-14", "1.0.0", "1.9.3-ls56", "latest", "nightly", `sha256-${DIGEST}.sig`, "1.0.0.att"];
  test("noPrerelease drops prerelease versions, keeps non-versions and variants", () =>
    keeps(tags, { noPrerelease: true }, ["1.0.0", "1.9.3-ls56", "latest", "nightly", `sha256-${DIGEST}.sig`, "1.0.0.att"]));
  test("omitDigestTags", () => keeps(tags, { omitDigestTags: true }, tags.slice(0, 7)));
  test("limit keeps the first N survivors in the given order", () => keeps(tags, { omitDigestTags: true, noPrerelease: true, limit: 2 }, ["1.0.0", "1.9.3-ls56"]));
  test("limit 0", () => keeps(tags, { limit: 0 }, []));
  test("an empty filter keeps everything", () => keeps(tags, {}, tags));
  test("undefined fields are ignored (exactOptionalPropertyTypes callers)", () =>
    keeps(tags, { include: undefined, exclude: undefined, versionRange: undefined, variant: undefined, limit: undefined }, tags));
  test("compileFilter ignores limit", () => assert.equal(tags.filter(compileFilter({ limit: 1 })).length, tags.length));
});

describe("compileFilter: usage errors, one line each", () => {
  test("unterminated group", () => rejects({ include: ["a("] }, /^invalid include regex "a\(": Unterminated group$/));
  test("character class", () => rejects({ exclude: ["["] }, /^invalid exclude regex "\[": Unterminated character class$/));
  test("unbalanced ) cannot escape the anchors", () => rejects({ include: ["a)|(b"] }, /^invalid include regex "a\)\|\(b": /));
  test("a newline in the pattern stays escaped", () => rejects({ include: ["a\n("] }, /^invalid include regex "a\\n\(": /));
  test("pattern too long", () => rejects({ include: ["a".repeat(MAX_PATTERN_LENGTH + 1)] }, /^include regex is 1025 characters long; the limit is 1024$/));
  test("invalid range", () => rejects({ versionRange: "abc def" }, /^invalid version range "abc def": Invalid comparator: abc$/));
  test("range too long", () => rejects({ versionRange: "1".repeat(MAX_RANGE_LENGTH + 1) }, /^version range is 1025 characters long/));
  test("negative limit", () => rejects({ limit: -1 }, /^invalid limit -1: give a whole number, 0 or more$/));
  test("fractional limit", () => rejects({ limit: 1.5 }, /^invalid limit 1.5/));
  test("NaN limit", () => rejects({ limit: Number.NaN }, /^invalid limit NaN/));
  test("unknown scheme", () =>
    assert.throws(() => compileFilter({ noPrerelease: true }, { scheme: "date" as "any" }), (e: unknown) => e instanceof InvalidArgumentError && /^unknown version scheme "date"/.test(e.message)));
  test("the version regex of the reading is validated", () => assert.throws(() => compileFilter({ variant: "x" }, { versionRegex: "v" }), /has no capturing group/));
});
