/**
 * Page sizes learned on registries regtags has no profile for (issue 13,
 * listing/page-size.ts): emulator profiles served under the unknown name
 * `registry.example.test` (`endpoints`), so no client profile applies. Every
 * request the emulator answers is counted, 401s and token requests included,
 * and every list must equal, tag for tag and in order, what following the
 * registry's own links gives.
 *
 * Before page-size.ts (main, same counting): ghcr-n0 10k 93, ECR 10k 92,
 * Hub 1001 4, distribution-3.1.0 10k 13.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type ClientOptions } from "../../src/index.js";
import { builtinProfiles, generateTags, startEmulator, type EmulatedRegistry, type Emulator, type EmulatorProfile } from "../../src/emulator/index.js";
import { walkTags } from "../../src/emulator/walk.test.js";

const NAME = "registry.example.test";
const USERS = { alice: "alice-password" };
const ALICE = ["alice", USERS.alice] as const;
const SEED = 20_240_601;

/** nexus (no Link ever) that also clamps `n` to 1000 without saying so. */
const silentClamp: EmulatorProfile = {
  ...builtinProfiles["nexus"]!,
  id: "nexus-clamp-1000",
  title: "nexus, n silently clamped to 1000, no Link",
  tags: { ...builtinProfiles["nexus"]!.tags, paging: { ...builtinProfiles["nexus"]!.tags.paging, maxPageSize: 1000, overMax: "clamp" } },
};
/** ghcr-n0 clamping to 700 (not a common limit), links n=0 as ever. */
const clampWithLinks: EmulatorProfile = {
  ...builtinProfiles["ghcr-n0"]!,
  id: "ghcr-n0-clamp-700",
  title: "ghcr-n0, n clamped to 700",
  tags: { ...builtinProfiles["ghcr-n0"]!.tags, paging: { ...builtinProfiles["ghcr-n0"]!.tags.paging, maxPageSize: 700 } },
};

const PROFILES = ["ghcr-n0", "ecr", "dockerhub", "distribution-3.1.0", "quay-2023", silentClamp, clampWithLinks];
const REPOS = { "app/ten-k": { tags: generateTags(10_000, SEED) }, "app/one-k": { tags: generateTags(1001, SEED) }, "app/25k": { tags: generateTags(25_000, SEED) } };

/**
 * Issue 13's targets, as requests the emulator answered in all (401s and token requests included),
 * and what the registry's behaviour allows at least.
 */
const TARGETS: ReadonlyArray<{ profile: string; repo: string; max: number; expected: number; why: string }> = [
  { profile: "ghcr-n0", repo: "app/ten-k", max: 10, expected: 4, why: "401, token, one page of n=10000, one PAG-6 check (skopeo 103, main 93)" },
  { profile: "ecr", repo: "app/ten-k", max: 12, expected: 12, why: "401, n=10000 refused (405), 10 pages of 1000: links without n asked with n=1000 (skopeo 102, main 92)" },
  { profile: "dockerhub", repo: "app/one-k", max: 3, expected: 3, why: "401, token, every tag in one page of n=10000 (main 4: n=1000 and a page of 1)" },
  { profile: "distribution-3.1.0", repo: "app/ten-k", max: 14, expected: 14, why: "401, token, n=10000 refused (400), 10 pages of 1000 + the empty final page (main 13)" },
];

describe("page sizes on registries without a client profile", () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ profiles: PROFILES, users: USERS, repositories: REPOS });
  });
  after(async () => emulator?.close());

  function clientFor(registry: EmulatedRegistry, extra: ClientOptions = {}) {
    return createClient({ endpoints: { [NAME]: registry.url }, credentials: { username: ALICE[0], password: ALICE[1] }, retry: { attempts: 1 }, ...extra });
  }

  /** The list as the registry's own links give it (no n: its default page), for the order. */
  async function ownLinks(registry: EmulatedRegistry, repo: string): Promise<string[]> {
    const walked = await walkTags(registry, repo, { credentials: ALICE });
    registry.resetCounts();
    return walked.entries.filter((tag): tag is string => tag !== null);
  }

  const tagsQueries = (registry: EmulatedRegistry) => registry.requests.filter((r) => r.kind === "tags").map((r) => r.query ?? "");

  /** The tags of `repo` as a fresh client lists them under the unknown name. */
  async function listOnce(registry: EmulatedRegistry, repo: string): Promise<string[]> {
    const client = clientFor(registry);
    try {
      return (await client.listTags(`${NAME}/${repo}`)).tags;
    } finally {
      await client.close();
    }
  }

  for (const target of TARGETS) {
    test(`${target.profile}-like, ${REPOS[target.repo as keyof typeof REPOS].tags.length} tags: ${target.expected} requests (target ≤ ${target.max}); the registry's own order`, async () => {
      const registry = emulator.get(target.profile);
      const expected = await ownLinks(registry, target.repo);
      const tags = await listOnce(registry, target.repo);
      assert.deepEqual(tags, expected);
      assert.equal(registry.counts().total, target.expected, `${target.why}; saw ${tagsQueries(registry).join(" | ").slice(0, 400)}`);
      assert.ok(registry.counts().total <= target.max);
    });
  }

  test("a full page with a next link asks for ten times more: Hub-like, 25k tags in two pages (main: 25)", async () => {
    const registry = emulator.get("dockerhub");
    const expected = await ownLinks(registry, "app/25k");
    const tags = await listOnce(registry, "app/25k");
    assert.deepEqual(tags, expected);
    const queries = tagsQueries(registry);
    assert.deepEqual(queries.slice(1).map((q) => new URLSearchParams(q).get("n")), ["10000", "100000"], queries.join(" | ").slice(0, 300));
    assert.equal(new URLSearchParams(queries[2]).get("last"), expected[9999], "the registry's own cursor");
  });

  test("a refusal is remembered for the host: the next listing on the same client starts below it", async () => {
    const registry = emulator.get("ecr");
    const client = clientFor(registry);
    try {
      await client.listTags(`${NAME}/app/ten-k`);
      registry.resetCounts();
      const list = await client.listTags(`${NAME}/app/one-k`);
      assert.equal(new Set(list.tags).size, 1001);
      const statuses = registry.requests.filter((r) => r.kind === "tags").map((r) => r.status);
      assert.ok(!statuses.includes(405), `no second 405: ${statuses.join(",")}`);
      assert.match(tagsQueries(registry).at(-2) ?? "", /^n=1000$/);
    } finally {
      await client.close();
    }
  });

  test("an opaque cursor (quay-2023's next_page) is followed exactly as linked, never asked with another n", async () => {
    const registry = emulator.get("quay-2023");
    const expected = await ownLinks(registry, "app/one-k");
    const tags = await listOnce(registry, "app/one-k");
    assert.deepEqual(tags, expected);
    const queries = tagsQueries(registry);
    assert.equal(queries.length, 21, "10000 asked, 50 a page whatever n: 21 pages");
    assert.equal(queries[0], "n=10000");
    for (const query of queries.slice(1)) assert.match(query, /^n=50&next_page=gAAAA[^&]+$/, "the link's own n=50 and cursor, untouched");
  });

  test("a registry that clamps silently and never links: every tag, none skipped (a page of a common limit is asked past)", async () => {
    const registry = emulator.get("nexus-clamp-1000");
    const tags = await listOnce(registry, "app/ten-k");
    assert.deepEqual(tags, [...REPOS["app/ten-k"].tags].sort());
    const queries = tagsQueries(registry);
    assert.equal(queries[0], "n=10000", "asked for more than the clamp, which answers 1000 and no link");
    // Each cursor is the last tag received, never one computed from n.
    const sorted = [...REPOS["app/ten-k"].tags].sort();
    for (let i = 1; i < queries.length; i++) assert.equal(new URLSearchParams(queries[i]).get("last"), sorted[i * 1000 - 1]);
    assert.equal(queries.length, 11, "10 pages of 1000 and one that comes back empty");
  });

  test("a registry that clamps silently and links with n=0: the registry's cursors, every tag once, in its order", async () => {
    const registry = emulator.get("ghcr-n0-clamp-700");
    const expected = await ownLinks(registry, "app/ten-k");
    const tags = await listOnce(registry, "app/ten-k");
    assert.deepEqual(tags, expected);
    const queries = tagsQueries(registry).filter((q) => q.includes("last="));
    // Links say n=0 (pages of 100); asked with the clamp learned from the first page instead.
    assert.ok(queries.every((q) => /(^|&)n=700(&|$)/.test(q)), queries.slice(0, 3).join(" | "));
    assert.equal(queries.length, Math.ceil(10_000 / 700) - 1);
  });
});
