/**
 * An air-gapped user who maps docker.io to a mirror with --endpoint must not
 * see regtags contact hub.docker.com behind their back (issue 11): a vendor
 * API on another host is used only when the endpoint mapping allows it, and
 * otherwise the listing says the details are unavailable and why.
 *
 * The library test points the Docker Hub vendor API at a loopback server that
 * records hits (a client profile); the CLI test sets HTTPS_PROXY to a loopback
 * trap that records every tunnel regtags asks for, so an attempt to reach
 * hub.docker.com would show there instead of leaving the machine. Mapping
 * hub.docker.com too allows the API: vendor.test.ts lists details that way.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, isRegtagsError, type RegistryProfile, type TraceEvent } from "../../src/index.js";
import { BUILTIN_PROFILES } from "../../src/profiles/profiles.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";

let emulator: Emulator;
/** Stands in for hub.docker.com (library test) and for a proxy (CLI test): records and refuses everything. */
let trap: Server;
let trapUrl = "";
const trapHits: string[] = [];

before(async () => {
  emulator = await startEmulator({ profiles: ["dockerhub"] });
  trap = createHttpServer((req, res) => {
    trapHits.push(`${req.method} ${req.url}`);
    res.writeHead(404, { "content-type": "application/json" }).end('{"message":"trap"}');
  });
  // A proxy client asks for a tunnel with CONNECT: record it and refuse it.
  trap.on("connect", (req, socket) => {
    trapHits.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
  });
  await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  // Bounded: the trap never outlives the file's tests.
  trap.unref();
});
after(async () => {
  await emulator?.close();
  trap?.close();
});

/** Docker Hub's client profile with its vendor API moved to the trap. */
function hubProfileWithVendorAt(base: string): RegistryProfile {
  const hub = BUILTIN_PROFILES.find((profile) => profile.hosts.includes("docker.io"));
  assert.ok(hub?.vendorApi !== undefined, "the built-in Docker Hub profile names a vendor API");
  return { ...hub, vendorApi: { ...hub.vendorApi, base } };
}

test("library: with docker.io mapped to a mirror, the vendor API host is not contacted and the result says why", async () => {
  trapHits.length = 0;
  const events: TraceEvent[] = [];
  const mirror = emulator.get("dockerhub").url;
  const trapHost = new URL(trapUrl).host;
  const client = createClient({ endpoints: { "docker.io": mirror }, profiles: [hubProfileWithVendorAt(trapUrl)], onTrace: (event) => events.push(event) });
  try {
    const result = await client.fetchDetails("ubuntu");
    assert.equal(result.source, undefined);
    assert.equal(result.details.size, 0);
    assert.deepEqual(trapHits, [], "no request to the vendor API's host");
    assert.match(result.unavailableReason ?? "", new RegExp(`docker\\.io is mapped to ${mirror.replace(/[.]/g, "\\.")} and its dockerhub API \\(${trapHost.replace(/[.]/g, "\\.")}\\) is not`));
    const warning = events.find((event): event is Extract<TraceEvent, { type: "warning" }> => event.type === "warning");
    assert.match(warning?.message ?? "", /^docker\.io\/library\/ubuntu: details unavailable: .*map 127\.0\.0\.1:\d+ to an endpoint too/);

    // --source vendor asks for the vendor API explicitly: an error, still no request.
    await assert.rejects(client.fetchDetails("ubuntu", { source: "vendor" }), (error: unknown) => isRegtagsError(error) && error.code === "ERR_INVALID_ARGUMENT" && /^the source option set to vendor: docker\.io is mapped/.test(error.message));
    assert.deepEqual(trapHits, []);
  } finally {
    await client.close();
  }
});

test("library: the same profile without an endpoint mapping does use the vendor API (the trap sees it)", async () => {
  trapHits.length = 0;
  const client = createClient({ profiles: [hubProfileWithVendorAt(trapUrl)], retry: { attempts: 1 } });
  try {
    const result = await client.fetchDetails("ubuntu");
    assert.equal(result.source, undefined, "the trap answers 404, so no details");
    assert.equal(result.unavailableReason, undefined);
    assert.ok(trapHits.some((hit) => hit.startsWith("GET /v2/namespaces/library/repositories/ubuntu/tags")), trapHits.join(", "));
  } finally {
    await client.close();
  }
});

test("CLI: ls --details with --endpoint docker.io=MIRROR lists the tags, says details are unavailable and why, and reaches for no other host", async () => {
  trapHits.length = 0;
  const mirror = emulator.get("dockerhub").url;
  // Any request to hub.docker.com would be a CONNECT at the trap "proxy".
  const run = await runCli(["ls", "--details", "--endpoint", `docker.io=${mirror}`, "ubuntu"], { env: { HTTPS_PROXY: trapUrl, HTTP_PROXY: trapUrl } });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.split("\n").length > 2, run.stdout);
  assert.match(run.stderr, /^regtags: warning: docker\.io\/library\/ubuntu: details unavailable: docker\.io is mapped to http:\/\/127\.0\.0\.1:\d+ and its dockerhub API \(hub\.docker\.com\) is not, so regtags does not contact it; map hub\.docker\.com to an endpoint too to allow it$/m);
  assert.deepEqual(trapHits, [], "nothing tried to leave through the proxy");
});

test("CLI: --sort date with only docker.io mapped fails (exit 2) saying the dates are unavailable and how to allow them", async () => {
  trapHits.length = 0;
  const mirror = emulator.get("dockerhub").url;
  const run = await runCli(["ls", "--sort", "date", "--endpoint", `docker.io=${mirror}`, "ubuntu"], { env: { HTTPS_PROXY: trapUrl, HTTP_PROXY: trapUrl } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /regtags: --sort date: no source of tag dates for docker\.io: the OCI API has none and details are unavailable: docker\.io is mapped to http:\/\/127\.0\.0\.1:\d+ .*map hub\.docker\.com to an endpoint too/);
  assert.deepEqual(trapHits, []);
});
