/**
 * The real parts of the network tests check out on their own, with curl-free
 * Node and skopeo as clients: squid forwards and tunnels to names only it
 * resolves and logs them; its auth and CONNECT-refusing variants answer 407
 * and 403; the real registry serves TLS with the test CA and demands a client
 * certificate with `clientcas`; skopeo lists through squid with `--cert-dir`.
 * If these fail, the regtags tests beside them cannot be trusted.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect as tlsConnect } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { skopeoListTags } from "../helpers/skopeo.js";
import { parseSquidAccessLog, startSquid, type Squid } from "../helpers/squid.js";
import { createTestCa, type TestCa } from "../helpers/tls-ca.js";

/** One raw CONNECT through the proxy: resolves with the proxy's status line. */
function connectThrough(proxyPort: number, target: string, authorization?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port: proxyPort, method: "CONNECT", path: target, headers: { host: target, ...(authorization ? { "proxy-authorization": authorization } : {}) } });
    request.setTimeout(10_000, () => request.destroy(new Error("CONNECT timed out")));
    request.once("connect", (response, socket) => {
      socket.destroy();
      resolve(`${response.statusCode}`);
    });
    request.once("response", (response) => {
      response.resume();
      resolve(`${response.statusCode}`);
    });
    request.once("error", reject);
    request.end();
  });
}

test("parseSquidAccessLog reads squid's native format and skips partial lines", () => {
  const log = [
    "1796191811.197      1 127.0.0.1 TCP_TUNNEL/200 4321 CONNECT registry.test:5000 - HIER_DIRECT/127.0.0.1 -",
    "1796191811.300      2 127.0.0.1 TCP_MISS/200 120 GET http://registry.test:5000/v2/app/tags/list? alice HIER_DIRECT/127.0.0.1 application/json",
    "1796191811.400      0 127.0.0.1 TCP_DENIED/407 3900 CONNECT registry.test:5000 - HIER_NONE/- text/html",
    "garbage",
    "",
  ].join("\n");
  assert.deepEqual(parseSquidAccessLog(log), [
    { method: "CONNECT", url: "registry.test:5000", status: 200, result: "TCP_TUNNEL", user: "-" },
    { method: "GET", url: "http://registry.test:5000/v2/app/tags/list?", status: 200, result: "TCP_MISS", user: "alice" },
    { method: "CONNECT", url: "registry.test:5000", status: 407, result: "TCP_DENIED", user: "-" },
  ]);
});

describe("squid and the TLS registry", () => {
  let ca: TestCa;
  let registry: RealRegistry;
  let mtls: RealRegistry;
  let squid: Squid;
  let authSquid: Squid;
  let refusing: Squid;
  let certDir: string;

  before(async () => {
    ca = await createTestCa();
    [registry, mtls, squid, authSquid, refusing] = await Promise.all([
      startRealRegistry({ auth: "none", tls: { certificate: ca.serverCert, key: ca.serverKey, ca: ca.caCert } }),
      startRealRegistry({
        auth: "none",
        tls: { certificate: ca.serverCert, key: ca.serverKey, ca: ca.caCert, clientCas: [ca.caCert], client: { certificate: ca.clientCert, key: ca.clientKey } },
      }),
      startSquid(),
      startSquid({ users: { proxyuser: "proxy-secret" } }),
      startSquid({ refuseConnect: true }),
    ]);
    await registry.pushImage("team/app", "v1");
    await registry.addTags("team/app", ["v2", "v3"]);
    certDir = await mkdtemp(join(tmpdir(), "regtags-certdir-"));
    await ca.writeCertsDir(certDir, { ca: true });
  });
  after(async () => {
    await Promise.all([registry?.stop(), mtls?.stop(), squid?.stop(), authSquid?.stop(), refusing?.stop()]);
    await ca?.remove();
    if (certDir !== undefined) await rm(certDir, { recursive: true, force: true });
  });

  test("the registry serves https with the test CA's certificate for registry.test", async () => {
    const peer = await new Promise<{ names: string; issuer: string }>((resolve, reject) => {
      const socket = tlsConnect({ host: "127.0.0.1", port: registry.port, servername: "registry.test", ca: [readFileSync(ca.caCert)] }, () => {
        const cert = socket.getPeerCertificate();
        socket.destroy();
        resolve({ names: cert.subjectaltname ?? "", issuer: String(cert.issuer.CN) });
      });
      socket.once("error", reject);
    });
    assert.match(peer.names, /DNS:registry\.test/);
    assert.match(peer.names, /IP Address:127\.0\.0\.1/);
    assert.equal(peer.issuer, "test-ca");
  });

  test("with clientcas the registry refuses a client without a certificate and accepts the test client's", async () => {
    const get = (withCert: boolean): Promise<number> =>
      new Promise((resolve, reject) => {
        const request = httpsRequest(`${mtls.url}/v2/`, { ca: readFileSync(ca.caCert), ...(withCert ? { cert: readFileSync(ca.clientCert), key: readFileSync(ca.clientKey) } : {}) }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once("error", reject);
        request.end();
      });
    assert.equal(await get(true), 200);
    await assert.rejects(get(false), /certificate|handshake|socket hang up|ECONNRESET/i);
  });

  test("squid tunnels to registry.test, which only it resolves, and logs the CONNECT", async () => {
    const before = (await squid.entries()).length;
    assert.equal(await connectThrough(squid.port, `registry.test:${registry.port}`), "200");
    const logged = await squid.entriesSince(before);
    assert.deepEqual(logged.map((e) => `${e.method} ${e.url} ${e.status}`), [`CONNECT registry.test:${registry.port} 200`]);
  });

  test("the auth variant answers 407 without credentials and 200 with them", async () => {
    const target = `registry.test:${registry.port}`;
    assert.equal(await connectThrough(authSquid.port, target), "407");
    assert.equal(await connectThrough(authSquid.port, target, `Basic ${Buffer.from("proxyuser:wrong").toString("base64")}`), "407");
    assert.equal(await connectThrough(authSquid.port, target, `Basic ${Buffer.from("proxyuser:proxy-secret").toString("base64")}`), "200");
    const users = (await authSquid.entries()).filter((e) => e.method === "CONNECT").map((e) => `${e.status} ${e.user}`);
    assert.deepEqual(users, ["407 -", "407 proxyuser", "200 proxyuser"]);
  });

  test("the refusing variant answers CONNECT with 403", async () => {
    assert.equal(await connectThrough(refusing.port, `registry.test:${registry.port}`), "403");
  });

  test("skopeo lists registry.test through squid with --cert-dir (the cross-check's reference)", async () => {
    const before = (await squid.entries()).length;
    const listed = await skopeoListTags(`registry.test:${registry.port}`, "team/app", { certDir, env: { HTTPS_PROXY: squid.url, NO_PROXY: "" } });
    assert.deepEqual([...listed.Tags].sort(), ["v1", "v2", "v3"]);
    const logged = await squid.entriesSince(before);
    assert.ok(logged.some((e) => e.method === "CONNECT" && e.url === `registry.test:${registry.port}` && e.status === 200), await squid.rawLog());
  });
});
