/**
 * `regtags probe` as users run it: the side-by-side table of the field
 * report's three registries (emulated: dockerhub, ghcr, quay-2023) shows the
 * report's findings; `--json` carries the same as data; rate-limit headers
 * and per-request times are reported; a registry that cannot be reached gets
 * its column and the exit code of its error.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProbeFindings } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";

/** The value of a row in one column of the table (columns start where the header's references start). */
function cell(table: string, label: string, column: number): string {
  const lines = table.split("\n");
  const header = lines[0]!;
  const starts = [...header.matchAll(/\S+/g)].slice(1).map((m) => m.index);
  const at = lines.findIndex((line) => line.startsWith(`${label}  `));
  assert.ok(at >= 0, `row ${label}`);
  const parts: string[] = [];
  for (let i = at; i < lines.length && (i === at || lines[i]!.startsWith(" ")); i++) {
    const line = lines[i]!;
    const end = starts[column + 1] ?? line.length;
    parts.push(line.slice(starts[column], end).trim());
  }
  return parts.filter((p) => p !== "").join(" ");
}

describe("regtags probe (CLI)", () => {
  let emulator: Emulator;
  let stub: Server;
  let stubUrl = "";

  before(async () => {
    emulator = await startEmulator({ profiles: ["dockerhub", "ghcr", "quay-2023"] });
    // A registry without auth that sends Docker Hub's rate-limit headers (RL-1).
    stub = createServer((req, res) => {
      const headers = { "content-type": "application/json", "ratelimit-limit": "100;w=21600", "ratelimit-remaining": "76;w=21600", "docker-ratelimit-source": "192.0.2.1" };
      if (req.url?.startsWith("/v2/team/app/tags/list")) res.writeHead(200, headers).end(JSON.stringify({ name: "team/app", tags: ["a", "b", "c"] }));
      else if (req.url?.startsWith("/v2/_catalog")) res.writeHead(404, headers).end('{"errors":[{"code":"UNSUPPORTED","message":"no"}]}');
      else res.writeHead(200, headers).end("{}");
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  after(async () => {
    await emulator?.close();
    await new Promise<void>((resolve) => stub.close(() => resolve()));
  });

  const endpoints = () => ["--endpoint", `docker.io=${emulator.get("dockerhub").url}`, "--endpoint", `ghcr.io=${emulator.get("ghcr").url}`, "--endpoint", `quay.io=${emulator.get("quay-2023").url}`];
  const refs = ["ubuntu", "ghcr.io/linuxserver/hedgedoc", "quay.io/ansible/creator-ee"];

  test("the field report's three registries side by side: the report's findings, row by row", async () => {
    const result = await runCli(["probe", ...endpoints(), ...refs]);
    assert.equal(result.code, 0, result.stderr);
    const t = result.stdout;
    const [hub, ghcr, quay] = [0, 1, 2];
    assert.equal(cell(t, "registry", hub), "docker.io/library/ubuntu");
    // Ping: 401 everywhere; quay's body is `true` as text/html.
    for (const c of [hub, ghcr, quay]) assert.match(cell(t, "ping", c), /^401/);
    assert.match(cell(t, "ping", quay), /body "true" \(text\/html; charset=utf-8\)/);
    // Challenges: Hub's realm on another host, no scope; ghcr's placeholder scope; quay's /v2/auth.
    assert.match(cell(t, "challenge (parsed)", hub), /^bearer realm=http:\/\/127\.0\.0\.1:\d+\/token service=registry\.docker\.io$/);
    assert.match(cell(t, "challenge (raw)", ghcr), /scope="repository:user\/image:pull"/);
    assert.match(cell(t, "auth", hub), /realm on another host/);
    assert.match(cell(t, "challenge (raw)", quay), /\/v2\/auth",\s?service="quay\.io"$/);
    // Tokens: Hub {token, access_token (same), expires_in 300, issued_at}; ghcr and quay {token} only, 60 s applied.
    assert.equal(cell(t, "token fields", hub), "token, access_token, expires_in, issued_at (token = access_token); anonymous");
    assert.equal(cell(t, "token fields", ghcr), "token; anonymous");
    assert.equal(cell(t, "token lifetime", hub), "expires_in 300 s; applied 300 s, renewed 30 s early");
    assert.match(cell(t, "token lifetime", ghcr), /^not announced; applied 60 s \(spec default\)/);
    // Anonymous reads: only quay.
    assert.match(cell(t, "anonymous reads", hub), /^no \(401\)/);
    assert.equal(cell(t, "anonymous reads", quay), "yes, without a token");
    // Pages: Hub everything without n; ghcr 100; quay 50 whatever n.
    assert.match(cell(t, "default page", hub), /^all \(\d+ tags, no link\)$/);
    assert.equal(cell(t, "default page", ghcr), "100 tags, then a link");
    assert.equal(cell(t, "default page", quay), "50 tags, then a link");
    assert.equal(cell(t, "too-large n", quay), "clamped to 50, with a link");
    // Links: Hub relative last=<tag>&n=; ghcr n=0 when none was sent; quay opaque next_page, n first.
    assert.equal(cell(t, "pagination", hub), "Link relative, last=<tag>");
    // Wrapped cells lose the line breaks' positions: compare without spaces.
    assert.equal(cell(t, "example link", hub).replace(/\s/g, ""), 'n=1:</v2/library/ubuntu/tags/list?last=10.04&n=1>;rel="next"');
    assert.equal(cell(t, "link parameters", ghcr), "cursor first, n echoed, n=0 when none was sent");
    assert.equal(cell(t, "pagination", quay), "Link relative, opaque next_page=<fernet token>");
    assert.equal(cell(t, "link parameters", quay), "n first, n = the page size used");
    assert.equal(cell(t, "sorted", ghcr), "no");
    assert.equal(cell(t, "n=0", ghcr), "the default page (100 tags, a link)");
    assert.equal(cell(t, "_catalog", hub), "refused: 401 insufficient_scope");
    assert.match(cell(t, "requests", quay), /^\d+ in \d+ ms$/);
    assert.match(cell(t, "time per request", quay), /^ping 401 [\d.]+ ms; tags-anonymous 200 [\d.]+ ms; token 200/);
  });

  test("--json gives the same findings as data, with no token value", async () => {
    const result = await runCli(["probe", "--json", ...endpoints(), ...refs]);
    assert.equal(result.code, 0, result.stderr);
    const findings = JSON.parse(result.stdout) as ProbeFindings[];
    assert.deepEqual(findings.map((f) => f.registry), ["docker.io", "ghcr.io", "quay.io"]);
    assert.equal(findings[0]!.profile.tags?.paging.defaultPageSize, "all");
    assert.equal(findings[1]!.profile.tags?.link.n, "as-requested-or-zero");
    assert.deepEqual(findings[2]!.profile.tags?.paging.cursor, { kind: "opaque", param: "next_page", style: "fernet" });
    assert.doesNotMatch(result.stdout, /"token":\s*"/, "token values are never in the output");
  });

  test("rate-limit headers seen are reported; a registry without auth reads anonymously", async () => {
    const result = await runCli(["probe", "--endpoint", `stub.test=${stubUrl}`, "stub.test/team/app"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(cell(result.stdout, "rate-limit headers", 0), "ratelimit-limit: 100;w=21600; ratelimit-remaining: 76;w=21600; docker-ratelimit-source: 192.0.2.1");
    assert.equal(cell(result.stdout, "auth", 0), "none seen");
    assert.equal(cell(result.stdout, "_catalog", 0), "refused: 404 UNSUPPORTED");
  });

  test("a registry that cannot be reached: its column says why, the others are probed, exit 6", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runCli(["probe", "--endpoint", `gone.test=http://127.0.0.1:${port}`, "--endpoint", `stub.test=${stubUrl}`, "gone.test/a/b", "stub.test/team/app"]);
    assert.equal(result.code, 6, result.stderr);
    assert.match(cell(result.stdout, "endpoint", 0), /^failed: .*connection refused/);
    assert.equal(cell(result.stdout, "default page", 1), "all (3 tags, no link)");
  });

  test("usage: no reference is exit 2; --help explains the plan", async () => {
    const none = await runCli(["probe"]);
    assert.equal(none.code, 2);
    const help = await runCli(["probe", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /at most 13 per registry/);
  });
});
