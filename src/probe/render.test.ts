/**
 * The probe table: one column per registry, every finding of the issue's
 * list as a row, long values wrapped; saved-profile validation and hints.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ProbeFindings } from "./findings.js";
import { probeRows, renderProbeTable, wrap } from "./render.js";
import { hintsFromProfile, parseSavedProfile, savedProfileAgeMs, savedProfileFileName, savedProfileOf, SAVED_PROFILE_FORMAT } from "./saved-profile.js";

const hub: ProbeFindings = {
  registry: "docker.io",
  repository: "library/ubuntu",
  endpoint: "https://registry-1.docker.io",
  probedAt: "2026-01-01T00:00:00.000Z",
  profile: {
    headers: { "docker-distribution-api-version": "registry/2.0" },
    auth: {
      kind: "bearer",
      challenge: { scheme: "Bearer", quoted: true },
      realm: { server: "separate", path: "/token", url: "https://auth.docker.io/token" },
      service: "registry.docker.io",
      repositoryScopeInChallenge: true,
      token: { fields: "both", expiresIn: 300, issuedAt: true, appliedLifetimeSeconds: 300 },
      anonymousReadsWithoutToken: false,
    },
    ping: { anonymousStatus: 401 },
    tags: {
      paging: { ignoreParams: false, defaultPageSize: "all", overMax: "not-seen", largestHonoured: 10_000, zeroN: "empty", cursor: { kind: "last-entry" } },
      order: "lexical",
      link: { form: "relative", order: "cursor-first", n: "as-requested" },
      body: { contentType: "application/json" },
    },
    catalog: { kind: "refused", answer: "insufficient-scope" },
  },
  evidence: {
    ping: { status: 401, challenge: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"', challenges: [{ scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io" } }] },
    tagsChallenge: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"',
    token: { endpoint: "https://auth.docker.io/token", service: "registry.docker.io", scopes: ["repository:library/ubuntu:pull"], withCredentials: false, status: 200, fieldsPresent: ["token", "access_token", "expires_in", "issued_at"], expiresIn: 300, issuedAt: true, appliedLifetimeSeconds: 300, renewedBeforeSeconds: 30 },
    pages: [
      { step: "tags-anonymous", status: 401 },
      { step: "tags-default", status: 200, received: 120 },
      { step: "tags-n1", n: 1, status: 200, received: 1, link: '</v2/library/ubuntu/tags/list?last=10.04&n=1>; rel="next"' },
      { step: "tags-n0", n: 0, status: 200, received: 0 },
      { step: "tags-large", n: 10_000, status: 200, received: 120 },
    ],
    catalog: { status: 401, challengeError: "insufficient_scope" },
    rateLimitHeaders: { "ratelimit-limit": "100;w=21600", "ratelimit-remaining": "76;w=21600" },
  },
  requests: [
    { step: "ping", method: "GET", url: "https://registry-1.docker.io/v2/", status: 401, ms: 3.2 },
    { step: "tags-anonymous", method: "GET", url: "https://registry-1.docker.io/v2/library/ubuntu/tags/list", status: 401, ms: 12 },
  ],
  totalMs: 15,
  unobserved: [],
  notes: [],
};

describe("the table", () => {
  test("one row per item of the issue's list, one column per registry, failures in their column", () => {
    const rows = probeRows([hub, { registry: "ghcr.io", repository: "o/p", error: "connection refused" }]);
    const labels = rows.map((r) => r.label);
    for (const label of ["ping", "challenge (raw)", "challenge (parsed)", "token endpoint", "token fields", "token lifetime", "anonymous reads", "default page", "largest n honoured", "too-large n", "pagination", "sorted", "n=0", "rate-limit headers", "_catalog", "time per request"]) {
      assert.ok(labels.includes(label), label);
    }
    const value = (label: string, i = 0) => rows.find((r) => r.label === label)!.values[i]!;
    assert.equal(value("default page"), "all (120 tags, no link)");
    assert.equal(value("token fields"), "token, access_token, expires_in, issued_at (token = access_token); anonymous");
    assert.equal(value("token lifetime"), "expires_in 300 s; applied 300 s, renewed 30 s early");
    assert.equal(value("largest n honoured"), "≥ 10000 (n=10000 returned the whole repository, 120 tags)");
    assert.equal(value("_catalog"), "refused: 401 insufficient_scope");
    assert.equal(value("rate-limit headers"), "ratelimit-limit: 100;w=21600; ratelimit-remaining: 76;w=21600");
    assert.equal(value("time per request"), "ping 401 3.2 ms; tags-anonymous 401 12 ms");
    assert.equal(value("endpoint", 1), "failed: connection refused");
    assert.equal(value("ping", 1), "—");
  });

  test("columns line up and long values wrap within the width", () => {
    const text = renderProbeTable([hub, hub], 30);
    const lines = text.trimEnd().split("\n");
    assert.ok(lines.every((line) => line.length <= 20 + 2 + 30 + 2 + 30), "no line wider than label + two columns");
    const second = lines[0]!.indexOf("docker.io/library/ubuntu", 25);
    assert.ok(second > 0);
    assert.ok(lines.some((line) => line.startsWith("challenge (raw)")));
  });

  test("wrap breaks after spaces, commas and &, and cuts what cannot break", () => {
    assert.deepEqual(wrap("short", 10), ["short"]);
    assert.deepEqual(wrap('Bearer realm="https://a/token",service="x"', 26), ["Bearer", 'realm="https://a/token",', 'service="x"']);
    for (const line of wrap('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"', 20)) assert.ok(line.length <= 20, line);
    assert.equal(wrap("a,b,c,d,e,f", 4).join(""), "a,b,c,d,e,f");
  });
});

describe("saved profiles: validation and hints", () => {
  const saved = savedProfileOf(hub);

  test("round trip; the registry, format and numbers are checked", () => {
    const parsed = parseSavedProfile(JSON.stringify(saved), "docker.io");
    assert.ok(parsed.ok);
    assert.deepEqual(parseSavedProfile(JSON.stringify(saved), "ghcr.io"), { ok: false, reason: 'it is for "docker.io", not ghcr.io' });
    assert.equal(parseSavedProfile("{", "docker.io").ok, false);
    assert.equal(parseSavedProfile(JSON.stringify({ ...saved, format: "other/1" }), "docker.io").ok, false);
    const broken = { ...saved, profile: { ...saved.profile, tags: { ...saved.profile.tags!, paging: { ...saved.profile.tags!.paging, largestHonoured: -5 } } } };
    assert.equal(parseSavedProfile(JSON.stringify(broken), "docker.io").ok, false);
    assert.equal(saved.format, SAVED_PROFILE_FORMAT);
    assert.equal(savedProfileAgeMs(saved, Date.parse("2026-01-02T00:00:00.000Z")), 86_400_000);
  });

  test("file names are safe for any registry name", () => {
    assert.equal(savedProfileFileName("docker.io"), "docker.io.json");
    assert.equal(savedProfileFileName("127.0.0.1:5000"), "127.0.0.1_5000.json");
    assert.equal(savedProfileFileName("[::1]:5000"), "___1__5000.json");
  });

  test("hints: no n where the first page had no link; else the exact limit, else the largest honoured; anonymous as seen", () => {
    assert.deepEqual(hintsFromProfile(hub.profile), { pageSize: null, anonymousWithoutToken: false });
    const tags = hub.profile.tags!;
    const quay = { ...hub.profile, auth: { kind: "none" as const }, tags: { ...tags, paging: { ...tags.paging, defaultPageSize: 50, maxPageSize: 50, overMax: "clamp" as const, largestHonoured: 50 } } };
    assert.deepEqual(hintsFromProfile(quay), { pageSize: 50, anonymousWithoutToken: true });
    const ghcr = { ...hub.profile, tags: { ...tags, paging: { ...tags.paging, defaultPageSize: 100 } } };
    assert.deepEqual(hintsFromProfile(ghcr), { pageSize: 10_000, anonymousWithoutToken: false });
    const { tags: _none, ...unread } = hub.profile;
    assert.deepEqual(hintsFromProfile(unread), { anonymousWithoutToken: false });
  });
});

describe("large inputs (issue 10, item 6: no Math.max(...list))", () => {
  test("a value that wraps to 170,000 lines renders", () => {
    const text = renderProbeTable([{ registry: "r.example", repository: "a/b", error: "abcd ".repeat(1_500_000) }]);
    assert.ok(text.split("\n").length > 150_000);
    assert.match(text, /^registry\s+r\.example\/a\/b\n/);
  });
  test("200,000 columns render", () => {
    const columns = Array.from({ length: 200_000 }, (_, i) => ({ registry: "r.example", repository: `a/${i}`, error: "x" }));
    assert.match(renderProbeTable(columns, 10), /a\/199999/);
  });
});
