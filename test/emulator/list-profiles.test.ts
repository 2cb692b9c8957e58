/**
 * The client against every emulator profile, through the public API: exact
 * tag sets (each tag once) and the number of requests each registry saw.
 * A listing may cost one 401 where auth is required, at most one token
 * request, and no page beyond what the profile's pagination needs for the
 * page size regtags asks for.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, isRegtagsError, type RegtagsClient } from "../../src/index.js";
import { builtinProfiles, defaultRepositories, startEmulator, type Emulator } from "../../src/emulator/index.js";

const USERS = { alice: "alice-password" };
const repositories = defaultRepositories();

/** Registry name each profile plays, so the client picks the matching client profile. */
function registryNameOf(profile: string): string {
  if (profile === "dockerhub") return "docker.io";
  if (profile === "ghcr") return "ghcr.io";
  if (profile.startsWith("quay")) return "quay.io";
  if (profile === "gcr") return "gcr.io";
  return "registry.test";
}

/**
 * Requests for big/repo (10,000 tags), as "tags requests (401s included) / token requests",
 * with why that is the minimum for the page size regtags sends. Profiles without a
 * registry name of their own are listed as `registry.test`, a name regtags has no
 * client profile for: it starts at n=10000 and learns (listing/page-size.ts). A page
 * of exactly the n asked and no link costs one PAG-6 check on such a registry.
 */
const BIG_REPO_REQUESTS: Record<string, { tags: number; token: number; why: string }> = {
  dockerhub: { tags: 2, token: 1, why: "no n: Hub sends every tag at once; one 401 first" },
  ghcr: { tags: 2, token: 1, why: "regtags asks ghcr for n=10000, which it honours: one page + one 401" },
  "ghcr-n0": { tags: 3, token: 1, why: "unknown name: n=10000 honoured in one page, one PAG-6 check, one 401 (n=1000 and links as given: 92)" },
  "quay-2023": { tags: 200, token: 0, why: "50 per page whatever n; anonymous reads need no token" },
  "quay-2024": { tags: 100, token: 0, why: "n=100 is quay's cap: 100 pages, no token" },
  "quay-2024-06": { tags: 100, token: 0, why: "n=100 stays under the 413 threshold" },
  "distribution-2.8": { tags: 2, token: 0, why: "ignores n: everything at once, no auth; 10,000 is the n asked, so one PAG-6 check (nothing new)" },
  "distribution-3": { tags: 12, token: 1, why: "n=10000 clamped to 1000, linked on: 10 full pages + the empty final page 3.x links to + one 401" },
  "distribution-3.1.0": { tags: 13, token: 1, why: "n=10000 refused (400) once, then as distribution-3 at n=1000" },
  ecr: { tags: 12, token: 0, why: "Basic: one 401; n=10000 refused (405), then 1000 a page: ECR's links drop n and are asked with n=1000" },
  harbor: { tags: 3, token: 1, why: "n=10000 in one page, one PAG-6 check, one 401" },
  acr: { tags: 11, token: 1, why: "n clamped to 1000, links echo n with orderby= (followed as given): 10 pages + one 401 (error=invalid_token on the first challenge is not a rejected token)" },
  artifactory: { tags: 2, token: 0, why: "10,400 entries (digests among them): a full page of 10000 with a link, then n=100000 for the rest" },
  nexus: { tags: 2, token: 0, why: "no Link: one page of 10000, then one PAG-6 continuation that comes back empty" },
  zot: { tags: 2, token: 0, why: "one page of 10000 and one PAG-6 check, anonymous" },
  gcr: { tags: 2, token: 1, why: "gcr.io sends everything; one 401" },
  forgejo: { tags: 3, token: 1, why: "n=10000 in one page, one PAG-6 check, one 401" },
};

describe("every emulator profile lists exact tag sets with the fewest requests", () => {
  let emulator: Emulator;
  const profileIds = Object.keys(builtinProfiles);

  before(async () => {
    emulator = await startEmulator({ profiles: profileIds, users: USERS });
  });
  after(async () => emulator?.close());

  function clientFor(profile: string, withCredentials = false): RegtagsClient {
    return createClient({
      endpoints: { [registryNameOf(profile)]: emulator.get(profile).url },
      ...(withCredentials ? { credentials: { username: "alice", password: USERS.alice } } : {}),
      retry: { attempts: 1 },
    });
  }

  test("every built-in profile has an expected request count", () => {
    assert.deepEqual(Object.keys(BIG_REPO_REQUESTS).sort(), [...profileIds].sort());
  });

  for (const profile of Object.keys(builtinProfiles)) {
    const needsCredentials = profile === "ecr";
    test(`${profile}: every public repository, exact and each tag once`, async () => {
      const client = clientFor(profile, needsCredentials);
      try {
        for (const [name, spec] of Object.entries(repositories)) {
          if (spec.private) continue;
          const list = await client.listTags(`${registryNameOf(profile)}/${name}`);
          assert.equal(list.repository, `${registryNameOf(profile)}/${name}`);
          assert.equal(new Set(list.tags).size, list.tags.length, `${name}: duplicates`);
          assert.deepEqual([...list.tags].sort(), [...spec.tags].sort(), `${profile} ${name}`);
        }
      } finally {
        await client.close();
      }
    });

    test(`${profile}: big/repo in ${BIG_REPO_REQUESTS[profile]?.tags} tags requests and ${BIG_REPO_REQUESTS[profile]?.token} token requests`, async () => {
      const expected = BIG_REPO_REQUESTS[profile]!;
      const registry = emulator.get(profile);
      const client = clientFor(profile, needsCredentials);
      try {
        registry.resetCounts();
        const list = await client.listTags(`${registryNameOf(profile)}/big/repo`);
        assert.equal(list.tags.length, 10_000);
        const counts = registry.counts();
        assert.deepEqual(
          { tags: counts.tags, token: counts.token, ping: counts.ping, other: counts.other },
          { tags: expected.tags, token: expected.token, ping: 0, other: 0 },
          expected.why,
        );
      } finally {
        await client.close();
      }
    });
  }

  test("the registry's order is kept (push order on ghcr, lexical on quay-2024)", async () => {
    for (const profile of ["ghcr", "quay-2024"]) {
      const client = clientFor(profile);
      try {
        const list = await client.listTags(`${registryNameOf(profile)}/linuxserver/hedgedoc`);
        const pushOrder = [...repositories["linuxserver/hedgedoc"]!.tags];
        assert.deepEqual(list.tags, profile === "ghcr" ? pushOrder : [...pushOrder].sort());
      } finally {
        await client.close();
      }
    }
  });

  test("private repositories: anonymous is refused on every auth profile (404 where the profile hides them); credentials open them", async () => {
    for (const profile of profileIds) {
      const auth = builtinProfiles[profile]!.auth;
      if (auth.kind === "none") continue;
      const hidden = auth.kind === "bearer" && auth.privateRepository === "not-found";
      const anonymous = clientFor(profile);
      const ref = `${registryNameOf(profile)}/private/repo`;
      try {
        await assert.rejects(anonymous.listTags(ref), (e: unknown) => isRegtagsError(e) && e.code === (hidden ? "ERR_NOT_FOUND" : "ERR_AUTH") && /private\/repo/.test(e.message), profile);
      } finally {
        await anonymous.close();
      }
      const authed = clientFor(profile, true);
      try {
        const list = await authed.listTags(ref);
        assert.deepEqual([...list.tags].sort(), [...repositories["private/repo"]!.tags].sort(), profile);
      } finally {
        await authed.close();
      }
    }
  });

  test("a missing repository: not found (404) or auth error (Hub, ghcr, quay answer 401), naming it", async () => {
    for (const profile of profileIds) {
      const client = clientFor(profile, profile === "ecr");
      const ref = `${registryNameOf(profile)}/nobody/nothing`;
      try {
        await assert.rejects(client.listTags(ref), (e: unknown) => {
          assert.ok(isRegtagsError(e), profile);
          assert.ok(e.code === "ERR_NOT_FOUND" || e.code === "ERR_AUTH", `${profile}: ${e.code} ${e.message}`);
          assert.match(e.message, /nobody\/nothing/, profile);
          return true;
        });
      } finally {
        await client.close();
      }
    }
  });
});
