/**
 * `regtags probe` against the real CNCF distribution registry (Debian's
 * docker-registry 2.8) on 127.0.0.1, with token auth and with htpasswd Basic
 * auth. What 2.8 does is known (shared/notes/real-registry.md): n and last
 * ignored, no Link, tags in filesystem order, the catalog paginated for
 * whoever may read it. The probe must report exactly that. If the registry
 * cannot start, these tests fail: they are never skipped.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createProber, type ProbeFindings } from "../../src/index.js";
import { PROBE_REQUEST_BUDGET } from "../../src/probe/plan.js";
import { HTPASSWD_REALM, startRealRegistry, TOKEN_SERVICE, type RealRegistry } from "../helpers/real-registry.js";
import { runCli } from "../helpers/run-cli.js";

/** 300 tags written in an order that is not sorted (the registry lists them in directory order). */
function unsortedTags(): string[] {
  const tags: string[] = [];
  for (let i = 0; i < 300; i++) tags.push(`v${(i * 7919) % 300}.${i % 7}`);
  return [...new Set(tags)];
}

async function probe(registry: RealRegistry, credentials?: { username: string; password: string }): Promise<ProbeFindings> {
  const prober = createProber({ retry: { attempts: 1 }, ...(credentials !== undefined ? { credentials } : {}) });
  try {
    return await prober.probe(`${registry.host}/team/app`);
  } finally {
    await prober.close();
  }
}

/** What 2.8 does with tags, whatever the auth. */
function assertDistribution28Paging(findings: ProbeFindings, tagCount: number): void {
  assert.deepEqual(findings.profile.tags, {
    paging: { ignoreParams: true, defaultPageSize: "all", overMax: "not-seen", zeroN: "all" },
    order: "unsorted",
    link: { form: "none" },
    body: { contentType: "application/json; charset=utf-8" },
  });
  assert.equal(findings.evidence.pages.find((p) => p.step === "tags-n1")?.received, tagCount, "n=1 returns every tag");
  assert.equal(findings.evidence.pages.some((p) => p.step === "tags-large"), false, "no large n once n is known to be ignored");
  assert.equal(findings.profile.headers?.["docker-distribution-api-version"], "registry/2.0");
  assert.ok(findings.requests.length <= PROBE_REQUEST_BUDGET);
}

describe("probe: real distribution registry, token auth", () => {
  let registry: RealRegistry;
  let tagCount = 0;

  before(async () => {
    registry = await startRealRegistry({ auth: "token" });
    await registry.pushImage("team/app", "latest");
    const tags = unsortedTags();
    await registry.addTags("team/app", tags);
    tagCount = tags.length + 1;
  });
  after(async () => registry?.stop());

  test("anonymous: Bearer from the token server, fields token/access_token/expires_in/issued_at, n ignored, unsorted, no Link, catalog refused", async () => {
    const findings = await probe(registry);
    assert.equal(findings.endpoint, `http://${registry.host}`, "https failed, so plain http on loopback (REF-9)");
    const realm = registry.tokenServer!.realm;
    assert.deepEqual(findings.profile.auth, {
      kind: "bearer",
      challenge: { scheme: "Bearer", quoted: true },
      realm: { server: "separate", path: new URL(realm).pathname, url: realm },
      service: TOKEN_SERVICE,
      repositoryScopeInChallenge: true,
      token: { fields: "both", expiresIn: 300, issuedAt: true, appliedLifetimeSeconds: 300 },
      anonymousReadsWithoutToken: false,
    });
    assert.deepEqual(findings.profile.ping, { anonymousStatus: 401 });
    assert.deepEqual(findings.evidence.token?.fieldsPresent, ["token", "access_token", "expires_in", "issued_at"]);
    assertDistribution28Paging(findings, tagCount);
    assert.deepEqual(findings.profile.catalog, { kind: "refused", answer: "insufficient-scope" });
    assert.deepEqual(findings.evidence.rateLimitHeaders, {});
  });

  test("with credentials: the token is bought with them and the catalog is supported", async () => {
    const findings = await probe(registry, { username: "alice", password: registry.users["alice"]! });
    assert.equal(findings.evidence.token?.withCredentials, true);
    assert.deepEqual(findings.profile.catalog, { kind: "paginated" });
    assertDistribution28Paging(findings, tagCount);
  });

  test("the CLI: a side-by-side table and --json, exit 0, no secret printed", async () => {
    const table = await runCli(["probe", "--creds", `alice:${registry.users["alice"]}`, `${registry.host}/team/app`]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^n=1 +ignored: \d+ tags, no link$/m);
    assert.match(table.stdout, /^_catalog +supported$/m);
    assert.ok(!table.stdout.includes(registry.users["alice"]!));
    const json = await runCli(["probe", "--json", `${registry.host}/team/app`]);
    assert.equal(json.code, 0, json.stderr);
    const [findings] = JSON.parse(json.stdout) as ProbeFindings[];
    assert.equal(findings?.profile.tags?.paging.ignoreParams, true);
  });
});

describe("probe: real distribution registry, htpasswd Basic auth", () => {
  let registry: RealRegistry;
  let tagCount = 0;

  before(async () => {
    registry = await startRealRegistry({ auth: "htpasswd" });
    await registry.pushImage("team/app", "latest");
    const tags = unsortedTags();
    await registry.addTags("team/app", tags);
    tagCount = tags.length + 1;
  });
  after(async () => registry?.stop());

  test("with credentials: Basic, no anonymous reads, no token request, n ignored, catalog supported", async () => {
    const findings = await probe(registry, { username: "alice", password: registry.users["alice"]! });
    assert.deepEqual(findings.profile.auth, { kind: "basic", challenge: { scheme: "Basic", quoted: true }, realm: HTPASSWD_REALM, anonymousPublicReads: false });
    assert.equal(findings.evidence.token, undefined);
    assert.equal(findings.requests.some((r) => r.step === "token" || r.step === "catalog-token"), false);
    assertDistribution28Paging(findings, tagCount);
    assert.deepEqual(findings.profile.catalog, { kind: "paginated" });
  });

  test("without credentials: the challenge is reported, paging is unobserved (with the reason), the catalog refused", async () => {
    const findings = await probe(registry);
    assert.equal(findings.profile.auth.kind, "basic");
    assert.equal(findings.profile.tags, undefined);
    assert.match(findings.unobserved.find((u) => u.field === "tags")?.why ?? "", /401/);
    assert.ok(findings.notes.some((n) => /needs credentials/.test(n)));
    assert.deepEqual(findings.profile.catalog, { kind: "refused", answer: { status: 401, code: "UNAUTHORIZED" } });
  });
});
