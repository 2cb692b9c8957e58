/**
 * `regtags latest` and `regtags ls --newer` as update bots mean "latest"
 * (issue 14), run as users run them (the compiled CLI) against the real CNCF
 * distribution registry on 127.0.0.1: the stable default, a REF:TAG family
 * pick, --include-prerelease, --newer, a TAG that is not a version, and
 * --explain. The tags are node's naming (Docker Hub library/node), pushed
 * as one real image and linked under every tag.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { fails, ok } from "../helpers/cli-asserts.js";

const REPO = "library/node";
const TAGS = [
  "latest", "lts", "iron",
  "20", "20.11.1", "20.11.1-alpine3.19", "20.11.1-bookworm-slim", "20.12.2", "20.12.2-alpine3.19", "20.12-alpine3.19",
  "21.7.3-alpine3.19", "22", "22.1.0", "22.1.0-alpine3.19", "22.1.0-alpine3.20",
  "23.0.0-rc.1", "23.0.0-rc.1-alpine3.19",
];

let registry: RealRegistry;
let ref: string;

before(async () => {
  registry = await startRealRegistry({ auth: "none" });
  ref = `${registry.host}/${REPO}`;
  await registry.pushImage(REPO, TAGS[0]!);
  await registry.addTags(REPO, TAGS.slice(1));
});
after(async () => registry?.stop());

function run(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { timeoutMs: 30_000 });
}

const lines = (tags: readonly string[]): string => tags.map((tag) => `${tag}\n`).join("");

describe("regtags latest on the real registry", { concurrency: 4 }, () => {
  test("the default: the highest stable release without a variant suffix (not 23.0.0-rc.1, not 22.1.0-alpine3.20)", async () => {
    assert.equal(ok(await run(["latest", ref])), lines(["22.1.0"]));
    assert.equal(ok(await run(["ls", "--latest", ref])), lines(["22.1.0"]));
    assert.equal(ok(await run(["latest", "--no-prerelease", ref])), lines(["22.1.0"]), "--no-prerelease is accepted and changes nothing");
  });

  test("REF:TAG picks within TAG's family: same variant exactly, same count of numbers", async () => {
    assert.equal(ok(await run(["latest", `${ref}:20.11.1-alpine3.19`])), lines(["22.1.0-alpine3.19"]));
    assert.equal(ok(await run(["latest", `${ref}:20`])), lines(["22"]));
    assert.equal(ok(await run(["latest", `${ref}:20.11.1`])), lines(["22.1.0"]));
    assert.equal(ok(await run(["latest", "--version-range", "<21", `${ref}:20.11.1-alpine3.19`])), lines(["20.12.2-alpine3.19"]));
  });

  test("REF:TAG with nothing newer prints TAG itself and exits 0", async () => {
    assert.equal(ok(await run(["latest", `${ref}:20.11.1-bookworm-slim`])), lines(["20.11.1-bookworm-slim"]));
    assert.equal(ok(await run(["latest", `${ref}:20.12-alpine3.19`])), lines(["20.12-alpine3.19"]));
  });

  test("--include-prerelease admits prereleases, with or without TAG; a prerelease TAG admits them by itself", async () => {
    assert.equal(ok(await run(["latest", "--include-prerelease", ref])), lines(["23.0.0-rc.1"]));
    assert.equal(ok(await run(["latest", "--include-prerelease", `${ref}:20.11.1-alpine3.19`])), lines(["23.0.0-rc.1-alpine3.19"]));
    assert.equal(ok(await run(["latest", `${ref}:23.0.0-rc.1`])), lines(["23.0.0-rc.1"]));
    fails(await run(["latest", "--include-prerelease", "--no-prerelease", ref]), 2, /--include-prerelease contradicts --no-prerelease/);
  });

  test("a TAG that is not a version: exit 2, one line, before any request", async () => {
    fails(await run(["latest", `${ref}:lts`]), 2, /^regtags: tag "lts" is not a version, so it has no family to pick from: give a version tag/);
    fails(await run(["latest", `${ref}:8f2ef3e`]), 2, /tag "8f2ef3e" is not a version/);
    // Port 1 refuses connections: exit 2, not 6, shows nothing was sent.
    fails(await run(["latest", "127.0.0.1:1/library/node:latest"]), 2, /tag "latest" is not a version/);
    fails(await run(["latest", "--variant", "alpine", `${ref}:20.11.1-alpine3.19`]), 2, /variant "alpine" contradicts tag "20\.11\.1-alpine3\.19"/);
  });

  test("nothing qualifies: exit 9 with the count of each reason", async () => {
    fails(await run(["latest", "--version-range", ">=24", ref]), 9, /no tag qualifies as the latest semver version \(17 tags; passed over: not a version 5, other variant 8, prerelease 1, outside range 3\); see why with --explain$/m);
  });
});

describe("regtags ls --newer on the real registry", { concurrency: 4 }, () => {
  test("the family's tags above TAG, lowest first", async () => {
    assert.equal(ok(await run(["ls", "--newer", `${ref}:20.11.1-alpine3.19`])), lines(["20.12.2-alpine3.19", "21.7.3-alpine3.19", "22.1.0-alpine3.19"]));
    assert.equal(ok(await run(["ls", "--newer", `${ref}:20.11.1`])), lines(["20.12.2", "22.1.0"]));
    assert.equal(ok(await run(["ls", "--newer", "--include-prerelease", `${ref}:22.1.0`])), lines(["23.0.0-rc.1"]));
    assert.equal(ok(await run(["ls", "--newer", `${ref}:22.1.0`])), "", "nothing newer: no output, exit 0");
  });

  test("the usual output formats, --reverse and --limit", async () => {
    assert.equal(ok(await run(["ls", "--newer", "--reverse", "--limit", "1", `${ref}:20.11.1-alpine3.19`])), lines(["22.1.0-alpine3.19"]));
    const json = JSON.parse(ok(await run(["ls", "--newer", "--json", `${ref}:20`]))) as unknown;
    assert.deepEqual(json, { Repository: ref, Tags: ["22"] });
  });

  test("usage errors: no TAG, a TAG that is not a version, with --latest", async () => {
    fails(await run(["ls", "--newer", ref]), 2, /--newer needs the current tag: give .*:TAG/);
    fails(await run(["ls", "--newer", `${ref}:iron`]), 2, /tag "iron" is not a version/);
    fails(await run(["ls", "--newer", "--latest", `${ref}:20`]), 2, /--newer lists every tag above TAG; --latest picks one/);
    fails(await run(["ls", "--include-prerelease", ref]), 2, /--include-prerelease widens latest and --newer/);
  });
});

describe("regtags latest --explain on the real registry", () => {
  test("every tag with why it was or was not picked, the pick first", async () => {
    const rows = ok(await run(["latest", "--explain", `${ref}:20.11.1-alpine3.19`]))
      .trimEnd()
      .split("\n")
      .map((line) => line.split("\t"));
    assert.equal(rows.length, TAGS.length);
    assert.deepEqual(rows[0], ["22.1.0-alpine3.19", "picked", "the highest that qualifies"]);
    const reason = new Map(rows.map(([tag, why]) => [tag, why]));
    assert.equal(reason.get("20.11.1-alpine3.19"), "current");
    assert.equal(reason.get("21.7.3-alpine3.19"), "qualifies");
    assert.equal(reason.get("22.1.0-alpine3.20"), "other-variant");
    assert.equal(reason.get("20.12-alpine3.19"), "other-precision");
    assert.equal(reason.get("23.0.0-rc.1-alpine3.19"), "prerelease");
    assert.equal(reason.get("lts"), "not-a-version");
    assert.deepEqual(rows.find(([tag]) => tag === "22.1.0-alpine3.20"), ["22.1.0-alpine3.20", "other-variant", 'variant "alpine3.20" (the current tag has variant "alpine3.19")']);
  });

  test("--json: one object; nothing qualifies: the explanation, then exit 9", async () => {
    const json = JSON.parse(ok(await run(["latest", "--explain", "--json", "--version-range", "<21", ref]))) as { Current: unknown; Latest: unknown; Tags: { Tag: string; Reason: string }[] };
    assert.equal(json.Current, null);
    assert.equal(json.Latest, "20.12.2");
    assert.equal(json.Tags.find((t) => t.Tag === "22.1.0")?.Reason, "outside-range");
    const none = await run(["latest", "--explain", "--version-range", ">=24", ref]);
    assert.equal(none.code, 9);
    assert.match(none.stdout, /^22\.1\.0\toutside-range\t/m);
    assert.match(none.stderr, /^regtags: [^\n]*no tag qualifies[^\n]*\n$/);
  });

  test("regtags latest --help summarises the rules", async () => {
    const help = ok(await run(["latest", "--help"]));
    for (const rule of ["the latest stable release", "TAG's family", "20.11.1-alpine3.19 → 22.1.0-alpine3.19", "20 → 22", "--include-prerelease", "--newer", "--explain", "usage error (exit 2)"]) {
      assert.ok(help.includes(rule), rule);
    }
  });

  test("--explain is for latest, one repository, lines or JSON", async () => {
    fails(await run(["ls", "--explain", ref]), 2, /--explain explains the pick of latest/);
    fails(await run(["latest", "--explain", ref, ref]), 2, /--explain takes one repository at a time/);
    fails(await run(["latest", "--explain", "--format", "csv", ref]), 2, /--explain prints lines, or one JSON object with --json/);
  });
});
