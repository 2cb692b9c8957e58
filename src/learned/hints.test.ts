import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtocolError, RegistryError, NetworkError } from "../errors.js";
import type { TagPage } from "../listing/list-tags.js";
import type { TraceEvent } from "../transport/trace.js";
import type { TransportRequest, TransportResponse } from "../transport/types.js";
import { headersFromRecord } from "../transport/types.js";
import { checkedPages, choosePageSize, describeLearned, learnedCheck, TagsChallengeCounts, type LearnedSurprise } from "./hints.js";

const page = (url: string, tags: number, next?: string): TraceEvent => ({ type: "page", url, tags, newTags: tags, next });

test("choosePageSize: the caller, then the learned n, then the profile, else learned per host; null is a choice", () => {
  const cases: Array<[given: number | null | undefined, hinted: number | null | undefined, profile: number | null | undefined, expected: ReturnType<typeof choosePageSize>]> = [
    [7, 50, 100, { pageSize: 7, hinted: false }],
    [null, 50, 100, { pageSize: null, hinted: false }],
    [undefined, 50, 100, { pageSize: 50, hinted: true }],
    [undefined, null, 100, { pageSize: null, hinted: true }],
    [undefined, undefined, 100, { pageSize: 100, hinted: false }],
    [undefined, undefined, null, { pageSize: null, hinted: false }],
    [undefined, undefined, undefined, { pageSize: undefined, hinted: false }],
  ];
  for (const [given, hinted, profile, expected] of cases) {
    const hints = hinted === undefined ? {} : { pageSize: hinted };
    assert.deepEqual(choosePageSize(given, hints, profile), expected, `given ${given}, learned ${hinted}, profile ${profile}`);
  }
  assert.deepEqual(choosePageSize(undefined, undefined, undefined), { pageSize: undefined, hinted: false });
});

test("describeLearned says what the hints chose, for the endpoint trace", () => {
  assert.equal(describeLearned(undefined, { pageSize: 1000, hinted: false }), "");
  assert.equal(describeLearned({ pageSize: 50, anonymousWithoutToken: true }, { pageSize: 50, hinted: true }), "; learned: n=50, anonymous reads");
  assert.equal(describeLearned({ pageSize: null, anonymousWithoutToken: false }, { pageSize: null, hinted: true }), "; learned: no n, token needed");
  assert.equal(describeLearned({ pageSize: 50 }, { pageSize: 7, hinted: false }), "; learned: page size given");
});

test("TagsChallengeCounts counts 401s to tags requests of a registry regtags chose, nothing else", () => {
  const counts = new TagsChallengeCounts();
  const req = (purpose: string): TransportRequest => ({ method: "GET", url: new URL("https://r.test/v2/app/tags/list"), purpose });
  const res = (status: number): TransportResponse => ({
    status,
    headers: headersFromRecord({}),
    url: new URL("https://r.test/v2/app/tags/list"),
    text: async () => "",
    stream: async () => undefined,
    discard: async () => undefined,
  });
  counts.observe(req("tags"), res(401), "r.test");
  counts.observe(req("tags"), res(401), "r.test");
  counts.observe(req("tags"), res(200), "r.test");
  counts.observe(req("manifest"), res(401), "r.test");
  counts.observe(req("tags"), res(401), undefined); // a link target on another origin
  assert.equal(counts.of("r.test"), 2);
  assert.equal(counts.of("other.test"), 0);
});

test("learnedCheck: the surprises of a first page against the hints", () => {
  const tags = "https://r.test/v2/app/tags/list";
  const cases: Array<{ name: string; pageSize: number | null | undefined; first: TraceEvent; expected: [LearnedSurprise["kind"], string] | undefined }> = [
    { name: "n honoured", pageSize: 50, first: page(`${tags}?n=50`, 50, `${tags}?n=50&last=x`), expected: undefined },
    { name: "the whole repository in fewer than n", pageSize: 50, first: page(`${tags}?n=50`, 12), expected: undefined },
    { name: "n rejected (stepped down)", pageSize: 50, first: page(`${tags}?n=25`, 25), expected: ["page-size", "the registry rejected n=50"] },
    { name: "n clamped", pageSize: 50, first: page(`${tags}?n=50`, 20, `${tags}?n=50&last=t`), expected: ["page-size", "n=50 was clamped to 20"] },
    { name: "one response expected, pages came", pageSize: null, first: page(tags, 100, `${tags}?last=t`), expected: ["page-size", "one response with every tag was expected, but the registry sent 100 and a next link"] },
    { name: "one response, as expected", pageSize: null, first: page(tags, 100), expected: undefined },
    { name: "the caller chose n: its fate says nothing of the hints", pageSize: undefined, first: page(`${tags}?n=25`, 25), expected: undefined },
  ];
  for (const { name, pageSize, first, expected } of cases) {
    const check = learnedCheck({ pageSize: pageSize ?? 50 }, pageSize, () => 0);
    check.observe(first);
    check.observe(page(`${tags}?n=1`, 1)); // later pages are not compared
    assert.deepEqual(check.afterFirstPage(), expected, name);
  }
});

test("learnedCheck: a 401 during the first page where anonymous reads were expected", () => {
  let challenges = 3; // earlier listings' 401s do not count
  const check = learnedCheck({ anonymousWithoutToken: true }, undefined, () => challenges);
  check.observe(page("https://r.test/v2/app/tags/list", 10));
  assert.equal(check.afterFirstPage(), undefined);
  challenges++;
  assert.deepEqual(check.afterFirstPage(), ["anonymous", "anonymous reads were expected, but the registry asked for a token"]);
  const tokenNeeded = learnedCheck({ anonymousWithoutToken: false }, undefined, () => challenges++);
  assert.equal(tokenNeeded.afterFirstPage(), undefined);
});

async function* pagesOf(pages: TagPage[], error?: Error): AsyncGenerator<TagPage, void, undefined> {
  for (const p of pages) yield p;
  if (error !== undefined) throw error;
}

async function drain(pages: AsyncGenerator<TagPage, void, undefined>): Promise<{ pages: number; error?: unknown }> {
  let count = 0;
  try {
    for await (const _ of pages) count++;
  } catch (error) {
    return { pages: count, error };
  }
  return { pages: count };
}

test("checkedPages reports the first contradiction once, and passes every page on", async () => {
  const reports: string[] = [];
  const check = learnedCheck({ pageSize: 50 }, 50, () => 0);
  check.observe(page("https://r.test/v2/app/tags/list?n=25", 25));
  const result = await drain(checkedPages(pagesOf([{ tags: ["a"] } as unknown as TagPage, { tags: ["b"] } as unknown as TagPage]), check, (kind, reason) => reports.push(`${kind}: ${reason}`)));
  assert.deepEqual(result, { pages: 2 });
  assert.deepEqual(reports, ["page-size: the registry rejected n=50"]);
});

test("checkedPages reports a registry or protocol failure before the first page, never a network failure or a later one", async () => {
  const run = async (error: Error, before: number) => {
    const reports: string[] = [];
    const check = learnedCheck({ pageSize: 50 }, 50, () => 0);
    const pages = Array.from({ length: before }, () => ({ tags: [] }) as unknown as TagPage);
    const result = await drain(checkedPages(pagesOf(pages, error), check, (kind, reason) => reports.push(`${kind}: ${reason}`)));
    assert.equal(result.error, error, "the error still reaches the caller");
    return reports;
  };
  assert.deepEqual(await run(new RegistryError("ERR_REGISTRY", "r.test: 400", { status: 400, method: "GET", url: "https://r.test/" }), 0), ["failure: the listing failed before its first page (ERR_REGISTRY)"]);
  assert.deepEqual(await run(new ProtocolError("r.test: bad body"), 0), ["failure: the listing failed before its first page (ERR_PROTOCOL)"]);
  assert.deepEqual(await run(new NetworkError("ERR_NETWORK", "r.test: reset"), 0), []);
  assert.deepEqual(await run(new RegistryError("ERR_REGISTRY", "r.test: 500", { status: 500, method: "GET", url: "https://r.test/" }), 1), []);
});
