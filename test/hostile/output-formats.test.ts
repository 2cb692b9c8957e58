/**
 * Issue 10, items 3 (output side) and 6: whatever tags or repository names a
 * hostile registry sends, no output format prints a control, bidi or
 * separator character raw, a field is capped, a CSV cell never starts a
 * formula, and a 200k-row table renders. The listing layer may drop tags
 * outside the distribution grammar; these assertions hold either way, since
 * they are about what reaches stdout.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rawControlsIn } from "../helpers/raw-controls.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { startRawServer, type RawRequest, type RawResponse, type RawServer } from "./raw-server.js";

const HOSTILE_TAGS = [
  "v1.0",
  "v1\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07",
  "v2\r\nforged-line",
  "v3\0nul",
  "v4\x85\x9b31m",
  "v5\u202egnp.exe",
  "v6\u2066iso\u2069",
  "v7\u2028sep",
  "v8\ud800",
  "=HYPERLINK(\"http://evil\")",
  "+1+2",
  "-3",
  "@SUM(A1)",
  "\tcmd",
  `big${"x".repeat(10 * 1024 * 1024)}`,
];
const MANY = 200_000;

function registry(req: RawRequest): RawResponse {
  const json = (value: unknown): RawResponse => ({ status: 200, headers: ["Content-Type: application/json"], body: JSON.stringify(value) });
  if (req.path.startsWith("/v2/hostile/tags/list")) return json({ name: "hostile", tags: HOSTILE_TAGS });
  if (req.path.startsWith("/v2/many/tags/list")) return json({ name: "many", tags: Array.from({ length: MANY }, (_, i) => `v${i}`) });
  if (req.path === "/v2/") {
    // What `regtags probe` reports of the ping: the challenge and the body, both hostile.
    return { status: 401, headers: [Buffer.concat([Buffer.from('WWW-Authenticate: Basic realm="r'), Buffer.from([0x9b, 0x32, 0x4a, 0xe2, 0x80, 0xae]), Buffer.from('"')]), "Content-Type: text/plain"], body: `denied\x1b[2J\u202e${"z".repeat(100_000)}` };
  }
  if (req.path.startsWith("/v2/_catalog")) return json({ repositories: ["ok/repo", "evil\x1b[2J/repo", "bidi\u202e/oper", "nl\n/repo"] });
  return { status: 404, headers: ["Content-Type: application/json"], body: JSON.stringify({ errors: [{ code: "NAME_UNKNOWN", message: "no" }] }) };
}

let server: RawServer;
before(async () => {
  server = await startRawServer(registry, { maxRequests: 120 });
});
after(async () => server?.close());

function run(...args: string[]): Promise<CliResult> {
  const [command, ...rest] = args;
  return runCli([command!, "--endpoint", `r.test=${server.url}`, ...rest], { timeoutMs: 60_000 });
}

/** Every stdout: no raw control (tabs only where the format separates fields with them), nothing near 10 MB. */
function assertSafeStdout(result: CliResult, name: string, allowed = "\n"): void {
  assert.equal(result.code, 0, `${name}: ${result.stderr}`);
  assert.deepEqual(rawControlsIn(result.stdout, allowed), [], `${name}: ${JSON.stringify(result.stdout.slice(0, 2000))}`);
  assert.deepEqual(rawControlsIn(result.stderr), [], `${name} stderr`);
  assert.ok(result.stdout.length < 64 * 1024, `${name}: ${result.stdout.length} characters`);
}

const lines = (text: string): string[] => text.replace(/\n$/, "").split("\n");

describe("every output format escapes what the registry sent", { concurrency: 3 }, () => {
  test("lines (streamed and sorted) and templates: one line per tag, escaped", async () => {
    const cases: Array<[string, string[]]> = [
      ["lines", []],
      ["sorted lines", ["--sort", "lexical"]],
      ["template", ["--format", "tag={{.Tag}};"]],
    ];
    const results = await Promise.all(cases.map(([, args]) => run("ls", ...args, "r.test/hostile")));
    results.forEach((result, i) => {
      const [name] = cases[i]!;
      assertSafeStdout(result, name);
      assert.ok(lines(result.stdout).length <= HOSTILE_TAGS.length, `${name}: a CR/LF in a tag forged a line`);
    });
    const plain = lines(results[0]!.stdout);
    assert.ok(plain.includes("v1.0"));
    for (const line of plain) assert.ok(!/^forged-line/.test(line));
  });

  test("table and CSV: escaped cells; no CSV cell starts a formula", async () => {
    const [table, csv] = await Promise.all([run("ls", "--format", "table", "r.test/hostile"), run("ls", "--format", "csv", "r.test/hostile")]);
    assertSafeStdout(table, "table");
    assertSafeStdout(csv, "csv");
    const cells = lines(csv.stdout).slice(1);
    for (const cell of cells) assert.ok(!/^"?[=+\-@\t\r]/.test(cell), `a formula cell: ${cell}`);
    assert.ok(cells.includes("v1.0"));
  });

  test("json and ndjson: valid JSON, the same tags, no raw C1, bidi or U+2028", async () => {
    const [whole, nd] = await Promise.all([run("ls", "--json", "r.test/hostile"), run("ls", "--format", "ndjson", "r.test/hostile")]);
    for (const [name, result] of [["json", whole], ["ndjson", nd]] as const) {
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(rawControlsIn(result.stdout), [], name);
    }
    const tags = (JSON.parse(whole.stdout) as { Tags: string[] }).Tags;
    // JSON carries values exactly (escaped, not cut); whichever tags are listed are the server's own.
    for (const tag of tags) assert.ok(HOSTILE_TAGS.includes(tag), JSON.stringify(tag).slice(0, 100));
    assert.ok(tags.includes("v1.0"));
    assert.deepEqual(lines(nd.stdout).map((line) => (JSON.parse(line) as { tag: string }).tag), tags);
  });

  test("catalog names, as lines and as JSON", async () => {
    const [text, json] = await Promise.all([run("catalog", "r.test"), run("catalog", "--json", "r.test")]);
    assertSafeStdout(text, "catalog");
    assert.ok(lines(text.stdout).length <= 4, text.stdout);
    assert.ok(lines(text.stdout).includes("ok/repo"));
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(rawControlsIn(json.stdout), []);
    assert.ok((JSON.parse(json.stdout) as { Repositories: string[] }).Repositories.includes("ok/repo"));
  });
});

describe("regtags probe", () => {
  test("the findings table and JSON quote the registry's challenge and body escaped", async () => {
    const [table, json] = await Promise.all([run("probe", "r.test/hostile"), run("probe", "--json", "r.test/hostile")]);
    for (const [name, result] of [["table", table], ["json", json]] as const) {
      assert.deepEqual(rawControlsIn(result.stdout), [], `${name}: ${result.stdout.slice(0, 3000)}`);
      assert.deepEqual(rawControlsIn(result.stderr), [], `${name} stderr`);
    }
    JSON.parse(json.stdout);
    assert.match(table.stdout, /\\x9b2J/);
  });
});

describe("large results", () => {
  test(`a ${MANY}-row table renders (Math.max(...column) overflowed the stack from ~125k rows)`, async () => {
    const result = await run("ls", "--format", "table", "r.test/many");
    assert.equal(result.code, 0, result.stderr.slice(0, 500));
    const rows = lines(result.stdout);
    assert.equal(rows.length, MANY + 1);
    assert.equal(rows[0], "TAG");
    assert.equal(rows[MANY], `v${MANY - 1}`);
  });
});
