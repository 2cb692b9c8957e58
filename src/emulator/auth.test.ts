/**
 * Auth variants, once each: challenge shapes, token response fields, where refusals
 * happen, credentials, token scope and token expiry enforcement.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { builtinProfiles, startEmulator, VirtualClock, type Emulator, type EmulatorProfile } from "./index.js";
import { basic, challengeParams, requestToken, tokenOf } from "./walk.test.js";

const USERS = { alice: "wonderland" };
const ALICE = basic("alice", "wonderland");

function withBearer(base: EmulatorProfile, id: string, change: Record<string, unknown>): EmulatorProfile {
  assert.equal(base.auth.kind, "bearer");
  return { ...base, id, auth: { ...base.auth, ...change } as EmulatorProfile["auth"] };
}

const dist3 = builtinProfiles["distribution-3"] as EmulatorProfile;
const shortLived = withBearer(dist3, "short-lived", { token: { fields: "token", expiresIn: 300, issuedAt: true, lifetimeSeconds: 0.25 } });
const realmWithQuery = withBearer(dist3, "realm-query", { realm: { server: "registry", path: "/token?account=emulator" } });
const { service: _service, ...dist3AuthWithoutService } = dist3.auth.kind === "bearer" ? dist3.auth : assert.fail("bearer");
const noService: EmulatorProfile = { ...dist3, id: "no-service", auth: dist3AuthWithoutService };

/** Token lifetimes move only when a test advances this clock. */
const clock = new VirtualClock({ autoAdvance: false });
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: ["dockerhub", "ghcr", "quay-2023", "harbor", "acr", "zot", "forgejo", "ecr", "nexus", shortLived, realmWithQuery, noService],
    users: USERS,
    clock,
  });
});
after(async () => {
  await emulator.close();
});

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** A 401's challenge, after draining the body. */
async function challengeOf(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  assert.equal(response.status, 401, `${url} should be 401`);
  return response.headers.get("www-authenticate") ?? "";
}

async function tokenFor(url: string, scopes: string[], authorization?: string): Promise<string> {
  const response = await requestToken(await challengeOf(`${url}/v2/`), scopes, authorization);
  assert.equal(response.status, 200);
  return tokenOf(await json(response));
}

async function status(url: string, token?: string): Promise<{ status: number; challenge: string | null }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return { status: response.status, challenge: response.headers.get("www-authenticate") };
}

describe("bearer token flow", () => {
  test("dockerhub: realm on a separate auth server; token and access_token equal, expires_in 300, issued_at", async () => {
    const hub = emulator.get("dockerhub");
    hub.resetCounts();
    const challenge = await challengeOf(`${hub.url}/v2/`);
    assert.equal(challenge, `Bearer realm="${hub.authUrl}/token",service="registry.docker.io"`);
    assert.notEqual(hub.authUrl, hub.url);
    const body = await json(await requestToken(challenge, ["repository:library/ubuntu:pull"]));
    assert.equal(body["token"], body["access_token"]);
    assert.equal(body["expires_in"], 300);
    assert.ok(!Number.isNaN(Date.parse(body["issued_at"] as string)));
    assert.deepEqual(hub.requests.map((r) => [r.kind, r.server, r.authScheme]), [["ping", "registry", "none"], ["token", "auth", "none"]]);
  });

  test("dockerhub: missing and private repositories → 401 insufficient_scope; private readable with credentials", async () => {
    const hub = emulator.get("dockerhub");
    const anonymous = await tokenFor(hub.url, ["repository:no/such:pull", "repository:private/repo:pull"]);
    for (const name of ["no/such", "private/repo"]) {
      const answer = await status(`${hub.url}/v2/${name}/tags/list`, anonymous);
      assert.equal(answer.status, 401);
      assert.equal(challengeParams(answer.challenge ?? "", "bearer")?.["error"], "insufficient_scope");
      assert.equal(challengeParams(answer.challenge ?? "", "bearer")?.["scope"], `repository:${name}:pull`);
    }
    const alice = await tokenFor(hub.url, ["repository:private/repo:pull"], ALICE);
    assert.equal((await status(`${hub.url}/v2/private/repo/tags/list`, alice)).status, 200);
  });

  test("a token grants only the requested scopes: another repository → 401 insufficient_scope", async () => {
    const hub = emulator.get("dockerhub");
    const token = await tokenFor(hub.url, ["repository:library/ubuntu:pull"]);
    assert.equal((await status(`${hub.url}/v2/library/ubuntu/tags/list`, token)).status, 200);
    const other = await status(`${hub.url}/v2/linuxserver/hedgedoc/tags/list`, token);
    assert.equal(other.status, 401);
    assert.match(other.challenge ?? "", /error="insufficient_scope"/);
    assert.equal((await status(`${hub.url}/v2/library/ubuntu/manifests/latest`, token)).status, 200);
  });

  test("an expired token gets 401 invalid_token; so does an unknown one", async () => {
    const registry = emulator.get("short-lived");
    const token = await tokenFor(registry.url, ["repository:library/ubuntu:pull"]);
    assert.equal((await status(`${registry.url}/v2/library/ubuntu/tags/list`, token)).status, 200);
    await clock.advance(250);
    const expired = await status(`${registry.url}/v2/library/ubuntu/tags/list`, token);
    assert.equal(expired.status, 401);
    assert.equal(challengeParams(expired.challenge ?? "", "bearer")?.["error"], "invalid_token");
    assert.match((await status(`${registry.url}/v2/library/ubuntu/tags/list`, "made-up")).challenge ?? "", /error="invalid_token"/);
  });

  test("token endpoint: bad credentials 401, wrong service 400, dropped realm query 400, kept realm query 200", async () => {
    const hub = emulator.get("dockerhub");
    const challenge = await challengeOf(`${hub.url}/v2/`);
    assert.equal((await requestToken(challenge, [], basic("alice", "wrong"))).status, 401);
    const wrongService = await fetch(`${hub.authUrl}/token?service=other&scope=repository:library/ubuntu:pull`);
    assert.equal(wrongService.status, 400);
    const registry = emulator.get("realm-query");
    const realm = await challengeOf(`${registry.url}/v2/`);
    assert.match(realm, /realm="http:\/\/[^"]+\/token\?account=emulator"/);
    assert.equal((await fetch(`${registry.url}/token?service=distribution`)).status, 400);
    assert.equal((await requestToken(realm, ["repository:library/ubuntu:pull"])).status, 200);
  });

  test("a challenge without service: the token endpoint needs none", async () => {
    const registry = emulator.get("no-service");
    const challenge = await challengeOf(`${registry.url}/v2/library/ubuntu/tags/list`);
    assert.equal(challenge, `Bearer realm="${registry.url}/auth/token",scope="repository:library/ubuntu:pull"`);
    const token = tokenOf(await json(await requestToken(challenge, ["repository:library/ubuntu:pull"])));
    assert.equal((await status(`${registry.url}/v2/library/ubuntu/tags/list`, token)).status, 200);
  });

  test("ghcr: placeholder ping scope, {token} only, missing/private refused by the token endpoint", async () => {
    const ghcr = emulator.get("ghcr");
    const challenge = await challengeOf(`${ghcr.url}/v2/`);
    assert.equal(challengeParams(challenge, "bearer")?.["scope"], "repository:user/image:pull");
    const body = await json(await requestToken(challenge, ["repository:linuxserver/hedgedoc:pull"]));
    assert.deepEqual(Object.keys(body), ["token"]);
    assert.equal((await requestToken(challenge, ["repository:no/such:pull"])).status, 401);
    assert.equal((await requestToken(challenge, ["repository:private/repo:pull"])).status, 401);
    assert.equal((await requestToken(challenge, ["repository:user/image:pull"])).status, 401, "the placeholder scope is useless");
    assert.equal((await requestToken(challenge, ["repository:private/repo:pull"], ALICE)).status, 200);
  });

  test("quay-2023: ping body 'true' as text/html; public reads without a token; private still 401", async () => {
    const quay = emulator.get("quay-2023");
    const ping = await fetch(`${quay.url}/v2/`);
    assert.equal(ping.status, 401);
    assert.match(ping.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(await ping.text(), "true");
    assert.equal((await status(`${quay.url}/v2/ansible/creator-ee/tags/list`)).status, 200);
    assert.equal((await status(`${quay.url}/v2/private/repo/tags/list`)).status, 401);
  });

  test("harbor: a real token beside an empty access_token, expires_in 1800; missing repo 404 NOT_FOUND", async () => {
    const harbor = emulator.get("harbor");
    const challenge = await challengeOf(`${harbor.url}/v2/`);
    const body = await json(await requestToken(challenge, ["repository:no/such:pull"]));
    assert.equal(body["access_token"], "");
    assert.equal(body["expires_in"], 1800);
    const missing = await fetch(`${harbor.url}/v2/no/such/tags/list`, { headers: { authorization: `Bearer ${tokenOf(body)}` } });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, "NOT_FOUND");
  });

  test("acr: error=\"invalid_token\" and scope on the first repository challenge; {access_token} only", async () => {
    const acr = emulator.get("acr");
    const challenge = await challengeOf(`${acr.url}/v2/library/ubuntu/tags/list`);
    assert.equal(
      challenge,
      `Bearer realm="${acr.url}/oauth2/token",service="${acr.host}",scope="repository:library/ubuntu:pull",error="invalid_token"`,
    );
    assert.deepEqual(Object.keys(await json(await requestToken(challenge, ["repository:library/ubuntu:pull"]))), ["access_token"]);
  });

  test("zot: 200 ping carrying a lower-case unquoted challenge with scope=\"\"", async () => {
    const zot = emulator.get("zot");
    const ping = await fetch(`${zot.url}/v2/`);
    await ping.arrayBuffer();
    assert.equal(ping.status, 200);
    assert.equal(ping.headers.get("www-authenticate"), `bearer realm=${zot.url}/auth/token,service=zot,scope=""`);
  });

  test("forgejo: two challenges in one header; Basic accepted directly", async () => {
    const forgejo = emulator.get("forgejo");
    const challenge = await challengeOf(`${forgejo.url}/v2/`);
    assert.equal(challenge, `Bearer realm="${forgejo.url}/v2/token",service="container_registry",scope="*",Basic realm="${forgejo.url}/v2/token"`);
    const direct = await fetch(`${forgejo.url}/v2/library/ubuntu/tags/list`, { headers: { authorization: ALICE } });
    await direct.arrayBuffer();
    assert.equal(direct.status, 200);
  });
});

describe("basic auth", () => {
  test("ecr: Basic with a service parameter; no or wrong credentials 401; right ones 200", async () => {
    const ecr = emulator.get("ecr");
    ecr.resetCounts();
    const url = `${ecr.url}/v2/library/ubuntu/tags/list`;
    assert.equal(await challengeOf(url), `Basic realm="${ecr.url}/",service="ecr.amazonaws.com"`);
    await challengeOf(url, { headers: { authorization: basic("alice", "nope") } });
    const ok = await fetch(url, { headers: { authorization: ALICE } });
    await ok.arrayBuffer();
    assert.equal(ok.status, 200);
    assert.deepEqual(ecr.requests.map((r) => [r.status, r.authScheme]), [[401, "none"], [401, "basic"], [200, "basic"]]);
  });

  test("nexus: upper-case BASIC; anonymous public reads, private needs credentials", async () => {
    const nexus = emulator.get("nexus");
    assert.equal(await challengeOf(`${nexus.url}/v2/`), 'BASIC realm="Sonatype Nexus Repository Manager"');
    assert.equal((await status(`${nexus.url}/v2/library/ubuntu/tags/list`)).status, 200);
    assert.equal((await status(`${nexus.url}/v2/no/such/tags/list`)).status, 404);
    await challengeOf(`${nexus.url}/v2/private/repo/tags/list`);
    const alice = await fetch(`${nexus.url}/v2/private/repo/tags/list`, { headers: { authorization: ALICE } });
    await alice.arrayBuffer();
    assert.equal(alice.status, 200);
  });
});
