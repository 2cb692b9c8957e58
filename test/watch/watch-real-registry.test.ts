/**
 * `regtags watch` end to end: the compiled CLI against the real CNCF
 * distribution registry with token auth. Tags are added (push and storage
 * layout), removed (storage layout) and re-pointed to another manifest, and
 * each pass's exact events are asserted; then the failure cases a change
 * feed must survive without losing or inventing an event: a listing cut
 * mid-way, a corrupt state, a webhook that fails before it succeeds, a stop
 * by SIGINT while --interval runs, and the lock.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { CLI_PATH, NOWHERE, runCli, type CliResult } from "../helpers/run-cli.js";

let registry: RealRegistry;
let one: string;
let two: string;
const dir = mkdtempSync(join(tmpdir(), "regtags-watch-e2e-"));
/** Every child and server a test starts, bounded: each test also has a timeout. */
const TEST_TIMEOUT_MS = 60_000;

before(async () => {
  registry = await startRealRegistry({ auth: "token" });
  one = await registry.pushImage("team/app", "1.0");
  two = await registry.pushImage("team/app", "2.0");
  assert.notEqual(one, two);
});
after(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The repository's tags dir in the registry's storage layout: removing a tag there is what `DELETE` + GC leaves. */
function removeTag(repository: string, tag: string): Promise<void> {
  return rm(join(registry.storageDir, "docker", "registry", "v2", "repositories", ...repository.split("/"), "_manifests", "tags", tag), { recursive: true });
}

async function watch(args: readonly string[]): Promise<CliResult> {
  return runCli(["watch", ...args], { timeoutMs: 30_000 });
}

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout === "" ? [] : stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Events without their time (checked apart: an ISO time of this run). */
function untimed(stdout: string): Array<Record<string, unknown>> {
  return events(stdout).map(({ time, ...rest }) => {
    assert.ok(typeof time === "string" && Math.abs(Date.parse(time) - Date.now()) < 120_000, `time ${String(time)}`);
    return rest;
  });
}

describe("regtags watch on the real registry", { timeout: 4 * TEST_TIMEOUT_MS }, () => {
  const state = join(dir, "feed.state");
  let ref: string;
  let repository: string;

  before(async () => {
    await registry.addTags("team/app", ["latest", "1.0-build"], one);
    ref = `${registry.host}/team/app`;
    repository = ref;
  });

  test("a baseline, then tags added, removed and re-pointed: exactly those events; a second pass prints nothing", { timeout: TEST_TIMEOUT_MS }, async () => {
    const baseline = await watch(["--state", state, "--digests", ref]);
    assert.equal(baseline.code, 0, baseline.stderr);
    assert.equal(baseline.stdout, "");
    assert.equal(baseline.stderr, `regtags: recorded the baseline of 1 repository (4 tags) in ${state}; later passes report changes against it\n`);
    assert.equal(statSync(state).mode & 0o777, 0o600);
    assert.equal(existsSync(`${state}.lock`), false, "the lock is removed on exit");

    const three = await registry.pushImage("team/app", "3.0"); // added by a push
    await registry.addTags("team/app", ["3.0-build"], three); // and by the storage layout
    await removeTag("team/app", "1.0-build");
    await registry.addTags("team/app", ["latest"], two); // re-pointed

    const changes = await watch(["--state", state, "--digests", "--exit-code", ref]);
    assert.equal(changes.code, 11, `--exit-code: changes found; ${changes.stderr}`);
    assert.equal(changes.stderr, "");
    // Added and moved in the registry's order (distribution 2.8: its storage walk), then removed.
    const byTag = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a["event"]).localeCompare(String(b["event"])) || String(a["tag"]).localeCompare(String(b["tag"]));
    const got = untimed(changes.stdout);
    assert.deepEqual(got.at(-1)?.["event"], "removed");
    assert.deepEqual(got.sort(byTag), [
      { event: "added", repository, tag: "3.0", digest: three },
      { event: "added", repository, tag: "3.0-build", digest: three },
      { event: "moved", repository, tag: "latest", digest: two, previousDigest: one },
      { event: "removed", repository, tag: "1.0-build", digest: one },
    ].sort(byTag));

    const again = await watch(["--state", state, "--digests", "--exit-code", ref]);
    assert.deepEqual([again.code, again.stdout, again.stderr], [0, "", ""]);
  });

  test("other filters or --digests against the recorded state are refused, the state untouched", { timeout: TEST_TIMEOUT_MS }, async () => {
    const before = readFileSync(state);
    const result = await watch(["--state", state, ref]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^regtags: watch state \S+ was recorded with other options \(\{"digests":true\}\), this run asks for \{"digests":false\}: events would compare different sets of tags; use the same --digests and filters, or another --state file\n$/);
    assert.deepEqual(readFileSync(state), before);
  });

  test("the registry made unreachable mid-run: the repository it was listing gives no event (no removed), keeps its tags, exit 6; the one listed before reports its change", { timeout: TEST_TIMEOUT_MS }, async () => {
    const cutState = join(dir, "cut.state");
    const other = `${registry.host}/team/other`;
    await registry.pushImage("team/other", "1.0");
    await registry.addTags("team/other", ["1.1", "1.2"]);
    const baseline = await watch(["--state", cutState, "--concurrency", "1", ref, other]);
    assert.equal(baseline.code, 0, baseline.stderr);
    const recorded = JSON.parse(readFileSync(cutState, "utf8")).repositories[other];
    assert.deepEqual([...recorded.tags].sort(), ["1.0", "1.1", "1.2"]);
    await registry.addTags("team/app", ["cut-test"], one);
    // In front of the registry: forwards until one tag list has been answered, then resets every connection.
    const proxy = await startForwarder(registry.url);
    try {
      const result = await watch(["--state", cutState, "--concurrency", "1", "--retry-attempts", "1", "--endpoint", `${registry.host}=${proxy.url}`, ref, other]);
      assert.equal(result.code, 6, result.stderr);
      assert.deepEqual(untimed(result.stdout), [{ event: "added", repository, tag: "cut-test", digest: null }], "no removed event for team/other");
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`^regtags: .+; no events for ${other.replace(/\./g, "\\.")} this pass, its recorded tags are kept$`));
      assert.ok(proxy.cut() >= 1, "team/other's listing was cut");
    } finally {
      await proxy.close();
    }
    assert.deepEqual(JSON.parse(readFileSync(cutState, "utf8")).repositories[other], recorded, "team/other's tags kept as recorded");
    const back = await watch(["--state", cutState, "--concurrency", "1", ref, other]);
    assert.deepEqual([back.code, back.stdout], [0, ""], "reachable again: nothing was lost or invented");
  });

  test("a corrupt or newer state is refused in one line and left as it was", { timeout: TEST_TIMEOUT_MS }, async () => {
    const corrupt = join(dir, "corrupt.state");
    for (const text of ['{"format":"regtags-watch-state","version":1,"selection":{"dig', '{"format":"regtags-watch-state","version":3,"selection":{"digests":false},"repositories":{}}']) {
      writeFileSync(corrupt, text, { mode: 0o600 });
      const result = await watch(["--state", corrupt, ref]);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.split("\n").length, 2, result.stderr);
      assert.match(result.stderr, /^regtags: cannot use watch state \S+: (it is not valid JSON \(truncated or corrupt\)|it has version 3, written by a newer regtags \(this one reads version 2\); upgrade regtags); it was left as it is \(move it away to start a new baseline\)\n$/);
      assert.equal(readFileSync(corrupt, "utf8"), text);
      assert.equal(existsSync(`${corrupt}.lock`), false);
    }
  });

  test("--webhook: a receiver answering 500 keeps the state (exit 12, nothing printed); once it answers 200 the same events arrive", { timeout: TEST_TIMEOUT_MS }, async () => {
    const hookState = join(dir, "hook.state");
    assert.equal((await watch(["--state", hookState, "--digests", ref])).code, 0);
    const before = readFileSync(hookState);
    await registry.addTags("team/app", ["4.0"], two);
    const receiver = await startReceiver();
    try {
      const hook = `${receiver.url}/hooks/secret-path-token`;
      receiver.status = 500;
      const failed = await watch(["--state", hookState, "--digests", "--webhook", hook, "--retry-attempts", "2", "--retry-max-wait", "0.2", ref]);
      assert.equal(failed.code, 12, failed.stderr);
      assert.equal(failed.stdout, "");
      assert.equal(failed.stderr, `regtags: webhook ${receiver.url}: POST answered 500 (still after retries); 1 event(s) not delivered: the state was not advanced, so the next pass reports them again\n`);
      assert.ok(!failed.stderr.includes("secret-path-token"), "the webhook's path is never printed");
      assert.equal(receiver.received.length, 2, "the POST was retried");
      assert.deepEqual(readFileSync(hookState), before, "state not advanced");

      receiver.status = 200;
      const delivered = await watch(["--debug", "--state", hookState, "--digests", "--webhook", hook, ref]);
      assert.equal(delivered.code, 0, delivered.stderr);
      assert.ok(delivered.stderr.includes(`→ POST ${receiver.url}`), "the POST is traced like any request");
      assert.ok(!delivered.stderr.includes("secret-path-token"), "--debug never shows the webhook's path");
      const expected = [{ event: "added", repository, tag: "4.0", digest: two }];
      assert.deepEqual(untimed(delivered.stdout), expected);
      const last = receiver.received.at(-1)!;
      assert.equal(last.path, "/hooks/secret-path-token");
      assert.equal(last.contentType, "application/json");
      assert.equal(last.authorization, undefined, "no registry credential reaches the webhook");
      const document = JSON.parse(last.body) as { source: string; events: Array<Record<string, unknown>> };
      assert.equal(document.source, "regtags");
      assert.deepEqual(document.events.map(({ time: _time, ...rest }) => rest), expected);
      assert.deepEqual(JSON.stringify(document.events), JSON.stringify(events(delivered.stdout)));
      assert.notDeepEqual(readFileSync(hookState), before, "state advanced");

      const count = receiver.received.length;
      const quiet = await watch(["--state", hookState, "--digests", "--webhook", hook, ref]);
      assert.deepEqual([quiet.code, quiet.stdout], [0, ""]);
      assert.equal(receiver.received.length, count, "no POST for a pass without events");
    } finally {
      await receiver.close();
    }
  });

  test("--interval 200ms picks up a change while it runs; a second watcher on the state is refused; SIGINT stops it with the state saved", { timeout: TEST_TIMEOUT_MS }, async () => {
    const loopState = join(dir, "loop.state");
    const w = spawnWatcher(["--state", loopState, "--interval", "200ms", ref]);
    try {
      await until(() => w.stderr.includes("recorded the baseline"), () => `baseline; stderr: ${w.stderr}`);
      const second = await watch(["--state", loopState, ref]);
      assert.equal(second.code, 2);
      assert.equal(second.stdout, "");
      assert.match(second.stderr, new RegExp(`^regtags: watch state \\S+ is in use by another regtags watch \\(pid ${w.child.pid} on \\S+ since \\S+\\); wait for it to finish, or remove \\S+\\.lock if that process is gone\\n$`));

      await registry.addTags("team/app", ["5.0"], one);
      await until(() => w.stdout.includes('"tag":"5.0"'), () => `the added event; stdout: ${w.stdout} stderr: ${w.stderr}`);
      assert.deepEqual(untimed(w.stdout), [{ event: "added", repository, tag: "5.0", digest: null }]);
      w.child.kill("SIGINT");
      assert.equal(await w.exited, 0, w.stderr);
    } finally {
      w.dispose();
    }
    assert.ok(JSON.parse(readFileSync(loopState, "utf8")).repositories[ref].tags.includes("5.0"), "the pass that saw 5.0 saved it");
    assert.equal(existsSync(`${loopState}.lock`), false, "the lock is removed");
    const after = await watch(["--state", loopState, ref]);
    assert.deepEqual([after.code, after.stdout], [0, ""], "nothing reported twice");
  });

  test("SIGINT during a pass: the pass finishes, its events are printed and saved, then the run stops (exit 0)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const midState = join(dir, "mid.state");
    assert.equal((await watch(["--state", midState, ref])).code, 0);
    await registry.addTags("team/app", ["6.0"], one);
    const proxy = await startForwarder(registry.url, "holdTags");
    const w = spawnWatcher(["--state", midState, "--interval", "1h", "--endpoint", `${registry.host}=${proxy.url}`, ref]);
    try {
      await until(() => proxy.held() === 1, () => `the tags request; stderr: ${w.stderr}`);
      w.child.kill("SIGINT"); // while the listing is in flight
      await until(() => w.stderr.includes("stopping after this pass"), () => `the notice; stderr: ${w.stderr}`);
      proxy.release();
      assert.equal(await w.exited, 0, w.stderr);
    } finally {
      w.dispose();
      await proxy.close();
    }
    assert.deepEqual(untimed(w.stdout), [{ event: "added", repository, tag: "6.0", digest: null }]);
    assert.equal(w.stderr, "regtags: stopping after this pass (signal again to abandon it; the state then stays as recorded)\n");
    assert.ok(JSON.parse(readFileSync(midState, "utf8")).repositories[ref].tags.includes("6.0"), "saved before stopping");
    assert.equal(existsSync(`${midState}.lock`), false);
  });

  test("a stale lock (its process gone) is taken over, saying so", { timeout: TEST_TIMEOUT_MS }, async () => {
    const staleState = join(dir, "stale.state");
    const deadPid = await exitedPid();
    writeFileSync(`${staleState}.lock`, JSON.stringify({ pid: deadPid, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
    const result = await watch(["--state", staleState, ref]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.split("\n")[0], `regtags: removed stale lock ${staleState}.lock (pid ${deadPid} is gone)`);
    assert.equal(existsSync(`${staleState}.lock`), false);
  });
});

/** The pid of a child that has exited (and been reaped). */
/** A long-running `regtags watch` child: its output so far, its exit, and a kill that always happens. */
function spawnWatcher(args: readonly string[]): { readonly child: ChildProcess; readonly stdout: string; readonly stderr: string; readonly exited: Promise<number | null>; dispose(): void } {
  const child = spawn(process.execPath, [CLI_PATH, "watch", ...args], {
    env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), TEST_TIMEOUT_MS - 5_000);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    dispose() {
      clearTimeout(killer);
      child.kill("SIGKILL");
    },
  };
}

function exitedPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => resolve(child.pid!));
  });
}

async function until(condition: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Received {
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** A loopback webhook receiver answering `status`; at most 20 requests, closed by the test. */
async function startReceiver(): Promise<{ url: string; status: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk.slice(0, 1_000_000)));
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: req.headers["content-type"], authorization: req.headers["authorization"], body });
      if (received.length > 20) server.close();
      res.writeHead(state.status, { "content-type": "text/plain" }).end(state.status === 200 ? "ok" : "receiver failing");
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Forwards requests to `target`. `cutAfterList`: once one tag list was
 * answered 200, destroys every connection (the registry gone). `holdTags`:
 * holds each tags answer until the returned `release()` (a slow listing).
 */
async function startForwarder(target: string, mode: "cutAfterList" | "holdTags" = "cutAfterList"): Promise<{ url: string; cut(): number; held(): number; release(): void; close(): Promise<void> }> {
  let cutCount = 0;
  let listed = false;
  const holding: Array<() => void> = [];
  let released = false;
  const server = createServer((req, res) => {
    if (mode === "cutAfterList" && listed) {
      cutCount++;
      req.socket.destroy();
      return;
    }
    const upstream = httpRequest(`${target}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
      const isTags = answer.statusCode === 200 && req.url?.includes("/tags/list") === true;
      if (isTags) listed = true;
      const send = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      };
      if (mode === "holdTags" && isTags && !released) holding.push(send);
      else send();
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut: () => cutCount,
    held: () => holding.length,
    release: () => {
      released = true;
      for (const send of holding.splice(0)) send();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
