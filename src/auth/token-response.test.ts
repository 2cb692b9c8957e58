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

test("issue 10: a token with CR/LF (or any character a header cannot carry) is a protocol error that never quotes it", () => {
  for (const [token, what] of [
    ["abc\r\nX-Injected: 1", "a carriage return (CR) at offset 3"],
    ["abc\ndef", "a line feed (LF) at offset 3"],
    ["ab cd", "a space at offset 2"],
    ["t\u0000", "a NUL at offset 1"],
    ["tök", "the character U+00F6 at offset 1"],
  ]) {
    assert.throws(
      () => parseTokenResponse(JSON.stringify({ token }), now, "token service https://auth.example/token"),
      (error: unknown) => {
        assert.ok(isRegtagsError(error) && error.code === "ERR_PROTOCOL");
        assert.equal(error.message, `token service https://auth.example/token: the token holds ${what}, which an HTTP header cannot carry; the token service is broken`);
        return true;
      },
    );
  }
  // JWTs and opaque tokens of visible ASCII pass as they are.
  assert.equal(parseTokenResponse('{"token":"eyJhbGciOiJFUzI1NiJ9.e30.sig-_~+/="}', now, "t").token, "eyJhbGciOiJFUzI1NiJ9.e30.sig-_~+/=");
});
