/**
 * Issue 10, "Bounded memory" and the listing side of "Tags are tags",
 * against hostile loopback servers, through the CLI as users run it. Peak
 * memory is the child's own `process.resourceUsage().maxRSS` (getrusage),
 * written by run-measured.ts's preloaded exit hook; a child that dies in V8's
 * heap limit (rc 134, as before the fixes) never writes it (NaN fails every bound).
 *
 * Bounds, from measurements on Node 20 (x64): the CLI idles at about 60 MB
 * RSS; parsing a body as it arrives adds a few 64 KiB chunks; the default
 * listing budget of 2 million tags holds about 110 bytes of heap per short
 * tag in the walker's set, plus the V8 heap's slack. The bounds below leave
 * about half again for other machines, and sit far below what the same
 * servers cost before (GBs, then a crash).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { runMeasured } from "./run-measured.js";

const servers: Server[] = [];

after(() => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections();
  }
});

/** The shared peak-RSS runner (run-measured.ts) with this file's longer default time limit. */
const measured = (args: readonly string[], timeoutMs = 120_000) => runMeasured(args, { timeoutMs });

/** A loopback registry answering GET /v2/team/app/tags/list with `respond`; every request is bounded in time. */
async function registry(respond: (url: URL, res: ServerResponse) => void): Promise<{ name: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${url.pathname}${url.search}`);
    res.on("error", () => {}); // the client may hang up mid-body: that is what it should do
    if (url.pathname === "/v2/team/app/tags/list") respond(url, res);
    else res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"no"}]}');
  });
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 1_000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { name: `127.0.0.1:${(server.address() as { port: number }).port}/team/app`, requests };
}

/** Writes `head`, then `count` copies of `chunk` as fast as the client reads, then `tail`; stops if the client goes. */
function sendHuge(res: ServerResponse, head: string, chunk: Buffer, count: number, tail: string): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.write(head);
  let sent = 0;
  const pump = () => {
    while (sent < count && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}

const oneLine = (stderr: string) => stderr.trim().split("\n");

test("64 MiB of '[' after the tags: exit 5 naming the nesting, in bounded memory (was: GBs, then rc 134)", async (t) => {
  const reg = await registry((_url, res) => sendHuge(res, '{"tags":["a"],"x":', Buffer.alloc(64 * 1024, "["), 1024, ""));
  const run = await measured(["ls", reg.name]);
  t.diagnostic(`exit ${run.code}, peak RSS ${run.peakMiB} MiB`);
  assert.equal(run.code, 5, run.stderr);
  assert.deepEqual(oneLine(run.stderr), [`regtags: ${reg.name}: GET http://${reg.name.replace("/team/app", "")}/v2/team/app/tags/list?n=10000: the JSON nests deeper than 16 levels, more than any tag list needs`]);
  assert.equal(run.stdout, "");
  assert.ok(run.peakMiB < 150, `peak RSS ${run.peakMiB} MiB`);
});

test("a 250 MiB tag is dropped unbuilt: the others listed, one warning with the count, bounded memory", async (t) => {
  const reg = await registry((_url, res) => sendHuge(res, '{"name":"team/app","tags":["1.0","', Buffer.alloc(64 * 1024, "a"), 4000, '","2.0","bad\\u001b[2Jtag","x\\ny"]}'));
  const run = await measured(["ls", reg.name]);
  t.diagnostic(`exit ${run.code}, peak RSS ${run.peakMiB} MiB`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "1.0\n2.0\n");
  assert.deepEqual(oneLine(run.stderr), [
    `regtags: warning: ${reg.name}: dropped 3 entries of "tags" that are not tags by the distribution spec's grammar ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}); they are not listed`,
  ]);
  // Keeping the string cost its bytes in pieces, once more concatenated and once more as a JS string.
  assert.ok(run.peakMiB < 150, `peak RSS ${run.peakMiB} MiB`);
});

/** Pages that never end: `n` fresh tags each (n from the query, as the CLI sends it), linked by page number. */
const endless = (padding = 0) => (url: URL, res: ServerResponse) => {
  const page = Number(url.searchParams.get("page") ?? "0");
  const n = Math.min(Number(url.searchParams.get("n") ?? "1000"), 20_000);
  const tags = Array.from({ length: n }, (_, i) => `t${String(page * n + i).padStart(9, "0")}`);
  res.writeHead(200, { "content-type": "application/json", link: `</v2/team/app/tags/list?n=${n}&page=${page + 1}>; rel="next"` });
  res.end(`{"tags":${JSON.stringify(tags)}${" ".repeat(padding)}}`);
};

test("pages that never end stop at the default budget of 2 million tags: exit 7, not an out-of-memory crash", async (t) => {
  const reg = await registry(endless());
  const run = await measured(["ls", "--page-size", "20000", reg.name], 300_000);
  t.diagnostic(`exit ${run.code}, peak RSS ${run.peakMiB} MiB`);
  assert.equal(run.code, 7, run.stderr.slice(-500));
  assert.deepEqual(oneLine(run.stderr), [`regtags: ${reg.name}: stopped at the listing's budget of 2000000 tags with 2000000 listed; the next page would pass it; raise --max-tags to go on`]);
  assert.equal(reg.requests.length, 101);
  assert.equal(run.stdout.length, 2_000_000 * 11);
  // 2 million tags held: about 110 B each (measured) over the idle CLI's 60 MB is 280 MB (243 MiB measured); twice that for GC slack elsewhere.
  assert.ok(run.peakMiB < 500, `peak RSS ${run.peakMiB} MiB`);
});

test("--max-tags N stops the listing past N tags; with --allow-partial what was listed is printed, exit 10", async () => {
  const reg = await registry(endless());
  const strict = await measured(["ls", "--page-size", "1000", "--max-tags", "2500", reg.name]);
  assert.equal(strict.code, 7, strict.stderr);
  assert.match(strict.stderr, /: stopped at the listing's budget of 2500 tags with 2000 listed; the next page would pass it; raise --max-tags to go on\n$/);
  const partial = await measured(["ls", "--page-size", "1000", "--max-tags", "2500", "--allow-partial", reg.name]);
  assert.equal(partial.code, 10, partial.stderr);
  assert.equal(partial.stdout.split("\n").length - 1, 2000);
  assert.match(partial.stderr, /^regtags: warning: .*budget of 2500 tags.*\(--allow-partial\)$/m);
});

test("--max-bytes SIZE stops a listing whose pages are mostly padding: exit 7 naming the budget", async () => {
  const reg = await registry(endless(512 * 1024));
  const run = await measured(["ls", "--page-size", "10", "--max-bytes", "4MiB", reg.name]);
  assert.equal(run.code, 7, run.stderr);
  assert.match(run.stderr, new RegExp(`^regtags: ${reg.name}: stopped after 4 MiB of pages, the listing's byte budget, with 70 tags listed; raise --max-bytes to go on\\n$`));
  assert.equal(reg.requests.length, 8);
  const usage = await measured(["ls", "--max-bytes", "4 parsecs", reg.name]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--max-bytes takes a size in bytes or with a unit \(KiB, MiB, GiB, TiB\), e\.g\. 512MiB or 2GiB, got "4 parsecs"/);
});

test("tags outside the grammar are dropped (one warning per listing); a dropped tag still serves as the last= cursor", async () => {
  // Old-Nexus style: sorted, pages of n by last=, no Link (PAG-6). The cursor the server
  // expects after page 1 is its last entry, which is not a tag.
  const all = ["a1", "a2", "b\u001b]0;pwned\u0007", "c1", "c2", "d\r\n", "e1"];
  const reg = await registry((url, res) => {
    const last = url.searchParams.get("last");
    const n = Number(url.searchParams.get("n") ?? "100");
    const from = last === null ? 0 : all.findIndex((t) => t > last);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ tags: from < 0 ? [] : all.slice(from, from + n) }));
  });
  const run = await measured(["ls", "--page-size", "3", reg.name]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "a1\na2\nc1\nc2\ne1\n");
  assert.deepEqual(oneLine(run.stderr), [`regtags: warning: ${reg.name}: dropped 2 entries of "tags" that are not tags by the distribution spec's grammar ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}); they are not listed`]);
  assert.deepEqual(reg.requests, [
    "/v2/team/app/tags/list?n=3",
    `/v2/team/app/tags/list?n=3&last=${new URLSearchParams({ x: all[2]! }).toString().slice(2)}`,
    `/v2/team/app/tags/list?n=3&last=${new URLSearchParams({ x: all[5]! }).toString().slice(2)}`,
  ]);
});

test("--parallel: concurrent ranges drop invalid tags too, each counted once however often the ranges fetch it", async () => {
  const valid = Array.from({ length: 300 }, (_, i) => `v${String(i).padStart(3, "0")}`);
  const invalid = Array.from({ length: 30 }, (_, i) => `v${String(i * 10).padStart(3, "0")}\u001b[${i}m`);
  const all = [...valid, ...invalid].sort(); // code-unit order, as `last` compares
  const reg = await registry((url, res) => {
    const last = url.searchParams.get("last");
    const n = Number(url.searchParams.get("n") ?? "100");
    const from = last === null ? 0 : all.findIndex((t) => t > last);
    const page = from < 0 ? [] : all.slice(from, from + n);
    const more = from >= 0 && from + n < all.length;
    const link = more ? { link: `</v2/team/app/tags/list?${new URLSearchParams({ n: String(n), last: page.at(-1)! })}>; rel="next"` } : {};
    res.writeHead(200, { "content-type": "application/json", ...link }).end(JSON.stringify({ tags: page }));
  });
  const run = await measured(["ls", "--page-size", "20", "--parallel", "4", reg.name]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${valid.join("\n")}\n`);
  const lines = oneLine(run.stderr);
  assert.match(lines[0]!, /the registry sorts by name and honours any last=; listing 4 ranges concurrently$/);
  assert.equal(lines.at(-1), `regtags: warning: ${reg.name}: dropped 30 entries of "tags" that are not tags by the distribution spec's grammar ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}); they are not listed`);
  assert.equal(lines.length, 2);
});
