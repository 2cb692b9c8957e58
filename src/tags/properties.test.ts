/**
 * Property tests for the tags folder (code-style §4.7): sorting is a
 * permutation, deterministic, idempotent and exactly reversible; the version
 * order is a total order; parsing round-trips generated versions; `latest`
 * is the top of the version order; nothing throws on arbitrary tag text,
 * and invalid options throw only a InvalidArgumentError.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import SemVer from "semver/classes/semver.js";
import { isRegtagsError } from "../errors.js";
import { compareRelease, compareVersions, releaseKey } from "./compare.js";
import { type TagFilter, applyFilter, compileFilter, isDigestTag } from "./filter.js";
import { familyVariant } from "./family.js";
import { explainLatest, latestTag, newerTags } from "./latest.js";
import { compileVersionReader } from "./reader.js";
import { SORT_ORDERS, sortTags } from "./sort.js";
import { type VersionScheme, parseVersion } from "./version.js";

const RUNS = 300;
const SCHEMES: readonly VersionScheme[] = ["any", "semver", "calver"];

/** A generated version and what parsing its text must give. */
interface Generated {
  readonly text: string;
  readonly release: number[];
  readonly prerelease: (string | number)[];
  readonly build: string;
  readonly variant: string;
}

const WORDS = ["alpha", "beta", "rc", "dev", "pre", "preview", "a", "b", "SNAPSHOT"];
const VARIANTS = ["alpine", "alpine3.18", "alpine3.9", "bookworm-slim", "jdk-alpine", "jre", "ls56", "ls9", "windowsservercore-ltsc2022"];

const generatedVersion: fc.Arbitrary<Generated> = fc
  .record({
    v: fc.boolean(),
    release: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
    prerelease: fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(...WORDS)), { maxLength: 3 }),
    build: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    variant: fc.option(fc.constantFrom(...VARIANTS), { nil: undefined }),
  })
  .map(({ v, release, prerelease, build, variant }) => ({
    text:
      `${v ? "v" : ""}${release.join(".")}` +
      `${build === undefined ? "" : `_${build}`}` +
      `${prerelease.length === 0 ? "" : `-${prerelease.join(".")}`}` +
      `${variant === undefined ? "" : `-${variant}`}`,
    release,
    prerelease: prerelease.map((id) => (typeof id === "number" ? id : ({ a: "alpha", b: "beta" } as Record<string, string>)[id] ?? id.toLowerCase())),
    build: build === undefined ? "" : String(build),
    variant: variant ?? "",
  }));

/** Characters that matter to the grammar, so random strings reach deep states. */
const syntaxChar = fc.constantFrom(..."0123456789.-_+vVabcdefrlphinetsjkSHA".split(""));
const garbage = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: syntaxChar, maxLength: 40 }),
  fc.constantFrom("latest", "lts", "1359", "2021.11.28", "20230308", "8f2ef3e55d91258eca4eaef9222505bd401ff86d", "sha256-deadbeef.sig", "amd64-version-1.8.1"),
);
const tag = fc.oneof(
  generatedVersion.map((g) => g.text),
  garbage,
);
/** Tag lists with duplicates now and then. */
const tagList = fc.array(tag, { maxLength: 40 }).chain((tags) => fc.tuple(fc.constant(tags), fc.subarray(tags)).map(([all, again]) => [...all, ...again]));
/** A few distinct dates, so ties happen. */
function datesFor(tags: readonly string[]): Map<string, Date> {
  const dates = new Map<string, Date>();
  tags.forEach((t, i) => {
    if (i % 3 !== 0) dates.set(t, new Date(Date.UTC(2024, 0, 1 + (t.length % 4))));
  });
  return dates;
}

function codeUnitSorted(tags: readonly string[]): string[] {
  return [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("parseVersion: properties", () => {
  test("round-trips generated versions", () => {
    fc.assert(
      fc.property(generatedVersion, (g) => {
        assert.deepEqual(parseVersion(g.text), { original: g.text, release: g.release, prerelease: g.prerelease, build: g.build, variant: g.variant });
      }),
      { numRuns: RUNS },
    );
  });
  test("never throws; a result always has release numbers", () => {
    fc.assert(
      fc.property(fc.oneof(tag, fc.string({ unit: syntaxChar, minLength: 100, maxLength: 300 })), (text) => {
        for (const scheme of SCHEMES) {
          const version = parseVersion(text, scheme);
          if (version !== undefined) assert.ok(version.release.length > 0 && version.release.every(Number.isSafeInteger));
        }
        isDigestTag(text);
      }),
      { numRuns: RUNS },
    );
  });
  test("a semver or calver version is also an 'any' version", () => {
    fc.assert(
      fc.property(tag, (text) => {
        if (parseVersion(text, "semver") !== undefined) assert.ok(parseVersion(text, "any"));
        if (parseVersion(text, "calver") !== undefined) assert.ok(parseVersion(text, "any"));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("compareVersions: a total order", () => {
  const version = generatedVersion.map((g) => parseVersion(g.text)!);
  test("reflexive and antisymmetric", () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        assert.equal(compareVersions(a, a), 0);
        assert.equal(Math.sign(compareVersions(a, b)), -Math.sign(compareVersions(b, a)));
        if (compareVersions(a, b) === 0) assert.equal(a.original, b.original);
      }),
      { numRuns: RUNS },
    );
  });
  test("transitive", () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
      }),
      { numRuns: RUNS * 3 },
    );
  });
  test("a sorted array is ordered pairwise (transitivity over many elements)", () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 30 }), (versions) => {
        const sorted = [...versions].sort(compareVersions);
        for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) assert.ok(compareVersions(sorted[i]!, sorted[j]!) <= 0);
      }),
      { numRuns: 100 },
    );
  });
  test("releaseKey never contradicts compareRelease, also for huge numbers", () => {
    const component = fc.oneof(fc.nat(40), fc.integer({ min: 0, max: 999_999_999_999_999 }), fc.constantFrom(8191, 8192, 2 ** 20 - 1, 2 ** 20, 20230308));
    const release = fc.array(component, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(release, release, (a, b) => {
        const byKey = Math.sign(releaseKey(a) - releaseKey(b));
        if (byKey !== 0) assert.equal(byKey, compareRelease(a, b), `${a.join(".")} vs ${b.join(".")}`);
      }),
      { numRuns: RUNS * 3 },
    );
  });
  test("agrees with the semver package on strict semver", () => {
    const strict = fc
      .record({
        release: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
        prerelease: fc.array(fc.oneof(fc.nat(12), fc.constantFrom("alpha", "beta", "rc")), { maxLength: 3 }),
      })
      .map(({ release, prerelease }) => `${release.join(".")}${prerelease.length === 0 ? "" : `-${prerelease.join(".")}`}`);
    fc.assert(
      fc.property(strict, strict, (a, b) => {
        const ours = Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!));
        const theirs = new SemVer(a).compare(new SemVer(b));
        if (theirs !== 0) assert.equal(ours, theirs, `${a} vs ${b}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("sortTags: properties", () => {
  test("a permutation of the input, duplicates kept", () => {
    fc.assert(
      fc.property(tagList, (tags) => {
        for (const order of SORT_ORDERS) assert.deepEqual(codeUnitSorted(sortTags(tags, order, { dates: datesFor(tags) })), codeUnitSorted(tags));
      }),
      { numRuns: RUNS },
    );
  });
  test("deterministic and stable: the result does not depend on the input order", () => {
    fc.assert(
      fc.property(tagList.chain((tags) => fc.tuple(fc.constant(tags), fc.shuffledSubarray(tags, { minLength: tags.length }))), ([tags, shuffled]) => {
        const dates = datesFor(tags);
        for (const order of ["lexical", "version", "date"] as const) {
          assert.deepEqual(sortTags(shuffled, order, { dates }), sortTags(tags, order, { dates }));
        }
      }),
      { numRuns: RUNS },
    );
  });
  test("idempotent, and reverse is the exact reverse", () => {
    fc.assert(
      fc.property(tagList, fc.constantFrom(...SCHEMES), (tags, scheme) => {
        const dates = datesFor(tags);
        for (const order of SORT_ORDERS) {
          const once = sortTags(tags, order, { dates, scheme });
          if (order !== "none") assert.deepEqual(sortTags(once, order, { dates, scheme }), once);
          assert.deepEqual(sortTags(tags, order, { dates, scheme, reverse: true }), [...once].reverse());
        }
      }),
      { numRuns: RUNS },
    );
  });
  test("none keeps the input order", () => {
    fc.assert(
      fc.property(tagList, (tags) => assert.deepEqual(sortTags(tags, "none"), tags)),
      { numRuns: 100 },
    );
  });
  test("version order: non-versions first, then versions ascending", () => {
    fc.assert(
      fc.property(tagList, (tags) => {
        const sorted = sortTags(tags, "version");
        const firstVersion = sorted.findIndex((t) => parseVersion(t) !== undefined);
        if (firstVersion === -1) return;
        assert.ok(sorted.slice(0, firstVersion).every((t) => parseVersion(t) === undefined));
        const versions = sorted.slice(firstVersion).map((t) => parseVersion(t));
        assert.ok(versions.every((v) => v !== undefined));
        for (let i = 1; i < versions.length; i++) assert.ok(compareVersions(versions[i - 1]!, versions[i]!) <= 0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("latestTag: properties", () => {
  test("by default: the last stable version without a variant suffix in the version order", () => {
    fc.assert(
      fc.property(tagList, fc.constantFrom(...SCHEMES), (tags, scheme) => {
        const qualifying = tags.filter((t) => {
          const version = parseVersion(t, scheme);
          return version !== undefined && version.prerelease.length === 0 && version.variant === "";
        });
        assert.equal(latestTag(tags, { scheme }), sortTags(qualifying, "version", { scheme }).at(-1));
      }),
      { numRuns: RUNS },
    );
  });
  test("with includePrerelease and anyVariant: the last qualifying tag of the version order", () => {
    fc.assert(
      fc.property(tagList, fc.constantFrom(...SCHEMES), (tags, scheme) => {
        const qualifying = tags.filter((t) => parseVersion(t, scheme) !== undefined);
        assert.equal(latestTag(tags, { scheme, includePrerelease: true, anyVariant: true }), sortTags(qualifying, "version", { scheme }).at(-1));
      }),
      { numRuns: RUNS },
    );
  });
  test("with a filter: the last of the filtered version order", () => {
    const filter = fc.record({
      noPrerelease: fc.boolean(),
      omitDigestTags: fc.boolean(),
      variant: fc.option(fc.constantFrom("", ...VARIANTS), { nil: undefined }),
      versionRange: fc.option(fc.constantFrom(">=1 <20", "^3", "~2.1", "<1 || >10", "*"), { nil: undefined }),
    });
    fc.assert(
      fc.property(tagList, filter, (tags, f: TagFilter) => {
        const reading = { scheme: "semver" as const };
        const qualifying = applyFilter(tags, f, reading).filter((t) => parseVersion(t, "semver") !== undefined);
        assert.equal(latestTag(tags, { filter: f, includePrerelease: true, anyVariant: f.variant === undefined }), sortTags(qualifying, "version", reading).at(-1));
      }),
      { numRuns: RUNS },
    );
  });
  test("with a current tag: the pick is the current tag or the highest of newerTags, all in its family and above it", () => {
    fc.assert(
      fc.property(tagList, generatedVersion, fc.boolean(), (tags, current, includePrerelease) => {
        const options = { current: current.text, includePrerelease };
        const base = parseVersion(current.text)!;
        const newer = newerTags(tags, options);
        const pick = latestTag(tags, options);
        assert.equal(pick, newer.at(-1) ?? current.text);
        assert.deepEqual(newer, sortTags(newer, "version"), "lowest first");
        for (const tag of newer) {
          const version = parseVersion(tag)!;
          assert.ok(compareVersions(version, base) > 0, `${tag} is above ${current.text}`);
          assert.equal(familyVariant(version.variant), familyVariant(base.variant), `${tag}: same variant family`);
          assert.equal(version.release.length, base.release.length, `${tag}: same precision`);
          if (!includePrerelease && base.prerelease.length === 0) assert.deepEqual(version.prerelease, [], `${tag}: no prerelease`);
        }
        const explained = explainLatest(tags, options);
        assert.equal(explained.pick, pick);
        const candidates = new Set(explained.tags.filter((d) => d.reason === "qualifies" || d.reason === "picked").map((d) => d.tag));
        for (const tag of newer) assert.ok(candidates.has(tag), `${tag} is explained as qualifying`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("nothing throws on tag text; bad options throw only InvalidArgumentError", () => {
  const everyFilter: TagFilter = {
    include: [".*", "v?\\d+.*"],
    exclude: [".*-rc.*"],
    versionRange: ">=1.2 <3 || ^0.2.0-0",
    variant: "alpine",
    omitDigestTags: true,
    noPrerelease: true,
    limit: 10,
  };
  test("sortTags, applyFilter and latestTag on arbitrary tags", () => {
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 30 }), (tags) => {
        for (const order of SORT_ORDERS) sortTags(tags, order, { dates: datesFor(tags), versionRegex: "v?(.*)" });
        applyFilter(tags, everyFilter);
        applyFilter(tags, { ...everyFilter, variant: "" }, { scheme: "calver" });
        for (const scheme of SCHEMES) latestTag(tags, { scheme, filter: { ...everyFilter, variant: undefined } });
        latestTag(tags, { versionRegex: "(?:[a-z]+-)?(?<version>.+)" });
      }),
      { numRuns: RUNS },
    );
  });
  /** Calls `fn`; an exception must be a InvalidArgumentError. */
  function returnsOrThrowsUsage(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      assert.ok(isRegtagsError(e) && e.code === "ERR_INVALID_ARGUMENT", `threw something else: ${String(e)}`);
    }
  }
  const patternChar = fc.constantFrom(..."ab01.*+?()[]{}|^$\\-<>=~ xX,".split(""));
  const option = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: patternChar, maxLength: 30 }));
  test("compileFilter and compileVersionReader on arbitrary patterns and ranges (compiled, not run)", () => {
    fc.assert(
      fc.property(option, option, fc.oneof(fc.integer(), fc.double()), (text, other, limit) => {
        returnsOrThrowsUsage(() => compileFilter({ include: [text] }));
        returnsOrThrowsUsage(() => compileFilter({ exclude: [other, text] }));
        returnsOrThrowsUsage(() => compileFilter({ versionRange: text }));
        returnsOrThrowsUsage(() => compileFilter({ limit }));
        returnsOrThrowsUsage(() => compileVersionReader({ versionRegex: text }));
        returnsOrThrowsUsage(() => compileVersionReader({ scheme: other as VersionScheme }));
        returnsOrThrowsUsage(() => sortTags([], other as "none"));
      }),
      { numRuns: RUNS },
    );
  });
  test("a compiled filter never throws on any tag", () => {
    const escaped = fc.string({ maxLength: 10 }).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    fc.assert(
      fc.property(escaped, fc.constantFrom(">=1", "1.x || 2", "~0.2.0-0", ""), garbage, (pattern, range, text) => {
        let keep: (tag: string) => boolean;
        try {
          keep = compileFilter({ include: [`${pattern}.*`], exclude: [pattern], versionRange: range, noPrerelease: true });
        } catch (e) {
          assert.ok(isRegtagsError(e), String(e));
          return;
        }
        keep(text);
      }),
      { numRuns: RUNS },
    );
  });
});
