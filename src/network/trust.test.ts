import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRegtagsError } from "../errors.js";
import { defaultCertsDirectories, hostCertDirectories, splitPem, TrustStore } from "./trust.js";

const dir = mkdtempSync(join(tmpdir(), "regtags-trust-"));
const ca = join(dir, "ca.crt");
const key = join(dir, "client.key");
const cert = join(dir, "client.cert");

before(() => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=trust test", "-keyout", key, "-out", ca], { stdio: "ignore" });
  copyFileSync(ca, cert);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A certs.d root with HOST/ holding copies of the named files. */
function root(name: string, host: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(join(path, host), { recursive: true });
  for (const [file, from] of Object.entries(files)) copyFileSync(from, join(path, host, file));
  return path;
}

/** NODE_EXTRA_CA_CERTS comes from this process's environment (as Node reads it): not the test's to set. */
function withoutNodeExtra(sources: readonly string[]): string[] {
  return sources.filter((source) => !source.endsWith("(NODE_EXTRA_CA_CERTS)"));
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isRegtagsError(error), String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail("expected a failure");
}

test("the per-host directories: the three certs.d roots by default, --cert-dir instead", () => {
  assert.deepEqual(defaultCertsDirectories({ HOME: "/home/u" }), ["/etc/containers/certs.d", "/home/u/.config/containers/certs.d", "/etc/docker/certs.d"]);
  assert.deepEqual(hostCertDirectories("reg.corp:5000", { env: { HOME: "/home/u" } }), [
    "/etc/containers/certs.d/reg.corp:5000",
    "/home/u/.config/containers/certs.d/reg.corp:5000",
    "/etc/docker/certs.d/reg.corp:5000",
  ]);
  assert.deepEqual(hostCertDirectories("reg.corp:5000", { env: {}, certDir: "/x", certsDirectories: ["/a"] }), ["/x"]);
  assert.deepEqual(hostCertDirectories("reg.corp", { env: {}, certsDirectories: ["/a", "/b"] }), ["/a/reg.corp", "/b/reg.corp"]);
});

test("sources in order: Node's roots, SSL_CERT_FILE (replacing the OS bundle), SSL_CERT_DIR, then every certs.d root's *.crt and the client pair", async () => {
  const certDirA = join(dir, "ssl-dir");
  mkdirSync(certDirA, { recursive: true });
  copyFileSync(ca, join(certDirA, "one.pem"));
  symlinkSync(join(certDirA, "one.pem"), join(certDirA, "abcd1234.0")); // a hash link: the same file, read once
  const first = root("first", "reg.corp:5000", { "ca.crt": ca });
  const second = root("second", "reg.corp:5000", { "extra.crt": ca, "client.cert": cert, "client.key": key, "README": ca });
  const store = new TrustStore({ env: { SSL_CERT_FILE: ca, SSL_CERT_DIR: `${certDirA}:${join(dir, "absent")}` }, certsDirectories: [first, join(dir, "none"), second] });
  const trust = await store.forHost("reg.corp:5000");
  assert.deepEqual(withoutNodeExtra(trust.sources), [
    "Node's bundled roots",
    `${ca} (SSL_CERT_FILE)`,
    `${certDirA}/ (SSL_CERT_DIR, 1 certificates)`, // one.pem, and its hash link read once
    join(first, "reg.corp:5000", "ca.crt"),
    join(second, "reg.corp:5000", "extra.crt"),
    `client certificate ${join(second, "reg.corp:5000", "client.cert")} + ${join(second, "reg.corp:5000", "client.key")}`,
  ]);
  assert.deepEqual(
    trust.directories.map((d) => d.exists),
    [true, false, true],
  );
  assert.equal(trust.hostSpecific, true);
  assert.deepEqual(trust.clientCertificate, { cert: join(second, "reg.corp:5000", "client.cert"), key: join(second, "reg.corp:5000", "client.key") });
  // Read once per host: the same promise's result.
  assert.equal(await store.forHost("reg.corp:5000"), trust);
});

test("without SSL_CERT_FILE the first OS bundle that exists is read; hosts with nothing of their own share one context", async () => {
  const store = new TrustStore({ env: {}, certsDirectories: [join(dir, "none")] });
  const a = await store.forHost("a.example");
  const b = await store.forHost("b.example:5000");
  assert.equal(a.hostSpecific, false);
  assert.equal(a.secureContext, b.secureContext);
  assert.ok(a.sources.some((source) => source.endsWith("(OS store)")) || a.sources.length === 1, a.sources.join(", "));
});

test("tlsVerify=false reads no CA, but client certificates still apply; tlsFor adds material", async () => {
  const pair = root("pair", "reg.corp", { "c.cert": cert, "c.key": key });
  const off = await new TrustStore({ env: { SSL_CERT_FILE: ca }, certsDirectories: [pair], verify: false }).forHost("reg.corp");
  assert.deepEqual(off.sources, ["certificate verification off (the tlsVerify option set to false)", `client certificate ${join(pair, "reg.corp", "c.cert")} + ${join(pair, "reg.corp", "c.key")}`]);
  const hooked = await new TrustStore({ env: {}, certsDirectories: [], tlsFor: (host) => (host === "reg.corp" ? { ca: [execFileSync("cat", [ca])] } : undefined) }).forHost("reg.corp");
  assert.equal(hooked.hostSpecific, true);
  assert.ok(hooked.sources.includes("tlsFor(reg.corp): 1 CA certificate(s)"));
});

test("a certificate without its key (or a key without its certificate) is an error naming both files, as containers/image has it", async () => {
  const lonelyCert = root("lonely-cert", "reg.corp", { "c.cert": cert });
  const e1 = await failure(new TrustStore({ env: {}, certsDirectories: [lonelyCert] }).forHost("reg.corp"));
  assert.equal(e1.code, "ERR_TLS");
  assert.match(e1.message, /client certificate .*c\.cert has no key .*c\.key/);
  const lonelyKey = root("lonely-key", "reg.corp", { "c.key": key });
  const e2 = await failure(new TrustStore({ env: {}, certsDirectories: [lonelyKey] }).forHost("reg.corp"));
  assert.match(e2.message, /client key .*c\.key has no certificate .*c\.cert/);
});

test("only regular files within the cap: a FIFO is skipped without blocking, /dev/zero and oversized files are refused", async () => {
  const odd = root("odd", "reg.corp", { "ca.crt": ca });
  execFileSync("mkfifo", [join(odd, "reg.corp", "pipe.crt")]);
  const fine = await new TrustStore({ env: {}, certsDirectories: [odd] }).forHost("reg.corp");
  assert.deepEqual(fine.sources.slice(-1), [join(odd, "reg.corp", "ca.crt")]);
  symlinkSync("/dev/zero", join(odd, "reg.corp", "zero.crt"));
  const zero = await failure(new TrustStore({ env: {}, certsDirectories: [odd] }).forHost("reg.corp"));
  assert.match(zero.message, /cannot read the CA certificate .*zero\.crt \(it is a character device, not a regular file\)/);
  const big = root("big", "reg.corp", {});
  writeFileSync(join(big, "reg.corp", "big.crt"), Buffer.alloc(1024 * 1024 + 1, 65));
  const oversized = await failure(new TrustStore({ env: {}, certsDirectories: [big] }).forHost("reg.corp"));
  assert.match(oversized.message, /big\.crt \(it is larger than 1 MiB, far more than such a file holds\)/);
  // SSL_CERT_FILE pointing at a device is skipped (a system setting, not the registry's own directory).
  const device = await new TrustStore({ env: { SSL_CERT_FILE: "/dev/zero" }, certsDirectories: [] }).forHost("x");
  assert.deepEqual(withoutNodeExtra(device.sources), ["Node's bundled roots"]);
});

test("splitPem finds every certificate block and nothing else", () => {
  const block = "-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----";
  assert.deepEqual(splitPem(`junk\n${block}\n# comment\n${block}\n-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----`), [block, block]);
  assert.deepEqual(splitPem("no certificates"), []);
});
