/**
 * Library errors speak the library's language (issue 12): a listing that hits
 * one of its limits names the client option to raise, never a CLI flag, and
 * carries it as data (`optionHints`); the CLI still says the flag. Invalid
 * arguments of library calls are InvalidArgumentError, not the CLI's UsageError.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient, InvalidArgumentError, isRegtagsError, sortTags, type ClientOptions, type RegtagsError } from "regtags";
import { startHostileServer, tagsPage } from "./hostile/servers.js";
import { runCli } from "./helpers/run-cli.js";

/** Pages of 10 tags without end: page k holds t{k}-0 … t{k}-9 and links to page k+1. */
async function endlessRegistry() {
  return startHostileServer(
    (request) => {
      const k = Number(/[?&]last=t(\d+)-/.exec(request.target)?.[1] ?? "-1") + 1;
      return tagsPage("app/x", Array.from({ length: 10 }, (_, i) => `t${k}-${i}`), `/v2/app/x/tags/list?last=t${k}-9&n=10`);
    },
    { maxRequests: 40, lifetimeMs: 20_000 },
  );
}

async function listingError(options: ClientOptions): Promise<RegtagsError> {
  const server = await endlessRegistry();
  const client = createClient({ endpoints: { "r.test": server.url }, pageSize: 10, retry: { attempts: 1 }, ...options });
  try {
    await client.listTags("r.test/app/x");
  } catch (error) {
    assert.ok(isRegtagsError(error), String(error));
    return error;
  } finally {
    await client.close();
    await server.close();
  }
  assert.fail("the listing should have stopped");
}

for (const [option, limit] of [
  ["maxPages", { maxPages: 3 }],
  ["maxTags", { maxTags: 25 }],
  ["maxListBytes", { maxListBytes: 500 }],
] as const) {
  test(`a listing past ${option} names the ${option} option, not a flag`, async () => {
    const error = await listingError(limit);
    assert.equal(error.code, "ERR_INCOMPLETE");
    assert.match(error.message, new RegExp(`; raise the ${option} option to go on$`));
    assert.doesNotMatch(error.message, /--/);
    assert.deepEqual(error.optionHints, [{ option, words: `the ${option} option` }]);
  });
}

test("the CLI names the flags of the same limits", async () => {
  const server = await endlessRegistry();
  try {
    for (const [flag, value] of [
      ["--max-pages", "3"],
      ["--max-tags", "25"],
      ["--max-bytes", "500"],
    ] as const) {
      const result = await runCli(["ls", "--endpoint", `r.test=${server.url}`, "--page-size", "10", "--retry-attempts", "1", flag, value, "r.test/app/x"]);
      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, new RegExp(`^regtags: r\\.test/app/x: stopped .*; raise ${flag} to go on\\n$`));
    }
  } finally {
    await server.close();
  }
});

test("an invalid argument of a library call is an InvalidArgumentError (ERR_INVALID_ARGUMENT), not a usage error", () => {
  assert.throws(
    () => sortTags(["a"], "newest" as "version"),
    (error: unknown) => error instanceof InvalidArgumentError && error.code === "ERR_INVALID_ARGUMENT" && error.name === "InvalidArgumentError",
  );
});

test("the CLI still exits 2 for an invalid argument the library refuses", async () => {
  const server = await startHostileServer(() => tagsPage("app/x", ["v1", "v2"]), { maxRequests: 3, lifetimeMs: 10_000 });
  try {
    const result = await runCli(["latest", "--endpoint", `r.test=${server.url}`, "--version-regex", "v(", "r.test/app/x"]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^regtags: invalid version regex "v\("/);
  } finally {
    await server.close();
  }
});
