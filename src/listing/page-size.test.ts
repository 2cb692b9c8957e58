import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fakeResponse } from "../../test/helpers/fake-response.js";
import { pageOutcome } from "../probe/shape.js";
import type { Transport, TransportRequest } from "../transport/types.js";
import { walkPages } from "./paged-list.js";
import {
  FIRST_PAGE_SIZE,
  PageSizeMemory,
  afterPage,
  firstPageSize,
  isPageSizeRefusal,
  linkToFollow,
  mayContinueWithoutLink,
  nextPageSize,
  stepDown,
} from "./page-size.js";

const BASE = new URL("http://r.test/v2/app/tags/list");

/** A transport answering from `answer`, recording every URL asked. */
function fakeRegistry(answer: (url: URL) => { status: number; tags?: string[]; link?: string; code?: string }): { send: Transport; asked: URL[] } {
  const asked: URL[] = [];
  const send: Transport = async (req: TransportRequest) => {
    asked.push(req.url);
    const a = answer(req.url);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (a.link !== undefined) headers["link"] = a.link;
    const body = a.status === 200 ? JSON.stringify({ name: "app", tags: a.tags ?? [] }) : JSON.stringify({ errors: a.code === undefined ? [] : [{ code: a.code, message: "no" }] });
    return fakeResponse(a.status, headers, body, req.url.href);
  };
  return { send, asked };
}

async function list(send: Transport, extra: { pageSize?: number; learnPageSize?: boolean; pageSizes?: PageSizeMemory } = {}): Promise<string[]> {
  const tags: string[] = [];
  for await (const page of walkPages(send, { url: BASE, scope: "repository:app:pull", purpose: "tags", field: "tags", subject: "r.test/app", maxPages: 100, bodyLimitBytes: 1 << 20, ...extra })) tags.push(...page.entries);
  return tags;
}

describe("refused page sizes: one rule for the lister and the probe", () => {
  // status, error code, refused?
  const TABLE: ReadonlyArray<readonly [number, string | undefined, boolean]> = [
    [400, "PAGINATION_NUMBER_INVALID", true], // distribution 3.1.0
    [400, undefined, true],
    [400, "UNSUPPORTED", true],
    [400, "NAME_INVALID", false],
    [405, "UNSUPPORTED", true], // ECR maxResults
    [413, "TOO_MANY_TAGS_REQUESTED", true], // quay 2024-06
    [416, undefined, true],
    [422, undefined, true],
    [404, "NAME_UNKNOWN", false],
    [403, "DENIED", false],
    [500, undefined, false],
  ];

  for (const [status, code, refused] of TABLE) {
    test(`${status} ${code ?? "(no code)"}: ${refused ? "refused" : "not a page-size refusal"}, for both`, async () => {
      assert.equal(isPageSizeRefusal(status, code === undefined ? [] : [code]), refused);
      // The probe's reading of its large request.
      const probe = pageOutcome({ step: "tags-large", n: 10_000, status, ...(code !== undefined ? { errorCode: code } : {}) });
      assert.equal(probe === "refused", refused);
      // The lister's: it steps down to n=1000 exactly when the probe would record a refusal.
      const { send, asked } = fakeRegistry((url) => (url.searchParams.get("n") === "10000" ? { status, ...(code !== undefined ? { code } : {}) } : { status: 200, tags: ["a", "b"] }));
      const outcome = await list(send, { learnPageSize: true }).then(
        (tags) => tags,
        () => undefined,
      );
      assert.equal(outcome !== undefined, refused, `lister ${outcome === undefined ? "failed" : "stepped down"}`);
      if (refused) assert.deepEqual(asked.map((u) => u.searchParams.get("n")), ["10000", "1000"]);
    });
  }
});

describe("page-size decisions", () => {
  test("the first n: large, below a remembered refusal, at least what was honoured", () => {
    assert.equal(firstPageSize({}), FIRST_PAGE_SIZE);
    assert.equal(firstPageSize({ refused: 10_000 }), 1000);
    assert.equal(firstPageSize({ refused: 10_000, honoured: 5000 }), 5000);
    assert.equal(firstPageSize({ honoured: 100_000 }), 100_000);
    assert.equal(stepDown(100, {}), 50);
    assert.equal(stepDown(50, {}), undefined, "below the last step: no n at all");
  });

  test("a full page with a link grows n tenfold, unless refused there or clamped", () => {
    const full = { asked: 10_000, received: 10_000, hasNext: true };
    assert.equal(nextPageSize(10_000, full, {}, true), 100_000);
    assert.equal(nextPageSize(10_000, full, {}, false), 10_000, "a size the user or a profile chose is kept");
    assert.equal(nextPageSize(1000, { ...full, asked: 1000, received: 1000 }, { refused: 10_000 }, true), 1000);
    assert.equal(nextPageSize(10_000, { ...full, hasNext: false }, {}, true), 10_000);
    const clamped = afterPage({}, { asked: 10_000, received: 700, hasNext: true });
    assert.deepEqual(clamped, { links: true, clamp: 700 });
    assert.equal(nextPageSize(10_000, { asked: 10_000, received: 700, hasNext: true }, clamped, true), 700);
  });

  test("links: a plain last= cursor with n=0 or no n is asked with our n, the cursor byte for byte; anything else as given", () => {
    const at = (q: string) => new URL(`http://r.test/v2/app/tags/list?${q}`);
    assert.equal(linkToFollow(at("last=a%2Fb+c&n=0"), 1000, {}).search, "?last=a%2Fb+c&n=1000");
    assert.equal(linkToFollow(at("last=AbC-_x"), 1000, {}).search, "?last=AbC-_x&n=1000", "ECR: n added to an opaque last");
    assert.equal(linkToFollow(at("n=0&last=x"), 1000, {}).search, "?n=1000&last=x");
    assert.equal(linkToFollow(at("last=x&n=100"), 1000, {}).search, "?last=x&n=1000");
    for (const q of ["last=x&n=5000", "n=50&next_page=gAAAAB%3D", "last=x&n=0&orderby=", "last=&n=0", "last=a&last=b", "n=0"]) {
      assert.equal(linkToFollow(at(q), 1000, {}).search, `?${q}`, q);
    }
    assert.equal(linkToFollow(at("last=x&n=0"), 1000, { verbatimLinks: true }).search, "?last=x&n=0");
    assert.equal(linkToFollow(at("last=x&n=0"), undefined, {}).search, "?last=x&n=0", "no n chosen (--page-size none): links as given");
    assert.equal(linkToFollow(at("last=x"), 100, {}).search, "?last=x", "no more than the usual default page (100): as given");
  });

  test("PAG-6 without a link: a page of exactly n, or of a common limit below it, may have more", () => {
    assert.equal(mayContinueWithoutLink({ asked: 10_000, received: 10_000, hasNext: false }, {}), true);
    assert.equal(mayContinueWithoutLink({ asked: 10_000, received: 1000, hasNext: false }, {}), true);
    assert.equal(mayContinueWithoutLink({ asked: 10_000, received: 999, hasNext: false }, {}), false);
    assert.equal(mayContinueWithoutLink({ asked: 10_000, received: 10_000, hasNext: false }, { links: true }), false, "a host that links ends its lists by omitting one");
    assert.equal(mayContinueWithoutLink({ asked: undefined, received: 100, hasNext: false }, {}), false);
  });
});

describe("a rewritten link the registry refuses (ECR Public answers a rebuilt link with 405)", () => {
  const TAGS = Array.from({ length: 500 }, (_, i) => `t${String(i).padStart(3, "0")}`);
  /** Pages of up to 200 (150 without n), linked with an opaque `last` and no `n`; a request with both is refused. */
  const registry = () =>
    fakeRegistry((url) => {
      const last = url.searchParams.get("last");
      if (last !== null && url.searchParams.has("n")) return { status: 405, code: "UNSUPPORTED" };
      const n = Number(url.searchParams.get("n") ?? 150);
      const start = last === null ? 0 : Number(Buffer.from(last, "base64url").toString());
      const size = Math.min(n, 200);
      const end = Math.min(TAGS.length, start + size);
      return { status: 200, tags: TAGS.slice(start, end), ...(end < TAGS.length ? { link: `</v2/app/tags/list?last=${Buffer.from(String(end)).toString("base64url")}>; rel="next"` } : {}) };
    });

  test("the link as given, then the host's links as given; every tag once", async () => {
    const memory = new PageSizeMemory();
    const first = registry();
    assert.deepEqual(await list(first.send, { pageSize: 200, pageSizes: memory }), TAGS);
    const queries = first.asked.map((u) => u.search);
    assert.equal(queries[0], "?n=200");
    assert.match(queries[1]!, /^\?last=[^&]+&n=200$/, "asked with our n first");
    assert.match(queries[2]!, /^\?last=[^&]+$/, "then the registry's own link");
    assert.equal(queries.length, 4);
    const second = registry();
    assert.deepEqual(await list(second.send, { pageSize: 200, pageSizes: memory }), TAGS);
    assert.ok(second.asked.slice(1).every((u) => !u.searchParams.has("n")), "remembered: no more rewriting on this host");
  });
});
