import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { compareNatural, compareRelease, compareVersions, releaseKey } from "./compare.js";
import { parseVersion } from "./version.js";

/** Every tag in `chain` must be strictly below every later one, in both argument orders. */
function ascending(chain: readonly string[]): void {
  const versions = chain.map((tag) => {
    const version = parseVersion(tag);
    assert.ok(version, `${tag} should be a version`);
    return version;
  });
  for (let i = 0; i < versions.length; i++) {
    assert.equal(compareVersions(versions[i]!, versions[i]!), 0, `${chain[i]} = itself`);
    for (let j = i + 1; j < versions.length; j++) {
      assert.ok(compareVersions(versions[i]!, versions[j]!) < 0, `${chain[i]} < ${chain[j]}`);
      assert.ok(compareVersions(versions[j]!, versions[i]!) > 0, `${chain[j]} > ${chain[i]}`);
    }
  }
}

describe("compareVersions: ascending chains", () => {
  const chains: Array<[string, string[]]> = [
    ["numbers, not text", ["1.2.3", "1.2.10", "1.10.0", "2.0.0", "10.0.0"]],
    ["partial versions read as zero-filled", ["3", "3.18", "3.19", "3.19.1", "4"]],
    ["4-part versions", ["1.2.3", "1.2.3.1", "1.2.3.4", "1.2.4"]],
    ["semver.org §11 precedence example", ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]],
    ["updatecli#1321: numeric prereleases compare as numbers", ["1.0.0-9", "1.0.0-10", "1.0.0-14", "1.0.0"]],
    ["rc10 above rc9 (unlike strict semver)", ["1.22rc1", "1.22rc9", "1.22rc10", "1.22.0"]],
    ["prerelease words by rank", ["2.0-dev1", "2.0-alpha1", "2.0-beta1", "2.0-preview1", "2.0-rc1", "2.0"]],
    ["PEP 440 a/b/rc", ["v0.2.0a1", "v0.2.0a2", "v0.2.0b1", "v0.2.0rc1", "v0.2.0", "v0.3.0"]],
    ["build: none, then natural", ["21.0.5-jre", "21.0.5_9-jre", "21.0.5_11-jre", "21.0.6_1-jre"]],
    ["a variant below the bare version", ["20.11.1-alpine", "20.11.1-bookworm-slim", "20.11.1", "20.11.2-alpine"]],
    ["variants in natural order", ["1.9.3-ls9", "1.9.3-ls56", "1.9.3-ls100", "1.9.3"]],
    ["alpine3.9 < alpine3.18", ["3.19-alpine", "3.19-alpine3.9", "3.19-alpine3.18", "3.19"]],
    ["variant before precision", ["3.19-alpine", "3.19.0-alpine", "3.19", "3.19.0"]],
    ["precision, then text", ["16", "16.0", "16.0.0", "v16.0.0"]],
    ["prerelease before variant", ["3.0.0-beta1-alpine", "3.0.0-beta1", "3.0.0-alpine", "3.0.0"]],
    ["prerelease wins over build", ["1.0.0-rc.1+b.9", "1.0.0+b.1"]],
    ["leading zeros: equal number, text decides", ["01.2", "1.2"]],
  ];
  for (const [name, chain] of chains) test(name, () => ascending(chain));
});

describe("compareNatural", () => {
  const table: Array<[string, string, number]> = [
    ["ls9", "ls56", -1],
    ["ls100", "ls99", 1],
    ["alpine3.9", "alpine3.18", -1],
    ["alpine", "alpine3.18", -1],
    ["jdk", "jdk-alpine", -1],
    ["jdk-alpine", "jre", -1],
    ["a007", "a7", -1],
    ["a7", "a007", 1],
    ["x", "x", 0],
    ["99999999999999999999", "100000000000000000000", -1],
    ["", "a", -1],
    ["a-", "a1", -1],
  ];
  for (const [a, b, expected] of table) test(`${a} vs ${b}`, () => assert.equal(Math.sign(compareNatural(a, b)), expected));
});

describe("releaseKey: a sort key that never contradicts compareRelease", () => {
  // [lower, higher]: the key orders them, or ties (then the full order decides).
  const table: Array<[number[], number[]]> = [
    [[1, 2, 3], [1, 2, 4]],
    [[1, 2], [1, 2, 0, 1]],
    [[8191, 1048575, 1048575], [8192]],
    [[20230308, 9], [20230308, 10]],
    [[20230308], [20230309]],
    [[21, 1048575, 1], [21, 20230308, 0]],
    [[21, 3, 1048575], [21, 3, 20230308]],
    [[999999999999998], [999999999999999]],
  ];
  for (const [lower, higher] of table) {
    test(`${lower.join(".")} < ${higher.join(".")}`, () => {
      assert.equal(compareRelease(lower, higher), -1);
      assert.ok(releaseKey(lower) <= releaseKey(higher));
    });
  }
});
