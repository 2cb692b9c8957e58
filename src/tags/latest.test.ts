import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "../errors.js";
import { latestTag } from "./latest.js";

describe("latestTag", () => {
  test("undefined when nothing is given", () => assert.equal(latestTag([]), undefined));
  test("undefined when nothing qualifies", () => assert.equal(latestTag(["latest", "lts", "1359", "20", "2021.11.28", "8f2ef3e55d91258eca4eaef9222505bd401ff86d"]), undefined));
  test("MAJOR.MINOR is enough for semver", () => assert.equal(latestTag(["3.19", "3.18.4", "3"]), "3.19"));
  test("more precise wins a numeric tie", () => assert.equal(latestTag(["16.2", "16.2.0"]), "16.2.0"));
  test("the bare tag wins over its variants, whatever the input order", () => {
    assert.equal(latestTag(["20.11.1-alpine", "20.11.1", "20.11.1-bookworm-slim"]), "20.11.1");
    assert.equal(latestTag(["20.11.1", "20.11.1-bookworm-slim", "20.11.1-alpine"]), "20.11.1");
  });
  test("a release beats its prereleases", () => assert.equal(latestTag(["1.0.0-rc.2", "1.0.0", "1.0.0-rc.10"]), "1.0.0"));
  test("4-part versions", () => assert.equal(latestTag(["10.0.17763.5576", "10.0.17763.5458", "10.0.20348.2340"]), "10.0.20348.2340"));
  test("the filter's limit is ignored", () => assert.equal(latestTag(["1.0", "2.0"], { filter: { limit: 1 } }), "2.0"));
  test("digest tags can be left out, though they are never versions", () =>
    assert.equal(latestTag(["1.0", "sha256-2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.sig"], { filter: { omitDigestTags: true } }), "1.0"));
  test("calver: compact and dotted dates compare", () => assert.equal(latestTag(["20230308", "2023.03.09", "v1.2.3", "24.04"], { scheme: "calver" }), "24.04"));
  test("calver: dashed dates", () => assert.equal(latestTag(["2023-03-08", "2023-11-02-slim", "2023-11-01"], { scheme: "calver", filter: { variant: "" } }), "2023-11-01"));
  test("a version regex reads any version-shaped capture by default", () =>
    assert.equal(latestTag(["build-1359", "build-1360", "build-999", "latest"], { versionRegex: "build-(\\d+)" }), "build-1360"));
  test("a version regex combined with the semver scheme", () =>
    assert.equal(latestTag(["build-1359", "release-1.2", "release-1.10"], { versionRegex: "(?:build|release)-(.+)", scheme: "semver" }), "release-1.10"));
  test("a capture that is not a version does not qualify", () => assert.equal(latestTag(["app-latest", "app-1.0"], { versionRegex: "app-(.+)" }), "app-1.0"));
  test("an optional group that did not take part does not qualify", () => assert.equal(latestTag(["x", "y1.0"], { versionRegex: "[xy](\\d.*)?" }), "y1.0"));
});

describe("latestTag: usage errors", () => {
  test("a regex without a capturing group", () =>
    assert.throws(() => latestTag(["a"], { versionRegex: "v.*" }), (e: unknown) => e instanceof InvalidArgumentError && /^version regex "v\.\*" has no capturing group/.test(e.message)));
  test("an invalid version regex", () => assert.throws(() => latestTag(["a"], { versionRegex: "(" }), /^InvalidArgumentError: invalid version regex "\(": /));
  test("an unknown scheme", () => assert.throws(() => latestTag(["a"], { scheme: "date" as "semver" }), InvalidArgumentError));
  test("an invalid filter", () => assert.throws(() => latestTag(["a"], { filter: { versionRange: "not-a-range" } }), InvalidArgumentError));
});
