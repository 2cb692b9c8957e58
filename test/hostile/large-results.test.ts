/**
 * Large results (issue 10, item 6): lists of hundreds of thousands of
 * entries never go through `fn(...list)` (push, Math.max), which overflows
 * V8's stack from ~120k arguments ("Maximum call stack size exceeded",
 * exit 1 before the fix). A loopback registry sends the whole catalog in
 * one page, as registries that ignore `n` do. Runs that would take minutes
 * (300k tag listings) are stopped with SIGINT once they are well under way;
 * peak memory is measured in the child.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../../src/index.js";
import { repositoryNames, startCatalogServer, type CatalogServer } from "./catalog-server.js";
import { runMeasured } from "./run-measured.js";

const COUNT = 300_000;

describe(`a catalog of ${COUNT.toLocaleString("en")} repositories in one page`, () => {
  const names = repositoryNames(COUNT);
  let server: CatalogServer;
  before(async () => {
    server = await startCatalogServer(names, { lifetimeMs: 180_000 });
  });
  after(async () => server?.close());

  test("catalog --json prints all of them, exit 0, memory bounded", async (t) => {
    const run = await runMeasured(["catalog", "--json", "--plain-http", server.host]);
    assert.equal(run.code, 0, run.stderr.slice(-1000));
    assert.doesNotMatch(run.stderr, /call stack/i);
    const printed = JSON.parse(run.stdout) as { Registry: string; Repositories: string[] };
    assert.equal(printed.Registry, server.host);
    assert.equal(printed.Repositories.length, COUNT);
    assert.equal(printed.Repositories[0], names[0]);
    assert.equal(printed.Repositories[COUNT - 1], names[COUNT - 1]);
    t.diagnostic(`catalog --json, ${COUNT} repositories: peak RSS ${run.peakMiB} MiB`);
    assert.ok(run.peakMiB < 768, `peak RSS ${run.peakMiB} MiB`);
  });

  test("ls --all takes the whole catalog and lists repository after repository (stopped with Ctrl-C once under way)", async (t) => {
    const run = await runMeasured(["ls", "--all", server.host, "--plain-http"], { interruptAfterLines: 500, timeoutMs: 90_000 });
    assert.doesNotMatch(run.stderr, /call stack/i);
    assert.equal(run.code, 130, run.stderr.slice(-1000));
    const lines = run.stdout.trimEnd().split("\n");
    assert.ok(lines.length >= 500);
    const known = new Set(names.slice(0, lines.length + 64));
    for (const line of lines) {
      const object = JSON.parse(line) as { Repository: string; Tags: string[] };
      assert.ok(known.has(object.Repository.slice(server.host.length + 1)), object.Repository);
      assert.deepEqual(object.Tags, ["1.0"]);
    }
    t.diagnostic(`ls --all, ${COUNT} repositories, interrupted after ${lines.length}: peak RSS ${run.peakMiB} MiB`);
  });

  test("ls --from-file with as many references works the same way", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regtags-large-"));
    try {
      const file = join(dir, "refs.txt");
      writeFileSync(file, names.map((name) => `${server.host}/${name}`).join("\n"));
      const run = await runMeasured(["ls", "--from-file", file, "--plain-http"], { interruptAfterLines: 200, timeoutMs: 90_000 });
      assert.doesNotMatch(run.stderr, /call stack/i);
      assert.equal(run.code, 130, run.stderr.slice(-1000));
      assert.deepEqual((JSON.parse(run.stdout.split("\n")[0]!) as { Tags: string[] }).Tags, ["1.0"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("ls --all runs to the end over 300,000 catalog entries when most are invalid names (no request each): exit 5, every one reported", async (t) => {
  // Every 1000th name is valid; the rest are refused without a request, so the whole run takes seconds.
  const names = repositoryNames(COUNT).map((name, i) => (i % 1000 === 0 ? name : name.toUpperCase()));
  const server = await startCatalogServer(names, { lifetimeMs: 120_000, maxRequests: 1_000 });
  try {
    const run = await runMeasured(["ls", "--all", server.host, "--plain-http"], { timeoutMs: 90_000 });
    assert.equal(run.code, 5, run.stderr.slice(-1000));
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines.length, COUNT);
    const listed = lines.filter((line) => (JSON.parse(line) as { Tags?: string[] }).Tags !== undefined).length;
    assert.equal(listed, COUNT / 1000);
    assert.equal(server.counts.tags, COUNT / 1000);
    assert.match(run.stderr, new RegExp(`regtags: ${COUNT / 1000} of ${COUNT} repositories listed, ${COUNT - COUNT / 1000} failed\\n$`));
    t.diagnostic(`ls --all, ${COUNT} entries (${COUNT / 1000} valid): peak RSS ${run.peakMiB} MiB`);
  } finally {
    await server.close();
  }
});

test("the library: listRepositories over a 1,000,000-entry catalog page", async () => {
  const names = repositoryNames(1_000_000);
  const server = await startCatalogServer(names, { lifetimeMs: 120_000, maxRequests: 20 });
  const client = createClient({ plainHttp: true });
  try {
    const all = await client.listRepositories(server.host);
    assert.equal(all.length, names.length);
    assert.equal(all[0], names[0]);
    assert.equal(all[999_999], names[999_999]);
    assert.equal(server.counts.catalog, 1);
  } finally {
    await client.close();
    await server.close();
  }
});
