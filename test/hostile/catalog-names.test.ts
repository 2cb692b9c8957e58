/**
 * A catalog entry that is not a valid repository name (issue 10, item 8)
 * during `ls --all`: that repository's error, in its NDJSON line and the
 * summary like any per-repository failure, never a usage error that stops
 * the run (before the fix: exit 2 and nothing listed). The exit code follows
 * the per-repository rule: the first failure's, here 5 (the registry broke
 * the name grammar). A name is never printed raw, and a name that would
 * read as a tag or digest never lists another repository.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startCatalogServer } from "./catalog-server.js";
import { runMeasured } from "./run-measured.js";

interface Line {
  Repository: string;
  Tags?: string[];
  Error?: string;
  Code?: string;
  ExitCode?: number;
}

test("one invalid name in the catalog: that repository's error, the others listed, exit 5", async () => {
  const server = await startCatalogServer(["alpha/app", "Beta/App", "gamma/app"], { lifetimeMs: 30_000, maxRequests: 50 });
  try {
    const run = await runMeasured(["ls", "--all", server.host, "--plain-http"], { timeoutMs: 30_000 });
    assert.equal(run.code, 5, run.stderr);
    const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Line);
    const byName = new Map(lines.map((line) => [line.Repository, line]));
    assert.deepEqual(byName.get(`${server.host}/alpha/app`)?.Tags, ["1.0"]);
    assert.deepEqual(byName.get(`${server.host}/gamma/app`)?.Tags, ["1.0"]);
    const bad = byName.get(`${server.host}/Beta/App`);
    assert.equal(bad?.Code, "ERR_PROTOCOL");
    assert.equal(bad?.ExitCode, 5);
    const message = `${server.host}: its catalog lists "Beta/App", which is not a valid repository name (lowercase letters, digits and . _ - / only); skipped, the other repositories are listed`;
    assert.equal(bad?.Error, message);
    assert.equal(run.stderr, `regtags: ${message}\nregtags: 2 of 3 repositories listed, 1 failed\n`);
    assert.equal(server.counts.tags, 2);
  } finally {
    await server.close();
  }
});

test("hostile names: escape sequences, bidi and C1 controls, an @ suffix, a double quote, a 1000-character name; escaped and cut, never requested", async () => {
  const names = ["alpha/app", "evil/\u001b[2J\u001b]0;pwned\u0007", "rtl/\u202eppa", "c1/\u009b31m", "alpha/app@latest", "Alpha/App", 'quote/a"b', "x".repeat(1000)];
  const server = await startCatalogServer(names, { lifetimeMs: 30_000, maxRequests: 50 });
  try {
    const run = await runMeasured(["ls", "--all", server.host, "--plain-http"], { timeoutMs: 30_000 });
    assert.equal(run.code, 5, run.stderr);
    for (const output of [run.stdout, run.stderr]) {
      assert.doesNotMatch(output, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, "no control or bidi character reaches the terminal");
    }
    const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Line);
    assert.equal(lines.length, names.length);
    assert.deepEqual(lines.filter((line) => line.Tags !== undefined).map((line) => line.Repository), [`${server.host}/alpha/app`]);
    assert.ok(lines.filter((line) => line.Code === "ERR_PROTOCOL").length === names.length - 1);
    assert.match(run.stderr, /its catalog lists "evil\/\\x1b\[2J\\x1b\]0;pwned\\x07", which is not a valid repository name/);
    assert.match(run.stderr, /its catalog lists "rtl\/\\u202eppa"/);
    assert.match(run.stderr, /its catalog lists "alpha\/app@latest"/);
    assert.match(run.stderr, /its catalog lists "c1\/\\x9b31m"/);
    // One quoting for server text in messages (quoteServerText, as regtags catalog): a quote in the name cannot end the quote.
    assert.match(run.stderr, /its catalog lists "quote\/a\\"b", which/);
    assert.ok(run.stderr.split("\n").every((line) => line.length < 600), "long names are cut");
    assert.equal(server.counts.tags, 1, "only alpha/app was asked for, once");
    assert.match(run.stderr, /regtags: 1 of 8 repositories listed, 7 failed\n$/);
  } finally {
    await server.close();
  }
});

test("regtags catalog leaves invalid names out with one warning, escaped; nothing raw on the terminal", async () => {
  const names = ["alpha/app", "evil/\u001b[2J\u001b]0;pwned\u0007", "rtl/\u202eppa", "Beta/App", "gamma/app"];
  const server = await startCatalogServer(names, { lifetimeMs: 30_000, maxRequests: 20 });
  try {
    for (const json of [false, true]) {
      const run = await runMeasured(["catalog", ...(json ? ["--json"] : []), "--plain-http", server.host], { timeoutMs: 30_000 });
      assert.equal(run.code, 0, run.stderr);
      const listed = json ? (JSON.parse(run.stdout) as { Repositories: string[] }).Repositories : run.stdout.trimEnd().split("\n");
      assert.deepEqual(listed, ["alpha/app", "gamma/app"]);
      assert.equal(run.stderr, `regtags: warning: ${server.host}: left out 3 catalog entries that are not valid repository names, the first "evil/\\x1b[2J\\x1b]0;pwned\\x07"\n`);
    }
  } finally {
    await server.close();
  }
});
