/**
 * Tokens that expire during long work (TOK-7, TOK-8): a 2 s token during a
 * 150-page listing (renewed before expiry, no 401 after the first), a token
 * that dies after 1 s although it announced 300 s (renewed once after each
 * invalid_token 401, no page lost or repeated), and a digest run whose eight
 * concurrent requests all see the token die at once and share one renewal.
 *
 * The emulator and the client share one VirtualClock: token lifetimes and the
 * emulator's 15 ms round trips are virtual, so the listings take milliseconds
 * and what is asserted about time cannot depend on the machine's load.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { digestOf, startEmulator, VirtualClock, type Emulator } from "../../src/emulator/index.js";
import { numbered, statuses, tagsRequests, tokenProfile, tokenRequests, withHarness } from "./helpers.js";

const PAGES = 150;
const TAGS = numbered(PAGES * 10 - 5);
const DIGEST_TAGS = numbered(1_000, "d");
const LATENCY_MS = 15;

const clock = new VirtualClock();
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      tokenProfile("honest-2s", {}, { expiresIn: 2, lifetimeSeconds: 2 }),
      tokenProfile("dies-after-1s", {}, { expiresIn: 300, lifetimeSeconds: 1 }),
      tokenProfile("dies-after-0.8s", {}, { expiresIn: 300, lifetimeSeconds: 0.8 }),
    ],
    repositories: { "app/long": { tags: TAGS }, "app/digests": { tags: DIGEST_TAGS } },
    latencyMs: LATENCY_MS,
    clock,
  });
});
after(async () => emulator?.close());

describe("a token that expires during a 150-page listing", () => {
  test("lifetime announced (2 s): renewed ahead of expiry; one 401 in all, every page once", async () => {
    const registry = emulator.get("honest-2s");
    registry.resetCounts();
    const started = clock.now();
    const list = await withHarness(registry, "r.test", { pageSize: 10, clock }, (h) => h.client.listTags("r.test/app/long"));
    const elapsed = clock.now() - started;
    assert.deepEqual(list.tags, TAGS);
    assert.equal(list.pages, PAGES);
    assert.ok(elapsed > 2_200, `the listing outlived the token: ${elapsed} ms`);
    const tags = tagsRequests(registry);
    assert.deepEqual(statuses(tags), [401, ...Array<number>(PAGES).fill(200)]);
    const served = tags.filter((r) => r.status === 200).map((r) => r.query);
    assert.equal(new Set(served).size, PAGES, "no page fetched twice");
    const tokens = tokenRequests(registry);
    assert.ok(tokens.length >= 2 && tokens.length <= 1 + Math.ceil(elapsed / 1_800), `${tokens.length} token requests in ${elapsed} ms`);
  });

  test("lifetime understated by the server (dies after 1 s, says 300 s): one renewal per invalid_token 401, no page lost or repeated", async () => {
    const registry = emulator.get("dies-after-1s");
    registry.resetCounts();
    const started = clock.now();
    const pages: string[][] = [];
    await withHarness(registry, "r.test", { pageSize: 10, clock }, async (h) => {
      for await (const page of h.client.listTagPages("r.test/app/long")) pages.push([...page.tags]);
    });
    const elapsed = clock.now() - started;
    assert.deepEqual(pages.flat(), TAGS);
    assert.equal(pages.length, PAGES);
    const tags = tagsRequests(registry);
    const refused = tags.filter((r) => r.status === 401);
    assert.ok(refused.length >= 3, `expired mid-listing: ${refused.length} 401s in ${elapsed} ms`);
    tags.forEach((r, i) => {
      if (r.status === 401 && i > 0) assert.deepEqual([tags[i + 1]?.status, tags[i + 1]?.query], [200, r.query], "the refused page is asked for again, once");
    });
    assert.equal(tokenRequests(registry).length, refused.length, "one token per 401, never more");
    assert.ok(refused.length <= 1 + Math.ceil(elapsed / 1_000));
  });
});

describe("a token that expires during a digest run", () => {
  test("eight concurrent HEADs refused at once share one renewal; every digest exact", async () => {
    const registry = emulator.get("dies-after-0.8s");
    registry.resetCounts();
    const started = clock.now();
    const digests = await withHarness(registry, "r.test", { clock }, (h) => h.client.fetchDigests("r.test/app/digests", DIGEST_TAGS, { concurrency: 8 }));
    const elapsed = clock.now() - started;
    assert.deepEqual(
      digests.map((d) => [d.tag, d.digest]),
      DIGEST_TAGS.map((tag) => [tag, digestOf("app/digests", tag)]),
    );
    const manifests = registry.requests.filter((r) => r.kind === "manifest");
    assert.equal(manifests.filter((r) => r.status === 200).length, DIGEST_TAGS.length, "each digest fetched once");
    const tokens = tokenRequests(registry);
    const expiries = 1 + Math.ceil(elapsed / 800);
    assert.ok(elapsed > 1_000, `the run outlived the token: ${elapsed} ms`);
    // Shared renewal: about one token per expiry, not one per refused request (up to 8 per expiry).
    assert.ok(tokens.length <= expiries + 1, `${tokens.length} token requests for ~${expiries} expiries (${manifests.filter((r) => r.status === 401).length} 401s)`);
  });
});
