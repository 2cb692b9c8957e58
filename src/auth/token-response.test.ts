import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTokenResponse, DEFAULT_TOKEN_LIFETIME_SECONDS } from "./token-response.js";
import { TokenCache, refreshMarginMs } from "./token-cache.js";
import { isRegtagsError } from "../errors.js";

const now = Date.parse("2026-01-01T00:00:00Z");

test("TOK-4: token and access_token, empty strings count as absent", () => {
  const cases: Array<[object, string]> = [
    [{ token: "a", access_token: "a" }, "a"], // Docker Hub: both, same value
    [{ token: "t" }, "t"], // ghcr, quay
    [{ access_token: "acr" }, "acr"], // ACR
    [{ token: "harbor", access_token: "" }, "harbor"], // Harbor's empty access_token
    [{ token: "", access_token: "x" }, "x"],
  ];
  for (const [body, token] of cases) assert.equal(parseTokenResponse(JSON.stringify(body), now, "t").token, token);
});

test("TOK-4: expires_in default 60 s, issued_at honoured, future issued_at clamped", () => {
  const plain = parseTokenResponse('{"token":"x"}', now, "t");
  assert.equal(plain.lifetimeSeconds, DEFAULT_TOKEN_LIFETIME_SECONDS);
  assert.equal(plain.lifetimeAnnounced, false);
  assert.equal(plain.expiresAt, now + 60_000);
  const hub = parseTokenResponse(JSON.stringify({ token: "x", expires_in: 300, issued_at: "2025-12-31T23:59:50.123456789Z" }), now, "t");
  assert.equal(hub.lifetimeSeconds, 300);
  assert.equal(hub.expiresAt, Date.parse("2025-12-31T23:59:50.123Z") + 300_000);
  const ahead = parseTokenResponse(JSON.stringify({ token: "x", expires_in: 10, issued_at: "2026-01-01T01:00:00Z" }), now, "t");
  assert.equal(ahead.expiresAt, now + 10_000);
  assert.equal(parseTokenResponse('{"token":"x","expires_in":"300"}', now, "t").lifetimeSeconds, 60);
});

test("TOK-4: no token, not JSON, not an object are protocol errors", () => {
  for (const body of ['{"token":""}', "{}", "<html>", "[]", "null", '"x"']) {
    assert.throws(() => parseTokenResponse(body, now, "token service https://a/token"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && /token service/.test((e as Error).message));
  }
});

test("TOK-7: cache per realm+service+sorted scopes, one fetch for concurrent callers, refresh before expiry", async () => {
  let clock = now;
  const cache = new TokenCache(() => clock);
  let fetches = 0;
  const fetch = async () => {
    fetches++;
    await new Promise((r) => setTimeout(r, 5));
    return parseTokenResponse(JSON.stringify({ token: `t${fetches}`, expires_in: 100 }), clock, "t");
  };
  const key = { realm: "https://a/token", service: "s", scopes: ["repository:b:pull", "repository:a:pull"] };
  const same = { realm: "https://a/token", service: "s", scopes: ["repository:a:pull", "repository:b:pull"] };
  const [a, b] = await Promise.all([cache.get(key, fetch), cache.get(same, fetch)]);
  assert.equal(fetches, 1);
  assert.equal(a.grant.token, "t1");
  assert.equal(b.grant.token, "t1");
  assert.equal((await cache.get({ ...key, service: "other" }, fetch)).grant.token, "t2");
  clock = now + 100_000 - refreshMarginMs(100) + 1; // inside the refresh margin
  assert.equal((await cache.get(key, fetch)).grant.token, "t3");
  cache.invalidate(key, "t3");
  assert.equal(cache.peek(key), undefined);
});
