/**
 * The prober sends through the client's pipeline (pipeline.ts), so it has the
 * layers its own partial stack lacked: the whole-request deadline and the
 * per-origin limit (issue 12, "Two pipelines"). Each server here is a
 * node:http server on 127.0.0.1, bounded in requests and lifetime.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createProber, NetworkError, type ProbeFindings } from "../../src/index.js";

interface Registry {
  readonly url: string;
  readonly requests: number;
  /** The most requests the server had open at one time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** A loopback registry answering through `handle`; at most 200 requests, gone after 30 s whatever happens. */
async function startRegistry(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Registry> {
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    if (++requests > 200) return void res.destroy();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    handle(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const close = async () => {
    clearTimeout(lifetime);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const lifetime = setTimeout(() => void close(), 30_000);
  lifetime.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close,
  };
}

/** Answers the probe's requests as a small registry would: ping, three tags whatever n, a catalog. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const body = path === "/v2/" ? {} : path.endsWith("/tags/list") ? { name: "app/x", tags: ["a", "b", "c"] } : path === "/v2/_catalog" ? { repositories: ["app/x"] } : undefined;
  res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
  res.end(JSON.stringify(body ?? { errors: [{ code: "NOT_FOUND", message: "no" }] }));
}

test("probe: a body trickled past requestTimeoutMs fails with the request timeout instead of hanging", async () => {
  const trickles = new Set<NodeJS.Timeout>();
  const registry = await startRegistry((req, res) => {
    if (!req.url?.includes("/tags/list")) return answer(req, res);
    // A byte every 20 ms, never quiet long enough for the idle timeout; it ends by itself after 10 s.
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"name":"app/x","tags":[');
    let sent = 0;
    const timer = setInterval(() => (++sent > 500 ? (clearInterval(timer), res.end("]}")) : res.write(" ")), 20);
    trickles.add(timer);
    res.on("close", () => clearInterval(timer));
  });
  const prober = createProber({ endpoints: { "r.test": registry.url }, retry: { attempts: 1 }, idleTimeoutMs: 5_000, requestTimeoutMs: 300 });
  try {
    const error = await prober.probe("r.test/app/x").then(
      () => assert.fail("the probe must fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.code, "ERR_NETWORK");
    assert.equal(error.systemCode, "ETIMEDOUT_REQUEST");
    assert.match(error.message, /no complete answer within 0\.3 s \(request timeout\)/);
  } finally {
    await prober.close();
    for (const timer of trickles) clearInterval(timer);
    await registry.close();
  }
});

test("probe: concurrent probes on one prober share the per-origin limit (maxConcurrentPerOrigin)", async () => {
  const probeAll = async (maxConcurrentPerOrigin: number | undefined): Promise<{ findings: ProbeFindings[]; registry: Registry }> => {
    // Each answer waits a little, so requests sent together are in flight together.
    const registry = await startRegistry((req, res) => void setTimeout(() => answer(req, res), 25));
    const prober = createProber({ endpoints: { "r.test": registry.url }, retry: { attempts: 1 }, maxConcurrentPerOrigin });
    try {
      const findings = await Promise.all(["r.test/app/x", "r.test/app/x", "r.test/app/x"].map((reference) => prober.probe(reference)));
      return { findings, registry };
    } finally {
      await prober.close();
      await registry.close();
    }
  };

  const limited = await probeAll(1);
  assert.equal(limited.registry.maxInFlight, 1, "one request in flight to the origin at a time");
  // Each probe still records its own exchanges, and only its own.
  for (const findings of limited.findings) {
    assert.equal(findings.endpoint, limited.registry.url);
    assert.deepEqual(findings.requests.map((r) => r.step), limited.findings[0]!.requests.map((r) => r.step));
  }
  assert.equal(limited.findings.reduce((sum, f) => sum + f.requests.length, 0), limited.registry.requests);

  // The control: without the limit of 1, the same probes overlap (the test can see a breach).
  const open = await probeAll(undefined);
  assert.ok(open.registry.maxInFlight > 1, `probes overlapped: ${open.registry.maxInFlight} in flight at most`);
});

test("probe: rate-limit headers go through the pipeline's rate layer (reported as rate-limit events, as for listings)", async () => {
  const registry = await startRegistry((req, res) => {
    res.setHeader("ratelimit-limit", "100;w=21600");
    res.setHeader("ratelimit-remaining", "76;w=21600");
    answer(req, res);
  });
  const events: string[] = [];
  const prober = createProber({ endpoints: { "r.test": registry.url }, retry: { attempts: 1 }, onTrace: (event) => void (event.type === "rate-limit" && events.push(event.type)) });
  try {
    const findings = await prober.probe("r.test/app/x");
    assert.equal(findings.evidence.rateLimitHeaders["ratelimit-remaining"], "76;w=21600");
    assert.equal(events.length, registry.requests, "one rate-limit event per response");
  } finally {
    await prober.close();
    await registry.close();
  }
});
