/**
 * Load: 200 listings at once against the emulator (three registry shapes:
 * token auth with `last` links, quay's anonymous 100-per-page, ghcr's push
 * order behind tokens), each with its own client as 200 processes would be.
 * Every listing must be exact and the emulator must see exactly the requests
 * the pagination needs. Time is bounded by the test's timeout, not measured:
 * the clients share a VirtualClock, and none of them may have waited at all.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "../../src/index.js";
import { startEmulator, VirtualClock, type Emulator } from "../../src/emulator/index.js";
import { numbered } from "./helpers.js";

const LISTINGS = 200;
const REPOS: Record<string, { tags: string[] }> = {
  "load/a": { tags: numbered(250, "a") },
  "load/b": { tags: numbered(420, "b") },
  "load/c": { tags: numbered(99, "c") },
  "load/d": { tags: [...numbered(310, "d")].reverse() },
};
const SHAPES = [
  { id: "distribution-3", name: "r.test", pageSize: 50, lexical: true },
  { id: "quay-2024", name: "quay.io", pageSize: 100, lexical: true },
  { id: "ghcr", name: "ghcr.io", pageSize: 100, lexical: false },
] as const;

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ profiles: SHAPES.map((s) => s.id), repositories: REPOS });
});
after(async () => emulator?.close());

test(`${LISTINGS} concurrent listings are each exact, with the requests the pagination needs`, { timeout: 60_000 }, async () => {
  for (const shape of SHAPES) emulator.get(shape.id).resetCounts();
  const repos = Object.keys(REPOS);
  const jobs = Array.from({ length: LISTINGS }, (_, i) => ({ shape: SHAPES[i % SHAPES.length]!, repo: repos[i % repos.length]! }));
  const clock = new VirtualClock();
  const results = await Promise.all(
    jobs.map(async ({ shape, repo }) => {
      // 200 clients on a loaded 2-core machine may wait seconds for a byte; this test is about
      // exactness, so only the test's timeout bounds the time (the default idle timeout is 10 s).
      const client = createClient({ endpoints: { [shape.name]: emulator.get(shape.id).url }, pageSize: shape.pageSize, retry: { attempts: 1 }, clock, idleTimeoutMs: 50_000 });
      try {
        return await client.listTags(`${shape.name}/${repo}`);
      } finally {
        await client.close();
      }
    }),
  );

  const expectedRequests = new Map<string, number>(SHAPES.map((s) => [s.id, 0]));
  results.forEach((list, i) => {
    const { shape, repo } = jobs[i]!;
    const tags = REPOS[repo]!.tags;
    assert.deepEqual(list.tags, shape.lexical ? [...tags].sort() : tags, `${shape.id} ${repo}`);
    // Pages, plus distribution 3's empty page after an exactly full one, plus the first 401 where there is auth.
    const full = tags.length % shape.pageSize === 0 && shape.id === "distribution-3" ? 1 : 0;
    const pages = Math.ceil(tags.length / shape.pageSize) + full;
    assert.equal(list.pages, pages, `${shape.id} ${repo}`);
    expectedRequests.set(shape.id, expectedRequests.get(shape.id)! + pages + (shape.id === "quay-2024" ? 0 : 1));
  });
  for (const shape of SHAPES) {
    const counts = emulator.get(shape.id).counts();
    assert.equal(counts.tags, expectedRequests.get(shape.id), `${shape.id}: tags requests`);
    assert.equal(counts.token, shape.id === "quay-2024" ? 0 : jobs.filter((j) => j.shape === shape).length, `${shape.id}: one token per client`);
  }
  assert.equal(clock.slept, 0, "no listing backed off or paced itself");
});
