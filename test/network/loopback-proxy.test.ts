/**
 * The proxy and trust layer against servers of this file's own on 127.0.0.1:
 * a tiny CONNECT / forward proxy on node:net (which alone maps the test name
 * registry.test to 127.0.0.1, so a listing of that name can only succeed
 * through it), a TLS registry signed by a CA made here with openssl, and one
 * that requires client certificates. The squid and real-registry tests are in
 * test/proxy/ (another suite); these pin the library's own behaviour and
 * messages. Every server is closed after the file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listTraced } from "../helpers/list-traced.js";
import { makeTestPki } from "../helpers/test-pki.js";
import { proxyConnectionHandler } from "../helpers/test-proxy.js";
import { NOWHERE, runCli } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "regtags-net-"));
const servers: { close(): unknown }[] = [];
const openSockets = new Set<Socket>();
let httpsPort = 0;
let httpPort = 0;
let mtlsPort = 0;

/** What the proxy saw: request lines and whether Proxy-Authorization came. */
const proxyLog: string[] = [];
let proxyUrl = "";
let authProxyUrl = "";
let deadProxyUrl = "";

function registryHandler(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  if (path === "/v2/team/app/tags/list") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "team/app", tags: ["1.0", "2.0"] }));
  else res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"nope"}]}');
}

/** A proxy on node:net: CONNECT tunnels and absolute-form forwarding, registry.test → 127.0.0.1, optional Basic auth. */
function startProxy(expectedAuth: string | undefined): Promise<number> {
  const server: Server = createNetServer(proxyConnectionHandler({ log: proxyLog, sockets: openSockets, ...(expectedAuth !== undefined ? { expectedAuth } : {}), refusedPorts: ["25"] }));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

before(async () => {
  await makeTestPki(dir);
  const tls = { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")) };
  const https = createHttpsServer(tls, registryHandler);
  const mtls = createHttpsServer({ ...tls, ca: readFileSync(join(dir, "ca.crt")), requestCert: true, rejectUnauthorized: true }, registryHandler);
  const http = createHttpServer(registryHandler);
  for (const server of [https, mtls, http]) servers.push(server);
  const listen = (server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }) =>
    new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  [httpsPort, mtlsPort, httpPort] = await Promise.all([listen(https), listen(mtls), listen(http)]);
  proxyUrl = `http://127.0.0.1:${await startProxy(undefined)}`;
  authProxyUrl = `127.0.0.1:${await startProxy("alice:s3cr@t")}`;
  // A port that was open and is closed again: connection refused.
  const dead = await startProxy(undefined);
  (servers.pop() as Server).close();
  deadProxyUrl = `http://127.0.0.1:${dead}`;
});

after(() => {
  for (const socket of openSockets) socket.destroy();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A certs.d root holding `files` under HOST:PORT/. */
function certsRoot(name: string, host: string, files: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(join(root, host), { recursive: true });
  for (const [file, from] of Object.entries(files)) copyFileSync(join(dir, from), join(root, host, file));
  return root;
}

const list = listTraced;

test("https through a CONNECT tunnel, the CA from HOST:PORT in a certs.d root", async () => {
  proxyLog.length = 0;
  const root = certsRoot("certs-a", `registry.test:${httpsPort}`, { "ca.crt": "ca.crt" });
  const run = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: proxyUrl }, certsDirectories: [root] });
  assert.deepEqual(run.tags, ["1.0", "2.0"], run.error?.message);
  assert.deepEqual(proxyLog, [`CONNECT registry.test:${httpsPort}`]);
  assert.ok(run.trace.includes(`route: https://registry.test:${httpsPort} via proxy ${proxyUrl} (HTTPS_PROXY)`), run.trace.join("\n"));
  assert.ok(run.trace.some((line) => line.startsWith(`trust: registry.test:${httpsPort}: `) && line.includes(join(root, `registry.test:${httpsPort}`, "ca.crt"))), run.trace.join("\n"));
});

test("without the CA: a TLS error naming the certs.d path, the certDir option and SSL_CERT_FILE before tlsVerify: false", async () => {
  const run = await list(`registry.test:${httpsPort}/team/app`, { env: { https_proxy: proxyUrl } });
  assert.equal(run.error?.code, "ERR_TLS");
  const message = run.error!.message;
  const order = [`/etc/containers/certs.d/registry.test:${httpsPort}/`, "the certDir option", "SSL_CERT_FILE", "the tlsVerify option set to false"].map((part) => message.indexOf(part));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), message);
});

test("SSL_CERT_FILE and --cert-dir (certDir) supply the CA", async () => {
  const viaFile = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: proxyUrl, SSL_CERT_FILE: join(dir, "ca.crt") } });
  assert.deepEqual(viaFile.tags, ["1.0", "2.0"], viaFile.error?.message);
  const certDir = join(certsRoot("cert-dir", "x", { "ca.crt": "ca.crt" }), "x");
  const viaDir = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: proxyUrl }, certDir });
  assert.deepEqual(viaDir.tags, ["1.0", "2.0"], viaDir.error?.message);
});

test("proxy credentials: none, wrong, right (percent-decoded); the password never shows", async () => {
  proxyLog.length = 0;
  const certDir = join(dir, "cert-dir", "x");
  const none = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: authProxyUrl }, certDir });
  assert.equal(none.error?.code, "ERR_PROXY");
  assert.match(none.error!.message, new RegExp(`proxy http://${authProxyUrl} requires proxy authentication \\(407\\)`));
  const wrong = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: `http://alice:wrongpass@${authProxyUrl}` }, certDir });
  assert.equal(wrong.error?.code, "ERR_PROXY");
  assert.match(wrong.error!.message, /rejected the credentials \(407/);
  assert.doesNotMatch(wrong.error!.message + wrong.trace.join("\n"), /wrongpass|alice/);
  const right = await list(`registry.test:${httpsPort}/team/app`, { proxy: `http://alice:s3cr%40t@${authProxyUrl}`, certDir });
  assert.deepEqual(right.tags, ["1.0", "2.0"], right.error?.message);
  assert.doesNotMatch(right.trace.join("\n"), /s3cr|alice/);
  assert.deepEqual(proxyLog, [`CONNECT registry.test:${httpsPort}`, `CONNECT registry.test:${httpsPort} (auth)`, `CONNECT registry.test:${httpsPort} (auth)`]);
});

test("CONNECT refused and an unreachable proxy: one line naming the proxy", async () => {
  const refused = await list("registry.test:25/team/app", { env: { HTTPS_PROXY: proxyUrl } });
  assert.equal(refused.error?.code, "ERR_PROXY");
  assert.match(refused.error!.message, new RegExp(`the proxy ${proxyUrl} refused CONNECT to registry\\.test:25 \\(403\\)`));
  const dead = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: `http://bob:hunter2@${deadProxyUrl.slice(7)}` } });
  assert.equal(dead.error?.code, "ERR_NETWORK");
  assert.match(dead.error!.message, new RegExp(`proxy ${deadProxyUrl} unreachable \\(connection refused\\)`));
  assert.doesNotMatch(dead.error!.message, /hunter2|bob/);
});

test("plain http through the proxy in absolute form, with Proxy-Authorization", async () => {
  proxyLog.length = 0;
  const run = await list(`registry.test:${httpPort}/team/app`, { plainHttp: true, env: { http_proxy: `http://alice:s3cr%40t@${authProxyUrl}` } });
  assert.deepEqual(run.tags, ["1.0", "2.0"], run.error?.message);
  assert.deepEqual(proxyLog, [`GET http://registry.test:${httpPort}/v2/team/app/tags/list?n=10000 (auth)`]);
  const refused = await list(`registry.test:${httpPort}/team/app`, { plainHttp: true, env: { HTTP_PROXY: authProxyUrl } });
  assert.equal(refused.error?.code, "ERR_PROXY");
  assert.match(refused.error!.message, /requires proxy authentication \(407\)/);
});

test("NO_PROXY bypasses the proxy (the name then does not resolve) and says which entry matched", async () => {
  proxyLog.length = 0;
  const run = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: "example.com,.test" } });
  assert.equal(run.error?.code, "ERR_NETWORK");
  assert.match(run.error!.message, /host not found/);
  assert.deepEqual(proxyLog, []);
  assert.ok(run.trace.includes(`route: https://registry.test:${httpsPort} direct (NO_PROXY entry .test)`), run.trace.join("\n"));
});

test("a registry that requires a client certificate: the message says so; NAME.cert + NAME.key in certs.d answer it", async () => {
  const host = `127.0.0.1:${mtlsPort}`;
  const withCa = certsRoot("mtls-ca-only", host, { "ca.crt": "ca.crt" });
  const missing = await list(`${host}/team/app`, { certsDirectories: [withCa] });
  assert.equal(missing.error?.code, "ERR_TLS", missing.error?.message);
  assert.match(missing.error!.message, /requires a client certificate/);
  assert.match(missing.error!.message, new RegExp(`/etc/containers/certs\\.d/127\\.0\\.0\\.1:${mtlsPort}/`));
  const root = certsRoot("mtls", host, { "ca.crt": "ca.crt", "client.cert": "client.cert", "client.key": "client.key" });
  // With a proxy configured: loopback still goes direct.
  const run = await list(`${host}/team/app`, { certsDirectories: [join(dir, "elsewhere"), root], env: { HTTPS_PROXY: proxyUrl } });
  assert.deepEqual(run.tags, ["1.0", "2.0"], run.error?.message);
  assert.ok(run.trace.some((line) => line.includes(`client certificate ${join(root, host, "client.cert")}`)), run.trace.join("\n"));
  assert.ok(run.trace.includes(`route: https://${host} direct (loopback)`), run.trace.join("\n"));
});

test("CLI: --debug shows the route and the trust, never the proxy password; exit 6 on a proxy failure", async () => {
  const certDir = join(certsRoot("cli-cert-dir", "x", { "ca.crt": "ca.crt" }), "x");
  const ok = await runCli(["ls", "--debug", "--cert-dir", certDir, `registry.test:${httpsPort}/team/app`], { env: { HTTPS_PROXY: `http://alice:s3cr%40t@${authProxyUrl}` } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "1.0\n2.0\n");
  assert.match(ok.stderr, new RegExp(`route: https://registry\\.test:${httpsPort} via proxy http://${authProxyUrl} \\(HTTPS_PROXY\\)`));
  assert.match(ok.stderr, new RegExp(`trust: registry\\.test:${httpsPort}: .*${join(certDir, "ca.crt")}`));
  assert.doesNotMatch(ok.stderr, /s3cr|alice/);
  const wrong = await runCli(["ls", "--debug", "--cert-dir", certDir, `registry.test:${httpsPort}/team/app`], { env: { HTTPS_PROXY: `http://alice:hunter2@${authProxyUrl}` } });
  assert.equal(wrong.code, 6, wrong.stderr);
  assert.match(wrong.stderr, /rejected the credentials \(407/);
  assert.doesNotMatch(wrong.stderr, /hunter2/);
});

test("CLI: --proxy and --no-proxy override the variables; the config file's keys work too; a bad --proxy is a usage error that does not echo it", async () => {
  proxyLog.length = 0;
  const certDir = join(dir, "cli-cert-dir", "x");
  const viaFlag = await runCli(["ls", "--proxy", proxyUrl, "--cert-dir", certDir, `registry.test:${httpsPort}/team/app`], { env: { HTTPS_PROXY: deadProxyUrl } });
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.deepEqual(proxyLog, [`CONNECT registry.test:${httpsPort}`]);
  const bypassed = await runCli(["ls", "--debug", "--retry-attempts", "1", "--no-proxy", "registry.test", `registry.test:${httpsPort}/team/app`], { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: "" } });
  assert.equal(bypassed.code, 6);
  assert.match(bypassed.stderr, /direct \(--no-proxy entry registry\.test\)/);
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ proxy: proxyUrl, certDir }));
  const viaConfig = await runCli(["ls", "--config", config, `registry.test:${httpsPort}/team/app`]);
  assert.equal(viaConfig.code, 0, viaConfig.stderr);
  const bad = await runCli(["ls", "--proxy", "socks5://bob:hunter2@proxy:1080", "registry.test/team/app"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--proxy: proxy scheme socks5 is not supported/);
  assert.doesNotMatch(bad.stderr, /hunter2/);
  const missing = await runCli(["ls", "--cert-dir", join(dir, "nope"), "registry.test/team/app"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--cert-dir .* is not a directory/);
});

test("CLI: auth which names the proxy (without credentials), the certificate directories and the client certificate", async () => {
  const host = `registry.test:${mtlsPort}`;
  const root = certsRoot("which", host, { "ca.crt": "ca.crt", "client.cert": "client.cert", "client.key": "client.key" });
  const certDir = join(root, host);
  const run = await runCli(["auth", "which", "--no-creds", "--cert-dir", certDir, `${host}/team/app`], { env: { HTTPS_PROXY: `http://alice:hunter2@${authProxyUrl}` } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`network: https://${host} via proxy http://${authProxyUrl} \\(HTTPS_PROXY\\)`));
  assert.match(run.stdout, new RegExp(`read +${certDir}/`));
  assert.match(run.stdout, new RegExp(`client certificate: ${join(certDir, "client.cert")} \\+ ${join(certDir, "client.key")}`));
  assert.doesNotMatch(run.stdout + run.stderr, /hunter2|alice/);
  const json = await runCli(["auth", "which", "--json", "--no-creds", "--no-proxy", "registry.test", `${host}/team/app`], { env: { HTTPS_PROXY: proxyUrl } });
  assert.equal(json.code, 0, json.stderr);
  const network = (JSON.parse(json.stdout) as { network: { route: string; certificateDirectories: { path: string }[] } }).network;
  assert.equal(network.route, "direct (--no-proxy entry registry.test)");
  assert.deepEqual(
    network.certificateDirectories.map((d) => d.path),
    ["/etc/containers/certs.d", `${NOWHERE}/.config/containers/certs.d`, "/etc/docker/certs.d"].map((r) => `${r}/${host}`),
  );
});

test("a proxy that accepts and never answers CONNECT, or answers with garbage: bounded by the connect timeout, one line", async () => {
  const silent = createNetServer((socket) => {
    openSockets.add(socket);
    socket.on("error", () => {});
  });
  const garbage = createNetServer((socket) => {
    openSockets.add(socket);
    socket.on("error", () => {});
    socket.write(Buffer.alloc(20 * 1024, 65));
  });
  servers.push(silent, garbage);
  const port = (server: Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  const [silentPort, garbagePort] = await Promise.all([port(silent), port(garbage)]);
  const hung = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: `127.0.0.1:${silentPort}` }, connectTimeoutMs: 300 });
  assert.equal(hung.error?.code, "ERR_NETWORK");
  assert.match(hung.error!.message, new RegExp(`no tunnel to registry\\.test:${httpsPort} through proxy http://127\\.0\\.0\\.1:${silentPort} within 300 ms`));
  const junk = await list(`registry.test:${httpsPort}/team/app`, { env: { HTTPS_PROXY: `127.0.0.1:${garbagePort}` } });
  assert.equal(junk.error?.code, "ERR_PROXY");
  assert.match(junk.error!.message, /sent an oversized answer to CONNECT/);
});
