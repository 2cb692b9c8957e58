/**
 * Private CAs and client certificates, end to end: the real registry serves
 * TLS with a certificate from a CA the tests made with openssl (once also
 * demanding client certificates, `http.tls.clientcas`), and the CLI reaches
 * it as `registry.test:PORT` through a real squid. Every trust source the
 * issue names is tried alone: --cert-dir, each containers-certs.d location
 * ($HOME/.config/containers/certs.d, /etc/containers/certs.d,
 * /etc/docker/certs.d), SSL_CERT_FILE, SSL_CERT_DIR and NODE_EXTRA_CA_CERTS;
 * and the TLS and client-certificate errors. skopeo lists the mTLS registry
 * on the same setup.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { access, constants, copyFile, mkdir, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RealRegistry } from "../helpers/real-registry.js";
import { runCli } from "../helpers/run-cli.js";
import { skopeoListTags } from "../helpers/skopeo.js";
import { startSquid, type Squid } from "../helpers/squid.js";
import { createTestCa, type TestCa } from "../helpers/tls-ca.js";
import { describeEntries, REPOSITORY, sortedLines, startTlsRegistry, TAGS, tempDir } from "./fixture.js";

let ca: TestCa;
let registry: RealRegistry;
let mtlsRegistry: RealRegistry;
let squid: Squid;
let work: { path: string; remove: () => Promise<void> };
/** System-wide certs.d directories this file created; removed in `after` whatever happens. */
const systemDirs = new Set<string>();
/** Parent directories (e.g. /etc/docker/certs.d) that did not exist before: removed in `after` if left empty. */
const createdRoots: string[] = [];

before(async () => {
  ca = await createTestCa();
  [registry, mtlsRegistry, squid, work] = await Promise.all([
    startTlsRegistry(ca),
    startTlsRegistry(ca, { requireClientCertificate: true }),
    startSquid(),
    tempDir("trust-test"),
  ]);
});
after(async () => {
  for (const dir of systemDirs) await rm(dir, { recursive: true, force: true });
  // Deepest first; rmdir leaves a directory that something else has filled meanwhile.
  for (const root of createdRoots.reverse()) await rmdir(root).catch(() => {});
  await Promise.all([registry?.stop(), mtlsRegistry?.stop(), squid?.stop(), work?.remove(), ca?.remove()]);
});

const hostOf = (r: RealRegistry): string => `registry.test:${r.port}`;
const refOf = (r: RealRegistry): string => `${hostOf(r)}/${REPOSITORY}`;
let dirCount = 0;
/** A fresh certs.d-style directory in this file's temp dir. */
async function certsDir(contents: { ca?: boolean; client?: boolean }): Promise<string> {
  const dir = join(work.path, `certs-${++dirCount}`);
  await ca.writeCertsDir(dir, contents);
  return dir;
}

/** Lists `r` through squid with `args` and `env`; asserts success, the tags and that squid tunnelled it. */
async function assertListsThroughProxy(r: RealRegistry, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  const before = (await squid.entries()).length;
  const run = await runCli(["ls", ...args, refOf(r)], { env: { HTTPS_PROXY: squid.url, ...env } });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
  const entries = describeEntries(await squid.entriesSince(before));
  assert.ok(entries.length > 0, "squid logged nothing");
  for (const entry of entries) assert.equal(entry, `CONNECT ${hostOf(r)} 200`, entries.join(" | "));
}

/**
 * Makes a system-wide certs.d directory for `registry.test:PORT` (root in CI).
 * Fails loudly when it cannot: these locations are part of what is tested.
 */
async function systemCertsDir(root: string, host: string): Promise<string> {
  const dir = join(root, host);
  try {
    const firstCreated = await mkdir(root, { recursive: true });
    if (firstCreated !== undefined) {
      for (let dir = root; dir.length >= firstCreated.length; dir = dirname(dir)) createdRoots.unshift(dir);
    }
    await access(root, constants.W_OK);
  } catch (error) {
    throw new Error(`${root} is not writable (${(error as NodeJS.ErrnoException).code}): this test needs to place a CA there, as root does in CI`);
  }
  systemDirs.add(dir);
  await ca.writeCertsDir(dir, { ca: true });
  return dir;
}

describe("trusting the registry's private CA", () => {
  test("no trust configured: exit 6, one line naming the certs.d path for HOST:PORT, --cert-dir and SSL_CERT_FILE, with --tls-verify=false last", async () => {
    const run = await runCli(["ls", refOf(registry)], { env: { HTTPS_PROXY: squid.url } });
    assert.equal(run.code, 6, run.stderr);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    const line = run.stderr;
    assert.ok(line.includes(`certs.d/${hostOf(registry)}`), line);
    const positions = ["--cert-dir", "SSL_CERT_FILE", "--tls-verify=false"].map((hint) => line.indexOf(hint));
    assert.ok(positions.every((p) => p >= 0), line);
    assert.ok(positions[2]! > positions[0]! && positions[2]! > positions[1]! && positions[2]! > line.indexOf(`certs.d/${hostOf(registry)}`), `--tls-verify=false must come last: ${line}`);
  });

  test("--cert-dir with another CA's certificate still fails (exit 6): trust is not switched off", async () => {
    const dir = join(work.path, "other-ca");
    await mkdir(dir, { recursive: true });
    await copyFile(ca.otherCaCert, join(dir, "ca.crt"));
    const run = await runCli(["ls", "--cert-dir", dir, refOf(registry)], { env: { HTTPS_PROXY: squid.url } });
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /--cert-dir/);
  });

  test("--cert-dir DIR with ca.crt", async () => {
    await assertListsThroughProxy(registry, ["--cert-dir", await certsDir({ ca: true })]);
  });

  test("$HOME/.config/containers/certs.d/HOST:PORT/ca.crt", async () => {
    const home = join(work.path, "home");
    await ca.writeCertsDir(join(home, ".config", "containers", "certs.d", hostOf(registry)), { ca: true });
    await assertListsThroughProxy(registry, [], { HOME: home });
  });

  for (const root of ["/etc/containers/certs.d", "/etc/docker/certs.d"]) {
    test(`${root}/HOST:PORT/ca.crt`, async () => {
      const dir = await systemCertsDir(root, hostOf(registry));
      try {
        await assertListsThroughProxy(registry, []);
      } finally {
        await rm(dir, { recursive: true, force: true });
        systemDirs.delete(dir);
      }
    });
  }

  test("SSL_CERT_FILE naming the CA file", async () => {
    await assertListsThroughProxy(registry, [], { SSL_CERT_FILE: ca.caCert });
  });

  test("SSL_CERT_DIR naming a directory that holds the CA", async () => {
    const dir = join(work.path, "ssl-cert-dir");
    await mkdir(dir, { recursive: true });
    await copyFile(ca.caCert, join(dir, "test-ca.pem"));
    await assertListsThroughProxy(registry, [], { SSL_CERT_DIR: dir });
  });

  test("NODE_EXTRA_CA_CERTS keeps working", async () => {
    await assertListsThroughProxy(registry, [], { NODE_EXTRA_CA_CERTS: ca.caCert });
  });

  test("--debug names the trust sources that applied (files, not contents)", async () => {
    const dir = await certsDir({ ca: true });
    const run = await runCli(["ls", "--debug", "--cert-dir", dir, refOf(registry)], { env: { HTTPS_PROXY: squid.url } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`trust:.*${join(dir, "ca.crt").replace(/[.]/g, "\\.")}`));
    assert.ok(!run.stderr.includes("BEGIN CERTIFICATE"), "certificate contents printed");
  });
});

describe("client certificates (mTLS)", () => {
  test("--cert-dir with ca.crt and client.cert + client.key lists the registry that demands a client certificate", async () => {
    await assertListsThroughProxy(mtlsRegistry, ["--cert-dir", await certsDir({ ca: true, client: true })]);
  });

  test("the client certificate from $HOME/.config/containers/certs.d/HOST:PORT/", async () => {
    const home = join(work.path, "home-mtls");
    await ca.writeCertsDir(join(home, ".config", "containers", "certs.d", hostOf(mtlsRegistry)), { ca: true, client: true });
    await assertListsThroughProxy(mtlsRegistry, [], { HOME: home });
  });

  test("without a client certificate: exit 6, one line saying the registry wants a client certificate", async () => {
    const run = await runCli(["ls", "--cert-dir", await certsDir({ ca: true }), refOf(mtlsRegistry)], { env: { HTTPS_PROXY: squid.url } });
    assert.equal(run.code, 6, run.stderr);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /client certificate/);
    assert.ok(run.stderr.includes(hostOf(mtlsRegistry)), run.stderr);
  });

  test("skopeo (list-tags --cert-dir, HTTPS_PROXY) lists the same tags as regtags on the mTLS registry", async () => {
    const dir = await certsDir({ ca: true, client: true });
    const [skopeo, regtags] = await Promise.all([
      skopeoListTags(hostOf(mtlsRegistry), REPOSITORY, { certDir: dir, env: { HTTPS_PROXY: squid.url, NO_PROXY: "", no_proxy: "" } }),
      runCli(["ls", "--cert-dir", dir, refOf(mtlsRegistry)], { env: { HTTPS_PROXY: squid.url } }),
    ]);
    assert.equal(regtags.code, 0, regtags.stderr);
    assert.deepEqual([...skopeo.Tags].sort(), [...TAGS]);
    assert.deepEqual(sortedLines(regtags.stdout), [...skopeo.Tags].sort());
  });
});
