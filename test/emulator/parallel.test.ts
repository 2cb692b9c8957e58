/**
 * Concurrent ranges (ClientOptions.parallel): on registries that sort by name
 * and honour any `last`, the ranged listing equals the sequential one tag for
 * tag; where they do not (push order, opaque cursors, 404 on an unknown
 * `last`), regtags notices and follows the links instead, still exact.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type TraceEvent } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ profiles: ["distribution-3", "quay-2024", "ghcr", "quay-2023", "zot"], latencyMs: 2 });
});
after(async () => emulator?.close());

async function list(profile: string, registry: string, parallel: number, pageSize?: number) {
  const server = emulator.get(profile);
  server.resetCounts();
  const warnings: string[] = [];
  const client = createClient({
    endpoints: { [registry]: server.url },
    parallel,
    ...(pageSize !== undefined ? { pageSize } : {}),
    onTrace: (e: TraceEvent) => e.type === "warning" && warnings.push(e.message),
  });
  try {
    const result = await client.listTags(`${registry}/big/repo`);
    return { tags: result.tags, requests: server.counts().tags, warnings };
  } finally {
    await client.close();
  }
}

for (const [profile, registry, pageSize] of [
  ["distribution-3", "registry.test", 200],
  ["quay-2024", "quay.io", undefined],
] as const) {
  test(`${profile}: 8 ranges give exactly the sequential list, with a bounded request overhead`, async () => {
    const sequential = await list(profile, registry, 1, pageSize);
    const ranged = await list(profile, registry, 8, pageSize);
    assert.equal(sequential.tags.length, 10_000);
    assert.deepEqual(ranged.tags, sequential.tags, "tag for tag");
    assert.match(ranged.warnings.join("\n"), /listing 8 ranges concurrently/);
    assert.ok(ranged.requests <= sequential.requests * 2 + 2, `${ranged.requests} ranged vs ${sequential.requests} sequential requests`);
  });
}

// Where ranges are tried (zot), the probe goes with the first wave (issue 13): a failed one costs that wave, 8 requests.
for (const [profile, registry, why, extra] of [
  ["ghcr", "ghcr.io", "push order: no ranges", 1],
  ["quay-2023", "quay.io", "opaque next_page: no ranges", 1],
  ["zot", "registry.test", "unknown last answers 404: the probe and its wave fail, links are followed", 8],
] as const) {
  test(`${profile}: ${why}; still exact`, async () => {
    const sequential = await list(profile, registry, 1, 500);
    const ranged = await list(profile, registry, 8, 500);
    assert.deepEqual(ranged.tags, sequential.tags);
    assert.doesNotMatch(ranged.warnings.join("\n"), /ranges concurrently/);
    assert.ok(ranged.requests <= sequential.requests + extra, `${ranged.requests} vs ${sequential.requests}`);
  });
}
