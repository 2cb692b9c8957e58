/**
 * Each fault knob once (link loop, 429 with Retry-After, 307 dropping the query, a
 * link to another origin, a link that loses the first path component, a replaced
 * tags body, tokens refused from the k-th request), the body quirk knobs not used by
 * a built-in profile, added latency, and who each logged request authenticated as.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { builtinProfiles, startEmulator, VirtualClock, type Emulator, type EmulatorProfile, type FaultProfile } from "./index.js";
import { basic, challengeParams, nextLink, requestToken, tokenOf } from "./walk.test.js";

const dist28 = builtinProfiles["distribution-2.8"] as EmulatorProfile;
const hub = builtinProfiles["dockerhub"] as EmulatorProfile;
const dist3 = builtinProfiles["distribution-3"] as EmulatorProfile;

/** distribution-2.8 without auth, but paginating with relative links, plus a fault. */
function paginating(id: string, faults: FaultProfile, body: Partial<EmulatorProfile["tags"]["body"]> = {}): EmulatorProfile {
  return {
    ...dist28,
    id,
    tags: {
      ...dist28.tags,
      order: "lexical",
      paging: { ...dist28.tags.paging, ignoreParams: false },
      link: { ...dist28.tags.link, form: "relative" },
      body: { ...dist28.tags.body, ...body },
    },
    faults,
  };
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: [
      paginating("loop", { linkLoop: true }),
      { ...hub, id: "hub-429", faults: { rateLimit: { onTagsRequest: 2, times: 2, retryAfterSeconds: 7 } } },
      paginating("redirect", { redirectTagsDroppingQuery: true }),
      paginating("foreign", { foreignLink: true }),
      paginating("drop-prefix", { linkDropsFirstComponent: true }),
      paginating("quirky", {}, { repeatPreviousLast: true, nullEntryPerPage: true }),
      { ...paginating("bare-link", {}), tags: { ...paginating("x", {}).tags, link: { form: "relative", order: "cursor-first", n: "as-requested", angleBrackets: false } } },
      paginating("html", { tagsBody: { contentType: "text/html", body: "<html><body>Sign in</body></html>" } }),
      { ...dist3, id: "revoked", faults: { rejectTokensFromTagsRequest: 3 } },
    ],
    users: { alice: "wonderland" },
  });
});
after(async () => {
  await emulator.close();
});

async function get(url: string, init: RequestInit = {}): Promise<{ response: Response; body: string }> {
  const response = await fetch(url, init);
  return { response, body: await response.text() };
}

test("linkLoop: a later page links to itself, forever", async () => {
  const loop = emulator.get("loop");
  const first = await get(`${loop.url}/v2/library/ubuntu/tags/list?n=10`);
  const second = nextLink(first.response.headers.get("link")) ?? "";
  const page2 = await get(`${loop.url}${second}`);
  assert.equal(nextLink(page2.response.headers.get("link")), second);
  const page3 = await get(`${loop.url}${second}`);
  assert.equal(page3.body, page2.body);
});

test("rateLimit: the 2nd and 3rd tags requests get 429 with Retry-After (Hub: text/plain)", async () => {
  const registry = emulator.get("hub-429");
  registry.resetCounts();
  const challenge = await fetch(`${registry.url}/v2/library/ubuntu/tags/list`);
  await challenge.arrayBuffer();
  assert.equal(challenge.status, 401);
  for (const _ of [1, 2]) {
    const limited = await get(`${registry.url}/v2/library/ubuntu/tags/list`);
    assert.equal(limited.response.status, 429);
    assert.equal(limited.response.headers.get("retry-after"), "7");
    assert.match(limited.response.headers.get("content-type") ?? "", /^text\/plain/);
  }
  const after = await fetch(`${registry.url}/v2/library/ubuntu/tags/list`);
  await after.arrayBuffer();
  assert.equal(after.status, 401, "back to normal after `times` 429s");
  assert.deepEqual(registry.requests.map((r) => r.status), [401, 429, 429, 401]);
});

test("redirectTagsDroppingQuery: 307 to another origin without the query", async () => {
  const registry = emulator.get("redirect");
  registry.resetCounts();
  const redirect = await fetch(`${registry.url}/v2/library/ubuntu/tags/list?n=10`, { redirect: "manual" });
  assert.equal(redirect.status, 307);
  assert.equal(redirect.headers.get("location"), `${registry.foreignUrl}/v2/library/ubuntu/tags/list`);
  const followed = await fetch(`${registry.url}/v2/library/ubuntu/tags/list?n=10`);
  const tags = ((await followed.json()) as { tags: string[] }).tags;
  assert.equal(tags.length, 129, "the query was lost: all tags, not 10");
  assert.deepEqual(registry.requests.map((r) => [r.server, r.status, r.query]), [
    ["registry", 307, "n=10"],
    ["registry", 307, "n=10"],
    ["foreign", 200, ""],
  ]);
});

test("foreignLink: next links are absolute, on another origin that serves the same data", async () => {
  const registry = emulator.get("foreign");
  const first = await get(`${registry.url}/v2/library/ubuntu/tags/list?n=100`);
  const next = nextLink(first.response.headers.get("link")) ?? "";
  assert.ok(registry.foreignUrl !== undefined && next.startsWith(`${registry.foreignUrl}/v2/library/ubuntu/tags/list?`));
  const second = await get(next);
  assert.equal((JSON.parse(second.body) as { tags: string[] }).tags.length, 29);
  assert.equal(registry.requests.at(-1)?.server, "foreign");
});

test("linkDropsFirstComponent: the next link loses the namespace and 404s", async () => {
  const registry = emulator.get("drop-prefix");
  const first = await get(`${registry.url}/v2/library/ubuntu/tags/list?n=10`);
  const next = nextLink(first.response.headers.get("link")) ?? "";
  assert.match(next, /^\/v2\/ubuntu\/tags\/list\?last=/);
  assert.equal((await get(`${registry.url}${next}`)).response.status, 404);
});

test("body knobs: duplicates across pages and null entries", async () => {
  const registry = emulator.get("quirky");
  const first = await get(`${registry.url}/v2/library/ubuntu/tags/list?n=10`);
  const page1 = (JSON.parse(first.body) as { tags: Array<string | null> }).tags;
  assert.equal(page1.length, 11);
  assert.equal(page1[10], null);
  const page2 = (JSON.parse((await get(`${registry.url}${nextLink(first.response.headers.get("link")) ?? ""}`)).body) as { tags: string[] }).tags;
  assert.equal(page2[0], page1[9], "the previous page's last tag again");
});

test("a Link without angle brackets", async () => {
  const registry = emulator.get("bare-link");
  const first = await fetch(`${registry.url}/v2/library/ubuntu/tags/list?n=10`);
  await first.arrayBuffer();
  assert.match(first.headers.get("link") ?? "", /^\/v2\/library\/ubuntu\/tags\/list\?last=[^;]+&n=10; rel="next"$/);
});

test("latencyMs delays every response, on the emulator's clock", async () => {
  const clock = new VirtualClock();
  const slow = await startEmulator({ profiles: ["distribution-2.8"], latencyMs: 60, repositories: { "a/b": { tags: ["x"] } }, clock });
  try {
    const started = clock.now();
    const response = await fetch(`${slow.get("distribution-2.8").url}/v2/a/b/tags/list`);
    await response.arrayBuffer();
    assert.equal(clock.now() - started, 60);
    assert.equal(clock.slept, 60);
  } finally {
    await slow.close();
  }
});

test("tagsBody: a 200 whose body is not the tag list", async () => {
  const registry = emulator.get("html");
  const page = await get(`${registry.url}/v2/library/ubuntu/tags/list?n=10`);
  assert.equal(page.response.status, 200);
  assert.equal(page.response.headers.get("content-type"), "text/html");
  assert.equal(page.body, "<html><body>Sign in</body></html>");
  assert.equal(page.response.headers.get("link"), null);
});

test("rejectTokensFromTagsRequest: from the k-th tags request on, even a fresh token gets invalid_token", async () => {
  const registry = emulator.get("revoked");
  registry.resetCounts();
  const url = `${registry.url}/v2/library/ubuntu/tags/list?n=10`;
  const challenge = await fetch(url);
  await challenge.arrayBuffer();
  const header = challenge.headers.get("www-authenticate") ?? "";
  const bearer = async () => ({ authorization: `Bearer ${tokenOf((await (await requestToken(header, ["repository:library/ubuntu:pull"])).json()) as Record<string, unknown>)}` });
  assert.equal((await get(url, { headers: await bearer() })).response.status, 200, "the 2nd tags request is served");
  for (const _ of [3, 4]) {
    const refused = await get(url, { headers: await bearer() });
    assert.equal(refused.response.status, 401);
    assert.equal(challengeParams(refused.response.headers.get("www-authenticate") ?? "", "bearer")?.["error"], "invalid_token");
  }
  assert.deepEqual(registry.requests.filter((r) => r.kind === "tags").map((r) => r.status), [401, 200, 401, 401]);
});

test("the request log records who authenticated: Basic user, a token's user, or nobody", async () => {
  const registry = emulator.get("revoked");
  registry.resetCounts();
  const url = `${registry.url}/v2/private/repo/tags/list`;
  const challenge = await fetch(url);
  await challenge.arrayBuffer();
  const header = challenge.headers.get("www-authenticate") ?? "";
  const token = tokenOf((await (await requestToken(header, ["repository:private/repo:pull"], basic("alice", "wonderland"))).json()) as Record<string, unknown>);
  const anonymous = tokenOf((await (await requestToken(header, ["repository:library/ubuntu:pull"])).json()) as Record<string, unknown>);
  await get(url, { headers: { authorization: `Bearer ${token}` } });
  await get(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${anonymous}` } });
  await get(`${registry.url}/v2/`, { headers: { authorization: basic("alice", "wrong") } });
  assert.deepEqual(
    registry.requests.map((r) => [r.kind, r.authScheme, r.user]),
    [
      ["tags", "none", undefined],
      ["token", "basic", "alice"],
      ["token", "none", undefined],
      ["tags", "bearer", "alice"],
      ["ping", "bearer", undefined],
      ["ping", "basic", undefined],
    ],
  );
});
