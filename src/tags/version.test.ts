import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { type ParsedVersion, type VersionScheme, parseVersion } from "./version.js";

type Expected = Partial<Omit<ParsedVersion, "original">>;

/** Reads `tag` with the "any" scheme and checks the given fields (the rest must be empty). */
function readsAs(tag: string, expected: Expected): void {
  const version = parseVersion(tag);
  assert.ok(version, `${tag} should be a version`);
  assert.deepEqual(version, { original: tag, release: [], prerelease: [], build: "", variant: "", ...expected });
}

describe("parseVersion: what the grammar reads", () => {
  const table: Array<[string, Expected]> = [
    // Plain, partial and 4-part releases.
    ["3", { release: [3] }],
    ["3.19", { release: [3, 19] }],
    ["20.11.1", { release: [20, 11, 1] }],
    ["1.2.3.4", { release: [1, 2, 3, 4] }],
    ["v1.2.3", { release: [1, 2, 3] }],
    ["V2.0", { release: [2, 0] }],
    ["2021.11.28", { release: [2021, 11, 28] }],
    ["1359", { release: [1359] }],
    ["007", { release: [7] }],
    // Prereleases: dash, dot, attached, numeric.
    ["1.0.0-rc.1", { release: [1, 0, 0], prerelease: ["rc", 1] }],
    ["1.0.0-rc1", { release: [1, 0, 0], prerelease: ["rc", 1] }],
    ["1.0.0-rc-1", { release: [1, 0, 0], prerelease: ["rc", 1] }],
    ["1.0.0-RC1", { release: [1, 0, 0], prerelease: ["rc", 1] }],
    ["1.0.0-alpha", { release: [1, 0, 0], prerelease: ["alpha"] }],
    ["1.0.0-alpha.beta.2", { release: [1, 0, 0], prerelease: ["alpha", "beta", 2] }],
    ["1.0.0-9", { release: [1, 0, 0], prerelease: [9] }],
    ["1.0.0-14", { release: [1, 0, 0], prerelease: [14] }],
    ["2.0-SNAPSHOT", { release: [2, 0], prerelease: ["snapshot"] }],
    ["v0.2.0a1", { release: [0, 2, 0], prerelease: ["alpha", 1] }],
    ["2.0b3", { release: [2, 0], prerelease: ["beta", 3] }],
    ["1.22rc1", { release: [1, 22], prerelease: ["rc", 1] }],
    ["1.0.dev0", { release: [1, 0], prerelease: ["dev", 0] }],
    ["22-ea-14-jdk", { release: [22], prerelease: ["ea", 14], variant: "jdk" }],
    ["7.0.0-preview.3", { release: [7, 0, 0], prerelease: ["preview", 3] }],
    // Build metadata: semver `+`, Temurin `_`.
    ["1.0.0+build.5", { release: [1, 0, 0], build: "build.5" }],
    ["1.0.0-rc.1+build.5", { release: [1, 0, 0], prerelease: ["rc", 1], build: "build.5" }],
    ["21.0.5_11-jre", { release: [21, 0, 5], build: "11", variant: "jre" }],
    ["17.0.13_11-jdk-alpine", { release: [17, 0, 13], build: "11", variant: "jdk-alpine" }],
    ["11.0.14.1_1-jdk", { release: [11, 0, 14, 1], build: "1", variant: "jdk" }],
    // Variants: anything that is not a prerelease word, and everything after it.
    ["20-alpine", { release: [20], variant: "alpine" }],
    ["17.2-alpine", { release: [17, 2], variant: "alpine" }],
    ["3.19-alpine3.18", { release: [3, 19], variant: "alpine3.18" }],
    ["16.2-alpine3.19", { release: [16, 2], variant: "alpine3.19" }],
    ["20.11.1-bookworm-slim", { release: [20, 11, 1], variant: "bookworm-slim" }],
    ["1.9.3-ls56", { release: [1, 9, 3], variant: "ls56" }],
    ["16.2.0-debian-12-r5", { release: [16, 2, 0], variant: "debian-12-r5" }],
    ["3.0.0-beta1-alpine", { release: [3, 0, 0], prerelease: ["beta", 1], variant: "alpine" }],
    ["1.0.0-alpine-rc1", { release: [1, 0, 0], variant: "alpine-rc1" }],
    ["6.0-nanoserver-ltsc2022", { release: [6, 0], variant: "nanoserver-ltsc2022" }],
    ["1.0-foo_bar", { release: [1, 0], variant: "foo_bar" }],
    ["20230308-abc1234", { release: [20230308], variant: "abc1234" }],
    ["1.0.0-12345678901234567", { release: [1, 0, 0], variant: "12345678901234567" }],
  ];
  for (const [tag, expected] of table) test(tag, () => readsAs(tag, expected));
});

describe("parseVersion: not versions", () => {
  const table = [
    "",
    "latest",
    "lts",
    "current",
    "alpine",
    "amd64-version-1.8.1",
    "amd64-1.7.0-ls1",
    "arm32v7-1.9.1",
    "version-1.9.5",
    "8f2ef3e55d91258eca4eaef9222505bd401ff86d",
    "8f2ef3e55d91258eca4eaef9222505bd401ff86d-1473632019-15-1",
    "67b9e06a5462acd665a9260f5082f39f07fc2ef2",
    "52d2ac2",
    "sha256-2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.sig",
    "v",
    "v-1",
    "1.",
    "1..2",
    "1.0-",
    "1.0--alpine",
    "1.0-alpine-",
    "1.0_",
    "1.0_x",
    "1.0.alpine",
    "1.0alpine",
    "1.0.0+",
    "1.0.0+a..b",
    "1.0.0_1+b",
    "1.0 ",
    " 1.0",
    "1.0/alpine",
    "1.0-rc.",
    "1234567890123456.1",
    "1".repeat(129),
    `1.${"0".repeat(127)}`,
  ];
  for (const tag of table) test(JSON.stringify(tag.length > 40 ? `${tag.slice(0, 40)}…` : tag), () => assert.equal(parseVersion(tag), undefined));
  test("a 128-character tag is still read", () => assert.deepEqual(parseVersion(`1.${"0".repeat(15)}-${"a".repeat(110)}`)?.release, [1, 0]));
});

describe("parseVersion: schemes", () => {
  // [tag, semver qualifies, calver release (undefined: does not qualify)]
  const table: Array<[string, boolean, number[] | undefined]> = [
    ["v1.2.3", true, undefined],
    ["3.19", true, undefined],
    ["1.2.3.4", true, undefined],
    ["1.2.3.4.5", false, undefined],
    ["3", false, undefined],
    ["20-alpine", false, undefined],
    ["1359", false, undefined],
    ["2021.11.28", false, [2021, 11, 28]],
    ["999.1", true, undefined],
    ["1000.1", false, undefined],
    ["v0.2.0a1", true, undefined],
    ["20.11.1", true, [2020, 11, 1]],
    ["24.04", true, [2024, 4]],
    ["24.04-minimal", true, [2024, 4]],
    ["2024.1", false, [2024, 1]],
    ["20230308", false, [2023, 3, 8]],
    ["20230308.2", false, [2023, 3, 8, 2]],
    ["20230308-abc1234", false, [2023, 3, 8]],
    ["202303081530", false, [2023, 3, 8, 15, 30]],
    ["20230308153000", false, [2023, 3, 8, 15, 30, 0]],
    ["2023-03-08", false, [2023, 3, 8]],
    ["v2023-03-08-slim", false, [2023, 3, 8]],
    ["20231308", false, undefined],
    ["20230332", false, undefined],
    ["2023", false, undefined],
    ["1969.12.31", false, undefined],
    ["2200.1.1", false, undefined],
    ["123.4", true, undefined],
    ["latest", false, undefined],
    ["8f2ef3e55d91258eca4eaef9222505bd401ff86d", false, undefined],
  ];
  for (const [tag, semver, calver] of table) {
    test(tag, () => {
      assert.equal(parseVersion(tag, "semver") !== undefined, semver, `semver qualification of ${tag}`);
      assert.deepEqual(parseVersion(tag, "calver")?.release, calver, `calver reading of ${tag}`);
    });
  }
  test("the calver reading keeps the tag as original and the rest of the version", () => {
    assert.deepEqual(parseVersion("v2023-03-08-slim", "calver"), { original: "v2023-03-08-slim", release: [2023, 3, 8], prerelease: [], build: "", variant: "slim" });
  });
  test("an unknown scheme reads nothing", () => assert.equal(parseVersion("1.2.3", "bogus" as VersionScheme), undefined));
  test("a non-string reads nothing", () => assert.equal(parseVersion(42 as unknown as string), undefined));
});
