/**
 * Protocol edge cases of the core listing, through the public library API
 * (createClient) against emulator profiles with overridden knobs: token
 * expiry and renewal (TOK-8), rejected tokens, scopes (ghcr's placeholder),
 * challenge shapes (CH-2, CH-10, TOK-4), redirects and cross-origin links
 * (TOK-10), rejected page sizes (PAG-7), cancellation, empty lists (PAG-2)
 * and duplicates across pages (PAG-8). Every case checks the exact tag list
 * and the requests the emulator recorded, so a loop or a lost page shows.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient, isRegtagsError, type ClientOptions, type RegtagsClient } from "../../src/index.js";
import {
  builtinProfiles,
  defaultRepositories,
  startEmulator,
  type EmulatedRegistry,
  type Emulator,
  type EmulatorProfile,
  type RecordedRequest,
  VirtualClock,
} from "../../src/emulator/index.js";

const USERS = { alice: "alice-password" };
const ALICE = { username: "alice", password: USERS.alice };
const REPOS = defaultRepositories();
/** 100 tags whose push order is also their lexical order. */
const MANY = Array.from({ length: 100 }, (_, i) => `t${String(i + 1).padStart(3, "0")}`);

const profile = (id: string): EmulatorProfile => {
  const found = builtinProfiles[id];
  assert.ok(found !== undefined, id);
  return found;
};
const dist3 = profile("distribution-3");

/** Tags of a default repository in lexical (code unit) order, as lexical profiles serve them. */
const lexical = (repo: string): string[] => [...(REPOS[repo]?.tags ?? [])].sort();
const pushOrder = (repo: string): string[] => [...(REPOS[repo]?.tags ?? [])];

/** A spread of distribution-3 with a new id and a changed token response. */
function dist3WithToken(id: string, token: Partial<NonNullable<Extract<EmulatorProfile["auth"], { kind: "bearer" }>["token"]>>): EmulatorProfile {
  const auth = dist3.auth;
  assert.ok(auth.kind === "bearer");
  return { ...dist3, id, auth: { ...auth, token: { ...auth.token, ...token } } };
}

function clientFor(registry: EmulatedRegistry, name: string, options: ClientOptions = {}): RegtagsClient {
  return createClient({ endpoints: { [name]: registry.url }, retry: { attempts: 1 }, ...options });
}

async function withClient<T>(client: RegtagsClient, run: (client: RegtagsClient) => Promise<T>): Promise<T> {
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

const tagsRequests = (registry: EmulatedRegistry): RecordedRequest[] => registry.requests.filter((r) => r.kind === "tags");
const tokenRequests = (registry: EmulatedRegistry): RecordedRequest[] => registry.requests.filter((r) => r.kind === "token");

describe("TOK-8: tokens that expire during a listing", () => {
  const LATENCY_MS = 40;
  // Token lifetimes and the emulator's round trips on one virtual clock: no real second passes.
  const clock = new VirtualClock();
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      profiles: [
        // Announces 300 s but dies after 0.3 s: only the invalid_token 401 tells.
        dist3WithToken("lying-lifetime", { expiresIn: 300, lifetimeSeconds: 0.3 }),
        // Announces exactly what it enforces: 1 s.
        dist3WithToken("honest-lifetime", { expiresIn: 1, lifetimeSeconds: 1 }),
      ],
      repositories: { "app/many": { tags: MANY } },
      latencyMs: LATENCY_MS,
      clock,
    });
  });
  after(async () => emulator?.close());

  test("a token that dies before its announced expiry is renewed after the invalid_token 401; no page lost or repeated", async () => {
    const registry = emulator.get("lying-lifetime");
    registry.resetCounts();
    const started = clock.now();
    const list = await withClient(clientFor(registry, "r.test", { pageSize: 10, clock }), (c) => c.listTags("r.test/app/many"));
    const elapsedMs = clock.now() - started;
    assert.deepEqual(list.tags, MANY);
    assert.equal(list.pages, 11, "10 full pages + the empty page distribution 3 links after a full one");

    const tags = tagsRequests(registry);
    const served = tags.filter((r) => r.status === 200).map((r) => r.query);
    assert.equal(served.length, list.pages, "each page fetched once");
    assert.equal(new Set(served).size, served.length, "no page repeated");
    const refused = tags.filter((r) => r.status === 401);
    assert.ok(refused.length >= 2, `the token expired mid-listing (${elapsedMs} ms) and was renewed: ${refused.length} 401s`);
    tags.forEach((r, i) => {
      if (r.status !== 401) return;
      assert.deepEqual([tags[i + 1]?.status, tags[i + 1]?.query], [200, r.query], "a refused page is asked for again, once, and served");
    });
    // One token per 401, never more: renewal once per expiry, never a loop.
    assert.equal(tokenRequests(registry).length, refused.length);
    assert.ok(refused.length <= 1 + Math.ceil(elapsedMs / 300), `token requests bounded by the listing time: ${refused.length}`);
    assert.deepEqual(registry.requests.map((r) => r.status).filter((s) => s !== 200 && s !== 401), []);
  });

  test("a token whose lifetime is announced honestly is renewed before it expires: only the first request sees a 401", async () => {
    const registry = emulator.get("honest-lifetime");
    registry.resetCounts();
    const started = clock.now();
    const list = await withClient(clientFor(registry, "r.test", { pageSize: 3, clock }), (c) => c.listTags("r.test/app/many"));
    const elapsedMs = clock.now() - started;
    assert.deepEqual(list.tags, MANY);
    assert.ok(elapsedMs > 1100, `the listing outlasted the 1 s token (${elapsedMs} ms)`);
    const statuses = tagsRequests(registry).map((r) => r.status);
    assert.deepEqual(statuses, [401, ...Array<number>(list.pages).fill(200)], "no invalid_token 401 after the first challenge");
    const tokens = tokenRequests(registry);
    assert.ok(tokens.length >= 2 && tokens.length <= 1 + Math.ceil(elapsedMs / 900), `renewed ahead of expiry: ${tokens.length} token requests in ${elapsedMs} ms`);
    assert.ok(tokens.every((r) => r.status === 200));
  });
});

describe("protocol edge cases against overridden profiles", () => {
  let emulator: Emulator;
  before(async () => {
    const quay2024 = profile("quay-2024");
    emulator = await startEmulator({
      profiles: [
        { ...dist3, id: "rejects-renewed", faults: { rejectTokensFromTagsRequest: 3 } },
        dist3WithToken("dead-on-arrival", { expiresIn: 300, lifetimeSeconds: 0 }),
        "ghcr",
        { ...quay2024, id: "k8s-redirect", faults: { redirectTagsDroppingQuery: true } },
        { ...quay2024, id: "quay-foreign", faults: { foreignLink: true } },
        { ...dist3, id: "dist3-foreign", faults: { foreignLink: true } },
        { ...profile("ecr"), id: "ecr-foreign", faults: { foreignLink: true } },
        "forgejo",
        "zot",
        "ecr",
        "harbor",
        "acr",
        "quay-2024-06",
        "distribution-3.1.0",
        "distribution-2.8",
        { ...dist3, id: "omits-tags", tags: { ...dist3.tags, body: { ...dist3.tags.body, emptyRepository: "omit" } } },
        { ...dist3, id: "repeats-last", tags: { ...dist3.tags, body: { ...dist3.tags.body, repeatPreviousLast: true } } },
      ],
      users: USERS,
    });
  });
  after(async () => emulator?.close());

  test("TOK-8: a token rejected again right after its renewal is an AuthError, not a loop", async () => {
    const registry = emulator.get("rejects-renewed");
    registry.resetCounts();
    await withClient(clientFor(registry, "r.test", { pageSize: 50 }), async (client) => {
      await assert.rejects(client.listTags("r.test/library/ubuntu"), (e: unknown) => {
        assert.ok(isRegtagsError(e) && e.code === "ERR_AUTH", String(e));
        assert.match(e.message, /^r\.test\/library\/ubuntu: the registry refused a token its token service had just issued \(invalid_token\)/);
        return true;
      });
    });
    // 401 (no token), page 1, 401 invalid_token, renewed token, 401 again: stop.
    assert.deepEqual(tagsRequests(registry).map((r) => r.status), [401, 200, 401, 401]);
    assert.equal(tokenRequests(registry).length, 2);
  });

  test("TOK-8: a token that is dead on arrival is one AuthError after one token request", async () => {
    const registry = emulator.get("dead-on-arrival");
    registry.resetCounts();
    await withClient(clientFor(registry, "r.test"), async (client) => {
      await assert.rejects(client.listTags("r.test/library/ubuntu"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_AUTH" && /invalid_token/.test(e.message));
    });
    assert.deepEqual(registry.requests.map((r) => [r.kind, r.status]), [["tags", 401], ["token", 200], ["tags", 401]]);
  });

  test("ghcr: the token request asks for exactly repository:<name>:pull, never the ping's placeholder scope", async () => {
    const registry = emulator.get("ghcr");
    registry.resetCounts();
    const list = await withClient(clientFor(registry, "ghcr.io", { pageSize: 100 }), (c) => c.listTags("ghcr.io/linuxserver/hedgedoc"));
    assert.deepEqual(list.tags, pushOrder("linuxserver/hedgedoc"));
    const tokens = tokenRequests(registry);
    assert.equal(tokens.length, 1);
    for (const request of tokens) {
      assert.deepEqual(new URLSearchParams(request.query).getAll("scope"), ["repository:linuxserver/hedgedoc:pull"]);
      assert.doesNotMatch(decodeURIComponent(request.query), /user\/image/);
    }
    assert.equal(registry.counts().ping, 0, "no ping, so no placeholder challenge either");
  });

  test("a 307 that drops the query (registry.k8s.io style) still yields the exact list", async () => {
    const registry = emulator.get("k8s-redirect");
    registry.resetCounts();
    const list = await withClient(clientFor(registry, "quay.io"), (c) => c.listTags("quay.io/linuxserver/hedgedoc"));
    assert.deepEqual(list.tags, lexical("linuxserver/hedgedoc"));
    const requests = tagsRequests(registry);
    assert.deepEqual(requests[0] && [requests[0].server, requests[0].status, requests[0].query], ["registry", 307, "n=100"]);
    assert.ok(requests.slice(1).every((r) => r.server === "foreign" && r.status === 200), "the rest on the redirect target, each once");
    assert.equal(requests.length, 1 + Math.ceil(lexical("linuxserver/hedgedoc").length / 100));
  });

  test("TOK-10: a cross-origin Link is followed and gets no Authorization", async () => {
    const registry = emulator.get("quay-foreign");
    registry.resetCounts();
    const list = await withClient(clientFor(registry, "quay.io", { credentials: ALICE }), (c) => c.listTags("quay.io/linuxserver/hedgedoc"));
    assert.deepEqual(list.tags, lexical("linuxserver/hedgedoc"));
    const foreign = registry.requests.filter((r) => r.server === "foreign");
    assert.equal(foreign.length, Math.ceil(list.tags.length / 100) - 1);
    assert.deepEqual([...new Set(foreign.map((r) => r.authScheme))], ["none"]);
  });

  test("TOK-10: a token bought with credentials never goes to a foreign origin that names the same realm", async () => {
    const registry = emulator.get("dist3-foreign");
    registry.resetCounts();
    const list = await withClient(clientFor(registry, "r.test", { credentials: ALICE, pageSize: 50 }), (c) => c.listTags("r.test/library/ubuntu"));
    assert.deepEqual(list.tags, lexical("library/ubuntu"));
    const foreign = registry.requests.filter((r) => r.server === "foreign");
    assert.ok(foreign.length >= 2);
    assert.deepEqual(foreign.filter((r) => r.user !== undefined), [], "no foreign request authenticated as alice");
    assert.deepEqual(tokenRequests(registry).map((r) => r.user), ["alice", undefined], "the foreign origin got an anonymous token of its own");

    // A private repository: its pages cannot be read anonymously on the foreign origin.
    registry.resetCounts();
    await withClient(clientFor(registry, "r.test", { credentials: ALICE, pageSize: 10 }), async (client) => {
      await assert.rejects(client.listTags("r.test/private/repo"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_AUTH" && /private\/repo/.test(e.message));
    });
    assert.deepEqual(registry.requests.filter((r) => r.server === "foreign" && r.user !== undefined), []);
    assert.ok(registry.requests.length <= 8, `bounded: ${registry.requests.length} requests`);
  });

  test("TOK-10: Basic credentials are never sent to a foreign origin; the listing stops with an AuthError", async () => {
    const registry = emulator.get("ecr-foreign");
    registry.resetCounts();
    await withClient(clientFor(registry, "r.test", { credentials: ALICE, pageSize: 100 }), async (client) => {
      await assert.rejects(client.listTags("r.test/linuxserver/hedgedoc"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_AUTH");
    });
    const foreign = registry.requests.filter((r) => r.server === "foreign");
    assert.deepEqual(foreign.map((r) => [r.status, r.authScheme]), [[401, "none"], [401, "none"]]);
    assert.deepEqual(registry.requests.filter((r) => r.server === "registry").map((r) => [r.status, r.authScheme]), [[401, "none"], [200, "basic"]]);
  });

  describe("challenge shapes: one 401 and at most one token request each", () => {
    const cases: ReadonlyArray<{ id: string; why: string; repo: string; order: "lexical" | "push"; credentials?: boolean; tokens: number }> = [
      { id: "forgejo", why: "Bearer and Basic in one header value (CH-2, CH-10)", repo: "library/ubuntu", order: "lexical", tokens: 1 },
      { id: "zot", why: "lower-case, unquoted bearer (CH-3)", repo: "private/repo", order: "lexical", credentials: true, tokens: 1 },
      { id: "ecr", why: "Basic with a service parameter (TOK-9)", repo: "linuxserver/hedgedoc", order: "lexical", credentials: true, tokens: 0 },
      { id: "harbor", why: "empty access_token beside the real token (TOK-4)", repo: "library/ubuntu", order: "lexical", tokens: 1 },
      { id: "acr", why: 'error="invalid_token" on the first, tokenless challenge', repo: "library/ubuntu", order: "lexical", tokens: 1 },
    ];
    for (const c of cases) {
      test(`${c.id}: ${c.why}`, async () => {
        const registry = emulator.get(c.id);
        registry.resetCounts();
        const options: ClientOptions = c.credentials === true ? { credentials: ALICE } : {};
        const list = await withClient(clientFor(registry, "r.test", options), (client) => client.listTags(`r.test/${c.repo}`));
        if (c.id === "ecr") assert.deepEqual([...list.tags].sort(), lexical(c.repo), "ECR lists unsorted");
        else assert.deepEqual(list.tags, c.order === "lexical" ? lexical(c.repo) : pushOrder(c.repo));
        const tags = tagsRequests(registry);
        // ECR refuses the n=10000 regtags starts with on a registry it has no profile for (405), once.
        const refusals = c.id === "ecr" ? [405] : [];
        assert.deepEqual(tags.map((r) => r.status), [401, ...refusals, ...Array<number>(tags.length - 1 - refusals.length).fill(200)]);
        assert.equal(tags[0]?.authScheme, "none");
        assert.ok(tags.slice(1).every((r) => r.authScheme === (c.tokens === 0 ? "basic" : "bearer")));
        assert.equal(tokenRequests(registry).length, c.tokens);
        assert.equal(registry.counts().ping, 0);
      });
    }
  });

  describe("PAG-7: a rejected page size is retried smaller on the URL regtags built", () => {
    const cases: ReadonlyArray<{ id: string; name: string; repo: string; pageSize: number; statuses: number[]; queries: RegExp[]; credentials?: boolean }> = [
      { id: "quay-2024-06", name: "quay.io", repo: "library/ubuntu", pageSize: 1000, statuses: [413, 200, 200], queries: [/^n=1000$/, /^n=100$/, /^n=100&last=/] },
      { id: "distribution-3.1.0", name: "r.test", repo: "library/ubuntu", pageSize: 5000, statuses: [401, 400, 200], queries: [/^n=5000$/, /^n=5000$/, /^n=1000$/] },
      { id: "ecr", name: "r.test", repo: "linuxserver/hedgedoc", pageSize: 5000, statuses: [401, 405, 200], queries: [/^n=5000$/, /^n=5000$/, /^n=1000$/], credentials: true },
    ];
    for (const c of cases) {
      test(`${c.id}: n=${c.pageSize} → ${c.statuses.find((s) => s !== 401)} → smaller n, exact list`, async () => {
        const registry = emulator.get(c.id);
        registry.resetCounts();
        const options: ClientOptions = { pageSize: c.pageSize, ...(c.credentials === true ? { credentials: ALICE } : {}) };
        const list = await withClient(clientFor(registry, c.name, options), (client) => client.listTags(`${c.name}/${c.repo}`));
        if (c.id === "ecr") assert.deepEqual([...list.tags].sort(), lexical(c.repo));
        else assert.deepEqual(list.tags, lexical(c.repo));
        const tags = tagsRequests(registry);
        assert.deepEqual(tags.map((r) => r.status), c.statuses);
        tags.forEach((r, i) => assert.match(r.query, c.queries[i] as RegExp));
      });
    }
  });

  test("PAG-2: tags null, [] or missing for an empty repository give []", async () => {
    for (const [id, name] of [["distribution-2.8", "r.test"], ["ghcr", "ghcr.io"], ["omits-tags", "r.test"], ["harbor", "r.test"]] as const) {
      const registry = emulator.get(id);
      const list = await withClient(clientFor(registry, name), (client) => client.listTags(`${name}/empty/repo`));
      assert.deepEqual(list.tags, [], id);
      assert.equal(list.repository, `${name}/empty/repo`);
    }
  });

  test("PAG-8: a page that starts with the previous page's last tag adds each tag once, in order", async () => {
    const registry = emulator.get("repeats-last");
    registry.resetCounts();
    const list = await withClient(clientFor(registry, "r.test", { pageSize: 10 }), (client) => client.listTags("r.test/library/ubuntu"));
    assert.deepEqual(list.tags, lexical("library/ubuntu"));
    assert.equal(list.pages, Math.ceil(list.tags.length / 10));
  });
});

describe("cancellation", () => {
  const LATENCY_MS = 50;
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profiles: ["quay-2023"], latencyMs: LATENCY_MS });
  });
  after(async () => emulator?.close());

  test("aborting while a page is in flight rejects with ERR_ABORTED", async () => {
    // An emulator whose round trips end only when the test moves its clock: the third
    // request is held in flight for as long as it takes, so only the abort can end it
    // (a missed abort would end as an idle timeout, ERR_NETWORK, or a third page).
    const held = new VirtualClock({ autoAdvance: false });
    const slow = await startEmulator({ profiles: ["quay-2023"], latencyMs: LATENCY_MS, clock: held });
    const controller = new AbortController();
    let pages = 0;
    let releasing = true;
    const pump = setInterval(() => {
      if (held.pending === 0) return;
      if (releasing) void held.advance(LATENCY_MS);
      else controller.abort();
    }, 1);
    try {
      await withClient(clientFor(slow.get("quay-2023"), "quay.io"), async (client) => {
        await assert.rejects(
          (async () => {
            for await (const page of client.listTagPages("quay.io/big/repo", { signal: controller.signal })) {
              assert.equal(page.tags.length, 50);
              if (++pages === 2) releasing = false;
            }
          })(),
          (e: unknown) => isRegtagsError(e) && e.code === "ERR_ABORTED",
        );
      });
    } finally {
      clearInterval(pump);
      await slow.close();
    }
    assert.equal(pages, 2);
  });

  test("an already aborted signal sends nothing", async () => {
    const registry = emulator.get("quay-2023");
    await sleep(LATENCY_MS * 2); // the emulator logs a request when it answers: let earlier ones land
    registry.resetCounts();
    await withClient(clientFor(registry, "quay.io"), async (client) => {
      await assert.rejects(client.listTags("quay.io/big/repo", { signal: AbortSignal.abort() }), (e: unknown) => isRegtagsError(e) && e.code === "ERR_ABORTED");
    });
    await sleep(LATENCY_MS * 2);
    assert.equal(registry.requests.length, 0);
  });

  test("breaking out of for await stops the listing: the emulator sees no further request", async () => {
    const registry = emulator.get("quay-2023");
    await sleep(LATENCY_MS * 2);
    registry.resetCounts();
    const seen: string[] = [];
    await withClient(clientFor(registry, "quay.io"), async (client) => {
      for await (const page of client.listTagPages("quay.io/big/repo")) {
        seen.push(...page.tags);
        if (page.index === 1) break;
      }
    });
    assert.equal(seen.length, 100);
    assert.equal(new Set(seen).size, 100);
    await sleep(LATENCY_MS * 3);
    assert.equal(tagsRequests(registry).length, 2);
  });
});
