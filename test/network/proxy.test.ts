/**
 * Proxies, end to end: the built CLI lists a real distribution registry
 * through a real squid. The registry is addressed as `registry.test:PORT`, a
 * name only squid resolves (its hosts_file), so a listing can only succeed
 * through the proxy, and squid's access log says which requests went through
 * it. Covers HTTPS_PROXY/https_proxy/ALL_PROXY/HTTP_PROXY, --proxy and the
 * config key (ls, catalog, latest, probe), the token realm and a vendor API
 * through the proxy, NO_PROXY and --no-proxy, Basic proxy credentials right
 * and wrong, an unreachable proxy, a refused CONNECT, --debug (route shown,
 * password never), `auth which`, and skopeo on the same setup.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { findFreePort } from "../helpers/free-port.js";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { runCli } from "../helpers/run-cli.js";
import { skopeoListTags } from "../helpers/skopeo.js";
import { startSquid, type Squid } from "../helpers/squid.js";
import { createTestCa, type TestCa } from "../helpers/tls-ca.js";
import { describeEntries, PROXY_PASSWORD, PROXY_USER, REPOSITORY, sortedLines, startTlsRegistry, TAGS, tempDir } from "./fixture.js";

let ca: TestCa;
let tlsRegistry: RealRegistry;
let plainRegistry: RealRegistry;
let squid: Squid;
let authSquid: Squid;
let refusingSquid: Squid;
/** Token auth, its realm at `http://registry.test:TOKENPORT/token`: only squid can reach it too. */
let tokenRegistry: RealRegistry;
/** Emulated Docker Hub (registry and tags API on one port), for the vendor API through the proxy. */
let emulator: Emulator;
let work: { path: string; remove: () => Promise<void> };
/** A containers-certs.d directory with the test CA (`--cert-dir`; skopeo uses it too). */
let certDir = "";
/** `registry.test:PORT/team/app` on the TLS registry. */
let tlsRef = "";
/** `registry.test:PORT/team/app` on the plain-http registry. */
let plainRef = "";

before(async () => {
  ca = await createTestCa();
  [tlsRegistry, plainRegistry, squid, authSquid, refusingSquid, work] = await Promise.all([
    startTlsRegistry(ca),
    startRealRegistry({ auth: "none" }),
    startSquid(),
    startSquid({ users: { [PROXY_USER]: PROXY_PASSWORD } }),
    startSquid({ refuseConnect: true }),
    tempDir("proxy-test"),
  ]);
  emulator = await startEmulator({ profiles: ["dockerhub"] });
  await plainRegistry.pushImage(REPOSITORY, TAGS[0]);
  await plainRegistry.addTags(REPOSITORY, TAGS.slice(1));
  tokenRegistry = await startTlsRegistry(ca, { auth: "token", tokenRealmHost: "registry.test", pushEnv: { HTTP_PROXY: squid.url, NO_PROXY: "", no_proxy: "" } });
  certDir = join(work.path, "certs");
  await ca.writeCertsDir(certDir, { ca: true });
  tlsRef = `registry.test:${tlsRegistry.port}/${REPOSITORY}`;
  plainRef = `registry.test:${plainRegistry.port}/${REPOSITORY}`;
});
after(async () => {
  await Promise.all([emulator?.close(), tlsRegistry?.stop(), plainRegistry?.stop(), tokenRegistry?.stop(), squid?.stop(), authSquid?.stop(), refusingSquid?.stop(), work?.remove(), ca?.remove()]);
});

/** For runs expected to fail with "host not found": it is retried like any connection failure, so one attempt keeps them quick. */
const ONE_ATTEMPT = ["--retry-attempts", "1"] as const;

/**
 * How the proxy tests trust the registry's CA: SSL_CERT_FILE, so that they
 * test the proxy alone (trust.test.ts tries every trust source).
 */
function trusted(env: Record<string, string> = {}): { env: Record<string, string> } {
  return { env: { SSL_CERT_FILE: ca.caCert, ...env } };
}

/** Runs `fn` and returns what the proxy logged meanwhile. */
async function logged<T>(proxy: Squid, fn: () => Promise<T>): Promise<{ result: T; entries: string[] }> {
  const before = (await proxy.entries()).length;
  const result = await fn();
  return { result, entries: describeEntries(await proxy.entriesSince(before)) };
}

/** Every entry is a successful CONNECT to `target`, and there is at least one. */
function assertTunnelledOnly(entries: readonly string[], target: string): void {
  assert.ok(entries.length > 0, "squid logged no request");
  for (const entry of entries) assert.equal(entry, `CONNECT ${target} 200`, `squid log: ${entries.join(" | ")}`);
}

function assertOneLine(stderr: string): void {
  assert.equal(stderr.trim().split("\n").length, 1, `one line expected, got: ${stderr}`);
}

describe("https through the proxy", () => {
  test("without a proxy, registry.test does not resolve: the proxy-only name is a real test", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", ...ONE_ATTEMPT, tlsRef], trusted()));
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /host not found|ENOTFOUND|EAI_AGAIN/);
    assert.deepEqual(entries, []);
  });

  test("HTTPS_PROXY: the listing tunnels through squid (CONNECT registry.test:PORT) and verifies TLS with --cert-dir", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--cert-dir", certDir, tlsRef], { env: { HTTPS_PROXY: squid.url } }));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
  });

  test("https_proxy (lowercase) works the same", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", tlsRef], trusted({ https_proxy: squid.url })));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
  });

  test("ALL_PROXY is the fallback for https targets", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", tlsRef], trusted({ ALL_PROXY: squid.url })));
    assert.equal(run.code, 0, run.stderr);
    assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
  });

  test("HTTP_PROXY alone does not apply to an https registry (Go/curl semantics)", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", ...ONE_ATTEMPT, tlsRef], trusted({ HTTP_PROXY: squid.url })));
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /host not found|ENOTFOUND|EAI_AGAIN/);
    assert.deepEqual(entries, []);
  });

  test("--proxy URL works without any variable and overrides HTTPS_PROXY", async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--proxy", squid.url, tlsRef], trusted({ HTTPS_PROXY: dead })));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
  });

  test('the config file\'s "proxy" and "certDir" keys do the same as the flags', async () => {
    const configPath = join(work.path, "config.json");
    await writeFile(configPath, JSON.stringify({ proxy: squid.url, certDir }));
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--config", configPath, tlsRef]));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
  });

  test("catalog, latest and probe take --proxy and --cert-dir too, and go through squid", async () => {
    await tlsRegistry.pushImage("team/versions", "1.0.0");
    await tlsRegistry.addTags("team/versions", ["1.2.0", "1.10.0"]);
    const host = `registry.test:${tlsRegistry.port}`;
    const flags = ["--proxy", squid.url, "--cert-dir", certDir];
    const { result: runs, entries } = await logged(squid, () =>
      Promise.all([runCli(["catalog", ...flags, host]), runCli(["latest", ...flags, `${host}/team/versions`]), runCli(["probe", ...flags, tlsRef])]),
    );
    const [catalog, latest, probe] = runs;
    assert.equal(catalog.code, 0, catalog.stderr);
    assert.deepEqual(sortedLines(catalog.stdout), [REPOSITORY, "team/versions"]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.equal(latest.stdout, "1.10.0\n");
    assert.equal(probe.code, 0, probe.stderr);
    assert.match(probe.stdout, new RegExp(`endpoint\\s+https://${host.replace(".", "\\.")}`));
    assertTunnelledOnly(entries, host);
    assert.ok(entries.length >= 3, entries.join(" | "));
  });

  test("the token realm goes through the proxy too: GET http://registry.test:TOKENPORT/token in absolute form, the registry through CONNECT", async () => {
    const ref = `registry.test:${tokenRegistry.port}/${REPOSITORY}`;
    const { result: run, entries } = await logged(squid, () => runCli(["ls", ref], trusted({ HTTPS_PROXY: squid.url, HTTP_PROXY: squid.url })));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    const realm = new URL(tokenRegistry.tokenServer!.realm);
    assert.ok(entries.some((e) => e.startsWith(`GET http://registry.test:${realm.port}/token?`) && e.endsWith(" 200")), entries.join(" | "));
    assert.ok(entries.includes(`CONNECT registry.test:${tokenRegistry.port} 200`), entries.join(" | "));
  });

  test("skopeo (list-tags --cert-dir, HTTPS_PROXY) lists the same tags as regtags on the same setup", async () => {
    const env = { HTTPS_PROXY: squid.url };
    const [skopeo, regtags] = await Promise.all([
      skopeoListTags(`registry.test:${tlsRegistry.port}`, REPOSITORY, { certDir, env: { ...env, NO_PROXY: "", no_proxy: "" } }),
      runCli(["ls", "--cert-dir", certDir, tlsRef], { env }),
    ]);
    assert.equal(regtags.code, 0, regtags.stderr);
    assert.deepEqual(sortedLines(regtags.stdout), [...skopeo.Tags].sort());
    assert.deepEqual([...skopeo.Tags].sort(), [...TAGS]);
  });
});

describe("NO_PROXY bypasses the proxy", () => {
  for (const noProxy of ["registry.test", ".test", "*", "example.com,registry.test"]) {
    test(`NO_PROXY=${noProxy}: regtags goes direct, so registry.test does not resolve, and squid logs nothing`, async () => {
      const { result: run, entries } = await logged(squid, () => runCli(["ls", ...ONE_ATTEMPT, tlsRef], trusted({ HTTPS_PROXY: squid.url, NO_PROXY: noProxy })));
      assert.equal(run.code, 6, run.stderr);
      assert.match(run.stderr, /host not found|ENOTFOUND|EAI_AGAIN/);
      assert.deepEqual(entries, []);
    });
  }

  test("no_proxy (lowercase) and --no-proxy bypass it too", async () => {
    for (const extra of [{ env: { no_proxy: "registry.test" }, args: [] }, { env: {}, args: ["--no-proxy", "registry.test"] }]) {
      const { result: run, entries } = await logged(squid, () => runCli(["ls", ...ONE_ATTEMPT, ...extra.args, tlsRef], trusted({ HTTPS_PROXY: squid.url, ...extra.env })));
      assert.equal(run.code, 6, run.stderr);
      assert.deepEqual(entries, []);
    }
  });

  test("an entry for another port or another domain does not match: the listing still goes through squid", async () => {
    for (const noProxy of [`registry.test:${tlsRegistry.port + 1}`, "other.test", "test.registry.test"]) {
      const { result: run, entries } = await logged(squid, () => runCli(["ls", tlsRef], trusted({ HTTPS_PROXY: squid.url, NO_PROXY: noProxy })));
      assert.equal(run.code, 0, `NO_PROXY=${noProxy}: ${run.stderr}`);
      assertTunnelledOnly(entries, `registry.test:${tlsRegistry.port}`);
    }
  });

  test("a name the client can resolve: 0.0.0.0:PORT goes through squid without NO_PROXY, and direct (squid silent, --debug naming the entry) with NO_PROXY=0.0.0.0 or a CIDR", async () => {
    // 0.0.0.0 reaches this machine's listeners on Linux but is not a loopback
    // address, so no rule but NO_PROXY keeps it from the proxy (Go's httpproxy).
    const ref = `0.0.0.0:${plainRegistry.port}/${REPOSITORY}`;
    const proxied = await logged(squid, () => runCli(["ls", "--plain-http", ref], { env: { HTTP_PROXY: squid.url } }));
    assert.equal(proxied.result.code, 0, proxied.result.stderr);
    assert.ok(proxied.entries.length > 0 && proxied.entries.every((e) => e.startsWith(`GET http://0.0.0.0:${plainRegistry.port}/v2/`)), proxied.entries.join(" | "));
    for (const noProxy of ["0.0.0.0", "0.0.0.0/8"]) {
      const direct = await logged(squid, () => runCli(["ls", "--debug", "--plain-http", ref], { env: { HTTP_PROXY: squid.url, NO_PROXY: noProxy } }));
      assert.equal(direct.result.code, 0, `NO_PROXY=${noProxy}: ${direct.result.stderr}`);
      assert.deepEqual(sortedLines(direct.result.stdout), [...TAGS]);
      assert.deepEqual(direct.entries, [], `NO_PROXY=${noProxy}`);
      // --debug says the request went direct and which entry matched.
      assert.ok(direct.result.stderr.includes(`direct (NO_PROXY entry ${noProxy})`), direct.result.stderr);
    }
  });

  test("loopback is never proxied: 127.0.0.1:PORT lists directly with HTTPS_PROXY set, and --debug says why", async () => {
    const ref = `127.0.0.1:${tlsRegistry.port}/${REPOSITORY}`;
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--debug", ref], trusted({ HTTPS_PROXY: squid.url })));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assert.deepEqual(entries, []);
    assert.match(run.stderr, /direct.*loopback/);
  });
});

describe("plain http through HTTP_PROXY", () => {
  test("an http registry is fetched in absolute form (GET http://registry.test:PORT/v2/...)", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--plain-http", plainRef], { env: { HTTP_PROXY: squid.url } }));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    assert.ok(entries.includes(`GET http://registry.test:${plainRegistry.port}/v2/${REPOSITORY}/tags/list?n=10000 200`), entries.join(" | "));
    for (const entry of entries) assert.match(entry, new RegExp(`^GET http://registry\\.test:${plainRegistry.port}/v2/`));
  });

  test("http_proxy (lowercase) works the same", async () => {
    const { result: run, entries } = await logged(squid, () => runCli(["ls", "--plain-http", plainRef], { env: { http_proxy: squid.url } }));
    assert.equal(run.code, 0, run.stderr);
    assert.ok(entries.some((e) => e.startsWith(`GET http://registry.test:${plainRegistry.port}/v2/${REPOSITORY}/tags/list`)), entries.join(" | "));
  });

  test("a vendor API goes through the proxy too: --details asks Docker Hub's tags API at registry.test in absolute form", async () => {
    const hub = `http://registry.test:${new URL(emulator.get("dockerhub").url).port}`;
    const args = ["ls", "--details", "--endpoint", `docker.io=${hub}`, "--endpoint", `hub.docker.com=${hub}`, "ubuntu"];
    const { result: run, entries } = await logged(squid, () => runCli(args, { env: { HTTP_PROXY: squid.url } }));
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stderr.includes("warning"), run.stderr);
    assert.ok(entries.some((e) => e.startsWith(`GET ${hub}/v2/namespaces/library/repositories/ubuntu/tags`) && e.endsWith(" 200")), entries.join(" | "));
    assert.ok(entries.some((e) => e.startsWith(`GET ${hub}/v2/library/ubuntu/tags/list`)), entries.join(" | "));
  });
});

describe("proxy credentials", () => {
  test("right credentials in the proxy URL: the listing succeeds and squid logs the proxy user", async () => {
    const before = (await authSquid.entries()).length;
    const run = await runCli(["ls", tlsRef], trusted({ HTTPS_PROXY: authSquid.urlWithCredentials(PROXY_USER, PROXY_PASSWORD) }));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sortedLines(run.stdout), [...TAGS]);
    const entries = await authSquid.entriesSince(before);
    const ok = entries.filter((e) => e.method === "CONNECT" && e.status === 200);
    assert.ok(ok.length > 0 && ok.every((e) => e.user === PROXY_USER), describeEntries(entries).join(" | "));
  });

  test("a wrong password: exit 6, one line naming the proxy (no credentials) and 407, password never shown", async () => {
    const run = await runCli(["ls", tlsRef], trusted({ HTTPS_PROXY: authSquid.urlWithCredentials(PROXY_USER, "wrong-password-xyz") }));
    assert.equal(run.code, 6, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /proxy/i);
    assert.match(run.stderr, /407|proxy authentication/i);
    assert.ok(run.stderr.includes(authSquid.url), run.stderr);
    assert.ok(!run.stderr.includes("wrong-password-xyz") && !run.stderr.includes(`${PROXY_USER}:`), run.stderr);
  });

  test("no credentials for a proxy that wants them: exit 6 with 407 / proxy authentication", async () => {
    const run = await runCli(["ls", tlsRef], trusted({ HTTPS_PROXY: authSquid.url }));
    assert.equal(run.code, 6, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /407|proxy authentication/i);
    assert.ok(run.stderr.includes(authSquid.url), run.stderr);
  });

  test("--debug shows the route as 'via proxy http://127.0.0.1:PORT' and never the proxy password", async () => {
    const run = await runCli(["ls", "--debug", tlsRef], trusted({ HTTPS_PROXY: authSquid.urlWithCredentials(PROXY_USER, PROXY_PASSWORD) }));
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`via proxy ${authSquid.url}`), run.stderr);
    const encoded = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64");
    for (const secret of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), encoded]) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `secret ${secret} printed`);
    }
  });
});

describe("proxy failures", () => {
  test("an unreachable proxy: exit 6, one line naming the proxy", async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const run = await runCli(["ls", "--retry-attempts", "1", tlsRef], trusted({ HTTPS_PROXY: dead }));
    assert.equal(run.code, 6, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /proxy/i);
    assert.ok(run.stderr.includes(dead), run.stderr);
  });

  test("a proxy that refuses the tunnel: exit 6, one line saying CONNECT was refused by the proxy", async () => {
    const { result: run, entries } = await logged(refusingSquid, () => runCli(["ls", tlsRef], trusted({ HTTPS_PROXY: refusingSquid.url })));
    assert.equal(run.code, 6, run.stderr);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /CONNECT/);
    assert.ok(run.stderr.includes(refusingSquid.url), run.stderr);
    assert.ok(entries.length > 0 && entries.every((e) => e === `CONNECT registry.test:${tlsRegistry.port} 403`), entries.join(" | "));
  });
});

describe("auth which", () => {
  test("reports the proxy (without its password) and the certificate directories for the registry", async () => {
    const home = join(work.path, "home-which");
    const homeCerts = join(home, ".config", "containers", "certs.d", `registry.test:${tlsRegistry.port}`);
    await ca.writeCertsDir(homeCerts, { ca: true });
    const run = await runCli(["auth", "which", tlsRef], { env: { HOME: home, HTTPS_PROXY: authSquid.urlWithCredentials(PROXY_USER, PROXY_PASSWORD) } });
    assert.equal(run.code, 0, run.stderr);
    const output = run.stdout + run.stderr;
    assert.ok(output.includes(authSquid.url), output);
    assert.ok(!output.includes(PROXY_PASSWORD), "the proxy password is printed");
    assert.ok(output.includes(homeCerts), output);
    for (const root of ["/etc/containers/certs.d", "/etc/docker/certs.d"]) assert.ok(output.includes(root), `${root} not mentioned: ${output}`);
  });

  test("says the registry is reached directly when NO_PROXY matches", async () => {
    const run = await runCli(["auth", "which", tlsRef], { env: { HTTPS_PROXY: squid.url, NO_PROXY: "registry.test" } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout + run.stderr, /direct.*NO_PROXY entry registry\.test/);
  });
});
