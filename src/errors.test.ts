import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortedError, AuthError, isRegtagsError, NetworkError, ProtocolError, withSubject } from "./errors.js";

test("withSubject: the subject in front, class, code and fields kept, the shared original untouched", () => {
  const original = new AuthError("authentication failed at token service https://auth.example/token: 401", { status: 401, challengeError: "invalid_token", rejected: true });
  const named = withSubject(original, "r.example/team/app");
  assert.ok(named instanceof AuthError && isRegtagsError(named));
  assert.equal(named.message, "r.example/team/app: authentication failed at token service https://auth.example/token: 401");
  assert.equal(named.code, "ERR_AUTH_FAILED");
  assert.equal(named.status, 401);
  assert.equal(named.challengeError, "invalid_token");
  assert.equal(named.name, "AuthError");
  assert.equal(named.cause, original);
  assert.equal(original.message, "authentication failed at token service https://auth.example/token: 401", "one token fetch may fail many requests: never mutated");

  const network = withSubject(new NetworkError("ERR_NETWORK", "GET https://auth.example/token: connection reset", { systemCode: "ECONNRESET" }), "r.example/team/app");
  assert.ok(network instanceof NetworkError && network.systemCode === "ECONNRESET");
  assert.ok(withSubject(new ProtocolError("x"), "r") instanceof ProtocolError);
});

test("withSubject: no double prefix; interruptions and foreign errors pass as they are", () => {
  const once = withSubject(new ProtocolError("bad"), "r/x");
  assert.equal(withSubject(once, "r/x"), once);
  const aborted = new AbortedError();
  assert.equal(withSubject(aborted, "r/x"), aborted);
  const foreign = new TypeError("boom");
  assert.equal(withSubject(foreign, "r/x"), foreign);
});
