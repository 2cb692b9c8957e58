/**
 * `parallel` lanes (issue 13): the probe that the registry honours any `last`
 * goes out with the first wave of ranges, not a round trip before it; every
 * lane is busy from that wave on; and when the probe fails, nothing the wave
 * brought is used. Against an in-process registry (sorted, `last` links, `n`
 * capped) that counts the requests in flight; no wall-clock assertions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { walkPages } from "./paged-list.js";
import { headersFromRecord, type Transport, type TransportResponse } from "../transport/types.js";

interface Registry {
  readonly send: Transport;
  /** Most requests in flight at once. */
  maxInFlight(): number;
  /** Requests in flight (the probe's own included) when the probe's answer came back. */
  inFlightAtProbe(): number | undefined;
  requests(): number;
}

/**
 * Tags sorted by name, at most `pageSize` a page, `last` links. With `loose`,
 * a `last` that is no tag is answered with every other entry after it (a
 * registry whose `last` is no plain lexical bound): the probe must catch it.
 */
function sortedRegistry(tags: readonly string[], pageSize: number, firstPageLast: () => string | undefined, loose = false): Registry {
  const sorted = [...new Set(tags)].sort();
  let inFlight = 0;
  let max = 0;
  let requests = 0;
  let atProbe: number | undefined;
  const send: Transport = async (req) => {
    requests++;
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const n = Math.min(Number(req.url.searchParams.get("n") ?? pageSize), pageSize);
    const last = req.url.searchParams.get("last");
    const after = last === null ? sorted : sorted.filter((tag) => tag > last);
    const known = last === null || sorted.includes(last);
    const page = (known || !loose ? after : after.filter((_, i) => i % 2 === 0)).slice(0, n);
    const boundary = firstPageLast();
    if (last !== null && boundary !== undefined && last < boundary) atProbe = inFlight; // only the probe asks below page 1's end
    const headers: Record<string, string> = {};
    if (page.length > 0 && sorted.indexOf(page.at(-1)!) < sorted.length - 1) {
      const next = new URL(req.url);
      next.searchParams.set("n", String(n));
      next.searchParams.set("last", page.at(-1)!);
      headers["link"] = `<${next.pathname}${next.search}>; rel="next"`;
    }
    const body = Buffer.from(JSON.stringify({ name: "a/b", tags: page }));
    inFlight--;
    const res: TransportResponse = {
      status: 200,
      headers: headersFromRecord(headers),
      url: req.url,
      text: async () => body.toString(),
      stream: async (_limit, onChunk) => onChunk(body),
      discard: async () => undefined,
    };
    return res;
  };
  return { send, maxInFlight: () => max, inFlightAtProbe: () => atProbe, requests: () => requests };
}

const TAGS = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `v${i % 40}.${i}.0` : i % 3 === 1 ? `${(i * 7919) % 100000}-build` : `sha-${((i * 104729) % 1000003).toString(16)}`));

async function list(registry: Registry, parallel: number) {
  const warnings: string[] = [];
  const tags: string[] = [];
  for await (const page of walkPages(registry.send, {
    url: new URL("http://registry.test/v2/a/b/tags/list"),
    scope: "repository:a/b:pull",
    purpose: "tags",
    field: "tags",
    subject: "registry.test/a/b",
    pageSize: 1000,
    maxPages: 10_000,
    bodyLimitBytes: 1 << 24,
    parallel,
    onTrace: (event) => {
      if (event.type === "warning") warnings.push(event.message);
    },
  })) {
    tags.push(...page.entries);
  }
  return { tags, warnings };
}

for (const parallel of [2, 3, 5, 8]) {
  test(`--parallel ${parallel}: the probe goes with the first wave and all ${parallel} lanes are busy`, async () => {
    let firstPageLast: string | undefined;
    const registry = sortedRegistry(TAGS, 100, () => firstPageLast);
    firstPageLast = [...new Set(TAGS)].sort()[99];
    const { tags, warnings } = await list(registry, parallel);
    assert.deepEqual(tags, [...new Set(TAGS)].sort());
    assert.match(warnings.join("\n"), new RegExp(`listing ${parallel} ranges concurrently`));
    // Before: the probe went out alone after page 1 (1 in flight), and the first wave filled only some lanes.
    assert.equal(registry.inFlightAtProbe(), parallel, "the probe and a full wave of ranges in flight together");
    assert.equal(registry.maxInFlight(), parallel, "never more than the lanes");
  });
}

test("a probe that fails discards the wave sent with it: the list is the link-by-link one, exactly", async () => {
  let firstPageLast: string | undefined;
  const registry = sortedRegistry(TAGS, 100, () => firstPageLast, true);
  firstPageLast = [...new Set(TAGS)].sort()[99];
  const { tags, warnings } = await list(registry, 8);
  assert.deepEqual(tags, [...new Set(TAGS)].sort());
  assert.match(warnings.join("\n"), /concurrent ranges abandoned \(last=.* did not answer the entries after it\)/);
  assert.equal(registry.inFlightAtProbe(), 8, "the wave went out with the probe");
  // 30 pages link by link, the probe and the 7 ranges of the discarded wave.
  assert.ok(registry.requests() <= 30 + 8, `${registry.requests()} requests`);
});
