/**
 * Local files and helpers (issue 10, item 7), through the built CLI:
 * - a credential helper is never run from the current directory through an
 *   empty or relative PATH entry (Go's exec.ErrDot since 1.19);
 * - config, credentials and saved-profile files are read only if they are
 *   regular files (a FIFO used to hang `ls`) within 4 MiB (`--config
 *   /dev/zero` used to read gigabytes);
 * - files regtags writes (saved profiles) are 0600 in 0700 directories;
 * - a config file's JSON error names the file, line and column, never its
 *   content.
 * Each child run is bounded in time; peak memory is measured in the child.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinProfiles, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { startCatalogServer, type CatalogServer } from "./catalog-server.js";
import { runMeasured } from "./run-measured.js";

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "regtags-local-files-"));
});
after(() => rmSync(root, { recursive: true, force: true }));

function scratch(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A helper script that leaves a marker file when it runs, and answers with credentials. */
function writeHelper(path: string, marker: string): void {
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\ntouch '${marker}'\nprintf '{"Username":"u","Secret":"from-${marker.split("/").pop()}"}'\n`);
  chmodSync(path, 0o755);
}

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

describe("credential helpers and PATH", () => {
  for (const [label, pathValue] of [
    ["an empty PATH entry", ":/usr/bin:/bin"],
    ['a "." PATH entry', ".:/usr/bin:/bin"],
    ["a relative PATH entry", "bin:/usr/bin:/bin"],
  ] as const) {
    test(`a helper found only through ${label} is not run: exit 3, saying why`, async () => {
      const dir = scratch(`helper-${label.replace(/\W+/g, "-")}`);
      const marker = join(dir, "ran");
      mkdirSync(join(dir, "bin"));
      writeHelper(join(dir, "docker-credential-evil"), marker);
      writeHelper(join(dir, "bin", "docker-credential-evil"), marker);
      mkdirSync(join(dir, "docker"));
      writeFileSync(join(dir, "docker", "config.json"), JSON.stringify({ credHelpers: { "registry.example": "evil" } }));
      const run = await runMeasured(["auth", "which", "registry.example/team/app"], { cwd: dir, env: { PATH: pathValue, DOCKER_CONFIG: join(dir, "docker") }, timeoutMs: 20_000 });
      assert.equal(run.code, 3, run.stderr);
      assert.equal(existsSync(marker), false, "the helper in the current directory never ran");
      const entry = pathValue.startsWith(":") ? "the empty PATH entry \\(the current directory\\)" : `the relative PATH entry "${pathValue.split(":")[0]}"`;
      assert.match(
        run.stderr,
        new RegExp(`^regtags: credential helper docker-credential-evil \\(credHelpers\\["registry\\.example"\\] in .*/docker/config\\.json\\) is not run: docker-credential-evil was found only through ${entry}, as \\./(bin/)?docker-credential-evil, and regtags never runs a program relative to the current directory \\(Go refuses it too since 1\\.19, exec\\.ErrDot\\); put its directory on PATH as an absolute path\\n$`),
      );
    });
  }

  test("the same helper in a later absolute PATH entry is the one that runs", async () => {
    const dir = scratch("helper-absolute");
    mkdirSync(join(dir, "abs"));
    writeHelper(join(dir, "docker-credential-dual"), join(dir, "ran-relative"));
    writeHelper(join(dir, "abs", "docker-credential-dual"), join(dir, "ran-absolute"));
    mkdirSync(join(dir, "docker"));
    writeFileSync(join(dir, "docker", "config.json"), JSON.stringify({ credHelpers: { "registry.example": "dual" } }));
    const run = await runMeasured(["auth", "which", "registry.example/team/app"], { cwd: dir, env: { PATH: `.:${join(dir, "abs")}:/usr/bin:/bin`, DOCKER_CONFIG: join(dir, "docker") }, timeoutMs: 20_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(join(dir, "ran-relative")), false);
    assert.equal(existsSync(join(dir, "ran-absolute")), true);
    assert.match(run.stdout, /^registry\.example\/team\/app: password of user "u" from docker-credential-dual/);
  });
});

describe("only regular files within 4 MiB are read", () => {
  let server: CatalogServer;
  before(async () => {
    server = await startCatalogServer(["team/app"], { lifetimeMs: 60_000, maxRequests: 200 });
  });
  after(async () => server?.close());

  test("--config FIFO: exit 2 at once, not a hang", async () => {
    const fifo = join(scratch("config-fifo"), "config.json");
    mkfifo(fifo);
    const run = await runMeasured(["ls", "--config", fifo, "--plain-http", `${server.host}/team/app`], { timeoutMs: 10_000 });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `regtags: cannot read config file ${fifo}: it is a FIFO (named pipe), not a regular file; point --config at the JSON config file\n`);
  });

  test("--config /dev/zero: exit 2 at once, nothing read", async (t) => {
    const run = await runMeasured(["ls", "--config", "/dev/zero", "--plain-http", `${server.host}/team/app`], { timeoutMs: 10_000 });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "regtags: cannot read config file /dev/zero: it is a character device, not a regular file; point --config at the JSON config file\n");
    t.diagnostic(`--config /dev/zero: peak RSS ${run.peakMiB} MiB`);
    assert.ok(run.peakMiB < 200, `peak RSS ${run.peakMiB} MiB`);
  });

  test("a config file over 4 MiB: exit 2 without reading it whole", async (t) => {
    const big = join(scratch("config-big"), "config.json");
    writeFileSync(big, `{"endpoints":{},"pad":"${"x".repeat(64 * 1024 * 1024)}"}`);
    const run = await runMeasured(["ls", "--config", big, "--plain-http", `${server.host}/team/app`], { timeoutMs: 10_000 });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `regtags: cannot read config file ${big}: it is larger than 4 MiB, far more than such a file holds; point --config at the JSON config file\n`);
    t.diagnostic(`64 MiB config file: peak RSS ${run.peakMiB} MiB`);
    assert.ok(run.peakMiB < 200, `peak RSS ${run.peakMiB} MiB`);
  });

  test("a credentials file that is a FIFO (~/.docker/config.json): exit 3 naming it, not a hang", async () => {
    const dir = scratch("creds-fifo");
    mkfifo(join(dir, "config.json"));
    const run = await runMeasured(["auth", "which", "registry.example/team/app"], { env: { DOCKER_CONFIG: dir }, timeoutMs: 10_000 });
    assert.equal(run.code, 3);
    assert.equal(run.stderr, `regtags: cannot read credentials file ${dir}/config.json: it is a FIFO (named pipe), not a regular file; fix it, or choose credentials with --authfile or --creds / --registry-token / --no-creds\n`);
  });

  test("--authfile /dev/zero: exit 3 naming it", async (t) => {
    const run = await runMeasured(["auth", "which", "--authfile", "/dev/zero", "registry.example/team/app"], { timeoutMs: 10_000 });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^regtags: cannot read credentials file \/dev\/zero: it is a character device, not a regular file; /);
    t.diagnostic(`auth which --authfile /dev/zero: peak RSS ${run.peakMiB} MiB`);
    assert.ok(run.peakMiB < 200);
  });

  test("a saved profile that is a FIFO is ignored with a warning; the listing goes on (exit 0)", async () => {
    const cache = scratch("cache-fifo");
    const profiles = join(cache, "regtags", "profiles");
    mkdirSync(profiles, { recursive: true });
    const file = join(profiles, `${server.host.replace(":", "_")}.json`);
    mkfifo(file);
    const run = await runMeasured(["ls", "--plain-http", `${server.host}/team/app`], { env: { XDG_CACHE_HOME: cache }, timeoutMs: 10_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "1.0\n");
    const debug = await runMeasured(["ls", "--debug", "--plain-http", `${server.host}/team/app`], { env: { XDG_CACHE_HOME: cache }, timeoutMs: 10_000 });
    assert.equal(debug.code, 0, debug.stderr);
    assert.ok(debug.stderr.includes(`regtags: ignoring saved profile ${file}: it is a FIFO (named pipe), not a regular file\n`), debug.stderr);
  });
});

describe("files regtags writes: 0600 in 0700 directories", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profiles: [builtinProfiles["quay-2023"]!] });
  });
  after(async () => emulator?.close());

  const probeSave = (cache: string) =>
    runMeasured(["probe", "--save", "--endpoint", `quay.io=${emulator.get("quay-2023").url}`, "quay.io/ansible/creator-ee"], { env: { XDG_CACHE_HOME: cache }, timeoutMs: 30_000 });
  const mode = (path: string) => statSync(path).mode & 0o777;

  test("probe --save creates the directories 0700 and the profile 0600, and leaves no temp file", async () => {
    const cache = join(scratch("save-new"), "cache");
    const run = await probeSave(cache);
    assert.equal(run.code, 0, run.stderr);
    const file = join(cache, "regtags", "profiles", "quay.io.json");
    assert.equal(mode(file), 0o600);
    assert.equal(mode(join(cache, "regtags", "profiles")), 0o700);
    assert.equal(mode(join(cache, "regtags")), 0o700);
    assert.deepEqual(readdirSync(join(cache, "regtags", "profiles")), ["quay.io.json"]);
  });

  test("existing directories keep their mode; an existing 0644 profile is replaced by a 0600 one", async () => {
    const cache = scratch("save-existing");
    const profiles = join(cache, "regtags", "profiles");
    mkdirSync(profiles, { recursive: true, mode: 0o755 });
    chmodSync(join(cache, "regtags"), 0o755);
    chmodSync(profiles, 0o755);
    const file = join(profiles, "quay.io.json");
    writeFileSync(file, "{}", { mode: 0o644 });
    chmodSync(file, 0o644);
    const run = await probeSave(cache);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(mode(file), 0o600);
    assert.equal(mode(profiles), 0o755);
    assert.equal(mode(join(cache, "regtags")), 0o755);
    assert.match(statSync(file).size > 100 ? "written" : "empty", /written/);
  });
});

describe("a config file's JSON error", () => {
  test("names the file, line and column and what to do; never quotes the content", async () => {
    const file = join(scratch("config-json"), "config.json");
    writeFileSync(file, '{\n  "endpoints": {"registry.example": "http://127.0.0.1:5000"},\n  "password": hunter2-S3CR3T\n}\n');
    const run = await runMeasured(["ls", "--config", file, "registry.example/team/app"], { timeoutMs: 10_000 });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `regtags: config file ${file} is not valid JSON (line 3, column 15); fix it there, or give another file with --config\n`);
    assert.doesNotMatch(run.stderr, /hunter2|S3CR3T/);
  });

  test("a credentials file's JSON error does not quote it either, and gives the position", async () => {
    const dir = scratch("creds-json");
    writeFileSync(join(dir, "config.json"), '{"auths": {"registry.example": {"auth": dXNlcjpTM0NSM1Q=}}}');
    const run = await runMeasured(["auth", "which", "registry.example/team/app"], { env: { DOCKER_CONFIG: dir }, timeoutMs: 10_000 });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /is not valid JSON \(line 1, column 41\); fix it/);
    assert.doesNotMatch(run.stderr, /dXNlcjpTM0NSM1Q/);
  });
});
