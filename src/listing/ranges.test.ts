import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { midpoint, RangeAnomaly, walkRanges, type FetchAfter } from "./ranges.js";

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,40}$/;

test("midpoint lies strictly between its ends", () => {
  for (const [lo, hi] of [["a", "b"], ["1.0", "1.0-alpine"], ["v1", undefined], ["zzzz", undefined], ["", "0"], ["A", "a"]] as const) {
    const m = midpoint(lo, hi);
    assert.ok(m !== undefined, `${lo}..${hi}`);
    assert.ok(m > lo && (hi === undefined || m < hi), `${lo} < ${m} < ${hi}`);
  }
  assert.equal(midpoint("a", "a"), undefined);
  assert.equal(midpoint("b", "a"), undefined);
  fc.assert(
    fc.property(fc.stringMatching(TAG), fc.stringMatching(TAG), (x, y) => {
      const [lo, hi] = x < y ? [x, y] : [y, x];
      const m = midpoint(lo, hi);
      return m === undefined || (m > lo && m < hi);
    }),
    { numRuns: 500 },
  );
});

/** A lexically sorted server honouring any `last`, as distribution 3 does. */
function sortedServer(entries: string[], pageSize: number) {
  const sorted = [...new Set(entries)].sort();
  let requests = 0;
  const fetchAfter: FetchAfter = async (cursor) => {
    requests++;
    await new Promise((r) => setTimeout(r, 1));
    const start = sorted.findIndex((e) => e > cursor);
    if (start < 0) return { entries: [], hasMore: false };
    const page = sorted.slice(start, start + pageSize);
    return { entries: page, hasMore: start + pageSize < sorted.length };
  };
  return { sorted, fetchAfter, requests: () => requests };
}

async function collect(gen: AsyncGenerator<string[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of gen) out.push(...chunk);
  return out;
}

test("ranged walk equals the sequential listing, tag for tag, in fewer rounds", async () => {
  const tags = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `v${i % 17}.${i}.0` : `${(i * 7919) % 100000}-build`));
  const server = sortedServer(tags, 100);
  const got = await collect(walkRanges(server.fetchAfter, "", { concurrency: 8, maxRequests: 1000 }));
  assert.deepEqual(got, server.sorted);
  // 30 pages sequentially; the ranged walk pays a bounded overhead for empty and partial ranges.
  assert.ok(server.requests() <= 30 * 4, `${server.requests()} requests`);
});

test("property: any sorted set, any start, any page size and concurrency", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.stringMatching(TAG), { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), async (tags, pageSize, concurrency) => {
      const server = sortedServer(tags, pageSize);
      const start = server.sorted[0] ?? "";
      const got = await collect(walkRanges(server.fetchAfter, start, { concurrency, maxRequests: 100_000 }));
      assert.deepEqual(got, server.sorted.filter((t) => t > start));
    }),
    { numRuns: 60 },
  );
});

test("a server that is not sorted or links from an empty page is an anomaly", async () => {
  const unsorted: FetchAfter = async () => ({ entries: ["b", "a"], hasMore: false });
  await assert.rejects(collect(walkRanges(unsorted, "", { concurrency: 2, maxRequests: 10 })), RangeAnomaly);
  const emptyWithLink: FetchAfter = async () => ({ entries: [], hasMore: true });
  await assert.rejects(collect(walkRanges(emptyWithLink, "", { concurrency: 2, maxRequests: 10 })), RangeAnomaly);
  const backwards: FetchAfter = async (cursor) => ({ entries: [cursor === "" ? "m" : "a"], hasMore: true });
  await assert.rejects(collect(walkRanges(backwards, "", { concurrency: 1, maxRequests: 10 })), RangeAnomaly);
});
