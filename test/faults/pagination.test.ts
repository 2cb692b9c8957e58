/**
 * Pagination safety (PAG-3, PAG-7, PAG-9): a repeating next link, a page that
 * brings nothing new, a `last` cursor that goes backwards, the page cap, each
 * as an IncompleteListError that names the rule and carries what was listed,
 * or with `allowPartial` a shorter listing and a warning; a rejected `n` in
 * each vendor's form, stepped down once per step; broken Link shapes; a 307
 * that drops the query; links and realms on other origins.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { IncompleteListError, type IncompleteListError as Incomplete } from "../../src/index.js";
import { startEmulator, type EmulatorProfile, type Emulator, type ErrorAnswer } from "../../src/emulator/index.js";
import { escape, numbered, paginating, profile, rejection, statuses, tagsRequests, tokenProfile, tokenRequests, withHarness } from "./helpers.js";

const TAGS = numbered(120);
/** The same tags served newest first: not sorted by name. */
const REVERSED = [...TAGS].reverse();
const USERS = { alice: "alice-password" };
const ALICE = { username: "alice", password: USERS.alice };

/** `paginating` with `n` capped at `max`; larger `n` answered with `overMax`. */
function capped(id: string, max: number, overMax: ErrorAnswer): EmulatorProfile {
  const base = paginating(id);
  return { ...base, tags: { ...base.tags, paging: { ...base.tags.paging, maxPageSize: max, overMax } } };
}

let emulator: Emulator;
before(async () => {
  const pushOrder = paginating("push-backwards", { cursorBackwards: true });
  emulator = await startEmulator({
    profiles: [
      paginating("loop", { linkLoop: true }),
      paginating("backwards", { cursorBackwards: true }),
      { ...pushOrder, tags: { ...pushOrder.tags, order: "push" } },
      paginating("plain"),
      capped("rejects-400", 50, { status: 400, code: "PAGINATION_NUMBER_INVALID" }),
      capped("rejects-405", 50, { status: 405, code: "UNSUPPORTED", message: "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'" }),
      capped("rejects-413", 50, { status: 413, code: "TOO_MANY_TAGS_REQUESTED", message: "too many tags requested: n must be at most 100" }),
      capped("rejects-every-n", 0, { status: 400, code: "PAGINATION_NUMBER_INVALID" }),
      { ...paginating("bare-link"), tags: { ...paginating("x").tags, link: { form: "relative", order: "cursor-first", n: "as-requested", angleBrackets: false } } },
      paginating("drops-namespace", { linkDropsFirstComponent: true }),
      tokenProfile("k8s-redirect-token", { redirectTagsDroppingQuery: true }),
      tokenProfile("foreign-link-token", { foreignLink: true }),
      profile("dockerhub"),
    ],
    repositories: { "app/x": { tags: TAGS }, "app/newest-first": { tags: REVERSED }, "private/repo": { tags: TAGS, private: true } },
    users: USERS,
  });
});
after(async () => emulator?.close());

const listed = (url: string, count: number) => `${count} tags listed`;

describe("stops with an error that names the rule", () => {
  test("a next link that repeats: IncompleteListError with the partial list; the loop URL is fetched once", async () => {
    const registry = emulator.get("loop");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10 }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.ok(error instanceof IncompleteListError);
    assert.equal(error.message, `r.test/app/x: the registry's next link repeats ${registry.url}/v2/app/x/tags/list?last=v010&n=10 (a pagination loop); listed 20 tags before stopping`);
    assert.deepEqual(error.partial, TAGS.slice(0, 20));
    assert.equal(tagsRequests(registry).length, 2);
  });

  test("a `last` cursor that goes backwards on a list sorted by name: stopped before following it", async () => {
    const registry = emulator.get("backwards");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10 }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.ok(error instanceof IncompleteListError);
    assert.equal(
      error.message,
      `r.test/app/x: the next link's cursor goes backwards (last="v009" after last="v010") on a list sorted by name, at ${registry.url}/v2/app/x/tags/list?last=v009&n=10; stopping instead of looping, 20 tags listed`,
    );
    assert.deepEqual(error.partial, TAGS.slice(0, 20));
    assert.equal(tagsRequests(registry).length, 2, "the backwards link is never fetched");
  });

  test("a page that brings nothing new but links on (an unsorted list going back): stopped after that page", async () => {
    const registry = emulator.get("push-backwards");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10 }, (h) => rejection(h.client.listTags("r.test/app/newest-first")));
    assert.ok(error instanceof IncompleteListError);
    assert.match(error.message, new RegExp(`^r\\.test/app/newest-first: page 3 \\(${escape(registry.url)}/v2/app/newest-first/tags/list\\?last=v112&n=10\\) brought no new tags but links to another page; stopping instead of looping, 20 tags listed$`));
    assert.deepEqual(error.partial, REVERSED.slice(0, 20));
    assert.equal(tagsRequests(registry).length, 3);
  });

  test("the page cap: IncompleteListError after exactly maxPages requests", async () => {
    const registry = emulator.get("plain");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10, maxPages: 5 }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.ok(error instanceof IncompleteListError);
    assert.equal(error.message, "r.test/app/x: stopped at the page cap of 5 pages with 50 tags listed; raise the maxPages option to go on");
    assert.deepEqual(error.partial, TAGS.slice(0, 50));
    assert.equal(tagsRequests(registry).length, 5);
  });
});

describe("allowPartial: the pages before the stop, a warning, and onIncomplete", () => {
  const cases: ReadonlyArray<readonly [string, string, number, number, RegExp]> = [
    ["loop", "app/x", 10, 100_000, /a pagination loop/],
    ["backwards", "app/x", 10, 100_000, /cursor goes backwards/],
    ["plain", "app/x", 10, 3, /page cap of 3 pages/],
  ];
  for (const [id, repo, pageSize, maxPages, why] of cases) {
    test(`${id}: listTags resolves with the partial list`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      const reasons: Incomplete[] = [];
      await withHarness(registry, "r.test", { pageSize, maxPages, allowPartial: true, onIncomplete: (e) => reasons.push(e) }, async (h) => {
        const list = await h.client.listTags(`r.test/${repo}`);
        assert.equal(reasons.length, 1);
        assert.match(reasons[0]!.message, why);
        assert.deepEqual(list.tags, reasons[0]!.partial);
        assert.ok(list.tags.length > 0 && list.tags.length < TAGS.length);
        assert.deepEqual(h.warnings(), [`${reasons[0]!.message}; the output holds only what was listed before that (the allowPartial option)`]);
      });
    });
  }
});

describe("PAG-7: a rejected n is retried smaller, once per step, and the listing goes on", () => {
  const forms: ReadonlyArray<readonly [string, number]> = [
    ["rejects-400", 400],
    ["rejects-405", 405],
    ["rejects-413", 413],
  ];
  for (const [id, status] of forms) {
    test(`${status}: n=5000 → 1000 → 100 → 50, then 120 tags in pages of 50`, async () => {
      const registry = emulator.get(id);
      registry.resetCounts();
      const list = await withHarness(registry, "r.test", { pageSize: 5000 }, async (h) => {
        const result = await h.client.listTags("r.test/app/x");
        assert.equal(h.warnings().length, 3);
        assert.match(h.warnings()[0]!, new RegExp(`^r\\.test/app/x: the registry rejected n=5000 \\(${status}\\); retrying with n=1000$`));
        return result;
      });
      assert.deepEqual(list.tags, TAGS);
      const tags = tagsRequests(registry);
      assert.deepEqual(statuses(tags), [status, status, status, 200, 200, 200]);
      assert.deepEqual(tags.map((r) => new URLSearchParams(r.query).get("n")), ["5000", "1000", "100", "50", "50", "50"]);
    });
  }

  test("a registry that rejects every n: the last step sends none, and the server's default page is used", async () => {
    const registry = emulator.get("rejects-every-n");
    registry.resetCounts();
    const list = await withHarness(registry, "r.test", { pageSize: 100 }, (h) => h.client.listTags("r.test/app/x"));
    assert.deepEqual(list.tags, TAGS);
    assert.deepEqual(tagsRequests(registry).map((r) => r.query), ["n=100", "n=50", ""]);
  });
});

describe("links and redirects", () => {
  test("a Link without angle brackets is a ProtocolError naming the URL, never a silently short list", async () => {
    const registry = emulator.get("bare-link");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10 }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.equal(error.code, "ERR_PROTOCOL");
    assert.match(error.message, new RegExp(`^r\\.test/app/x: GET ${escape(registry.url)}/v2/app/x/tags/list\\?n=10: .*Link`));
    assert.equal(tagsRequests(registry).length, 1);
  });

  test("a Link that loses the namespace (Artifactory RTFACT-18971): the 404 names the URL it came from", async () => {
    const registry = emulator.get("drops-namespace");
    registry.resetCounts();
    const error = await withHarness(registry, "r.test", { pageSize: 10 }, (h) => rejection(h.client.listTags("r.test/app/x")));
    assert.equal(error.code, "ERR_NOT_FOUND");
    assert.match(error.message, new RegExp(`at ${escape(registry.url)}/v2/x/tags/list\\?last=v010&n=10$`));
    assert.deepEqual(statuses(tagsRequests(registry)), [200, 404]);
  });

  test("a 307 to another origin dropping the query (registry.k8s.io), with credentials: exact list, credentials stay home", async () => {
    const registry = emulator.get("k8s-redirect-token");
    registry.resetCounts();
    const list = await withHarness(registry, "r.test", { pageSize: 10, credentials: ALICE }, (h) => h.client.listTags("r.test/app/x"));
    // The redirect target serves its default page (everything at once here) without the query.
    assert.deepEqual(list.tags, TAGS);
    const foreign = registry.requests.filter((r) => r.server === "foreign");
    assert.ok(foreign.length >= 1);
    assert.deepEqual(foreign.filter((r) => r.authScheme === "basic" || r.user !== undefined), [], "no credentials and no token bought with them reach the other origin");
    assert.deepEqual(tokenRequests(registry).filter((r) => r.authScheme === "basic").length <= 1, true);
    assert.ok(registry.requests.length <= 10, `bounded: ${registry.requests.length} requests`);
  });

  test("a cross-origin Link with credentials: followed, anonymous there, exact list", async () => {
    const registry = emulator.get("foreign-link-token");
    registry.resetCounts();
    const list = await withHarness(registry, "r.test", { pageSize: 10, credentials: ALICE }, (h) => h.client.listTags("r.test/app/x"));
    assert.deepEqual(list.tags, TAGS);
    assert.deepEqual(registry.requests.filter((r) => r.server === "foreign" && (r.user !== undefined || r.authScheme === "basic")), []);
    assert.ok(tokenRequests(registry).length <= 2, "one token for home, one anonymous token for the other origin");
  });

  test("a realm on another origin (Hub's auth.docker.io): one token request there, then every page", async () => {
    const registry = emulator.get("dockerhub");
    registry.resetCounts();
    const list = await withHarness(registry, "docker.io", { credentials: ALICE }, (h) => h.client.listTags("docker.io/app/x"));
    assert.deepEqual(list.tags, TAGS);
    const tokens = registry.requests.filter((r) => r.kind === "token");
    assert.deepEqual(tokens.map((r) => [r.server, r.user]), [["auth", "alice"]]);
  });
});

void listed;
