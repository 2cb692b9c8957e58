/**
 * "Latest" as update bots mean it, on real repositories' tag sets (issue 14):
 * for each repository, the current tag, the expected pick and the rule that
 * decides it, plus `newerTags` and `explainLatest` on the same sets.
 *
 * The tag sets are excerpts of the repositories' real tag naming, written
 * from their published tag lists (Docker Hub official images' "Supported
 * tags" sections and the docker-library/official-images library files for
 * node, python, postgres, nginx, alpine, eclipse-temurin and ubuntu;
 * docs.linuxserver.io "Version tags" for lscr.io/linuxserver/hedgedoc;
 * the ghcr.io/home-assistant/home-assistant package page for calver). The
 * version numbers are a consistent snapshot, not any one day's exact list;
 * where a tag was added only to exercise a rule, the comment says so.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "../errors.js";
import { familyVariant } from "./family.js";
import { type LatestOptions, explainLatest, latestTag, newerTags } from "./latest.js";

/** One row of the corpus: current tag (or none), options, the expected pick (or the usage error), the rule. */
export interface FamilyCase {
  readonly current: string | undefined;
  readonly options?: LatestOptions;
  readonly pick: string | undefined | InvalidArgumentError;
  readonly rule: string;
}

export interface FamilyCorpus {
  readonly image: string;
  readonly tags: readonly string[];
  readonly cases: readonly FamilyCase[];
}

const notAVersion = new InvalidArgumentError("not a version");

export const FAMILY_CORPUS: readonly FamilyCorpus[] = [
  {
    image: "node (Docker Hub library/node)",
    tags: [
      "latest", "lts", "current", "iron", "iron-alpine", "alpine", "slim",
      "20", "20.11", "20.11.1", "20-alpine", "20.11-alpine", "20.11.1-alpine", "20.11.1-alpine3.19", "20.11.1-alpine3.18",
      "20.11.1-bookworm", "20.11.1-bookworm-slim", "20.11.1-slim",
      "20.12.2", "20.12.2-alpine3.19", "20.12.2-bookworm-slim",
      "21.7.3", "21.7.3-alpine3.19",
      "22", "22.1", "22.1.0", "22-alpine", "22.1-alpine", "22.1.0-alpine", "22.1.0-alpine3.19", "22.1.0-alpine3.20", "22.1.0-bookworm-slim",
      // Docker Hub has no node release candidates; these two stand for the rc builds other registries carry.
      "23.0.0-rc.1", "23.0.0-rc.1-alpine3.19",
    ],
    cases: [
      { current: undefined, pick: "22.1.0", rule: "no TAG: highest stable release without a variant suffix" },
      { current: undefined, options: { includePrerelease: true }, pick: "23.0.0-rc.1", rule: "--include-prerelease admits 23.0.0-rc.1" },
      { current: "20.11.1-alpine3.19", pick: "22.1.0-alpine3.19", rule: "same variant exactly (not -alpine3.20), same 3 numbers, no prerelease" },
      { current: "20.11-alpine", pick: "22.1-alpine", rule: "same precision: 2 numbers stay 2" },
      { current: "20", pick: "22", rule: "same precision: 1 number stays 1" },
      { current: "20.11.1", pick: "22.1.0", rule: "bare tag: only bare tags" },
      { current: "20.11.1", options: { filter: { versionRange: "<21" } }, pick: "20.12.2", rule: "--version-range narrows within the family (stay on 20.x)" },
      { current: "20.11.1-bookworm-slim", pick: "22.1.0-bookworm-slim", rule: "multi-segment variant kept whole" },
      { current: "iron", pick: notAVersion, rule: "a codename is not a version: usage error" },
    ],
  },
  {
    image: "python (Docker Hub library/python)",
    tags: [
      "latest", "3", "3.11", "3.11.8", "3.11.8-slim-bookworm", "3.12", "3.12.2", "3.12.2-slim-bookworm", "3.12-slim", "3.12.2-alpine3.19",
      "3.12.2-windowsservercore-ltsc2022", "3.13-rc", "3.13-rc-slim", "3.13.0a3", "3.13.0a4", "3.13.0a4-slim-bookworm", "rc", "slim",
    ],
    cases: [
      { current: undefined, pick: "3.12.2", rule: "no TAG: 3.13.0a4 is a prerelease (PEP 440 a4)" },
      { current: "3.11.8-slim-bookworm", pick: "3.12.2-slim-bookworm", rule: "same variant; 3.13.0a4-slim-bookworm is a prerelease" },
      { current: "3.13.0a3", pick: "3.13.0a4", rule: "TAG is a prerelease: prereleases qualify" },
      { current: "3.11", pick: "3.12", rule: "2 numbers; 3.13-rc is a prerelease" },
      { current: "3.11", options: { includePrerelease: true }, pick: "3.13-rc", rule: "--include-prerelease admits 3.13-rc" },
      { current: "3", pick: "3", rule: "nothing newer with 1 number: TAG itself" },
    ],
  },
  {
    image: "postgres (Docker Hub library/postgres)",
    tags: [
      "latest", "alpine", "bookworm", "15", "15.6", "15.6-alpine3.19", "15.6-bookworm", "16", "16.2", "16-alpine", "16.2-alpine", "16.2-alpine3.19",
      "16.2-bookworm", "17beta1", "17beta1-alpine3.19", "17beta1-bookworm",
    ],
    cases: [
      { current: undefined, pick: "16.2", rule: "no TAG: 17beta1 is a prerelease" },
      { current: "15.6-alpine3.19", pick: "16.2-alpine3.19", rule: "same variant alpine3.19, 2 numbers" },
      { current: "16", pick: "16", rule: "1 number: 17beta1 is a prerelease, so TAG itself" },
      { current: "16", options: { includePrerelease: true }, pick: "17beta1", rule: "--include-prerelease admits 17beta1" },
      { current: "15.6-bookworm", options: { filter: { variant: "alpine" } }, pick: new InvalidArgumentError("contradicts"), rule: "--variant other than TAG's: usage error" },
    ],
  },
  {
    image: "nginx (Docker Hub library/nginx)",
    tags: [
      "latest", "mainline", "stable", "alpine", "stable-alpine", "1", "1.24", "1.24.0", "1.24.0-alpine", "1.25", "1.25.4", "1.25.4-alpine",
      "1.25.4-alpine-slim", "1.25.4-alpine3.18", "1.25.4-perl", "1.25.4-alpine-perl", "1.26", "1.26.0", "1.26.0-alpine", "1.26.0-alpine-slim",
      "1.26.0-alpine-perl", "1.26.0-bookworm",
    ],
    cases: [
      { current: undefined, pick: "1.26.0", rule: "no TAG: highest bare stable" },
      { current: "1.24.0-alpine", pick: "1.26.0-alpine", rule: "alpine exactly: not alpine-slim, alpine-perl, alpine3.18" },
      { current: "1.25.4-alpine-slim", pick: "1.26.0-alpine-slim", rule: "multi-segment variant kept whole" },
      { current: "1.25", pick: "1.26", rule: "2 numbers stay 2" },
      { current: "stable", pick: notAVersion, rule: "a channel name is not a version: usage error" },
    ],
  },
  {
    image: "alpine (Docker Hub library/alpine)",
    tags: ["latest", "edge", "3", "3.18", "3.18.6", "3.19", "3.19.1", "3.20", "3.20.0", "20240315", "20240329"],
    cases: [
      { current: undefined, pick: "3.20.0", rule: "no TAG: the edge snapshots 20240329 are not semver" },
      { current: "3.19", pick: "3.20", rule: "2 numbers stay 2" },
      { current: "3", pick: "3", rule: "1 number, but 20240329 (MAJOR ≥ 1000) is a date, not a version like 3: TAG itself" },
      { current: "20240315", pick: "20240329", rule: "TAG is a date snapshot: dates are its line" },
      { current: "edge", pick: notAVersion, rule: "a channel name is not a version: usage error" },
    ],
  },
  {
    image: "linuxserver/hedgedoc (lscr.io, -lsNN builds)",
    tags: [
      "latest", "development", "version-1.9.9", "version-1.10.0", "1.9.9", "1.9.9-ls120", "1.9.9-ls121", "1.10.0", "1.10.0-ls122", "1.10.0-ls123",
      "amd64-1.10.0-ls123", "arm64v8-1.10.0-ls123", "amd64-version-1.10.0",
    ],
    cases: [
      { current: undefined, pick: "1.10.0", rule: "no TAG: the bare release; arch-prefixed tags are not versions" },
      { current: "1.9.9-ls120", pick: "1.10.0-ls123", rule: "-lsNN counts rebuilds: any lsNN, highest release then build" },
      { current: "1.10.0-ls122", pick: "1.10.0-ls123", rule: "a later rebuild of the same release is newer" },
      { current: "1.9.9", pick: "1.10.0", rule: "bare tag: only bare tags" },
      { current: "version-1.9.9", pick: notAVersion, rule: "version- prefix is not a version (use --version-regex): usage error" },
    ],
  },
  {
    image: "eclipse-temurin (Docker Hub, _NN builds)",
    tags: [
      "latest", "21", "21-jdk", "21-jre", "22-jdk", "11.0.23_9-jdk", "17.0.10_7-jre-alpine", "17.0.11_9-jdk", "17.0.11_9-jre-alpine", "21.0.2_13-jdk",
      "21.0.3_9-jdk", "21.0.3_9-jdk-jammy", "21.0.3_9-jdk-ubi9-minimal", "21.0.3_9-jre", "21.0.3_9-jre-alpine", "22.0.1_8-jdk", "22.0.1_8-jre-alpine",
    ],
    cases: [
      { current: "21.0.2_13-jdk", pick: "22.0.1_8-jdk", rule: "_NN is a build, jdk kept; the next major is in the family" },
      { current: "21.0.2_13-jdk", options: { filter: { versionRange: "^21" } }, pick: "21.0.3_9-jdk", rule: "--version-range ^21 keeps the LTS line" },
      { current: "17.0.10_7-jre-alpine", pick: "22.0.1_8-jre-alpine", rule: "jre-alpine exactly (not jre, not jdk-alpine)" },
      { current: "21-jdk", pick: "22-jdk", rule: "1 number stays 1" },
      { current: undefined, pick: undefined, rule: "no TAG: every version tag has a variant (jdk, jre…): exit 9" },
      { current: undefined, options: { filter: { variant: "jre" } }, pick: "21.0.3_9-jre", rule: "--variant jre" },
    ],
  },
  {
    image: "home-assistant (ghcr.io, calver YYYY.M.P)",
    tags: ["latest", "stable", "beta", "dev", "2024.3.0", "2024.3.1", "2024.3.3", "2024.4.0.dev20240321", "2024.4.0b0", "2024.4.0b5"],
    cases: [
      { current: "2024.3.1", pick: "2024.3.3", rule: "TAG's MAJOR is a year: years qualify; 2024.4.0b5 is a prerelease" },
      { current: "2024.3.1", options: { includePrerelease: true }, pick: "2024.4.0b5", rule: "--include-prerelease: b5 above .dev20240321" },
      { current: undefined, pick: undefined, rule: "no TAG, semver scheme: MAJOR 2024 is a year: exit 9" },
      { current: undefined, options: { scheme: "calver" }, pick: "2024.3.3", rule: "--scheme calver" },
    ],
  },
  {
    image: "ubuntu (Docker Hub library/ubuntu, calver YY.MM)",
    tags: ["latest", "rolling", "jammy", "noble", "jammy-20240227", "noble-20240423", "22.04", "22.10", "23.10", "24.04", "24.10"],
    cases: [
      { current: "22.04", pick: "24.10", rule: "2 numbers, no variant: the interim 24.10 too" },
      { current: "22.04", options: { filter: { include: [".*\\.04"] } }, pick: "24.04", rule: "--include '.*\\.04' narrows to LTS releases" },
      { current: "jammy-20240227", pick: notAVersion, rule: "codename-date is not a version: usage error" },
    ],
  },
];

describe("latestTag on real repositories' tag sets", () => {
  for (const corpus of FAMILY_CORPUS) {
    describe(corpus.image, () => {
      for (const { current, options, pick, rule } of corpus.cases) {
        const name = `${current ?? "(no tag)"} → ${pick instanceof InvalidArgumentError ? "usage error" : (pick ?? "nothing")}: ${rule}`;
        test(name, () => {
          const run = () => latestTag(corpus.tags, { ...options, current });
          if (pick instanceof InvalidArgumentError) {
            assert.throws(run, (e: unknown) => e instanceof InvalidArgumentError && e.message.includes(pick.message) && !e.message.includes("\n"));
            return;
          }
          assert.equal(run(), pick);
          // Shuffled input gives the same pick: the order is total.
          assert.equal(latestTag([...corpus.tags].reverse(), { ...options, current }), pick);
          const explained = explainLatest(corpus.tags, { ...options, current });
          assert.equal(explained.pick, pick);
          if (pick !== undefined && corpus.tags.includes(pick)) assert.equal(explained.tags.find((d) => d.tag === pick)?.reason, "picked");
          if (current !== undefined) {
            const newer = newerTags(corpus.tags, { ...options, current });
            assert.equal(newer.at(-1) ?? current, pick, "the pick is the highest newer tag, or the current one");
          }
        });
      }
    });
  }
});

describe("newerTags", () => {
  const node = FAMILY_CORPUS[0]!.tags;
  test("the family above TAG, lowest first", () => {
    assert.deepEqual(newerTags(node, { current: "20.11.1-alpine3.19" }), ["20.12.2-alpine3.19", "21.7.3-alpine3.19", "22.1.0-alpine3.19"]);
    assert.deepEqual(newerTags(node, { current: "20.11.1" }), ["20.12.2", "21.7.3", "22.1.0"]);
  });
  test("prereleases with includePrerelease", () => assert.deepEqual(newerTags(node, { current: "22.1.0", includePrerelease: true }), ["23.0.0-rc.1"]));
  test("nothing above the highest", () => assert.deepEqual(newerTags(node, { current: "22.1.0" }), []));
  test("an equal spelled otherwise is not newer, and is not picked over TAG", () => {
    assert.deepEqual(newerTags(["v1.2.3", "1.2.3", "1.2.4"], { current: "1.2.3" }), ["1.2.4"]);
    assert.equal(latestTag(["v1.2.3", "1.2.3"], { current: "1.2.3" }), "1.2.3");
  });
  test("needs a current tag", () => assert.throws(() => newerTags(node, {}), InvalidArgumentError));
});

describe("explainLatest: the first rule a tag fails", () => {
  const tags = ["lts", "sha256-" + "a".repeat(64) + ".sig", "19.9.0", "20.11.1-alpine3.19", "20.12-alpine3.19", "21.0.0-rc.1-alpine3.19", "22.1.0", "22.1.0-alpine3.19", "23.1.0-alpine3.19", "21.7.3-alpine3.19"];
  const reasons = (options: LatestOptions) => Object.fromEntries(explainLatest(tags, options).tags.map((d) => [d.tag, d.reason]));
  test("with a current tag", () => {
    assert.deepEqual(reasons({ current: "20.11.1-alpine3.19", filter: { versionRange: "<23", omitDigestTags: true } }), {
      lts: "not-a-version",
      ["sha256-" + "a".repeat(64) + ".sig"]: "filtered",
      "19.9.0": "other-variant",
      "20.11.1-alpine3.19": "current",
      "20.12-alpine3.19": "other-precision",
      "21.0.0-rc.1-alpine3.19": "prerelease",
      "22.1.0": "other-variant",
      "22.1.0-alpine3.19": "picked",
      "23.1.0-alpine3.19": "outside-range",
      "21.7.3-alpine3.19": "qualifies",
    });
  });
  test("lower than the current tag, and exclude", () => {
    const got = reasons({ current: "21.7.3-alpine3.19", filter: { exclude: ["23\\..*"] } });
    assert.equal(got["20.11.1-alpine3.19"], "lower-than-current");
    assert.equal(got["23.1.0-alpine3.19"], "filtered");
    assert.equal(got["22.1.0-alpine3.19"], "picked");
  });
  test("the current tag itself is picked when nothing is higher", () => {
    const explained = explainLatest(tags, { current: "23.1.0-alpine3.19" });
    assert.equal(explained.pick, "23.1.0-alpine3.19");
    assert.equal(explained.tags.find((d) => d.tag === "23.1.0-alpine3.19")?.reason, "picked");
  });
  test("without a current tag: variants and prereleases are passed over, with why", () => {
    const explained = explainLatest(tags, {});
    assert.equal(explained.pick, "22.1.0");
    const alpine = explained.tags.find((d) => d.tag === "22.1.0-alpine3.19")!;
    assert.equal(alpine.reason, "other-variant");
    assert.match(alpine.detail, /variant "alpine3\.19" \(only tags without one qualify/);
    assert.equal(explained.tags.find((d) => d.tag === "20.12-alpine3.19")?.reason, "other-variant");
  });
});

describe("the family's variant", () => {
  test("a trailing rebuild counter (linuxserver -lsNN, Bitnami -rN) is not part of it", () => {
    assert.equal(familyVariant("ls56"), "ls#");
    assert.equal(familyVariant("debian-12-r5"), "debian-12-r#");
    assert.equal(familyVariant("alpine3.19"), "alpine3.19");
    assert.equal(familyVariant("r5-alpine"), "r5-alpine");
    assert.equal(familyVariant(""), "");
  });
  test("Bitnami: 16.2.0-debian-12-r5 moves to a later revision of the same flavour only", () =>
    assert.equal(latestTag(["16.2.0-debian-12-r5", "16.2.0-debian-12-r7", "16.3.0-debian-12-r0", "16.3.0-debian-11-r9", "16.3.0"], { current: "16.2.0-debian-12-r5" }), "16.3.0-debian-12-r0"));
});

describe("usage errors (one line each)", () => {
  const oneLine = (pattern: RegExp) => (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message) && !e.message.includes("\n");
  test("a commit hash", () => assert.throws(() => latestTag(["1.0"], { current: "8f2ef3e" }), oneLine(/^tag "8f2ef3e" is not a version, so it has no family/)));
  test("a TAG that is not a version of the scheme given", () => assert.throws(() => latestTag(["1.0"], { current: "2024.3.1", scheme: "semver" }), oneLine(/is not a semver version/)));
  test("anyVariant with a current tag", () => assert.throws(() => latestTag(["1.0"], { current: "1.0", anyVariant: true }), oneLine(/any variant contradicts/)));
  test("anyVariant with a variant", () => assert.throws(() => latestTag(["1.0"], { anyVariant: true, filter: { variant: "alpine" } }), oneLine(/any variant contradicts variant "alpine"/)));
});
