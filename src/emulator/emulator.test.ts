/**
 * Every built-in profile, listed end to end with plain fetch the way its docs say
 * (ping, token if needed, follow Link as given): the tag set must be the repository's
 * and the emulator's request counts must be exactly the requests made. Also pins the
 * request counts for `big/repo` (10,000 tags) at n=1000 quoted in the emulator's docs.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { builtinProfiles, defaultRepositories, startEmulator, type Emulator } from "./index.js";
import { digestOf } from "./store.js";
import { challengeParams, nextLink, walkTags, type WalkOptions } from "./walk.test.js";

const USERS = { alice: "wonderland" } as const;
const ALICE = ["alice", "wonderland"] as const;
const REPOS = defaultRepositories();

interface Walk extends WalkOptions {
  readonly id: string;
  readonly repo: string;
  readonly pages: number;
  readonly tokens: number;
}

// Page counts follow from the repository sizes: library/ubuntu 129, linuxserver/hedgedoc
// 452, ansible/creator-ee 132 tags.
const WALKS: readonly Walk[] = [
  { id: "dockerhub", repo: "library/ubuntu", n: 50, pages: 3, tokens: 1 },
  { id: "ghcr", repo: "linuxserver/hedgedoc", pages: 5, tokens: 1 }, // 5 requests, as in the field report
  { id: "ghcr-n0", repo: "linuxserver/hedgedoc", pages: 5, tokens: 1 }, // as ghcr without n; big/repo below shows the difference
  { id: "quay-2023", repo: "ansible/creator-ee", tokenless: true, pages: 3, tokens: 0 },
  { id: "quay-2024", repo: "ansible/creator-ee", pages: 2, tokens: 1 },
  { id: "quay-2024-06", repo: "ansible/creator-ee", n: 100, pages: 2, tokens: 1 },
  { id: "distribution-2.8", repo: "linuxserver/hedgedoc", n: 10, pages: 1, tokens: 0 },
  { id: "distribution-3", repo: "library/ubuntu", n: 43, pages: 4, tokens: 1 }, // 3 full pages + 1 empty
  { id: "distribution-3.1.0", repo: "library/ubuntu", n: 100, pages: 2, tokens: 1 },
  { id: "ecr", repo: "linuxserver/hedgedoc", credentials: ALICE, pages: 5, tokens: 0 },
  { id: "harbor", repo: "linuxserver/hedgedoc", n: 200, pages: 3, tokens: 1 },
  { id: "acr", repo: "library/ubuntu", n: 50, pages: 3, tokens: 1 },
  { id: "artifactory", repo: "library/ubuntu", n: 50, pages: 3, tokens: 0 }, // 129 tags + 5 digests
  { id: "nexus", repo: "library/ubuntu", n: 50, continueWithoutLink: true, pages: 3, tokens: 0 },
  { id: "zot", repo: "library/ubuntu", n: 40, pages: 4, tokens: 0 },
  { id: "gcr", repo: "linuxserver/hedgedoc", n: 10, pages: 1, tokens: 1 },
  { id: "forgejo", repo: "library/ubuntu", n: 100, pages: 2, tokens: 1 },
];

/** Real tags among the entries: nulls and digest entries (checked to be digests of real tags) removed. */
function realTags(repo: string, entries: ReadonlyArray<string | null>): string[] {
  const tags = REPOS[repo]?.tags ?? [];
  const digests = new Set(tags.map((tag) => digestOf(repo, tag)));
  return entries.filter((entry): entry is string => {
    if (entry === null) return false;
    if (entry.startsWith("sha256:")) {
      assert.ok(digests.has(entry), `unexpected digest entry ${entry}`);
      return false;
    }
    return true;
  });
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ profiles: Object.keys(builtinProfiles), users: USERS });
});
after(async () => {
  await emulator.close();
});

describe("every built-in profile lists every tag", () => {
  test("each built-in profile is walked below", () => {
    assert.deepEqual(new Set(WALKS.map((w) => w.id)), new Set(Object.keys(builtinProfiles)));
  });

  for (const walk of WALKS) {
    test(`${walk.id}: ${walk.repo}${walk.n === undefined ? "" : ` n=${walk.n}`}`, async () => {
      const registry = emulator.get(walk.id);
      registry.resetCounts();
      const result = await walkTags(registry, walk.repo, walk);
      const tags = realTags(walk.repo, result.entries);
      const expected = REPOS[walk.repo]?.tags ?? [];
      assert.equal(tags.length, expected.length, "no tag missing or repeated");
      assert.deepEqual([...tags].sort(), [...expected].sort());
      assert.equal(result.pages, walk.pages);
      const counts = registry.counts();
      assert.deepEqual(counts, { ping: 1, token: walk.tokens, tags: walk.pages, manifest: 0, catalog: 0, vendor: 0, other: 0, total: 1 + walk.tokens + walk.pages });
      assert.ok(registry.requests.filter((r) => r.kind === "tags").every((r) => r.status === 200));

      const order = registry.profile.tags.order;
      if (order === "lexical") assert.deepEqual(tags, [...tags].sort(), "lexical order");
      if (order === "push") assert.deepEqual(tags, expected, "push order");
      if (order === "shuffled") {
        assert.notDeepEqual(tags, [...tags].sort(), "unsorted");
        assert.deepEqual((await walkTags(registry, walk.repo, walk)).entries, result.entries, "deterministic");
      }
    });
  }
});

/** big/repo (10,000 tags) with n=1000: the request counts quoted in the docs. */
const BIG: ReadonlyArray<readonly [id: string, tags: number, tokens: number, options: WalkOptions]> = [
  ["dockerhub", 10, 1, {}],
  ["ghcr", 10, 1, {}],
  ["ghcr-n0", 91, 1, {}], // 1000, then links with n=0: 90 pages of 100
  ["quay-2023", 200, 1, {}], // capped at 50
  ["quay-2024", 100, 1, {}], // capped at 100
  ["quay-2024-06", 100, 1, { n: 100 }], // n=1000 is a 413; a client must drop to 100
  ["distribution-2.8", 1, 0, {}],
  ["distribution-3", 11, 1, {}], // the 10th page is full, so an empty 11th follows
  ["distribution-3.1.0", 11, 1, {}],
  ["ecr", 91, 0, { credentials: ALICE }], // 1000, then links without n: 90 pages of 100
  ["harbor", 10, 1, {}],
  ["acr", 10, 1, {}],
  ["artifactory", 11, 0, {}], // 10,400 entries with the digests
  ["nexus", 11, 0, { continueWithoutLink: true }], // no Link: last full page → one empty page
  ["zot", 10, 0, {}],
  ["gcr", 1, 1, {}],
  ["forgejo", 10, 1, {}],
];

describe("big/repo at n=1000", () => {
  for (const [id, pages, tokens, options] of BIG) {
    test(`${id}: ${pages} tags requests`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      const result = await walkTags(registry, "big/repo", { n: 1000, ...options });
      assert.equal(new Set(realTags("big/repo", result.entries)).size, 10_000);
      assert.deepEqual(registry.counts(), { ping: 1, token: tokens, tags: pages, manifest: 0, catalog: 0, vendor: 0, other: 0, total: 1 + tokens + pages });
    });
  }

  test("quay-2024-06 refuses n=1000 with 413, ECR refuses anonymous reads", async () => {
    const quay = emulator.get("quay-2024-06");
    const refused = await fetch(`${quay.url}/v2/big/repo/tags/list?n=1000`);
    assert.equal(refused.status, 413);
    assert.equal(((await refused.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, "TOO_MANY_TAGS_REQUESTED");
    const ecr = await fetch(`${emulator.get("ecr").url}/v2/big/repo/tags/list?n=1000`);
    await ecr.arrayBuffer();
    assert.equal(ecr.status, 401);
  });
});

test("walker: challengeParams reads quoted, unquoted and double challenges", () => {
  assert.deepEqual(challengeParams('Bearer realm="https://a/token",service="s",scope="x y"', "bearer"), {
    realm: "https://a/token",
    service: "s",
    scope: "x y",
  });
  assert.deepEqual(challengeParams('bearer realm=http://h:1/token,service=zot,scope=""', "Bearer"), {
    realm: "http://h:1/token",
    service: "zot",
    scope: "",
  });
  const two = 'Bearer realm="http://h/v2/token",service="container_registry",scope="*",Basic realm="http://h/v2/token"';
  assert.deepEqual(challengeParams(two, "bearer"), { realm: "http://h/v2/token", service: "container_registry", scope: "*" });
  assert.deepEqual(challengeParams(two, "basic"), { realm: "http://h/v2/token" });
});

test("walker: nextLink reads bracketed and bare links", () => {
  assert.equal(nextLink('</v2/a/tags/list?last=b&n=2>; rel="next"'), "/v2/a/tags/list?last=b&n=2");
  assert.equal(nextLink('/v2/a/tags/list?n=2&last=b; rel="next"'), "/v2/a/tags/list?n=2&last=b");
  assert.equal(nextLink(null), undefined);
});
