import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { IncompleteListError, NetworkError } from "../errors.js";
import { parseReference } from "../reference/reference.js";
import { lockWatchState, readWatchState, writeWatchState } from "./state-file.js";
import { canonicalSelection, emptyWatchState, recordTags, type WatchState } from "./state.js";
import { runWatchPass, type WatchClient } from "./pass.js";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "regtags-watch-state-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const state = (tags: Record<string, string | null>): WatchState => ({
  selection: canonicalSelection({ digests: false }),
  repositories: new Map([["127.0.0.1:5000/a", recordTags(Object.keys(tags), Object.values(tags))]]),
});

test("writeWatchState: 0600, atomic, no temp file left; a missing file reads as a new state", async () => {
  const path = join(dir, "sub", "state.json");
  assert.deepEqual(readWatchState(path), emptyWatchState());
  await writeWatchState(path, state({ x: null }), new Date());
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readWatchState(path), state({ x: null }));
  assert.deepEqual(readdirSync(join(dir, "sub")), ["state.json"]);
});

test("writeWatchState: a write that fails midway (a full disk: EFBIG under ulimit -f) leaves the previous state whole and no temp file", async () => {
  const sub = join(dir, "full");
  const path = join(sub, "state.json");
  await writeWatchState(path, state({ old: null }), new Date());
  const before = readFileSync(path, "utf8");
  assert.ok(before.length < 512);
  const big = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`tag-${i}`, null]));
  const module = new URL("./state-file.js", import.meta.url).href;
  const script = `import { writeWatchState } from ${JSON.stringify(module)}; import { canonicalSelection, recordTags } from ${JSON.stringify(new URL("./state.js", import.meta.url).href)};
    const state = { selection: canonicalSelection({ digests: false }), repositories: new Map([["127.0.0.1:5000/a", recordTags(Object.keys(${JSON.stringify(big)}), undefined)]]) };
    writeWatchState(${JSON.stringify(path)}, state, new Date()).then(() => process.exit(0), (error) => { process.stderr.write(error.code); process.exit(3); });`;
  // ulimit -f 1: files may not grow past 512 bytes, so the write fails after its first block, as on a full disk.
  const child = spawnSync("/bin/sh", ["-c", 'ulimit -f 1; exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(child.status, 3, child.stderr);
  assert.equal(child.stderr, "EFBIG");
  assert.equal(readFileSync(path, "utf8"), before);
  assert.deepEqual(readdirSync(sub), ["state.json"]);
});

test("readWatchState: a corrupt file is refused in one line and left untouched", () => {
  const path = join(dir, "corrupt.json");
  writeFileSync(path, '{"format":"regtags-watch-state","version":1,"selection":{"digests":fal');
  const before = readFileSync(path);
  assert.throws(() => readWatchState(path), {
    code: "ERR_USAGE",
    message: `cannot use watch state ${path}: it is not valid JSON (truncated or corrupt); it was left as it is (move it away to start a new baseline)`,
  });
  assert.deepEqual(readFileSync(path), before);
  assert.throws(() => readWatchState(dir), { code: "ERR_USAGE", message: `cannot read watch state ${dir}: it is a directory (EISDIR)` });
});

test("lockWatchState: a second lock is refused naming the holder; release removes it", () => {
  const path = join(dir, "new-dir", "locked.json");
  const lock = lockWatchState(path, () => {});
  assert.equal(statSync(join(dir, "new-dir")).mode & 0o777, 0o700, "a missing directory is created 0700");
  assert.throws(() => lockWatchState(path, () => {}), (error: Error) => {
    assert.match(error.message, new RegExp(`^watch state ${path} is in use by another regtags watch \\(pid ${process.pid} on .+ since .+\\); wait for it to finish, or remove ${path}\\.lock if that process is gone$`));
    return true;
  });
  assert.equal(statSync(`${path}.lock`).mode & 0o777, 0o600);
  lock.release();
  assert.equal(existsSync(`${path}.lock`), false);
  lockWatchState(path, () => {}).release();
});

test("lockWatchState: the lock of a process that is gone is taken over, saying so", () => {
  const path = join(dir, "stale.json");
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  const pid = Number(dead.stdout);
  writeFileSync(`${path}.lock`, JSON.stringify({ pid, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
  const warnings: string[] = [];
  const lock = lockWatchState(path, (message) => warnings.push(message));
  assert.deepEqual(warnings, [`removed stale lock ${path}.lock (pid ${pid} is gone)`]);
  assert.equal(JSON.parse(readFileSync(`${path}.lock`, "utf8")).pid, process.pid);
  lock.release();
});

test("runWatchPass: a failed or incomplete listing gives no events and keeps the recorded tags; others proceed", async () => {
  const recorded: WatchState = {
    selection: canonicalSelection({ digests: false }),
    repositories: new Map([
      ["127.0.0.1:5000/down", recordTags(["1.0", "2.0"], undefined)],
      ["127.0.0.1:5000/cut", recordTags(["1.0", "2.0"], undefined)],
      ["127.0.0.1:5000/up", recordTags(["1.0"], undefined)],
    ]),
  };
  const client: WatchClient = {
    listTags: async (reference) => {
      const name = typeof reference === "string" ? reference : reference.name;
      if (name.endsWith("/down")) throw new NetworkError("ERR_NETWORK", "connection refused");
      if (name.endsWith("/cut")) throw new IncompleteListError("stopped after 1 page", ["1.0"]);
      return { repository: name, tags: ["2.0"], pages: 1 };
    },
    fetchDigests: async () => assert.fail("no digests asked"),
    fetchDetails: async () => assert.fail("no details asked"),
  };
  const refs = ["127.0.0.1:5000/down", "127.0.0.1:5000/cut", "127.0.0.1:5000/up"].map((name) => parseReference(name));
  const result = await runWatchPass(client, refs, recorded, { selection: { digests: false }, now: () => new Date(0) });
  assert.deepEqual(result.events.map((e) => `${e.event} ${e.repository}:${e.tag}`), ["added 127.0.0.1:5000/up:2.0", "removed 127.0.0.1:5000/up:1.0"]);
  assert.deepEqual(result.failures.map((f) => f.repository), ["127.0.0.1:5000/down", "127.0.0.1:5000/cut"]);
  assert.equal(result.state.repositories.get("127.0.0.1:5000/down"), recorded.repositories.get("127.0.0.1:5000/down"));
  assert.equal(result.state.repositories.get("127.0.0.1:5000/cut"), recorded.repositories.get("127.0.0.1:5000/cut"));
  assert.deepEqual(result.state.repositories.get("127.0.0.1:5000/up")!.tags, ["2.0"]);
});
