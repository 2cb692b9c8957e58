/**
 * Every tag-intelligence flag of `regtags ls` and `regtags latest`, run as
 * users run it (the compiled CLI in a child process) against the emulator on
 * 127.0.0.1: sorting, filters, latest, digests, details, sources and output
 * formats, with exact stdout and exit codes. Tag sets are chosen so that each
 * assertion can fail: a substring regex that would select more, a lexical
 * order that differs from the version order, a registry order (quay: push
 * order) that differs from both. Tests that count the emulator's requests
 * each have a registry of their own, so groups run side by side.
 *
 * Two small things the emulator cannot show are served by a few lines of
 * node:http here: tags that share a manifest (the emulator gives every tag
 * its own digest) and how many digest lookups are in flight at once.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinProfiles, digestOf, startEmulator, type Emulator, type EmulatedRegistry, type EmulatorProfile } from "../../src/emulator/index.js";
import { CLI_PATH, NOWHERE, runCli, type CliResult } from "../helpers/run-cli.js";
import { fails, ok } from "../helpers/cli-asserts.js";

const SIG = `sha256-${"a".repeat(64)}.sig`; // cosign signature tag
const REFERRER = `sha256-${"b".repeat(64)}`; // OCI 1.1 referrers fallback tag
/** Push order (quay lists in this order; Docker Hub lexically). */
const NODE = ["latest", "20", "20.11.1", "20-alpine", "20.11.1-alpine", "19.9.0", "21.0.0-rc.1", "21.0.0-rc.1-alpine", "v18.19.0", "8", "lts", SIG, REFERRER];
const NODE_LEXICAL = ["19.9.0", "20", "20-alpine", "20.11.1", "20.11.1-alpine", "21.0.0-rc.1", "21.0.0-rc.1-alpine", "8", "latest", "lts", SIG, REFERRER, "v18.19.0"];
/** Not versions first (lexical), then versions lowest to highest, a variant below its bare tag. */
const NODE_BY_VERSION = ["latest", "lts", SIG, REFERRER, "8", "v18.19.0", "19.9.0", "20-alpine", "20", "20.11.1-alpine", "20.11.1", "21.0.0-rc.1-alpine", "21.0.0-rc.1"];
/** Builds (`_11`), variants, a 4-part version, a partial version, a prerelease. */
const TEMURIN = ["21.0.5_11-jre", "21.0.5_9-jre", "21.0.5_11-jdk", "21-jre", "21.0.5", "17.0.13_11-jdk-alpine", "21.0.5.1", "21.0.5-rc1"];
const CALVER = ["2023.03.08", "20240101", "2024-02-15", "v1.2.3", "latest", "1359"];
const LSIO = ["amd64-version-1.8.1", "amd64-version-1.10.0", "arm64v8-version-2.0.0", "1.9.5-ls73", "latest"];
/** 120 tags: three quay-2023 pages of 50. */
const MANY = Array.from({ length: 120 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);
const GH_TOKEN = "ghp-emulated-token";

const hub = builtinProfiles["dockerhub"]!;
const quay = builtinProfiles["quay-2023"]!;
const as = (base: EmulatorProfile, id: string, extra: Partial<EmulatorProfile> = {}): EmulatorProfile => ({ ...base, id, ...extra });
const refusing = { kind: "dockerhub" as const, maxPageSize: 100, refuse: { status: 403, code: "DENIED", message: "tags API disabled for this account" } };

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), "regtags-tags-flags-"));

before(async () => {
  emulator = await startEmulator({
    profiles: [
      "dockerhub",
      "quay-2023",
      "distribution-3",
      "ghcr",
      as(hub, "hub-digests"),
      as(hub, "hub-digests-sorted"),
      as(hub, "hub-details"),
      as(hub, "hub-v2"),
      as(hub, "hub-refusing", { vendorApi: refusing }),
      as(hub, "hub-refusing-auto", { vendorApi: refusing }),
      as(quay, "quay-limit"),
      as(quay, "quay-progress"),
    ],
    repositories: {
      "library/node": { tags: NODE },
      "library/temurin": { tags: TEMURIN },
      "team/calver": { tags: CALVER },
      "linuxserver/app": { tags: LSIO },
      "team/many": { tags: MANY },
      "owner/app": { tags: ["1.0.0", "1.1.0", "latest"] },
    },
    users: { alice: GH_TOKEN },
  });
});
after(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// Helpers.

/** `--endpoint` flags that send docker.io and hub.docker.com (the tags API) to one emulated registry. */
function onHub(registry: EmulatedRegistry): string[] {
  return ["--endpoint", `docker.io=${registry.url}`, "--endpoint", `hub.docker.com=${registry.url}`];
}
function onQuay(registry: EmulatedRegistry): string[] {
  return ["--endpoint", `quay.io=${registry.url}`];
}

function run(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { timeoutMs: 30_000 });
}

/** `regtags ls|latest ARGS... library/node` on the plain dockerhub registry. */
function hubNode(command: "ls" | "latest", ...args: string[]): Promise<CliResult> {
  return run([command, ...onHub(emulator.get("dockerhub")), ...args, "node"]);
}

/** Lines of text, each ending in a newline; cells of a row are tab-separated. */
function lines(rows: ReadonlyArray<string | readonly string[]>): string {
  return rows.map((row) => (typeof row === "string" ? row : row.join("\t")) + "\n").join("");
}

const nodeDigest = (tag: string): string => digestOf("library/node", tag);
/** The emulator's vendor APIs date tag i of a repository i hours after 2023-01-01 and size it 1,000,000 + 4096·i bytes. */
const pushedAt = (tags: readonly string[], tag: string): string => new Date(Date.UTC(2023, 0, 1) + tags.indexOf(tag) * 3_600_000).toISOString();
const sizeOf = (tags: readonly string[], tag: string): number => 1_000_000 + tags.indexOf(tag) * 4096;

function manifestRequests(registry: EmulatedRegistry): { method: string; tag: string }[] {
  return registry.requests.filter((r) => r.kind === "manifest").map((r) => ({ method: r.method, tag: decodeURIComponent(r.path.slice(r.path.indexOf("/manifests/") + "/manifests/".length)) }));
}

// ---------------------------------------------------------------------------

describe("--sort and --reverse", { concurrency: 4 }, () => {
  test("default and --sort none: the registry's order (quay: push order)", async () => {
    const args = ["ls", ...onQuay(emulator.get("quay-2023"))];
    assert.equal(ok(await run([...args, "quay.io/library/node"])), lines(NODE));
    assert.equal(ok(await run([...args, "--sort", "none", "quay.io/library/node"])), lines(NODE));
  });

  test("--sort lexical: by code unit, as LC_ALL=C sort; --reverse reverses it", async () => {
    const args = ["ls", ...onQuay(emulator.get("quay-2023"))];
    assert.equal(ok(await run([...args, "--sort", "lexical", "quay.io/library/node"])), lines(NODE_LEXICAL));
    assert.equal(ok(await run([...args, "--sort", "lexical", "--reverse", "quay.io/library/node"])), lines([...NODE_LEXICAL].reverse()));
  });

  test("--sort version: non-versions first, then versions ascending, the bare tag above its variants and a release above its prereleases", async () => {
    assert.equal(ok(await hubNode("ls", "--sort", "version")), lines(NODE_BY_VERSION));
  });

  test("--sort version --reverse: highest first", async () => {
    assert.equal(ok(await hubNode("ls", "--sort", "version", "--reverse")), lines([...NODE_BY_VERSION].reverse()));
  });

  test("--sort version reads builds (_11), variants (-jre), partial (21) and 4-part (21.0.5.1) versions", async () => {
    const result = await run(["ls", ...onHub(emulator.get("dockerhub")), "--sort", "version", "temurin"]);
    assert.equal(ok(result), lines(["17.0.13_11-jdk-alpine", "21-jre", "21.0.5-rc1", "21.0.5", "21.0.5_9-jre", "21.0.5_11-jdk", "21.0.5_11-jre", "21.0.5.1"]));
  });

  test("--sort date with --details (Docker Hub tags API): oldest push first; --reverse newest first", async () => {
    const withoutDigestTags = NODE.filter((t) => !t.startsWith("sha256-"));
    assert.equal(ok(await hubNode("ls", "--details", "--sort", "date", "--omit-digest-tags", "--format", "tag")), lines(withoutDigestTags));
    assert.equal(ok(await hubNode("ls", "--sort", "date", "--reverse", "--limit", "3", "--omit-digest-tags", "--format", "{{.Updated}} {{.Tag}}")), lines(["lts", "8", "v18.19.0"].map((t) => `${pushedAt(NODE, t)} ${t}`)));
  });

  test("--sort date on quay uses the v1 tag API's dates", async () => {
    const result = await run(["ls", ...onQuay(emulator.get("quay-2023")), "--sort", "date", "--reverse", "--include", "20.*", "quay.io/library/node"]);
    assert.equal(ok(result), lines(["20.11.1-alpine", "20-alpine", "20.11.1", "20"]));
  });

  test("--sort date where no source has dates says so (exit 2): a registry without vendor API, and --source v2", async () => {
    const dist = emulator.get("distribution-3");
    fails(await run(["ls", "--endpoint", `registry.example=${dist.url}`, "--sort", "date", "registry.example/library/node"]), 2, /--sort date: no source of tag dates for registry\.example: the OCI API has none and no vendor API is known for it;/);
    fails(await hubNode("ls", "--sort", "date", "--source", "v2"), 2, /--sort date: no source of tag dates for docker\.io: the OCI API has none and --source v2 was given;/);
  });

  test("an unknown order is a usage error", async () => {
    fails(await hubNode("ls", "--sort", "semver"), 2, /--sort takes none, lexical, version, date, got "semver"/);
  });
});

describe("filters", { concurrency: 4 }, () => {
  test("--include matches the whole tag: a regex that matches a substring does not select", async () => {
    assert.equal(ok(await hubNode("ls", "--include", "20")), lines(["20"]));
    assert.equal(ok(await hubNode("ls", "--include", "alpine")), "");
    assert.equal(ok(await hubNode("ls", "--include", ".*-alpine")), lines(["20-alpine", "20.11.1-alpine", "21.0.0-rc.1-alpine"]));
  });

  test("--include is repeatable: any of them", async () => {
    assert.equal(ok(await hubNode("ls", "--include", "20", "--include", "8", "--include", "l.*")), lines(["20", "8", "latest", "lts"]));
  });

  test("--exclude matches the whole tag and is repeatable; it wins over --include", async () => {
    assert.equal(ok(await hubNode("ls", "--exclude", "alpine")), lines(NODE_LEXICAL));
    assert.equal(ok(await hubNode("ls", "--exclude", ".*-alpine", "--exclude", "sha256-.*", "--exclude", "l.*")), lines(["19.9.0", "20", "20.11.1", "21.0.0-rc.1", "8", "v18.19.0"]));
    assert.equal(ok(await hubNode("ls", "--include", "20.*", "--exclude", "20\\.11.*")), lines(["20", "20-alpine"]));
  });

  test("an invalid regex is a usage error before any request", async () => {
    fails(await hubNode("ls", "--include", "20("), 2, /invalid include regex "20\("/);
  });

  test("--version-range: npm ranges on the tag's version; non-versions are dropped", async () => {
    assert.equal(ok(await hubNode("ls", "--version-range", ">=19 <21")), lines(["19.9.0", "20", "20-alpine", "20.11.1", "20.11.1-alpine"]));
    // A partial range: 20 means >=20.0.0 <21.0.0-0, so the 21 prereleases stay out.
    assert.equal(ok(await hubNode("ls", "--version-range", "20")), lines(["20", "20-alpine", "20.11.1", "20.11.1-alpine"]));
    // A partial tag reads as its zeros: 20 is 20.0.0, below ^20.11.
    assert.equal(ok(await hubNode("ls", "--version-range", "^20.11")), lines(["20.11.1", "20.11.1-alpine"]));
    // Prereleases match by position: 21.0.0-rc.1 is above 20.
    assert.equal(ok(await hubNode("ls", "--version-range", ">20.11.1")), lines(["21.0.0-rc.1", "21.0.0-rc.1-alpine"]));
    // Builds, 4-part versions and prereleases of the range's bound.
    assert.equal(ok(await run(["ls", ...onHub(emulator.get("dockerhub")), "--version-range", ">=21.0.5", "temurin"])), lines(["21.0.5", "21.0.5.1", "21.0.5_11-jdk", "21.0.5_11-jre", "21.0.5_9-jre"]));
  });

  test("an invalid range is a usage error", async () => {
    fails(await hubNode("ls", "--version-range", ">=banana"), 2, /invalid version range ">=banana"/);
  });

  test("--variant: exactly that variant suffix", async () => {
    assert.equal(ok(await hubNode("ls", "--variant", "alpine")), lines(["20-alpine", "20.11.1-alpine", "21.0.0-rc.1-alpine"]));
    assert.equal(ok(await run(["ls", ...onHub(emulator.get("dockerhub")), "--variant", "jre", "temurin"])), lines(["21-jre", "21.0.5_11-jre", "21.0.5_9-jre"]));
    assert.equal(ok(await hubNode("ls", "--variant", "alp")), "");
  });

  test("--omit-digest-tags drops sha256-… signature and referrer tags", async () => {
    assert.equal(ok(await hubNode("ls", "--omit-digest-tags")), lines(NODE_LEXICAL.filter((t) => t !== SIG && t !== REFERRER)));
  });

  test("--no-prerelease drops rc tags (with or without a variant) and keeps non-versions", async () => {
    assert.equal(ok(await hubNode("ls", "--no-prerelease")), lines(NODE_LEXICAL.filter((t) => !t.startsWith("21.0.0-rc.1"))));
  });

  test("--limit: the first N after filters and sorting", async () => {
    assert.equal(ok(await hubNode("ls", "--limit", "2")), lines(["19.9.0", "20"]));
    assert.equal(ok(await hubNode("ls", "--sort", "version", "--reverse", "--omit-digest-tags", "--no-prerelease", "--limit", "3")), lines(["20.11.1", "20.11.1-alpine", "20"]));
    fails(await hubNode("ls", "--limit", "0"), 2, /--limit takes a positive whole number, got "0"/);
  });

  test("--limit on a plain listing stops fetching pages (quay-2023: 50 tags per page)", async () => {
    const registry = emulator.get("quay-limit");
    const ls = (...args: string[]) => run(["ls", ...onQuay(registry), ...args, "quay.io/team/many"]);
    registry.resetCounts();
    assert.equal(ok(await ls("--limit", "3")), lines(MANY.slice(0, 3)));
    assert.equal(registry.counts().tags, 1, "one page for 3 tags");
    registry.resetCounts();
    assert.equal(ok(await ls("--limit", "60")), lines(MANY.slice(0, 60)));
    assert.equal(registry.counts().tags, 2, "two pages for 60 tags");
    registry.resetCounts();
    assert.equal(ok(await ls("--limit", "200")), lines(MANY));
    assert.equal(registry.counts().tags, 3);
    // Sorting needs every tag first.
    registry.resetCounts();
    assert.equal(ok(await ls("--sort", "version", "--reverse", "--limit", "2")), lines(["1.11.9", "1.11.8"]));
    assert.equal(registry.counts().tags, 3);
  });
});

describe("latest", { concurrency: 4 }, () => {
  // Issue 14 changed the default: prereleases and variant suffixes no longer qualify unless asked for.
  test("regtags latest: the highest stable semver version without a variant suffix by default (8 is not MAJOR.MINOR)", async () => {
    assert.equal(ok(await hubNode("latest")), lines(["20.11.1"]));
    assert.equal(ok(await hubNode("latest", "--scheme", "semver")), lines(["20.11.1"]));
    assert.equal(ok(await hubNode("latest", "--include-prerelease", "--any-variant")), lines(["21.0.0-rc.1"]));
  });

  test("latest after filters: latest release, latest of a variant, latest in a range", async () => {
    assert.equal(ok(await hubNode("latest", "--no-prerelease")), lines(["20.11.1"]));
    assert.equal(ok(await hubNode("latest", "--variant", "alpine", "--no-prerelease")), lines(["20.11.1-alpine"]));
    assert.equal(ok(await hubNode("latest", "--version-range", "<20")), lines(["19.9.0"]));
    assert.equal(ok(await run(["latest", ...onHub(emulator.get("dockerhub")), "--variant", "jre", "temurin"])), lines(["21.0.5_11-jre"]));
    assert.equal(ok(await run(["latest", ...onHub(emulator.get("dockerhub")), "temurin"])), lines(["21.0.5.1"]));
  });

  test("ls --latest is regtags latest", async () => {
    assert.equal(ok(await hubNode("ls", "--latest", "--no-prerelease")), lines(["20.11.1"]));
  });

  test("--scheme calver: dates as versions (YYYY.MM.DD, YYYYMMDD, YYYY-MM-DD); semver would pick v1.2.3", async () => {
    const args = ["latest", ...onHub(emulator.get("dockerhub"))];
    assert.equal(ok(await run([...args, "team/calver"])), lines(["v1.2.3"]));
    assert.equal(ok(await run([...args, "--scheme", "calver", "team/calver"])), lines(["2024-02-15"]));
  });

  test("--version-regex: the version is the capture group", async () => {
    const args = ["latest", ...onHub(emulator.get("dockerhub"))];
    assert.equal(ok(await run([...args, "--any-variant", "linuxserver/app"])), lines(["1.9.5-ls73"]));
    assert.equal(ok(await run([...args, "--version-regex", "amd64-version-(.+)", "linuxserver/app"])), lines(["amd64-version-1.10.0"]));
    fails(await run([...args, "--version-regex", "amd64-version-.+", "linuxserver/app"]), 2, /version regex "amd64-version-\.\+" has no capturing group/);
  });

  test("nothing qualifies: exit 9 and a message saying so", async () => {
    fails(
      await hubNode("latest", "--version-range", ">=22"),
      9,
      /^regtags: docker\.io\/library\/node: no tag qualifies as the latest semver version \(13 tags; passed over: not a version 7, other variant 2, prerelease 1, outside range 3\); see why with --explain\n$/,
    );
    fails(await hubNode("ls", "--latest", "--include", "l.*"), 9, /no tag qualifies as the latest semver version/);
    fails(await run(["latest", ...onHub(emulator.get("dockerhub")), "--version-regex", "i386-version-(.+)", "linuxserver/app"]), 9, /no tag qualifies as the latest match of --version-regex/);
    fails(await run(["latest", ...onHub(emulator.get("dockerhub")), "--scheme", "calver", "linuxserver/app"]), 9, /no tag qualifies as the latest calver version/);
  });
});

describe("--digests, --group-by-digest, --concurrency", { concurrency: 4 }, () => {
  test("--digests: each shown tag's digest by one HEAD; none for filtered-out tags", async () => {
    const registry = emulator.get("hub-digests");
    registry.resetCounts();
    const shown = ["20", "20-alpine", "20.11.1", "20.11.1-alpine"];
    const result = await run(["ls", ...onHub(registry), "--digests", "--include", "20.*", "node"]);
    assert.equal(ok(result), lines(shown.map((t) => [t, nodeDigest(t)])));
    const manifests = manifestRequests(registry);
    assert.deepEqual(manifests.map((m) => m.method), shown.map(() => "HEAD"));
    assert.deepEqual(manifests.map((m) => m.tag).sort(), [...shown].sort());
    assert.equal(registry.counts().vendor, 0, "--digests alone asks no vendor API");
    assert.equal(registry.counts().token, 1);
  });

  test("--digests after sorting and --limit: only the shown tags are looked up", async () => {
    const registry = emulator.get("hub-digests-sorted");
    registry.resetCounts();
    const result = await run(["ls", ...onHub(registry), "--digests", "--sort", "version", "--reverse", "--no-prerelease", "--limit", "2", "node"]);
    assert.equal(ok(result), lines(["20.11.1", "20.11.1-alpine"].map((t) => [t, nodeDigest(t)])));
    assert.deepEqual(manifestRequests(registry).map((m) => m.tag).sort(), ["20.11.1", "20.11.1-alpine"]);
  });

  test("--concurrency 1 and 8 give the same output; 0 is a usage error", async () => {
    const expected = lines(NODE_LEXICAL.filter((t) => !t.startsWith("sha256-")).map((t) => [t, nodeDigest(t)]));
    const [one, eight] = await Promise.all([hubNode("ls", "--digests", "--omit-digest-tags", "--concurrency", "1"), hubNode("ls", "--digests", "--omit-digest-tags", "--concurrency", "8")]);
    assert.equal(ok(one), expected);
    assert.equal(ok(eight), expected);
    fails(await hubNode("ls", "--digests", "--concurrency", "0"), 2, /--concurrency takes a positive whole number/);
  });

  test("--group-by-digest: one line per digest (each emulated tag has its own)", async () => {
    const shown = ["20", "20-alpine"];
    assert.equal(ok(await hubNode("ls", "--group-by-digest", "--include", "20|20-alpine")), lines(shown.map((t) => [nodeDigest(t), t])));
    assert.equal(
      ok(await hubNode("ls", "--group-by-digest", "--json", "--include", "20|20-alpine")),
      `${JSON.stringify({ Repository: "docker.io/library/node", Digests: shown.map((t) => ({ Digest: nodeDigest(t), Tags: [t] })) }, null, 4)}\n`,
    );
  });

  test("--group-by-digest puts tags that share a manifest on one line, groups in order of first appearance", async () => {
    const fake = await startSharedDigestRegistry();
    try {
      const [d1, d2, d3] = [fake.digest("1"), fake.digest("0.9"), fake.digest("edge")];
      const args = ["ls", "--endpoint", `registry.test=${fake.url}`, "--group-by-digest"];
      assert.equal(ok(await run([...args, "registry.test/team/app"])), lines([[d1, "1.0 1 latest"], [d2, "0.9"], [d3, "edge"]]));
      assert.equal(ok(await run([...args, "--sort", "version", "registry.test/team/app"])), lines([[d3, "edge"], [d1, "latest 1 1.0"], [d2, "0.9"]]));
      assert.equal(
        ok(await run([...args, "--json", "--exclude", "edge", "registry.test/team/app"])),
        `${JSON.stringify({ Repository: "registry.test/team/app", Digests: [{ Digest: d1, Tags: ["1.0", "1", "latest"] }, { Digest: d2, Tags: ["0.9"] }] }, null, 4)}\n`,
      );
    } finally {
      await fake.close();
    }
  });

  test("--concurrency bounds the digest lookups in flight", async () => {
    const fake = await startSharedDigestRegistry({ tags: Array.from({ length: 12 }, (_, i) => `t${i}`), holdMs: 40 });
    try {
      const args = ["ls", "--endpoint", `registry.test=${fake.url}`, "--digests"];
      const expected = lines(fake.tags.map((t) => [t, fake.digest(t)]));
      assert.equal(ok(await run([...args, "--concurrency", "1", "registry.test/team/app"])), expected);
      assert.equal(fake.maxInFlight(), 1);
      fake.reset();
      assert.equal(ok(await run([...args, "--concurrency", "3", "registry.test/team/app"])), expected);
      assert.ok(fake.maxInFlight() <= 3 && fake.maxInFlight() >= 2, `max in flight ${fake.maxInFlight()}`);
      assert.equal(fake.heads(), 12, "one HEAD per tag");
    } finally {
      await fake.close();
    }
  });
});

describe("--details and --source", { concurrency: 4 }, () => {
  const twenty = ["20", "20-alpine", "20.11.1", "20.11.1-alpine"]; // Docker Hub lists lexically

  test("--details (Docker Hub tags API): digest, updated, size, platforms columns, with no HEAD", async () => {
    const registry = emulator.get("hub-details");
    registry.resetCounts();
    const result = await run(["ls", ...onHub(registry), "--details", "--include", "20.*", "node"]);
    assert.equal(ok(result), lines(twenty.map((t) => [t, nodeDigest(t), pushedAt(NODE, t), String(sizeOf(NODE, t)), "linux/amd64"])));
    assert.equal(registry.counts().vendor, 1);
    assert.equal(registry.counts().manifest, 0, "the tags API already said the digests");
  });

  test("--details on quay (v1 tag API): dates, digests and sizes, no platforms", async () => {
    const result = await run(["ls", ...onQuay(emulator.get("quay-2023")), "--details", "--format", "tag,updated,size", "--include", "20|20-alpine", "quay.io/library/node"]);
    assert.equal(ok(result), lines(["20", "20-alpine"].map((t) => [t, pushedAt(NODE, t), String(sizeOf(NODE, t))])));
  });

  test("--details on ghcr.io with a token (GitHub packages API): created and updated", async () => {
    const ghcr = emulator.get("ghcr");
    // api.github.com is another origin than ghcr.io: reach the emulator's GitHub API through a second port.
    const api = await startForwarder(ghcr.url);
    try {
      ghcr.resetCounts();
      const tags = ["1.0.0", "1.1.0", "latest"];
      const result = await run(["ls", "--endpoint", `ghcr.io=${ghcr.url}`, "--endpoint", `api.github.com=${api.url}`, "--creds", `alice:${GH_TOKEN}`, "--details", "--sort", "date", "--reverse", "--format", "{{.Tag}} {{.Created}} {{.Digest}}", "ghcr.io/owner/app"]);
      assert.equal(ok(result), lines([...tags].reverse().map((t) => `${t} ${pushedAt(tags, t)} ${digestOf("owner/app", t)}`)));
      assert.equal(ghcr.counts().vendor, 2, "/orgs/ (404: the owner is a user), then /users/");
      // Without a token the packages API cannot be used: auto falls back and says why.
      const anonymous = await run(["ls", "--endpoint", `ghcr.io=${ghcr.url}`, "--endpoint", `api.github.com=${api.url}`, "--details", "--format", "tag,digest,created", "ghcr.io/owner/app"]);
      assert.equal(anonymous.code, 0, anonymous.stderr);
      assert.equal(anonymous.stdout, lines(tags.map((t) => [t, digestOf("owner/app", t), ""])));
      assert.match(anonymous.stderr, /^regtags: warning: ghcr\.io\/owner\/app: the github API could not be used \(.*needs a token.*\); using the registry API only\n$/);
    } finally {
      await api.close();
    }
  });

  test("--source v2: no vendor request; digests by HEAD, detail columns empty", async () => {
    const registry = emulator.get("hub-v2");
    registry.resetCounts();
    const result = await run(["ls", ...onHub(registry), "--details", "--source", "v2", "--include", "20.*", "node"]);
    assert.equal(ok(result), lines(twenty.map((t) => [t, nodeDigest(t), "", "", ""])));
    assert.equal(registry.counts().vendor, 0);
    assert.equal(manifestRequests(registry).length, twenty.length);
  });

  test("--source vendor fails clearly when the vendor API refuses (exit 3, naming the API)", async () => {
    fails(await run(["ls", ...onHub(emulator.get("hub-refusing")), "--details", "--source", "vendor", "node"]), 3, /^regtags: docker\.io\/library\/node \(dockerhub tags API\): access denied \(403 DENIED: tags API disabled for this account\)/);
  });

  test("--source vendor on a registry without a vendor API is a usage error", async () => {
    const dist = emulator.get("distribution-3");
    fails(await run(["ls", "--endpoint", `registry.example=${dist.url}`, "--details", "--source", "vendor", "registry.example/library/node"]), 2, /registry\.example has no known vendor API; use --source v2 or auto/);
  });

  test("--source auto (the default) falls back to the v2 API with a warning", async () => {
    const registry = emulator.get("hub-refusing-auto");
    registry.resetCounts();
    const result = await run(["ls", ...onHub(registry), "--details", "--source", "auto", "--include", "20.*", "node"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, lines(twenty.map((t) => [t, nodeDigest(t), "", "", ""])));
    assert.match(result.stderr, /^regtags: warning: docker\.io\/library\/node: the dockerhub API could not be used \(.*403 DENIED.*\); using the registry API only\n$/);
    assert.equal(registry.counts().vendor, 1);
    assert.equal(manifestRequests(registry).length, twenty.length, "one HEAD per shown tag instead");
  });

  test("an unknown source is a usage error", async () => {
    fails(await hubNode("ls", "--details", "--source", "hub"), 2, /--source takes auto, vendor or v2, got "hub"/);
  });
});

describe("output formats", { concurrency: 4 }, () => {
  const twenty = ["20", "20-alpine"];
  const include = ["--include", "20|20-alpine"];

  test("--json without extra fields is exactly skopeo list-tags' shape", async () => {
    assert.equal(ok(await hubNode("ls", "--json")), `${JSON.stringify({ Repository: "docker.io/library/node", Tags: NODE_LEXICAL }, null, 4)}\n`);
    assert.equal(ok(await hubNode("ls", "--format", "json", "--sort", "version", "--limit", "2")), `${JSON.stringify({ Repository: "docker.io/library/node", Tags: ["latest", "lts"] }, null, 4)}\n`);
  });

  test("--json with --digests adds Details [{Tag, Digest}]", async () => {
    const expected = { Repository: "docker.io/library/node", Tags: twenty, Details: twenty.map((t) => ({ Tag: t, Digest: nodeDigest(t) })) };
    assert.equal(ok(await hubNode("ls", "--json", "--digests", ...include)), `${JSON.stringify(expected, null, 4)}\n`);
  });

  test("--json with --details: the documented richer shape", async () => {
    const expected = {
      Repository: "docker.io/library/node",
      Tags: twenty,
      Details: twenty.map((t) => ({ Tag: t, Digest: nodeDigest(t), Updated: pushedAt(NODE, t), Size: sizeOf(NODE, t), Platforms: ["linux/amd64"] })),
    };
    assert.equal(ok(await hubNode("ls", "--json", "--details", ...include)), `${JSON.stringify(expected, null, 4)}\n`);
  });

  test("--format ndjson: one object per tag, streamed; with --details every field", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "ndjson", ...include)), lines(twenty.map((t) => JSON.stringify({ tag: t }))));
    assert.equal(
      ok(await hubNode("ls", "--format", "ndjson", "--details", ...include)),
      lines(twenty.map((t) => JSON.stringify({ tag: t, digest: nodeDigest(t), updated: pushedAt(NODE, t), size: sizeOf(NODE, t), platforms: ["linux/amd64"] }))),
    );
  });

  test("--format table: aligned columns under a header", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "table", "--digests", ...include)), lines(["TAG        DIGEST", ...twenty.map((t) => `${t.padEnd(9)}  ${nodeDigest(t)}`)]));
    assert.equal(ok(await hubNode("ls", "--format", "table", "--include", "20")), lines(["TAG", "20"]));
  });

  test("--format csv: a header, then one row per tag", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "csv", ...include)), lines(["tag", ...twenty]));
    assert.equal(ok(await hubNode("ls", "--format", "csv", "--digests", ...include)), lines(["tag,digest", ...twenty.map((t) => `${t},${nodeDigest(t)}`)]));
    assert.equal(ok(await hubNode("ls", "--format", "csv", "--details", "--include", "20")), lines(["tag,digest,updated,size,platforms", `20,${nodeDigest("20")},${pushedAt(NODE, "20")},${sizeOf(NODE, "20")},linux/amd64`]));
  });

  test("--format with a field list: those columns, tab-separated; a detail field asks for details", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "updated,tag", ...include)), lines(twenty.map((t) => [pushedAt(NODE, t), t])));
    assert.equal(ok(await hubNode("ls", "--format", "tag,digest", ...include)), lines(twenty.map((t) => [t, nodeDigest(t)])));
  });

  test("--format with a template: Go-template-like placeholders per tag", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "{{.Tag}}@{{.Digest}}", ...include)), lines(twenty.map((t) => `${t}@${nodeDigest(t)}`)));
    assert.equal(ok(await hubNode("ls", "--format", "{{ .Tag }} pushed {{.Updated}}, {{.Size}} bytes", "--include", "20")), lines([`20 pushed ${pushedAt(NODE, "20")}, ${sizeOf(NODE, "20")} bytes`]));
  });

  test("--format lines is the default", async () => {
    assert.equal(ok(await hubNode("ls", "--format", "lines", ...include)), lines(twenty));
  });

  test("an unknown format or field, or --json with another --format, is a usage error", async () => {
    fails(await hubNode("ls", "--format", "yaml!"), 2, /--format "yaml!": use lines, json, ndjson, table, csv/);
    fails(await hubNode("ls", "--format", "tag,color"), 2, /unknown field "color"/);
    fails(await hubNode("ls", "--json", "--format", "csv"), 2, /--json and --format are exclusive/);
  });
});

describe("progress on stderr", { concurrency: 2 }, () => {
  const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

  test("piped stderr never gets a progress line", async () => {
    const result = await run(["ls", ...onQuay(emulator.get("quay-progress")), "quay.io/team/many"]);
    assert.equal(ok(result), lines(MANY));
    const sorted = await run(["ls", ...onQuay(emulator.get("quay-progress")), "--sort", "version", "--json", "quay.io/team/many"]);
    assert.equal(sorted.code, 0);
    assert.equal(sorted.stderr, "");
  });

  test("a terminal on stderr shows a page count, then clears it (script(1) pty)", { skip: hasScript ? false : "script(1) from util-linux is not installed" }, async () => {
    const out = join(dir, "progress.out");
    const { code, tty } = await runInPty(["ls", ...onQuay(emulator.get("quay-progress")), "quay.io/team/many"], out);
    assert.equal(code, 0, tty);
    assert.equal(readFileSync(out, "utf8"), lines(MANY), "stdout (a file) has only the tags");
    // stdout is a file: the line is only redrawn (erase, then the count) page after page.
    assert.equal(tty, "\r\x1b[Kregtags: 100 tags, 2 pages…\r\x1b[Kregtags: 120 tags, 3 pages…\r\x1b[K");
  });
});

// ---------------------------------------------------------------------------
// Test servers.

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the CLI under script(1), so that its stderr (and stdin) is a pseudo
 * terminal while stdout goes to `stdoutFile`. Resolves with the exit code and
 * everything written to the terminal.
 */
function runInPty(args: readonly string[], stdoutFile: string): Promise<{ code: number | null; tty: string }> {
  const command = `${[process.execPath, CLI_PATH, ...args].map(shellQuote).join(" ")} > ${shellQuote(stdoutFile)}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qefc", command, "/dev/null"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE, SHELL: "/bin/sh" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tty = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (tty += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (tty += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`script did not finish; output: ${tty}`));
    }, 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, tty });
    });
  });
}

/** Forwards every request to `target` from a port of its own: a second origin in front of one emulated server. */
async function startForwarder(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const upstream = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface SharedDigestRegistry {
  readonly url: string;
  readonly tags: readonly string[];
  digest(tag: string): string;
  /** Most HEAD requests that were in flight at once. */
  maxInFlight(): number;
  heads(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A minimal registry for `team/app`: tags/list with every tag, and HEAD
 * manifests answering a digest that several tags share (`1.0`, `1` and
 * `latest` by default). `holdMs` delays each HEAD answer, so lookups overlap.
 */
async function startSharedDigestRegistry(options: { tags?: readonly string[]; holdMs?: number } = {}): Promise<SharedDigestRegistry> {
  const tags = options.tags ?? ["1.0", "1", "latest", "0.9", "edge"];
  const alias: Record<string, string> = { "1": "1.0", latest: "1.0" };
  const digest = (tag: string): string => digestOf("team/app", alias[tag] ?? tag);
  let inFlight = 0;
  let max = 0;
  let heads = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/v2/team/app/tags/list") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "team/app", tags }));
      return;
    }
    const tag = decodeURIComponent(path.slice("/v2/team/app/manifests/".length));
    if (req.method === "HEAD" && path.startsWith("/v2/team/app/manifests/") && tags.includes(tag)) {
      heads++;
      max = Math.max(max, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json", "docker-content-digest": digest(tag), "content-length": "2" }).end();
      }, options.holdMs ?? 0);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "NAME_UNKNOWN", message: "unknown" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tags,
    digest,
    maxInFlight: () => max,
    heads: () => heads,
    reset() {
      max = 0;
      heads = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
