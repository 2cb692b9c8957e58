/**
 * Review findings on proxies and trust (issues 10 and 11), against servers of
 * this file's own on 127.0.0.1: a forward/CONNECT proxy on node:net (plain or
 * wrapped in TLS) that alone maps registry.test to 127.0.0.1 and can echo the
 * Proxy-Authorization it got, and TLS origins signed by a CA made here with
 * openssl that record whether the client presented a certificate. Every
 * server answers a bounded number of connections and is closed after the file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { createClient, createProber, isRegtagsError } from "../../src/index.js";
import { listTraced } from "../helpers/list-traced.js";
import { makeTestPki } from "../helpers/test-pki.js";
import { proxyConnectionHandler } from "../helpers/test-proxy.js";
import { runCli } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "regtags-proxy-trust-"));
const servers: { close(): unknown }[] = [];
const sockets = new Set<Socket>();
const PASSWORD = "S3cretProxyPw";
const MAX_CONNECTIONS = 200;

function track(socket: Socket): void {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => {});
}

function listen(server: Server | HttpsServer): Promise<number> {
  servers.push(server);
  server.maxConnections = MAX_CONNECTIONS;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

let tls: { key: Buffer; cert: Buffer; ca: Buffer };
/** certs.d-layout directory with the CA and a client certificate (client.cert + client.key). */
let certDir = "";
/** A certs.d-layout directory with a client certificate and no key. */
let lonelyCertDir = "";
let httpRegistryPort = 0;
let echoProxyPort = 0;
let tlsProxyPort = 0;
const tlsProxyLog: string[] = [];

/** Origins that ask for a client certificate without requiring one, and record whether one came. */
interface Origin {
  readonly host: string;
  readonly sawClientCertificate: boolean[];
}

async function startOrigin(handler: (req: IncomingMessage, res: ServerResponse, origin: Origin) => void, requireCertificate = false): Promise<Origin> {
  const seen: boolean[] = [];
  const origin = { host: "", sawClientCertificate: seen };
  const server = createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: requireCertificate }, (req, res) => {
    seen.push((req.socket as TLSSocket).getPeerCertificate().raw !== undefined);
    handler(req, res, origin);
  });
  server.on("connection", track);
  origin.host = `127.0.0.1:${await listen(server)}`;
  return origin;
}

before(async () => {
  await makeTestPki(dir);
  tls = { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")), ca: readFileSync(join(dir, "ca.crt")) };
  certDir = join(dir, "cert-dir");
  mkdirSync(certDir);
  for (const file of ["ca.crt", "client.cert", "client.key"]) copyFileSync(join(dir, file), join(certDir, file));
  lonelyCertDir = join(dir, "lonely");
  mkdirSync(lonelyCertDir);
  copyFileSync(join(dir, "client.cert"), join(lonelyCertDir, "client.cert"));

  const registry = createNetServer((socket) => {
    track(socket);
    socket.once("data", () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 35\r\n\r\n{"name":"team/app","tags":["1.0"]}\n'));
  });
  httpRegistryPort = await listen(registry);
  echoProxyPort = await listen(createNetServer(proxyConnectionHandler({ log: [], sockets, echoAuth: true })));
  // An https:// proxy: the same proxy behind TLS with a certificate from the test CA.
  tlsProxyPort = await listen(createTlsServer({ key: tls.key, cert: tls.cert }, proxyConnectionHandler({ log: tlsProxyLog, sockets })) as unknown as Server);
});

after(() => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

const list = listTraced;

test("a proxy that echoes Proxy-Authorization: the password is redacted in the message and --debug (--proxy, HTTP_PROXY, probe)", async () => {
  const basic = Buffer.from(`alice:${PASSWORD}`).toString("base64");
  const secrets = new RegExp(`${PASSWORD}|${basic}`);
  const viaFlag = await runCli(["ls", "registry.test:5000/app", "--plain-http", "--retry-attempts", "1", "--proxy", `http://alice:${PASSWORD}@127.0.0.1:${echoProxyPort}`, "--debug"]);
  assert.equal(viaFlag.code, 4, viaFlag.stderr);
  assert.match(viaFlag.stderr, /proxy saw Proxy-Authorization: Basic <redacted> \(<redacted>\)/);
  assert.doesNotMatch(viaFlag.stdout + viaFlag.stderr, secrets);
  const viaEnv = await runCli(["ls", "registry.test:5000/app", "--plain-http", "--retry-attempts", "1", "--debug"], { env: { HTTP_PROXY: `alice:${PASSWORD}@127.0.0.1:${echoProxyPort}` } });
  assert.equal(viaEnv.code, 4, viaEnv.stderr);
  assert.doesNotMatch(viaEnv.stdout + viaEnv.stderr, secrets);
  const probe = await runCli(["probe", "registry.test:5000/app", "--plain-http", "--json", "--debug"], { env: { http_proxy: `http://alice:${PASSWORD}@127.0.0.1:${echoProxyPort}` } });
  assert.equal(probe.code, 0, probe.stderr);
  assert.doesNotMatch(probe.stdout + probe.stderr, secrets);
});

test("proxy failures name the request (its URL names the registry and the repository), as other network errors do (CLI: exit 6)", async () => {
  const dead = createNetServer();
  const deadPort = await listen(dead);
  dead.close();
  const run = await runCli(["ls", "--retry-attempts", "1", "--proxy", `http://bob:hunter2@127.0.0.1:${deadPort}`, "registry.test:5000/team/app"]);
  assert.equal(run.code, 6, run.stderr);
  assert.equal(
    run.stderr,
    `regtags: GET https://registry.test:5000/v2/team/app/tags/list: proxy http://127.0.0.1:${deadPort} unreachable (connection refused); check the proxy setting (--proxy)\n`,
  );
  const invalid = await list("registry.test:5000/team/app", { env: { HTTPS_PROXY: "ftp://proxy.corp" } });
  assert.equal(invalid.error?.code, "ERR_PROXY");
  assert.match(invalid.error!.message, /^GET https:\/\/registry\.test:5000\/v2\/team\/app\/tags\/list: the proxy from HTTPS_PROXY cannot be used: proxy scheme ftp is not supported/);
});

test("auth which: exit 6 when a listing could not start, an existing --cert-dir reported as read, the contacted endpoint", async () => {
  const lonely = await runCli(["auth", "which", "--no-creds", "--cert-dir", lonelyCertDir, "registry.test:5000/team/app"]);
  assert.equal(lonely.code, 6, lonely.stderr);
  assert.match(lonely.stderr, /client certificate .*client\.cert has no key/);
  assert.match(lonely.stdout, new RegExp(`read +${lonelyCertDir}/`));
  const ls = await runCli(["ls", "--cert-dir", lonelyCertDir, "registry.test:5000/team/app"]);
  assert.equal(ls.code, 6, "ls fails the same way");
  const ftp = await runCli(["auth", "which", "--no-creds", "registry.test:5000/team/app"], { env: { HTTPS_PROXY: "ftp://x" } });
  assert.equal(ftp.code, 6, ftp.stderr);
  assert.match(ftp.stderr, /the proxy from HTTPS_PROXY cannot be used: proxy scheme ftp is not supported/);
  const hub = await runCli(["auth", "which", "--no-creds", "docker.io/library/alpine"]);
  assert.equal(hub.code, 0, hub.stderr);
  assert.match(hub.stdout, /^network: https:\/\/registry-1\.docker\.io direct/m);
  assert.match(hub.stdout, /\/etc\/containers\/certs\.d\/registry-1\.docker\.io\//);
  const mirror = await runCli(["auth", "which", "--no-creds", "--endpoint", "docker.io=https://mirror.corp:5000", "docker.io/library/alpine"]);
  assert.match(mirror.stdout, /^network: https:\/\/mirror\.corp:5000 direct/m);
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ endpoints: { "docker.io": "http://127.0.0.1:5000" } }));
  const plain = await runCli(["auth", "which", "--no-creds", "--config", config, "docker.io/library/alpine"]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^network: http:\/\/127\.0\.0\.1:5000 direct \(loopback\)\n {2}trust: none: plain http/m);
});

test("probe --debug shows the network lines (route, trust) and honours the same network keys as the client", async () => {
  const run = await runCli(["probe", "--debug", "--json", "--plain-http", `127.0.0.1:${httpRegistryPort}/team/app`], { env: { HTTPS_PROXY: "http://127.0.0.1:1" } });
  assert.match(run.stderr, new RegExp(`route: http://127\\.0\\.0\\.1:${httpRegistryPort} direct \\(loopback\\)`));
  const registry = await startOrigin((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"name":"team/app","tags":["1.0"]}'));
  const trace: string[] = [];
  const prober = createProber({ certDir, certsDirectories: [join(dir, "no-certs.d")], retry: { attempts: 1 }, onTrace: (event) => void (event.type === "network" && trace.push(event.message)) });
  try {
    const findings = await prober.probe(`${registry.host}/team/app`);
    assert.equal(findings.registry, registry.host);
  } finally {
    await prober.close();
  }
  assert.ok(trace.some((line) => line.startsWith(`trust: ${registry.host}: `) && line.includes(join(certDir, "ca.crt"))), trace.join("\n"));
  assert.ok(registry.sawClientCertificate.every(Boolean), "the probed registry gets --cert-dir's client certificate");
});

test("--cert-dir is for the registry at hand and its token realm: a redirect target never gets the client certificate", async () => {
  const cdn = await startOrigin((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"name":"team/app","tags":["1.0","2.0"]}'));
  const realm = await startOrigin((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"token":"opaque-token-1234"}'));
  const registry = await startOrigin((req, res) => {
    if (req.headers.authorization !== "Bearer opaque-token-1234") {
      res.writeHead(401, { "www-authenticate": `Bearer realm="https://${realm.host}/token",service="test"`, "content-type": "application/json" }).end('{"errors":[{"code":"UNAUTHORIZED","message":"token"}]}');
    } else {
      res.writeHead(307, { location: `https://${cdn.host}/tags` }).end();
    }
  }, true);
  // The CDN and realm are trusted through SSL_CERT_FILE: --cert-dir must not be what makes them work.
  const run = await list(`${registry.host}/team/app`, { certDir, env: { SSL_CERT_FILE: join(dir, "ca.crt") } });
  assert.deepEqual(run.tags, ["1.0", "2.0"], run.error?.message);
  assert.ok(registry.sawClientCertificate.length > 0 && registry.sawClientCertificate.every(Boolean), "the registry (mTLS) got it");
  assert.deepEqual(realm.sawClientCertificate, [true], "its token realm got it");
  assert.deepEqual(cdn.sawClientCertificate, [false], "the redirect target did not");
  assert.ok(run.trace.some((line) => line.startsWith(`trust: ${cdn.host}: `) && !line.includes("client certificate")), run.trace.join("\n"));
});

test("an https:// proxy is verified with the registries' trust (SSL_CERT_FILE) or not at all with tlsVerify=false", async () => {
  tlsProxyLog.length = 0;
  const proxy = `https://127.0.0.1:${tlsProxyPort}`;
  const trusted = await list(`registry.test:${httpRegistryPort}/team/app`, { plainHttp: true, proxy, env: { SSL_CERT_FILE: join(dir, "ca.crt") } });
  assert.deepEqual(trusted.tags, ["1.0"], trusted.error?.message);
  assert.ok(trusted.trace.some((line) => line.startsWith(`trust: 127.0.0.1:${tlsProxyPort}: `) && line.includes("SSL_CERT_FILE")), trusted.trace.join("\n"));
  const unverified = await list(`registry.test:${httpRegistryPort}/team/app`, { plainHttp: true, proxy, tlsVerify: false, env: {} });
  assert.deepEqual(unverified.tags, ["1.0"], unverified.error?.message);
  const untrusted = await list(`registry.test:${httpRegistryPort}/team/app`, { plainHttp: true, proxy, env: {} });
  assert.equal(untrusted.error?.code, "ERR_TLS", untrusted.error?.message);
  assert.match(untrusted.error!.message, new RegExp(`the https proxy https://127\\.0\\.0\\.1:${tlsProxyPort} could not be verified \\([A-Z_]+\\); trust its CA as a registry's: SSL_CERT_FILE`));
  assert.equal(tlsProxyLog.length, 2);
});

test("nothing extra configured: Node's default context, and the OS store is tried once per host only when Node's roots do not verify", async () => {
  let handshakes = 0;
  const registry = await startOrigin((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"name":"team/app","tags":["1.0"]}'));
  // Count connections: the retry with the OS store is one more, and only once per host.
  (servers.at(-1) as HttpsServer).on("connection", () => handshakes++);
  const trace: string[] = [];
  const client = createClient({ retry: { attempts: 1 }, certsDirectories: [join(dir, "no-certs.d")], env: {}, onTrace: (event) => void (event.type === "network" && trace.push(event.message)) });
  try {
    for (let run = 0; run < 2; run++) {
      await assert.rejects(client.listTags(`${registry.host}/team/app`), (error: unknown) => isRegtagsError(error) && error.code === "ERR_TLS" && /certs\.d\/127\.0\.0\.1:\d+\//.test(error.message));
    }
  } finally {
    await client.close();
  }
  assert.deepEqual(trace.filter((line) => line.startsWith("trust: ")).slice(0, 1), [
    `trust: ${registry.host}: Node's default roots (nothing else configured for it; the OS store is added if they do not verify it)`,
  ]);
  assert.match(trace.filter((line) => line.startsWith("trust: "))[1] ?? "", new RegExp(`^trust: ${registry.host}: Node's roots did not verify it \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\\); retrying with the OS store$`));
  assert.ok(trace.some((line) => line.startsWith(`trust: ${registry.host}: Node's bundled roots`)), trace.join("\n"));
  assert.equal(handshakes, 3, "one with Node's roots, then one per listing with the OS store");
});
