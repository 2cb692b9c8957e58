/**
 * Real-world tag sets: exact orders and `latestTag` picks under several
 * filters and schemes. Sources: Docker Hub official images (node, postgres,
 * eclipse-temurin), ghcr.io/linuxserver/hedgedoc and quay.io/ansible/creator-ee
 * (the field report in shared/seeds), updatecli#1321.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { type LatestOptions, latestTag } from "./latest.js";
import { sortTags } from "./sort.js";

interface Corpus {
  readonly name: string;
  readonly tags: readonly string[];
  /** `sortTags(tags, "version")`. */
  readonly byVersion: readonly string[];
  /** `sortTags(tags, "lexical")`, when worth pinning. */
  readonly byLexical?: readonly string[];
  /** [what, options, expected pick]. */
  readonly latest: ReadonlyArray<readonly [string, LatestOptions, string | undefined]>;
}

const CREATOR_EE_SHAS = {
  a: "8f2ef3e55d91258eca4eaef9222505bd401ff86d",
  b: "67b9e06a5462acd665a9260f5082f39f07fc2ef2",
  c: "52d2ac2718da1fe739a657e73a6094da18227ecb",
};

const corpora: Corpus[] = [
  {
    name: "node (Docker Hub)",
    tags: ["lts", "20.11.1-bookworm-slim", "20", "current", "20.11", "20-alpine", "20.11.1", "21.6.2-alpine", "21.6.2", "latest", "21", "22.0.0-rc.1"],
    byVersion: ["current", "latest", "lts", "20-alpine", "20", "20.11", "20.11.1-bookworm-slim", "20.11.1", "21", "21.6.2-alpine", "21.6.2", "22.0.0-rc.1"],
    byLexical: ["20", "20-alpine", "20.11", "20.11.1", "20.11.1-bookworm-slim", "21", "21.6.2", "21.6.2-alpine", "22.0.0-rc.1", "current", "latest", "lts"],
    latest: [
      ["semver, the default: stable, no variant suffix", {}, "21.6.2"],
      ["semver, prereleases and variants admitted (the pre-issue-14 default)", { includePrerelease: true, anyVariant: true }, "22.0.0-rc.1"],
      ["semver, no prerelease: the bare tag beats its variants", { filter: { noPrerelease: true } }, "21.6.2"],
      ["variant alpine (20-alpine has no MINOR)", { filter: { variant: "alpine" } }, "21.6.2-alpine"],
      ["variant alpine, scheme any", { scheme: "any", filter: { variant: "alpine", versionRange: "20" } }, "20-alpine"],
      ["range ^20", { filter: { versionRange: "^20" } }, "20.11.1"],
      ["range 20, variant bookworm-slim", { filter: { versionRange: "20", variant: "bookworm-slim" } }, "20.11.1-bookworm-slim"],
      ["variant slim is not bookworm-slim", { filter: { variant: "slim" } }, undefined],
      ["only plain versions", { filter: { variant: "", versionRange: "<21" } }, "20.11.1"],
      ["scheme any: the single-number tags qualify", { scheme: "any", filter: { versionRange: "21", noPrerelease: true } }, "21.6.2"],
      ["include regex", { filter: { include: ["20\\..*"] } }, "20.11.1"],
    ],
  },
  {
    name: "postgres (Docker Hub)",
    tags: ["16.2", "16.2-alpine3.19", "16", "latest", "16-alpine", "15.6", "15.6-bookworm", "16.2-alpine", "16.2-bookworm", "alpine"],
    byVersion: ["alpine", "latest", "15.6-bookworm", "15.6", "16-alpine", "16", "16.2-alpine", "16.2-alpine3.19", "16.2-bookworm", "16.2"],
    latest: [
      ["semver", {}, "16.2"],
      ["variant alpine", { filter: { variant: "alpine" } }, "16.2-alpine"],
      ["variant alpine3.19", { filter: { variant: "alpine3.19" } }, "16.2-alpine3.19"],
      ["variant alpine3 matches nothing", { filter: { variant: "alpine3" } }, undefined],
      ["any alpine via include: the variants in natural order", { anyVariant: true, filter: { include: [".*-alpine.*"] } }, "16.2-alpine3.19"],
      ["include without anyVariant: only tags without a variant suffix qualify", { filter: { include: [".*-alpine.*"] } }, undefined],
      ["range <16", { filter: { versionRange: "<16" } }, "15.6"],
      ["range <16 with variant bookworm", { filter: { versionRange: "<16", variant: "bookworm" } }, "15.6-bookworm"],
    ],
  },
  {
    name: "ghcr.io/linuxserver/hedgedoc (field report)",
    tags: ["amd64-1.7.0-ls1", "arm32v7-1.7.0-ls1", "amd64-version-1.7.0", "amd64-version-1.8.1", "arm32v7-1.9.1", "1.9.3-ls56", "1.9.5-ls73", "latest", "1.9.3-ls57", "version-1.9.5"],
    byVersion: [
      "amd64-1.7.0-ls1",
      "amd64-version-1.7.0",
      "amd64-version-1.8.1",
      "arm32v7-1.7.0-ls1",
      "arm32v7-1.9.1",
      "latest",
      "version-1.9.5",
      "1.9.3-ls56",
      "1.9.3-ls57",
      "1.9.5-ls73",
    ],
    latest: [
      ["semver: arch-prefixed tags are not versions", { anyVariant: true }, "1.9.5-ls73"],
      ["the default wants no variant suffix, and -ls73 is one", {}, undefined],
      ["version regex for the amd64 line", { versionRegex: "amd64-version-(.+)" }, "amd64-version-1.8.1"],
      ["version regex for the arm32v7 line", { versionRegex: "arm32v7-(\\d+\\.\\d+\\.\\d+)(?:-ls\\d+)?" }, "arm32v7-1.9.1"],
      ["version regex with a named group", { versionRegex: "(?:version-)?(?<version>[0-9.]+)" }, "version-1.9.5"],
      ["version regex with the semver scheme", { versionRegex: "amd64-(?:version-)?([^-]+)(?:-ls\\d+)?", scheme: "semver" }, "amd64-version-1.8.1"],
      ["the ls build number orders naturally", { anyVariant: true, filter: { versionRange: "1.9.3" } }, "1.9.3-ls57"],
      ["a tilde range allows later patches", { anyVariant: true, filter: { versionRange: "~1.9.3" } }, "1.9.5-ls73"],
      ["include for one architecture, semver finds nothing", { filter: { include: ["amd64-.*"] } }, undefined],
    ],
  },
  {
    name: "quay.io/ansible/creator-ee (field report)",
    tags: [
      `${CREATOR_EE_SHAS.a}-1473632019-15-1`,
      "v0.2.0a1",
      `${CREATOR_EE_SHAS.a}-1477382381-16-1`,
      CREATOR_EE_SHAS.a,
      "v0.2.0",
      `${CREATOR_EE_SHAS.b}-1968203497-17-1`,
      CREATOR_EE_SHAS.b,
      "v0.3.0",
      `${CREATOR_EE_SHAS.c}-2005081881-18-1`,
      CREATOR_EE_SHAS.c,
      "v0.3.1",
    ],
    byVersion: [
      CREATOR_EE_SHAS.c,
      `${CREATOR_EE_SHAS.c}-2005081881-18-1`,
      CREATOR_EE_SHAS.b,
      `${CREATOR_EE_SHAS.b}-1968203497-17-1`,
      CREATOR_EE_SHAS.a,
      `${CREATOR_EE_SHAS.a}-1473632019-15-1`,
      `${CREATOR_EE_SHAS.a}-1477382381-16-1`,
      "v0.2.0a1",
      "v0.2.0",
      "v0.3.0",
      "v0.3.1",
    ],
    latest: [
      ["semver: SHAs never outrank versions", {}, "v0.3.1"],
      ["scheme any: SHAs are still not versions", { scheme: "any" }, "v0.3.1"],
      ["range <0.3", { filter: { versionRange: "<0.3" } }, "v0.2.0"],
      ["range <0.2.0 reaches the prerelease when prereleases are admitted", { includePrerelease: true, filter: { versionRange: "<0.2.0" } }, "v0.2.0a1"],
      ["range <0.2.0: prereleases are out by default", { filter: { versionRange: "<0.2.0" } }, undefined],
      ["range <0.2.0 without prereleases", { filter: { versionRange: "<0.2.0", noPrerelease: true } }, undefined],
      ["calver: nothing qualifies", { scheme: "calver" }, undefined],
    ],
  },
  {
    name: "updatecli#1321: numeric prereleases",
    tags: ["1.0.0-9", "1.0.0-14", "1.0.0-10", "0.9.0"],
    byVersion: ["0.9.0", "1.0.0-9", "1.0.0-10", "1.0.0-14"],
    latest: [
      ["1.0.0-14 is higher than 1.0.0-9", { includePrerelease: true }, "1.0.0-14"],
      ["by default numeric prereleases are out (Flux skips 3.9.1-1 too, flux2#4990)", {}, "0.9.0"],
      ["without prereleases", { filter: { noPrerelease: true } }, "0.9.0"],
    ],
  },
  {
    name: "garbage beside semver",
    tags: ["1359", "2021.11.28", "v1.2.3", "latest", "v1.2.4-rc.1", "20230308", "v1.2.2"],
    byVersion: ["latest", "v1.2.2", "v1.2.3", "v1.2.4-rc.1", "1359", "2021.11.28", "20230308"],
    latest: [
      ["semver: 1359, 2021.11.28 and 20230308 do not qualify", { includePrerelease: true }, "v1.2.4-rc.1"],
      ["semver without prereleases", { filter: { noPrerelease: true } }, "v1.2.3"],
      ["calver: 20230308 reads as 2023.3.8", { scheme: "calver" }, "20230308"],
      ["calver with a range on the normalised date", { scheme: "calver", filter: { versionRange: "<2022" } }, "2021.11.28"],
      ["any: the biggest number wins", { scheme: "any" }, "20230308"],
      ["custom regex for build numbers", { versionRegex: "(\\d+)" }, "20230308"],
      ["custom regex for four-digit build numbers", { versionRegex: "(\\d{4})" }, "1359"],
    ],
  },
  {
    name: "eclipse-temurin (Docker Hub)",
    tags: [
      "21.0.5_11-jre",
      "17.0.13_11-jdk-alpine",
      "21.0.5_11-jdk",
      "21-jre",
      "21.0.4_7-jre",
      "17.0.13_11-jre-alpine",
      "latest",
      "21.0.5_11-jre-alpine",
      "17-jdk-alpine",
      "21.0.5_11-jdk-ubi9-minimal",
      "11.0.25_9-jdk",
    ],
    byVersion: [
      "latest",
      "11.0.25_9-jdk",
      "17-jdk-alpine",
      "17.0.13_11-jdk-alpine",
      "17.0.13_11-jre-alpine",
      "21-jre",
      "21.0.4_7-jre",
      "21.0.5_11-jdk",
      "21.0.5_11-jdk-ubi9-minimal",
      "21.0.5_11-jre",
      "21.0.5_11-jre-alpine",
    ],
    latest: [
      ["variant jre", { filter: { variant: "jre" } }, "21.0.5_11-jre"],
      ["variant jdk-alpine", { filter: { variant: "jdk-alpine" } }, "17.0.13_11-jdk-alpine"],
      ["range 17, variant jre-alpine", { filter: { versionRange: "17", variant: "jre-alpine" } }, "17.0.13_11-jre-alpine"],
      ["any variant: variants of the top version in natural order", { anyVariant: true }, "21.0.5_11-jre-alpine"],
      ["the default: every tag has a variant suffix, none qualifies", {}, undefined],
      ["the build orders within a version", { filter: { versionRange: "~21.0.4", variant: "jre" } }, "21.0.5_11-jre"],
      ["range <21.0.5 reaches the older build", { filter: { versionRange: "<21.0.5", variant: "jre" } }, "21.0.4_7-jre"],
    ],
  },
];

for (const corpus of corpora) {
  describe(corpus.name, () => {
    test("version order", () => assert.deepEqual(sortTags(corpus.tags, "version"), corpus.byVersion));
    test("version order, reversed", () => assert.deepEqual(sortTags(corpus.tags, "version", { reverse: true }), [...corpus.byVersion].reverse()));
    if (corpus.byLexical !== undefined) test("lexical order", () => assert.deepEqual(sortTags(corpus.tags, "lexical"), corpus.byLexical));
    for (const [what, options, expected] of corpus.latest) {
      test(`latest: ${what}`, () => assert.equal(latestTag(corpus.tags, options), expected));
    }
  });
}
