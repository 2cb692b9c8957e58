/**
 * Checks the integration harness itself (test/helpers/real-registry.ts and
 * friends) against the real `docker-registry` with plain fetch and skopeo,
 * never regtags: the other integration tests trust it to set up a registry
 * that behaves like shared/notes/real-registry.md says. One suite per auth
 * mode; each pushes a real image, adds 10,000 tags through the storage layout
 * and has skopeo list them back.
 */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { HTPASSWD_REALM, TOKEN_ISSUER, TOKEN_SERVICE, startRealRegistry } from "../helpers/real-registry.js";
import type { RealRegistry } from "../helpers/real-registry.js";
import { OCI_MANIFEST_MEDIA_TYPE } from "../helpers/oci-image.js";
import { skopeoInspectDigest, skopeoListTags } from "../helpers/skopeo.js";

const REPO = "team/app";
const PRIVATE_REPO = "private/secret-app";
const MANY_TAGS = Array.from({ length: 10_000 }, (_, i) => `tag-${String(i).padStart(5, "0")}`);

/** `Scheme k="v",k2="v2"` → scheme and params (enough for what the registry sends). */
function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
  assert.ok(header !== null, "expected a WWW-Authenticate header");
  const space = header.indexOf(" ");
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    params[match[1] as string] = match[2] as string;
  }
  return { scheme: header.slice(0, space), params };
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function tagsList(registry: RealRegistry, repository: string, authorization?: string): Promise<Response> {
  return fetch(`${registry.url}/v2/${repository}/tags/list`, {
    headers: authorization !== undefined ? { authorization } : {},
  });
}

async function fetchToken(registry: RealRegistry, scopes: readonly string[], authorization?: string): Promise<Response> {
  const server = registry.tokenServer;
  assert.ok(server !== undefined);
  const url = new URL(server.realm);
  url.searchParams.set("service", server.service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  return fetch(url, { headers: authorization !== undefined ? { authorization } : {} });
}

/** Push, add 10,000 tags, and have skopeo list and inspect them. */
async function fillAndCrossCheck(registry: RealRegistry, creds: string | undefined): Promise<string> {
  const digest = await registry.pushImage(REPO, "v1");
  assert.match(digest, /^sha256:[a-f0-9]{64}$/);
  await registry.addTags(REPO, MANY_TAGS);

  const listed = await skopeoListTags(registry.host, REPO, creds !== undefined ? { creds } : {});
  assert.equal(listed.Repository, `${registry.host}/${REPO}`);
  assert.equal(listed.Tags.length, 10_001);
  assert.deepEqual(new Set(listed.Tags), new Set(["v1", ...MANY_TAGS]));

  const opts = creds !== undefined ? { creds } : {};
  assert.equal(await skopeoInspectDigest(registry.host, REPO, "v1", opts), digest);
  // A tag written through the storage layout resolves like a pushed one.
  assert.equal(await skopeoInspectDigest(registry.host, REPO, "tag-09999", opts), digest);
  return digest;
}

describe("harness: auth none", () => {
  let registry: RealRegistry;
  before(async () => {
    registry = await startRealRegistry({ auth: "none" });
  });
  after(async () => {
    await registry?.stop();
  });

  it("serves /v2/ on 127.0.0.1 without auth", async () => {
    assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(registry.url, `http://${registry.host}`);
    assert.equal(registry.tokenServer, undefined);
    const response = await fetch(`${registry.url}/v2/`);
    assert.equal(response.status, 200);
  });

  it("pushes an image, adds 10,000 tags, and skopeo agrees", async () => {
    await fillAndCrossCheck(registry, undefined);
    const response = await tagsList(registry, REPO);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { name: string; tags: string[] };
    assert.equal(body.name, REPO);
    assert.equal(body.tags.length, 10_001);
  });

  it("addTags with an explicit digest moves tags to that manifest", async () => {
    const first = await registry.pushImage("team/two", "one");
    const second = await registry.pushImage("team/two", "two");
    assert.notEqual(first, second);
    await registry.addTags("team/two", ["moved", "two"], first);
    for (const tag of ["moved", "two"]) {
      const response = await fetch(`${registry.url}/v2/team/two/manifests/${tag}`, {
        method: "HEAD",
        headers: { accept: OCI_MANIFEST_MEDIA_TYPE },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("docker-content-digest"), first);
    }
  });

  it("addTags refuses what the registry could not serve", async () => {
    await assert.rejects(registry.addTags("never/pushed", ["a"]), /no image pushed/);
    await assert.rejects(registry.addTags(REPO, ["../escape"]), /invalid tag/);
    await assert.rejects(registry.addTags("Bad/Name", ["a"]), /invalid repository/);
    await assert.rejects(registry.addTags(REPO, ["a"], `sha256:${"0".repeat(64)}`), /never pushed/);
  });
});

describe("harness: auth htpasswd", () => {
  const users = { bob: "builder-pass", carol: "second-user" };
  let registry: RealRegistry;
  before(async () => {
    registry = await startRealRegistry({ auth: "htpasswd", users });
  });
  after(async () => {
    await registry?.stop();
  });

  it("challenges with Basic and accepts every configured user", async () => {
    assert.deepEqual(registry.users, users);
    const anonymous = await fetch(`${registry.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(parseChallenge(anonymous.headers.get("www-authenticate")), {
      scheme: "Basic",
      params: { realm: HTPASSWD_REALM },
    });
    for (const [user, password] of Object.entries(users)) {
      assert.equal((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(user, password) } })).status, 200);
    }
  });

  it("pushes with the first user, adds 10,000 tags, and skopeo agrees", async () => {
    await fillAndCrossCheck(registry, "bob:builder-pass");
  });

  it("tags/list: 401 Basic without or with wrong credentials, 200 with them", async () => {
    const anonymous = await tagsList(registry, REPO);
    assert.equal(anonymous.status, 401);
    assert.equal(parseChallenge(anonymous.headers.get("www-authenticate")).scheme, "Basic");
    assert.equal((await tagsList(registry, REPO, basic("bob", "wrong"))).status, 401);

    const ok = await tagsList(registry, REPO, basic("carol", "second-user"));
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { tags: string[] }).tags.length, 10_001);

    await assert.rejects(skopeoListTags(registry.host, REPO), /401|unauthorized|authentication required/i);
  });
});

describe("harness: auth token", () => {
  let registry: RealRegistry;
  let digest: string;
  const alice = basic("alice", "wonderland-secret");
  const pull = (repository: string): string => `repository:${repository}:pull`;

  before(async () => {
    registry = await startRealRegistry({ auth: "token", tokenLifetimeSeconds: 120 });
  });
  after(async () => {
    await registry?.stop();
  });

  it("pushes with credentials, adds 10,000 tags, and anonymous skopeo agrees on a public repo", async () => {
    digest = await fillAndCrossCheck(registry, undefined);
    await registry.pushImage(PRIVATE_REPO, "v1");
  });

  it("challenges with Bearer realm, service and the repository's pull scope", async () => {
    const server = registry.tokenServer;
    assert.ok(server !== undefined);
    assert.equal(server.realm, `${server.url}/token`);
    assert.equal(server.service, TOKEN_SERVICE);

    const base = await fetch(`${registry.url}/v2/`);
    assert.equal(base.status, 401);
    assert.deepEqual(parseChallenge(base.headers.get("www-authenticate")), {
      scheme: "Bearer",
      params: { realm: server.realm, service: TOKEN_SERVICE },
    });

    const anonymous = await tagsList(registry, REPO);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(parseChallenge(anonymous.headers.get("www-authenticate")), {
      scheme: "Bearer",
      params: { realm: server.realm, service: TOKEN_SERVICE, scope: pull(REPO) },
    });
  });

  it("an anonymous token opens a public repository; the JWT has the documented shape", async () => {
    const response = await fetchToken(registry, [pull(REPO)]);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    assert.equal(body.access_token, body.token);
    assert.equal(body.expires_in, 120);
    assert.ok(!Number.isNaN(Date.parse(body.issued_at)));

    const [header, claims] = body.token.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>);
    assert.equal(header?.alg, "ES256");
    assert.ok(Array.isArray(header?.x5c) && header.x5c.length === 1);
    assert.equal(claims?.iss, TOKEN_ISSUER);
    assert.equal(claims?.aud, TOKEN_SERVICE);
    assert.equal(claims?.sub, "");
    assert.equal((claims?.exp as number) - (claims?.iat as number), 120);
    assert.deepEqual(claims?.access, [{ type: "repository", name: REPO, actions: ["pull"] }]);

    const list = await tagsList(registry, REPO, `Bearer ${body.token}`);
    assert.equal(list.status, 200);
    assert.equal(((await list.json()) as { tags: string[] }).tags.length, 10_001);
    assert.equal(await skopeoInspectDigest(registry.host, REPO, "tag-00000"), digest);
  });

  it("a private repository needs credentials at the token server", async () => {
    // Anonymous: a token without access, which the registry rejects.
    const anonymousToken = ((await (await fetchToken(registry, [pull(PRIVATE_REPO)])).json()) as { token: string }).token;
    const denied = await tagsList(registry, PRIVATE_REPO, `Bearer ${anonymousToken}`);
    assert.equal(denied.status, 401);
    assert.equal(parseChallenge(denied.headers.get("www-authenticate")).params.error, "insufficient_scope");

    const wrong = await fetchToken(registry, [pull(PRIVATE_REPO)], basic("alice", "not-her-password"));
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAUTHORIZED");

    const right = await fetchToken(registry, [pull(PRIVATE_REPO)], alice);
    assert.equal(right.status, 200);
    const token = ((await right.json()) as { token: string }).token;
    const list = await tagsList(registry, PRIVATE_REPO, `Bearer ${token}`);
    assert.equal(list.status, 200);
    assert.deepEqual(((await list.json()) as { tags: string[] }).tags, ["v1"]);

    await assert.rejects(skopeoListTags(registry.host, PRIVATE_REPO), /unauthorized|denied|authentication required|401/i);
    assert.deepEqual((await skopeoListTags(registry.host, PRIVATE_REPO, { creds: "alice:wonderland-secret" })).Tags, ["v1"]);
  });

  it("grants registry:catalog:* to authenticated users only", async () => {
    const catalog = async (authorization?: string): Promise<Response> => {
      const token = ((await (await fetchToken(registry, ["registry:catalog:*"], authorization)).json()) as { token: string }).token;
      return fetch(`${registry.url}/v2/_catalog`, { headers: { authorization: `Bearer ${token}` } });
    };
    assert.equal((await catalog()).status, 401);
    const response = await catalog(alice);
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as { repositories: string[] }).repositories.sort(), [PRIVATE_REPO, REPO]);
  });

  it("POST realm: password grant with a refresh token, then refresh_token grant (auth/oauth.md)", async () => {
    const server = registry.tokenServer;
    assert.ok(server !== undefined);
    const post = (form: Record<string, string>): Promise<Response> =>
      fetch(server.realm, { method: "POST", body: new URLSearchParams(form) });

    const bad = await post({ grant_type: "password", username: "alice", password: "nope", service: TOKEN_SERVICE, scope: pull(PRIVATE_REPO), client_id: "regtags-test" });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, "invalid_grant");

    const first = await post({
      grant_type: "password",
      username: "alice",
      password: "wonderland-secret",
      service: TOKEN_SERVICE,
      scope: pull(PRIVATE_REPO),
      client_id: "regtags-test",
      access_type: "offline",
    });
    assert.equal(first.status, 200);
    const firstBody = (await first.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
    assert.equal(firstBody.expires_in, 120);
    assert.equal(firstBody.scope, pull(PRIVATE_REPO));
    assert.equal(typeof firstBody.refresh_token, "string");

    const refreshed = await post({ grant_type: "refresh_token", refresh_token: firstBody.refresh_token, service: TOKEN_SERVICE, scope: `${pull(PRIVATE_REPO)} ${pull(REPO)}`, client_id: "regtags-test" });
    assert.equal(refreshed.status, 200);
    const refreshedBody = (await refreshed.json()) as { access_token: string; refresh_token?: string };
    assert.equal(refreshedBody.refresh_token, undefined);
    assert.equal((await tagsList(registry, PRIVATE_REPO, `Bearer ${refreshedBody.access_token}`)).status, 200);

    const unknown = await post({ grant_type: "refresh_token", refresh_token: "made-up", service: TOKEN_SERVICE, client_id: "regtags-test" });
    assert.equal(unknown.status, 400);
  });

  it("records token requests with the user name and never a password", () => {
    const requests = registry.tokenServer?.requests ?? [];
    assert.ok(requests.some((r) => r.user === "alice" && r.status === 401 && r.method === "GET"));
    assert.ok(requests.some((r) => r.user === undefined && r.status === 200 && r.query.includes("scope=repository%3Ateam%2Fapp%3Apull")));
    assert.ok(requests.some((r) => r.method === "POST" && r.user === "alice" && r.query.includes("grant_type=refresh_token")));
    const logged = JSON.stringify(requests);
    for (const secret of ["wonderland-secret", "not-her-password", "made-up"]) assert.ok(!logged.includes(secret), secret);
  });
});

describe("harness: lifecycle", () => {
  it("stop() ends the registry and the token server and removes the temp dirs", async () => {
    const registry = await startRealRegistry({ auth: "token" });
    const { storageDir, url } = registry;
    const realm = registry.tokenServer?.realm ?? "";
    assert.ok(existsSync(storageDir));
    await registry.stop();
    await registry.stop(); // idempotent
    assert.ok(!existsSync(storageDir));
    await assert.rejects(fetch(`${url}/v2/`));
    await assert.rejects(fetch(realm));
  });

  it("fails loudly when docker-registry is not installed", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await assert.rejects(startRealRegistry({ auth: "none" }), /docker-registry is not installed/);
    } finally {
      process.env.PATH = path;
    }
  });
});
