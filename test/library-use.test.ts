/**
 * For library users (issue 12): options forwarded as possibly-undefined values
 * compile under `exactOptionalPropertyTypes` (test/types/, against the built
 * declarations), a signal's timeout is told apart from a user's abort in the
 * error, and `await using` closes the client's connections.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AbortedError, createClient, NetworkError, type RegtagsError } from "regtags";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

test("a user's project with exactOptionalPropertyTypes forwards possibly-undefined settings into every option (tsc -p test/types)", { timeout: 120_000 }, async () => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, "-p", join(ROOT, "test", "types", "tsconfig.json")], { cwd: ROOT }).catch((error: { stdout?: string }) => ({ stdout: error.stdout || String(error) }));
  assert.equal(stdout, "", "tsc reports no error");
});

test("every field of every options type the package exports has hover docs (a doc comment or @default)", async () => {
  const ts = (await import("typescript")).default;
  const index = join(ROOT, "dist", "index.d.ts");
  const program = ts.createProgram([index], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ["node"] });
  const checker = program.getTypeChecker();
  const undocumented: string[] = [];
  let checked = 0;
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!)) {
    if (!/Options$|^TagFilter$|^VersionReading$|^LearnedHints$/.test(exported.getName())) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      checked++;
      if (property.getDocumentationComment(checker).length === 0 && property.getJsDocTags(checker).length === 0) undocumented.push(`${exported.getName()}.${property.getName()}`);
    }
  }
  assert.ok(checked > 90, `${checked} fields checked`);
  assert.deepEqual(undocumented, []);
});

/** A registry on 127.0.0.1 that answers tag lists with `answer` and records the sockets it was given; it closes itself after 10 s. */
async function startRegistry(answer: "tags" | "never"): Promise<{ url: string; sockets: Set<Socket>; closed: (socket: Socket) => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (answer === "never") return;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ name: "app/x", tags: ["1.0", "2.0"] }));
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const lifetime = setTimeout(() => server.closeAllConnections(), 10_000).unref();
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    closed: (socket) => (socket.destroyed ? Promise.resolve() : new Promise((done) => socket.once("close", () => done()))),
    close: async () => {
      clearTimeout(lifetime);
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<RegtagsError> {
  try {
    await promise;
  } catch (error) {
    return error as RegtagsError;
  }
  assert.fail("should have failed");
}

test("AbortSignal.timeout() is told apart from a user's abort: AbortedError with timedOut, and regtags' own idle timeout is a NetworkError", { timeout: 20_000 }, async () => {
  const registry = await startRegistry("never");
  const client = createClient({ endpoints: { "r.test": registry.url }, retry: { attempts: 1 } });
  try {
    const timedOut = await rejection(client.listTags("r.test/app/x", { signal: AbortSignal.timeout(100) }));
    assert.ok(timedOut instanceof AbortedError, String(timedOut));
    assert.equal(timedOut.code, "ERR_ABORTED");
    assert.equal(timedOut.timedOut, true);
    assert.equal(timedOut.message, "timed out (the caller's AbortSignal)");

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await rejection(client.listTags("r.test/app/x", { signal: controller.signal }));
    assert.ok(aborted instanceof AbortedError, String(aborted));
    assert.equal(aborted.timedOut, false);
    assert.equal(aborted.message, "interrupted");
  } finally {
    await client.close();
  }
  const stalled = createClient({ endpoints: { "r.test": registry.url }, retry: { attempts: 1 }, idleTimeoutMs: 100 });
  try {
    const idle = await rejection(stalled.listTags("r.test/app/x"));
    assert.ok(idle instanceof NetworkError && idle.code === "ERR_NETWORK", String(idle));
  } finally {
    await stalled.close();
    await registry.close();
  }
});

test("await using: the client's keep-alive connections are closed when the block ends", { timeout: 20_000 }, async () => {
  const registry = await startRegistry("tags");
  try {
    {
      await using client = createClient({ endpoints: { "r.test": registry.url } });
      assert.deepEqual((await client.listTags("r.test/app/x")).tags, ["1.0", "2.0"]);
      assert.equal(registry.sockets.size, 1);
      assert.ok([...registry.sockets].every((socket) => !socket.destroyed), "kept alive while the client is in use");
    }
    await Promise.all([...registry.sockets].map(registry.closed));
    assert.ok([...registry.sockets].every((socket) => socket.destroyed));
  } finally {
    await registry.close();
  }
});
