/**
 * The CLI's error paths, run as users run it (the compiled `regtags` in a
 * child process) against the emulator on 127.0.0.1: each failure exits with
 * its documented code and says what happened in one line on stderr, never a
 * stack trace, never a password or token. Warnings and --debug traces are
 * checked for the same redaction. Each process takes a few hundred ms to
 * start, so the tests of a group run side by side; none shares request
 * counts with another.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinProfiles, defaultRepositories, startEmulator, type EmulatorProfile, type Emulator, type EmulatedRegistry, type FaultProfile } from "../../src/emulator/index.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";

const PASSWORD = "pa55-w0rd-that-must-not-leak";
const USERS = { alice: PASSWORD };
const REPOS = defaultRepositories();
const lexical = (repo: string): string[] => [...(REPOS[repo]?.tags ?? [])].sort();

const profile = (id: string): EmulatorProfile => {
  const found = builtinProfiles[id];
  assert.ok(found !== undefined, id);
  return found;
};
const dist28 = profile("distribution-2.8");
const dist3 = profile("distribution-3");

/** distribution-2.8 (no auth) paginating in lexical order with relative links, plus faults. */
function paginating(id: string, faults: FaultProfile): EmulatorProfile {
  return {
    ...dist28,
    id,
    tags: { ...dist28.tags, order: "lexical", paging: { ...dist28.tags.paging, ignoreParams: false }, link: { ...dist28.tags.link, form: "relative" } },
    faults,
  };
}

/** Asserts the exit code and that stderr is exactly one line matching `line` (anchored by the caller). */
function failsWith(result: CliResult, code: number, line: RegExp): string {
  const context = `exit ${result.code}, stderr:\n${result.stderr}`;
  assert.equal(result.code, code, context);
  assert.equal(result.signal, null);
  assert.ok(result.stderr.endsWith("\n"), context);
  const lines = result.stderr.slice(0, -1).split("\n");
  assert.equal(lines.length, 1, `one line on stderr; ${context}`);
  assert.match(lines[0] as string, line);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(result.stderr, /internal error/);
  assertNoSecrets(result);
  return lines[0] as string;
}

/** Neither the password, nor a Basic header made from it, nor a token value, appears anywhere. */
function assertNoSecrets(result: CliResult): void {
  const output = result.stdout + result.stderr;
  assert.ok(!output.includes(PASSWORD), "the password leaked");
  assert.ok(!output.includes(Buffer.from(`alice:${PASSWORD}`).toString("base64")), "a Basic header leaked");
  for (const line of output.split("\n")) {
    // A challenge (`www-authenticate: Bearer realm=...`) may show; a credential may not.
    assert.doesNotMatch(line, /\b(?:Bearer|Basic) (?!<redacted>|realm=)/i, `credential in: ${line}`);
  }
  // The emulator's tokens are 32 base64url characters (24 random bytes); no message
  // needs such a run (stdout may: tags can be that long).
  if (!/invalid reference/.test(result.stderr)) assert.doesNotMatch(result.stderr, /[A-Za-z0-9_-]{32}/, "something token-shaped leaked");
}

function stdoutLines(result: CliResult): string[] {
  return result.stdout === "" ? [] : result.stdout.replace(/\n$/, "").split("\n");
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), "regtags-cli-errors-"));

before(async () => {
  emulator = await startEmulator({
    profiles: [
      "dockerhub",
      "ghcr",
      "distribution-3",
      "nexus",
      "artifactory",
      "quay-2023",
      { ...dist3, id: "rate-limited", faults: { rateLimit: { onTagsRequest: 1, times: 1000, retryAfterSeconds: 0 } } },
      { ...dist3, id: "rate-limited-once", faults: { rateLimit: { onTagsRequest: 1, times: 1, retryAfterSeconds: 1 } } },
      paginating("loop", { linkLoop: true }),
      paginating("html", { tagsBody: { contentType: "text/html; charset=utf-8", body: "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>proxy login</body></html>" } }),
      paginating("tags-string", { tagsBody: { contentType: "application/json", body: '{"name":"library/ubuntu","tags":"latest"}' } }),
      paginating("tags-numbers", { tagsBody: { contentType: "application/json", body: '{"name":"library/ubuntu","tags":["latest",42]}' } }),
    ],
    users: USERS,
  });
});
after(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `regtags ls --endpoint NAME=URL ...args`. */
function ls(registry: EmulatedRegistry, name: string, ...args: string[]): Promise<CliResult> {
  return runCli(["ls", "--endpoint", `${name}=${registry.url}`, ...args], { timeoutMs: 30_000 });
}

describe("exit 2: invalid references and usage errors", { concurrency: 3 }, () => {
  const references: ReadonlyArray<readonly [string, RegExp]> = [
    ["owner/UPPER", /repository name must be lowercase/],
    ["Ubuntu", /repository name must be lowercase/],
    ["a..b", /path component "a\.\.b" has a separator not followed by a letter or digit/],
    ["-docker/docker", /path component "-docker" must start with a lowercase letter or digit/],
    ["0123456789abcdef".repeat(4), /looks like an image ID; give a repository name/],
    ["fc00::1:5000/debian", /an IPv6 registry address must be in brackets/],
    ["https://ghcr.io/x", /drop the scheme/],
    ["", /the reference is empty/],
    [`team/${"a".repeat(256)}`, /the repository path is 261 characters; at most 255 are allowed/],
  ];
  test("invalid references say what is wrong with them", async () => {
    // `--` so that "-docker/docker" is a reference, not an option.
    const results = await Promise.all(references.map(([ref]) => runCli(["ls", "--", ref])));
    references.forEach(([ref, why], i) => {
      const shown = JSON.stringify(ref.length > 300 ? `${ref.slice(0, 300)}…` : ref);
      failsWith(results[i] as CliResult, 2, new RegExp(`^regtags: invalid reference ${escape(shown)}: .*${why.source}`));
    });
  });

  test("an uppercase first component is a registry name (REF-3), not an invalid reference", async () => {
    const result = await ls(emulator.get("distribution-3"), "UPPER", "UPPER/case");
    failsWith(result, 4, /^regtags: UPPER\/case: repository not found \(404 NAME_UNKNOWN[^)]*\) at http:\/\/127\.0\.0\.1:\d+\/v2\/case\/tags\/list\?n=10000$/);
  });

  const usage: ReadonlyArray<readonly [readonly string[], RegExp]> = [
    [["ls"], /^regtags: ls needs an image reference, e\.g\. regtags ls ubuntu \(or --from-file FILE, or --all REGISTRY\)$/],
    [["ls", "--no-such-option", "ubuntu"], /^regtags: ls: unknown option "--no-such-option" \(regtags ls --help lists its options\)$/],
    [["ls", "--creds"], /^regtags: ls: Option '--creds <value>' argument missing; see regtags ls --help$/],
    [["ls", "--endpoint", "nonsense", "ubuntu"], /^regtags: --endpoint wants HOST=http\(s\):\/\/HOST\[:PORT\]\[\/PATH\], e\.g\. docker\.io=http:\/\/127\.0\.0\.1:5000; got "nonsense"$/],
    [["ls", "--tls-verify=maybe", "ubuntu"], /^regtags: --tls-verify takes true or false, got "maybe"$/],
    [["ls", "--max-pages", "0", "ubuntu"], /^regtags: --max-pages takes a positive whole number, got "0"$/],
    [["ls", "--digests", "ubuntu", "debian"], /^regtags: ls with several repositories lists tags only; ask for digests or details one repository at a time$/],
    [["ls", "--creds", "a:b", "ubuntu", "ghcr.io/a/b"], /^regtags: --creds and --registry-token belong to one registry, but the references span several; use a credentials file instead$/],
    [["ls", "--sort", "size", "ubuntu"], /^regtags: --sort takes none, lexical, version, date, got "size"$/],
  ];
  test("usage errors", async () => {
    const results = await Promise.all(usage.map(([args]) => runCli(args)));
    usage.forEach(([, line], i) => failsWith(results[i] as CliResult, 2, line));
  });

  test("--config: a file mapping the registry name to the emulator is used", async () => {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ endpoints: { "registry.example": emulator.get("distribution-3").url } }));
    const result = await runCli(["ls", "--config", file, "registry.example/library/ubuntu"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.deepEqual(stdoutLines(result), lexical("library/ubuntu"));
  });

  test("--config: a missing or malformed file is exit 2 naming the file", async () => {
    const missing = join(dir, "missing.json");
    const malformed = join(dir, "malformed.json");
    const wrongShape = join(dir, "wrong-shape.json");
    writeFileSync(malformed, '{"endpoints": {"docker.io": ');
    writeFileSync(wrongShape, JSON.stringify({ endpoints: ["http://127.0.0.1:5000"] }));
    const [a, b, c] = await Promise.all([missing, malformed, wrongShape].map((file) => runCli(["ls", "--config", file, "ubuntu"])));
    failsWith(a as CliResult, 2, new RegExp(`^regtags: cannot read config file ${escape(missing)}: it does not exist; `));
    failsWith(b as CliResult, 2, new RegExp(`^regtags: config file ${escape(malformed)} is not valid JSON \\(it ends too early\\); `));
    failsWith(c as CliResult, 2, new RegExp(`^regtags: config file ${escape(wrongShape)}: "endpoints" must map registry names to URLs$`));
  });
});

describe("exit 3 and 8: authentication", { concurrency: 3 }, () => {
  test("a private repository, anonymously, on Docker Hub (401 insufficient_scope)", async () => {
    const result = await ls(emulator.get("dockerhub"), "docker.io", "private/repo");
    failsWith(result, 3, /^regtags: docker\.io\/private\/repo: authentication required or repository does not exist \(insufficient_scope\); if it is private, log in \(docker login\) or pass --creds USER:PASS$/);
  });

  test("a private repository, anonymously, on ghcr (the token service refuses)", async () => {
    const result = await ls(emulator.get("ghcr"), "ghcr.io", "ghcr.io/private/repo");
    failsWith(result, 3, /^regtags: ghcr\.io\/private\/repo: token service http:\/\/127\.0\.0\.1:\d+\/token refused an anonymous token \(401\); the repository is private or does not exist: log in \(docker login\) or pass --creds USER:PASS$/);
  });

  test("a wrong password names where the credentials came from", async () => {
    for (const [id, name] of [["dockerhub", "docker.io"], ["ghcr", "ghcr.io"]] as const) {
      const result = await ls(emulator.get(id), name, "--creds", "alice:wrong-password", `${name}/private/repo`);
      failsWith(result, 8, new RegExp(`^regtags: ${escape(name)}/private/repo: authentication failed .*\\(credentials from --creds\\).*; check the user name and password or token$`));
    }
  });

  test("the right password lists the private repository", async () => {
    const result = await ls(emulator.get("ghcr"), "ghcr.io", "--creds", `alice:${PASSWORD}`, "ghcr.io/private/repo");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stdoutLines(result), [...(REPOS["private/repo"]?.tags ?? [])]);
    assertNoSecrets(result);
  });
});

describe("exit 4, 5, 7: registry answers", { concurrency: 3 }, () => {
  test("404 NAME_UNKNOWN is exit 4 naming the repository and the URL", async () => {
    const registry = emulator.get("distribution-3");
    const result = await ls(registry, "r.test", "r.test/nobody/nothing");
    failsWith(result, 4, new RegExp(`^regtags: r\\.test/nobody/nothing: repository not found \\(404 NAME_UNKNOWN: repository name not known to registry\\) at ${escape(registry.url)}/v2/nobody/nothing/tags/list\\?n=10000$`));
  });

  test("429 that never stops: 4 attempts, then exit 5 saying rate limited", async () => {
    const registry = emulator.get("rate-limited");
    registry.resetCounts();
    const result = await ls(registry, "r.test", "r.test/library/ubuntu");
    failsWith(result, 5, new RegExp(`^regtags: r\\.test/library/ubuntu: rate limited by ${escape(registry.host)} \\(429 TOOMANYREQUESTS: too many requests\\); the registry says retry after 0$`));
    assert.deepEqual(registry.requests.map((r) => [r.kind, r.status]), Array.from({ length: 4 }, () => ["tags", 429]));
  });

  test("a single 429 is retried after its Retry-After and the listing succeeds", async () => {
    const registry = emulator.get("rate-limited-once");
    registry.resetCounts();
    const result = await ls(registry, "r.test", "r.test/library/ubuntu");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.deepEqual(stdoutLines(result), lexical("library/ubuntu"));
    const tags = registry.requests.filter((r) => r.kind === "tags");
    assert.deepEqual(tags.map((r) => r.status), [429, 401, 200]);
    assert.ok((tags[1]?.at ?? 0) - (tags[0]?.at ?? 0) >= 900, "waited for Retry-After: 1");
  });

  const garbage: ReadonlyArray<readonly [string, string]> = [
    ["html", 'the tag list is not JSON \\(body starts "<!DOCTYPE html> <html><head><title>Sign in</title>'],
    ["tags-string", '"tags" is string, not an array'],
    ["tags-numbers", '"tags"\\[1\\] is number, not a string'],
  ];
  for (const [id, why] of garbage) {
    test(`a 200 with a broken body (${id}) is exit 5 naming the URL`, async () => {
      const registry = emulator.get(id);
      const result = await ls(registry, "r.test", "r.test/library/ubuntu");
      failsWith(result, 5, new RegExp(`^regtags: r\\.test/library/ubuntu: GET ${escape(registry.url)}/v2/library/ubuntu/tags/list\\?n=10000: ${why}`));
      assert.equal(result.stdout, "");
    });
  }

  test("null entries (Nexus) and digest entries (Artifactory) are skipped with one warning; exit 0", async () => {
    const cases = [
      ["nexus", /skipped 1 null entries in "tags"$/],
      ["artifactory", /skipped 5 digest-shaped entries in "tags" \(not tags\)$/],
    ] as const;
    for (const [id, why] of cases) {
      const registry = emulator.get(id);
      const result = await ls(registry, "r.test", "r.test/library/ubuntu");
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(stdoutLines(result), lexical("library/ubuntu"), id);
      const lines = result.stderr.replace(/\n$/, "").split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] as string, new RegExp(`^regtags: warning: r\\.test/library/ubuntu: GET ${escape(registry.url)}/v2/library/ubuntu/tags/list\\?n=10000: ${why.source}`));
    }
  });

  test("a link loop is exit 7 naming the loop and the URL, after printing what was listed", async () => {
    const registry = emulator.get("loop");
    const result = await ls(registry, "r.test", "--page-size", "10", "r.test/library/ubuntu");
    const tags = lexical("library/ubuntu");
    const loopUrl = `${registry.url}/v2/library/ubuntu/tags/list?last=${tags[9]}&n=10`;
    failsWith(result, 7, new RegExp(`^regtags: r\\.test/library/ubuntu: the registry's next link repeats ${escape(loopUrl)} \\(a pagination loop\\); listed 20 tags before stopping$`));
    assert.deepEqual(stdoutLines(result), tags.slice(0, 20));
  });

  test("--max-pages 2 on quay 2023 (50 per page) is exit 7 at the page cap", async () => {
    const registry = emulator.get("quay-2023");
    const result = await ls(registry, "quay.io", "--max-pages", "2", "quay.io/library/ubuntu");
    failsWith(result, 7, /^regtags: quay\.io\/library\/ubuntu: stopped at the page cap of 2 pages with 100 tags listed; raise --max-pages to go on$/);
    assert.deepEqual(stdoutLines(result), [...(REPOS["library/ubuntu"]?.tags ?? [])].slice(0, 100), "quay 2023 lists in push order");
  });
});

describe("--debug", { concurrency: 3 }, () => {
  test("shows every exchange and auth decision, with credentials redacted", async () => {
    const registry = emulator.get("dockerhub");
    const result = await ls(registry, "docker.io", "--debug", "--creds", `alice:${PASSWORD}`, "private/repo");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stdoutLines(result), [...(REPOS["private/repo"]?.tags ?? [])].sort());
    const lines = result.stderr.split("\n");
    const has = (pattern: RegExp) => assert.ok(lines.some((line) => pattern.test(line)), `no line matches ${pattern}:\n${result.stderr}`);
    const tagsUrl = escape(`${registry.url}/v2/private/repo/tags/list`);
    has(new RegExp(`^regtags: → GET ${tagsUrl} \\[tags\\] authorization: none$`));
    has(new RegExp(`^regtags: ← 401 GET ${tagsUrl} \\(\\d+ ms\\)$`));
    has(/^regtags: auth: 127\.0\.0\.1:\d+ wants bearer realm=http:\/\/127\.0\.0\.1:\d+\/token service=registry\.docker\.io$/);
    has(/^regtags: → GET http:\/\/127\.0\.0\.1:\d+\/token\?service=registry\.docker\.io&scope=repository%3Aprivate%2Frepo%3Apull&account=alice \[token\] authorization: Basic <redacted>$/);
    has(/^regtags: ← 200 GET http:\/\/127\.0\.0\.1:\d+\/token\?/);
    has(/^regtags: token: fetched token for repository:private\/repo:pull from http:\/\/127\.0\.0\.1:\d+\/token service=registry\.docker\.io, valid \d+ s more$/);
    has(new RegExp(`^regtags: → GET ${tagsUrl} \\[tags\\] authorization: Bearer <redacted>$`));
    has(new RegExp(`^regtags: ← 200 GET ${tagsUrl} \\(\\d+ ms\\)$`));
    for (const line of lines.filter((l) => /authorization:/i.test(l))) {
      assert.match(line, /authorization: (none|Basic <redacted>|Bearer <redacted>)$/, line);
    }
    assertNoSecrets(result);
  });

  test("an error with --debug: the same first line, then the trace and a stack, still without secrets", async () => {
    const registry = emulator.get("dockerhub");
    const result = await ls(registry, "docker.io", "--debug", "--creds", "alice:wrong-password", "private/repo");
    assert.equal(result.code, 8);
    assert.match(result.stderr, /^regtags: docker\.io\/private\/repo: authentication failed .*\(credentials from --creds\)/m);
    assert.ok(!result.stderr.includes("wrong-password"));
    assertNoSecrets(result);
  });
});
