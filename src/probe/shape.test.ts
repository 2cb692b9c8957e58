/**
 * Shaping observations into a probe profile: table-driven from responses
 * like the field report's (Hub, ghcr, quay 2023) and the quirk notes.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { pageOutcome, parseTokenShape, shapeFindings, type Observations, type SeenPage } from "./shape.js";
import { nextSearchSize, PROBE_PLAN, PROBE_REQUEST_BUDGET } from "./plan.js";

const ENDPOINT = "https://registry.example";
const tags = (count: number, prefix = "t") => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);

function page(step: SeenPage["step"], entries: readonly string[], extra: Partial<SeenPage> = {}): SeenPage {
  return { step, status: 200, contentType: "application/json", entries, received: entries.length, nullEntries: 0, digestEntries: 0, extraFields: [], ...extra };
}

function observations(extra: Partial<Observations>): Observations {
  return { endpoint: ENDPOINT, search: [], rateLimitHeaders: {}, ...extra };
}

describe("token responses: field names and non-secret values only", () => {
  const cases: Array<[string, string, ReturnType<typeof parseTokenShape>]> = [
    ["Hub: both, same value", '{"token":"x","access_token":"x","expires_in":300,"issued_at":"2023-03-28T01:47:20Z"}', { fieldsPresent: ["token", "access_token", "expires_in", "issued_at"], fields: "both", expiresIn: 300, issuedAt: true }],
    ["ghcr/quay: token only", '{"token":"x"}', { fieldsPresent: ["token"], fields: "token", issuedAt: false }],
    ["ACR: access_token only", '{"access_token":"x"}', { fieldsPresent: ["access_token"], fields: "access_token", issuedAt: false }],
    ["Harbor: empty access_token", '{"token":"x","access_token":"","expires_in":1800,"issued_at":"2024-01-01T00:00:00Z"}', { fieldsPresent: ["token", "access_token", "expires_in", "issued_at"], fields: "token-and-empty-access_token", expiresIn: 1800, issuedAt: true }],
    ["no token at all", '{"expires_in":60}', { fieldsPresent: ["expires_in"], fields: undefined, expiresIn: 60, issuedAt: false }],
    ["not JSON", "<html>", undefined],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => {
      const shape = parseTokenShape(body);
      assert.deepEqual(shape, expected);
      assert.ok(!JSON.stringify(shape ?? {}).includes('"x"'), "the token value is never kept");
    });
  }
});

describe("auth and ping", () => {
  test("Hub: 401 Bearer on ping and tags, realm on another host, token fields, lifetime announced", () => {
    const challenge = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"';
    const shaped = shapeFindings(
      observations({
        ping: { status: 401, challenge, contentType: "application/json", errorCode: "UNAUTHORIZED" },
        anonymous: { step: "tags-anonymous", status: 401, challenge: `${challenge},scope="repository:library/ubuntu:pull"`, errorCode: "UNAUTHORIZED" },
        token: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scopes: ["repository:library/ubuntu:pull"], withCredentials: false, status: 200, shape: { fieldsPresent: ["token", "access_token", "expires_in", "issued_at"], fields: "both", expiresIn: 300, issuedAt: true }, appliedLifetimeSeconds: 300 },
      }),
    );
    assert.deepEqual(shaped.profile.auth, {
      kind: "bearer",
      challenge: { scheme: "Bearer", quoted: true },
      realm: { server: "separate", path: "/token", url: "https://auth.docker.io/token" },
      service: "registry.docker.io",
      repositoryScopeInChallenge: true,
      token: { fields: "both", expiresIn: 300, issuedAt: true, appliedLifetimeSeconds: 300 },
      anonymousReadsWithoutToken: false,
    });
    assert.deepEqual(shaped.profile.ping, { anonymousStatus: 401 });
  });

  test("quay 2023: ping body 'true' as text/html, anonymous reads, no expires_in → 60 s applied", () => {
    const shaped = shapeFindings(
      observations({
        ping: { status: 401, challenge: 'Bearer realm="https://registry.example/v2/auth",service="quay.io"', contentType: "text/html; charset=utf-8", bodyExcerpt: "true" },
        anonymous: page("tags-anonymous", tags(50), { link: '</v2/a/b/tags/list?n=50&next_page=gAAAAABk%3D>; rel="next"' }),
        token: { realm: "https://registry.example/v2/auth", service: "quay.io", scopes: [], withCredentials: false, status: 200, shape: { fieldsPresent: ["token"], fields: "token", issuedAt: false } },
      }),
    );
    const auth = shaped.profile.auth;
    assert.equal(auth.kind, "bearer");
    if (auth.kind !== "bearer") return;
    assert.equal(auth.anonymousReadsWithoutToken, true);
    assert.equal(auth.realm.server, "registry");
    assert.deepEqual(auth.token, { fields: "token", issuedAt: false, appliedLifetimeSeconds: 60 });
    assert.equal(auth.repositoryScopeInChallenge, undefined);
    assert.ok(shaped.unobserved.some((u) => u.field === "auth.repositoryScopeInChallenge"));
    assert.deepEqual(shaped.profile.ping, { anonymousStatus: 401, unauthorizedBody: { contentType: "text/html; charset=utf-8", body: "true" } });
  });

  test("ghcr's placeholder ping scope, Zot's lower-case unquoted challenge on a 200 ping, ACR's error=, Forgejo's second scheme", () => {
    const ghcr = shapeFindings(observations({ ping: { status: 401, challenge: 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"' }, anonymous: { step: "tags-anonymous", status: 401, challenge: 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/p:pull"' } }));
    assert.equal(ghcr.profile.auth.kind === "bearer" && ghcr.profile.auth.pingScope, "repository:user/image:pull");
    const zot = shapeFindings(observations({ ping: { status: 200, challenge: 'bearer realm=https://registry.example/auth/token,service=zot,scope=""' }, anonymous: page("tags-anonymous", ["a"]) }));
    assert.deepEqual(zot.profile.ping, { anonymousStatus: 200, challengeOn200: true });
    assert.ok(zot.profile.auth.kind === "bearer");
    if (zot.profile.auth.kind === "bearer") {
      assert.deepEqual(zot.profile.auth.challenge, { scheme: "bearer", quoted: false });
      assert.equal(zot.profile.auth.pingScope, "");
    }
    const acr = shapeFindings(observations({ ping: { status: 401, challenge: 'Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io"' }, anonymous: { step: "tags-anonymous", status: 401, challenge: 'Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io",scope="repository:a:pull",error="invalid_token"' } }));
    assert.equal(acr.profile.auth.kind === "bearer" && acr.profile.auth.anonymousChallengeError, "invalid_token");
    const forgejo = shapeFindings(observations({ ping: { status: 401, challenge: 'Bearer realm="https://c.org/v2/token",service="container_registry",scope="*",Basic realm="https://c.org/v2/token"' }, anonymous: { step: "tags-anonymous", status: 401, challenge: 'Bearer realm="https://c.org/v2/token",service="container_registry",Basic realm="https://c.org/v2/token"' } }));
    assert.ok(forgejo.profile.auth.kind === "bearer");
    if (forgejo.profile.auth.kind === "bearer") {
      assert.deepEqual(forgejo.profile.auth.otherSchemes, ["basic"]);
      assert.equal(forgejo.profile.auth.repositoryScopeInChallenge, false);
    }
  });

  test("Basic: ECR's service parameter; Nexus's upper-case BASIC with anonymous reads; no challenge at all is 'none'", () => {
    const ecr = shapeFindings(observations({ ping: { status: 401, challenge: 'Basic realm="https://1.dkr.ecr.x.amazonaws.com/",service="ecr.amazonaws.com"' }, anonymous: { step: "tags-anonymous", status: 401, challenge: 'Basic realm="https://1.dkr.ecr.x.amazonaws.com/",service="ecr.amazonaws.com"' } }));
    assert.deepEqual(ecr.profile.auth, { kind: "basic", challenge: { scheme: "Basic", quoted: true }, realm: "https://1.dkr.ecr.x.amazonaws.com/", params: { service: "ecr.amazonaws.com" }, anonymousPublicReads: false });
    const nexus = shapeFindings(observations({ ping: { status: 401, challenge: 'BASIC realm="Sonatype Nexus Repository Manager"' }, anonymous: page("tags-anonymous", ["a", "b"]) }));
    assert.deepEqual(nexus.profile.auth, { kind: "basic", challenge: { scheme: "BASIC", quoted: true }, realm: "Sonatype Nexus Repository Manager", anonymousPublicReads: true });
    assert.deepEqual(shapeFindings(observations({ ping: { status: 200 }, anonymous: page("tags-anonymous", ["a"]) })).profile.auth, { kind: "none" });
    assert.deepEqual(shapeFindings(observations({ ping: { status: 401 }, anonymous: { step: "tags-anonymous", status: 401 } })).profile.auth, { kind: "unknown" });
  });
});

describe("paging, links, cursor, order, n=0", () => {
  test("Hub: everything without n, n honoured with relative last-first links echoing n, no limit up to 10000, n=0 empty, sorted", () => {
    const all = tags(120);
    const shaped = shapeFindings(
      observations({
        anonymous: page("tags-anonymous", all),
        defaultPage: page("tags-anonymous", all),
        n1: page("tags-n1", [all[0]!], { n: 1, link: `</v2/library/ubuntu/tags/list?last=${all[0]}&n=1>; rel="next"` }),
        next: { ...page("tags-next", [all[1]!]), built: false },
        zero: page("tags-n0", [], { n: 0 }),
        large: page("tags-large", all, { n: 10_000 }),
      }),
    );
    assert.deepEqual(shaped.profile.tags, {
      paging: { ignoreParams: false, defaultPageSize: "all", overMax: "not-seen", largestHonoured: 10_000, zeroN: "empty", cursor: { kind: "last-entry" } },
      order: "lexical",
      link: { form: "relative", order: "cursor-first", n: "as-requested" },
      body: { contentType: "application/json" },
    });
    assert.ok(shaped.unobserved.some((u) => u.field === "tags.paging.maxPageSize" && /whole repository/.test(u.why)));
    assert.ok(shaped.unobserved.some((u) => u.field === "tags.link.n"));
  });

  test("ghcr: default page 100 with n=0 links, push order, n=0 gives the default page", () => {
    const push = ["amd64-1.7.0-ls1", "arm32v7-1.7.0-ls1", "arm64v8-1.7.0-ls1", "1.7.0-ls1", ...tags(96, "z")];
    const shaped = shapeFindings(
      observations({
        anonymous: { step: "tags-anonymous", status: 401 },
        defaultPage: page("tags-default", push, { link: '</v2/o/p/tags/list?last=z00095&n=0>; rel="next"' }),
        n1: page("tags-n1", [push[0]!], { n: 1, link: `</v2/o/p/tags/list?last=${push[0]}&n=1>; rel="next"` }),
        next: { ...page("tags-next", [push[1]!]), built: false },
        zero: page("tags-n0", push, { n: 0, link: '</v2/o/p/tags/list?last=z00095&n=0>; rel="next"' }),
        large: page("tags-large", tags(452), { n: 10_000 }),
      }),
    );
    const t = shaped.profile.tags!;
    assert.equal(t.paging.defaultPageSize, 100);
    assert.equal(t.paging.zeroN, "default");
    assert.equal(t.link.n, "as-requested-or-zero");
    assert.equal(t.order, "unsorted");
  });

  test("quay 2023: clamped at 50, opaque fernet next_page, n first, n = the size used", () => {
    const first = tags(50);
    const link = (n: number) => `</v2/a/b/tags/list?n=${n}&next_page=gAAAAABkIoEP_XSQ%3D>; rel="next"`;
    const shaped = shapeFindings(
      observations({
        anonymous: page("tags-anonymous", first, { link: link(50) }),
        defaultPage: page("tags-anonymous", first, { link: link(50) }),
        n1: page("tags-n1", [first[0]!], { n: 1, link: link(1) }),
        next: { ...page("tags-next", [first[1]!]), built: false },
        zero: page("tags-n0", [], { n: 0 }),
        large: page("tags-large", first, { n: 10_000, link: link(50) }),
      }),
    );
    const t = shaped.profile.tags!;
    assert.deepEqual(t.paging.cursor, { kind: "opaque", param: "next_page", style: "fernet" });
    assert.equal(t.paging.maxPageSize, 50);
    assert.equal(t.paging.overMax, "clamp");
    assert.deepEqual(t.link, { form: "relative", order: "n-first", n: "effective" });
  });

  test("ECR: absolute links without n and an opaque last; 405 above 1000 found exactly by the search; extra orderby kept", () => {
    const first = tags(100);
    const abs = (cursor: string) => `<https://1.dkr.ecr.x.amazonaws.com/v2/app/tags/list?last=${cursor}>; rel="next"`;
    const shaped = shapeFindings(
      observations({
        anonymous: { step: "tags-anonymous", status: 401 },
        defaultPage: page("tags-default", first, { link: abs("ZXlKaA") }),
        n1: page("tags-n1", [first[0]!], { n: 1, link: abs("ZXlKbA") }),
        next: { ...page("tags-next", first.slice(1, 101)), built: false },
        zero: page("tags-n0", first, { n: 0, link: abs("ZXlKaA") }),
        large: { step: "tags-large", status: 405, n: 10_000, errorCode: "UNSUPPORTED" },
        search: [page("tags-search", tags(1000), { n: 1000, link: abs("x") }), { step: "tags-search", status: 405, n: 1001, errorCode: "UNSUPPORTED" }],
      }),
    );
    const t = shaped.profile.tags!;
    assert.deepEqual(t.paging.cursor, { kind: "opaque", param: "last", style: "base64url" });
    assert.deepEqual(t.link, { form: "absolute", n: "omit" });
    assert.equal(t.paging.maxPageSize, 1000);
    assert.deepEqual(t.paging.overMax, { status: 405, code: "UNSUPPORTED" });
    assert.equal(t.paging.zeroN, "default");
    const acr = shapeFindings(observations({ anonymous: page("tags-anonymous", first, { link: "</v2/a/tags/list?last=t00099&n=100&orderby=>; rel=\"next\"" }), defaultPage: page("tags-anonymous", first, { link: "</v2/a/tags/list?last=t00099&n=100&orderby=>; rel=\"next\"" }), n1: page("tags-n1", [first[0]!], { n: 1, link: `</v2/a/tags/list?last=${first[0]}&n=1&orderby=>; rel="next"` }) }));
    assert.deepEqual(acr.profile.tags?.link.extraParams, [["orderby", ""]]);
  });

  test("distribution 2.8: n ignored, no Link, unsorted, n=0 returns everything", () => {
    const shuffled = ["b", "a", "c", "e", "d"];
    const shaped = shapeFindings(
      observations({
        anonymous: page("tags-anonymous", shuffled),
        defaultPage: page("tags-anonymous", shuffled),
        n1: page("tags-n1", shuffled, { n: 1 }),
        zero: page("tags-n0", shuffled, { n: 0 }),
      }),
    );
    assert.deepEqual(shaped.profile.tags, {
      paging: { ignoreParams: true, defaultPageSize: "all", overMax: "not-seen", zeroN: "all" },
      order: "unsorted",
      link: { form: "none" },
      body: { contentType: "application/json" },
    });
  });

  test("old Nexus: n honoured but no Link; a built last= brings the next tag; null entries noted", () => {
    const shaped = shapeFindings(
      observations({
        anonymous: page("tags-anonymous", ["a", "b", "c"], { nullEntries: 1 }),
        defaultPage: page("tags-anonymous", ["a", "b", "c"], { nullEntries: 1 }),
        n1: page("tags-n1", ["a"], { n: 1, nullEntries: 1 }),
        next: { ...page("tags-next", ["b"], { n: 1 }), built: true },
        zero: page("tags-n0", [], { n: 0 }),
        large: page("tags-large", ["a", "b", "c"], { n: 10_000 }),
      }),
    );
    assert.deepEqual(shaped.profile.tags?.paging.cursor, { kind: "last-entry" });
    assert.equal(shaped.profile.tags?.link.form, "none");
    assert.equal(shaped.profile.tags?.body?.nullEntries, true);
  });

  test("distribution 3.1.0: 400 above the limit; the search stopping between sizes leaves maxPageSize open", () => {
    const shaped = shapeFindings(
      observations({
        anonymous: page("tags-anonymous", tags(3)),
        defaultPage: page("tags-anonymous", tags(3)),
        large: { step: "tags-large", status: 400, n: 10_000, errorCode: "PAGINATION_NUMBER_INVALID" },
        search: [{ step: "tags-search", status: 400, n: 1000 }, page("tags-search", tags(3), { n: 100 }), { step: "tags-search", status: 400, n: 500 }],
      }),
    );
    assert.equal(shaped.profile.tags?.paging.maxPageSize, undefined);
    assert.equal(shaped.profile.tags?.paging.largestHonoured, 100);
    assert.ok(shaped.unobserved.some((u) => u.field === "tags.paging.maxPageSize"));
  });

  test("catalog: paginated, insufficient_scope, other refusals", () => {
    assert.deepEqual(shapeFindings(observations({ catalog: { status: 200 } })).profile.catalog, { kind: "paginated" });
    assert.deepEqual(shapeFindings(observations({ catalog: { status: 401, challenge: 'Bearer realm="r",scope="registry:catalog:*",error="insufficient_scope"' } })).profile.catalog, { kind: "refused", answer: "insufficient-scope" });
    assert.deepEqual(shapeFindings(observations({ catalog: { status: 404, errorCode: "NOT_FOUND" } })).profile.catalog, { kind: "refused", answer: { status: 404, code: "NOT_FOUND" } });
  });

  test("a repository that cannot be read leaves tags unobserved, with the reason", () => {
    const shaped = shapeFindings(observations({ anonymous: { step: "tags-anonymous", status: 401 } }));
    assert.equal(shaped.profile.tags, undefined);
    assert.match(shaped.unobserved.find((u) => u.field === "tags")?.why ?? "", /401/);
  });
});

describe("the plan", () => {
  test("budget is the sum of the steps and stays about a dozen", () => {
    assert.equal(PROBE_REQUEST_BUDGET, PROBE_PLAN.reduce((sum, s) => sum + s.max, 0));
    assert.ok(PROBE_REQUEST_BUDGET <= 13);
    assert.equal(new Set(PROBE_PLAN.map((s) => s.id)).size, PROBE_PLAN.length);
  });

  test("search: down the ladder below the refusal, then largest + 1, at most 3 requests", () => {
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "honoured" }]), undefined);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "clamped" }]), undefined);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }]), 1000);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "honoured" }]), 1001);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "honoured" }, { n: 1001, outcome: "refused" }]), undefined);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "refused" }]), 100);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "refused" }, { n: 100, outcome: "honoured" }]), 101);
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "refused" }, { n: 100, outcome: "refused" }, { n: 50, outcome: "honoured" }]), undefined, "budget spent");
    assert.equal(nextSearchSize([{ n: 10_000, outcome: "refused" }, { n: 1000, outcome: "other" }]), undefined);
  });

  test("page outcomes", () => {
    assert.equal(pageOutcome(page("tags-large", tags(10), { n: 10 })), "honoured");
    assert.equal(pageOutcome(page("tags-large", tags(5), { n: 10 })), "honoured", "fewer without a link: the whole repository");
    assert.equal(pageOutcome(page("tags-large", tags(5), { n: 10, link: '</x?last=t4&n=10>; rel="next"' })), "clamped");
    assert.equal(pageOutcome({ step: "tags-large", status: 413, n: 10 }), "refused");
    assert.equal(pageOutcome({ step: "tags-large", status: 500, n: 10 }), "other");
  });
});
