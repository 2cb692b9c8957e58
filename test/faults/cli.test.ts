/**
 * The reliability flags and exit codes, run as users run them (the compiled
 * CLI in a child process): --allow-partial prints what was listed and exits
 * 10, Ctrl-C exits 130 at once (during a stalled request and during a
 * Retry-After wait), a stalled server fails with exit 6 within the idle
 * timeout, a Retry-After past --retry-max-wait fails at once, --debug shows
 * rate-limit headers, and malformed values are usage errors.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startEmulator, type Emulator, type EmulatedRegistry } from "../../src/emulator/index.js";
import { CLI_PATH, NOWHERE, runCli, type CliResult } from "../helpers/run-cli.js";
import { escape, numbered, paginating, pause } from "./helpers.js";

const TAGS = numbered(60);

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      paginating("loop", { linkLoop: true }),
      paginating("plain"),
      paginating("stall", { delivery: { onTagsRequest: 1, fault: { kind: "stall", phase: "headers" } } }),
      paginating("long-429", { rateLimit: { onTagsRequest: 1, times: 1000, retryAfterSeconds: 60 } }),
      paginating("quota", { quota: { limit: 100, windowSeconds: 60, style: "x-ratelimit" } }),
    ],
    repositories: { "app/x": { tags: TAGS } },
  });
});
after(async () => emulator?.close());

function ls(registry: EmulatedRegistry, ...args: string[]): Promise<CliResult> {
  return runCli(["ls", "--endpoint", `r.test=${registry.url}`, ...args], { timeoutMs: 30_000 });
}

const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

describe("--allow-partial", { concurrency: 3 }, () => {
  test("a link loop: the tags listed before it on stdout, one warning, exit 10", async () => {
    const registry = emulator.get("loop");
    const result = await ls(registry, "--allow-partial", "--page-size", "10", "r.test/app/x");
    assert.equal(result.code, 10, result.stderr);
    assert.deepEqual(lines(result.stdout), TAGS.slice(0, 20));
    assert.deepEqual(lines(result.stderr), [
      `regtags: warning: r.test/app/x: the registry's next link repeats ${registry.url}/v2/app/x/tags/list?last=v10&n=10 (a pagination loop); listed 20 tags before stopping; the output holds only what was listed before that (--allow-partial)`,
    ]);
  });

  test("the page cap with --json: the partial list in skopeo's shape, exit 10", async () => {
    const registry = emulator.get("plain");
    const result = await ls(registry, "--allow-partial", "--json", "--page-size", "10", "--max-pages", "3", "r.test/app/x");
    assert.equal(result.code, 10, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { Repository: "r.test/app/x", Tags: TAGS.slice(0, 30) });
    assert.match(result.stderr, /^regtags: warning: r\.test\/app\/x: stopped at the page cap of 3 pages with 30 tags listed; raise --max-pages to go on; the output holds only what was listed before that \(--allow-partial\)\n$/);
  });

  test("without --allow-partial the same stop is exit 7; a complete listing with it is exit 0", async () => {
    const registry = emulator.get("plain");
    const [capped, whole] = await Promise.all([
      ls(registry, "--page-size", "10", "--max-pages", "3", "r.test/app/x"),
      ls(registry, "--allow-partial", "--page-size", "10", "r.test/app/x"),
    ]);
    assert.equal(capped.code, 7);
    assert.equal(whole.code, 0, whole.stderr);
    assert.deepEqual(lines(whole.stdout), TAGS);
    assert.equal(whole.stderr, "");
  });
});

/**
 * Spawns the CLI, waits until `ready()` holds and sends SIGINT. "At once" is
 * shown by the exit code, not by a stopwatch: what the CLI waits for (a 60 s
 * stall, a 60 s Retry-After) outlasts the 10 s after which the child is
 * killed (code null), so exit 130 means SIGINT ended the wait.
 */
async function interrupt(args: readonly string[], ready: () => boolean): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!ready()) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`never ready; stderr: ${stderr}`);
    }
    await pause(20);
  }
  await pause(100); // well inside the stall or the wait
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, stderr };
}

describe("Ctrl-C", { concurrency: 2 }, () => {
  test("during a request the server never answers: exit 130 at once, one line", async () => {
    const registry = emulator.get("stall");
    registry.resetCounts();
    const result = await interrupt(["ls", "--endpoint", `r.test=${registry.url}`, "--idle-timeout", "60", "r.test/app/x"], () => registry.requests.length > 0);
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.stderr, "regtags: interrupted\n");
  });

  test("during a 60 s Retry-After wait: exit 130 at once", async () => {
    const registry = emulator.get("long-429");
    registry.resetCounts();
    const result = await interrupt(["ls", "--endpoint", `r.test=${registry.url}`, "--retry-max-wait", "120", "r.test/app/x"], () => registry.requests.length > 0);
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /regtags: warning: 127\.0\.0\.1:\d+: status 429; waiting 60\.0 s before retry 1\/3\nregtags: interrupted\n$/);
  });
});

// No upper bound on how long these take: the 30 s limit of ls() fails a run that
// waits out the 60 s Retry-After or never times out, and stderr says which timer ended it.
describe("timeouts, waits and flags", { concurrency: 3 }, () => {
  test("a server that accepts and never answers: exit 6 within two idle timeouts, naming the URL", async () => {
    const registry = emulator.get("stall");
    const result = await ls(registry, "--idle-timeout", "0.5", "r.test/app/x");
    assert.equal(result.code, 6, result.stderr);
    assert.equal(result.stderr, `regtags: GET ${registry.url}/v2/app/x/tags/list: the server stopped answering (idle timeout)\n`);
  });

  test("a Retry-After longer than --retry-max-wait: exit 5 at once, saying how long the registry asked for", async () => {
    const registry = emulator.get("long-429");
    const result = await ls(registry, "--retry-max-wait", "5", "r.test/app/x");
    assert.equal(result.code, 5, result.stderr);
    assert.deepEqual(lines(result.stderr), [
      `regtags: warning: ${registry.host}: status 429; the registry asks to wait 60 s, longer than the 5 s cap on a wait (--retry-max-wait): not retrying`,
      `regtags: r.test/app/x: rate limited by ${registry.host} (429 TOOMANYREQUESTS: too many requests); the registry says retry after 60`,
    ]);
  });

  test("--debug shows each response's rate-limit headers, parsed", async () => {
    const registry = emulator.get("quota");
    registry.resetCounts();
    const result = await ls(registry, "--debug", "--page-size", "30", "r.test/app/x");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), TAGS);
    const rate = lines(result.stderr).filter((line) => line.startsWith("regtags: rate limit: "));
    assert.equal(rate.length, 2);
    assert.match(rate[0]!, new RegExp(`^regtags: rate limit: 99 of 100 requests left, resets in \\d+ s at ${escape(registry.url)}/v2/app/x/tags/list\\?n=30$`));
    assert.match(result.stderr, /x-ratelimit-remaining: 98/);
  });

  test("malformed values are usage errors (exit 2)", async () => {
    const cases: ReadonlyArray<readonly [readonly string[], string]> = [
      [["--timeout", "0"], `--timeout takes a number of seconds above 0 and at most 86400, e.g. 2.5, got "0"`],
      [["--idle-timeout", "soon"], `--idle-timeout takes a number of seconds above 0 and at most 86400, e.g. 2.5, got "soon"`],
      [["--connect-timeout=-1"], `--connect-timeout takes a number of seconds above 0 and at most 86400, e.g. 2.5, got "-1"`],
      [["--retry-attempts", "0"], `--retry-attempts takes a positive whole number, got "0"`],
      [["--retry-attempts", "1000"], "--retry-attempts takes at most 100, got 1000"],
      [["--retry-max-wait", "1e9"], `--retry-max-wait takes a number of seconds above 0 and at most 86400, e.g. 2.5, got "1e9"`],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(["ls", ...args, "r.test/app/x"])));
    cases.forEach(([, message], i) => {
      assert.equal(results[i]!.code, 2, results[i]!.stderr);
      assert.equal(results[i]!.stderr, `regtags: ${message}\n`);
    });
  });
});
