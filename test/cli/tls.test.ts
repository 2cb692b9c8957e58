/**
 * TLS: a registry with a self-signed certificate (made with the openssl CLI)
 * fails with exit 6 and a hint, and lists with --tls-verify=false. A
 * loopback registry that does speak https is used over https, with no
 * fallback to http.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/run-cli.js";

let server: Server;
let host = "";
const requests: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "regtags-tls-"));

before(async () => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith("/v2/team/app/tags/list")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "team/app", tags: ["1.0", "2.0"] }));
    } else {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"nope"}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a self-signed certificate is a TLS error (exit 6) with the flag to use", async () => {
  const run = await runCli(["ls", `${host}/team/app`]);
  assert.equal(run.code, 6, run.stderr);
  assert.match(run.stderr, /^regtags: GET https:\/\/127\.0\.0\.1:\d+\/v2\/team\/app\/tags\/list: TLS failed \(.+\); .*--tls-verify=false/);
  assert.equal(run.stderr.trim().split("\n").length, 1);
});

test("--tls-verify=false lists over https (no http fallback needed)", async () => {
  requests.length = 0;
  const run = await runCli(["ls", "--tls-verify=false", `${host}/team/app`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "1.0\n2.0\n");
  assert.deepEqual(requests, ["GET /v2/team/app/tags/list?n=10000"]);
});
