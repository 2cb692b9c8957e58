/**
 * Token renewal under concurrency (TOK-7, TOK-8) and 401s that come from the
 * other end of a redirect (TOK-10), against a scripted transport: every
 * exchange is under the test's control, so the interleavings that are rare
 * on a real network happen every time here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withAuth } from "./authenticate.js";
import { TokenCache } from "./token-cache.js";
import type { Transport, TransportRequest } from "../transport/types.js";
import { fakeResponse } from "../../test/helpers/fake-response.js";

const reply = fakeResponse;

const CHALLENGE = 'Bearer realm="https://auth.example/token",service="r.example",scope="repository:app/x:pull"';
const tagsRequest = (signal?: AbortSignal): TransportRequest => ({
  method: "GET",
  url: new URL("https://r.example/v2/app/x/tags/list"),
  auth: { scopes: ["repository:app/x:pull"] },
  purpose: "tags",
  signal,
});

test("TOK-7: a request refused with a token that another request already renewed uses the renewed token (one renewal, not two)", async () => {
  let issued = 0;
  let valid = new Set<string>();
  const held: Array<() => void> = [];
  let holdNext = false;
  const inner: Transport = async (req) => {
    if (req.url.host === "auth.example") {
      const token = `T${++issued}`;
      valid = new Set([token]);
      return reply(200, {}, JSON.stringify({ token, expires_in: 300 }), req.url.href);
    }
    const sent = req.headers?.["authorization"]?.replace(/^Bearer /, "");
    // Decide on arrival, answer maybe later: a slow response carrying an old verdict.
    const ok = sent !== undefined && valid.has(sent);
    if (holdNext) {
      holdNext = false;
      await new Promise<void>((resolve) => held.push(resolve));
    }
    if (ok) return reply(200, {}, "{}", req.url.href);
    return reply(401, { "www-authenticate": sent === undefined ? CHALLENGE : `${CHALLENGE},error="invalid_token"` }, "", req.url.href);
  };
  const send = withAuth(inner, { registryForOrigin: () => "r.example", cache: new TokenCache() });

  assert.equal((await send(tagsRequest())).status, 200, "first: 401, token T1, 200");
  assert.equal(issued, 1);
  valid = new Set(); // T1 expires server-side while the client still trusts it

  holdNext = true;
  const slow = send(tagsRequest()); // sent with T1, refused, answer held back
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await send(tagsRequest())).status, 200, "another request: 401 with T1, renews to T2, 200");
  assert.equal(issued, 2);
  held.shift()?.(); // the held 401 (for T1) arrives after T2 is cached
  assert.equal((await slow).status, 200);
  assert.equal(issued, 2, "the late 401 for T1 reuses T2 instead of throwing it away");
});

test("TOK-10: a 401 from the target of a cross-origin redirect is answered as that origin, never with this registry's credentials", async () => {
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  const inner: Transport = async (req) => {
    const authorization = req.headers?.["authorization"];
    seen.push({ url: req.url.href, authorization });
    if (req.url.host === "auth.example") {
      // Tokens bought with Basic credentials are only for the registry that named this realm.
      const token = authorization?.startsWith("Basic ") ? "with-credentials" : "anonymous";
      return reply(200, {}, JSON.stringify({ token, expires_in: 300 }), req.url.href);
    }
    if (req.url.host === "mirror.example") {
      // The redirect target (as registry.k8s.io → Artifact Registry): its own challenge.
      if (authorization === "Bearer anonymous") return reply(200, {}, "{}", req.url.href);
      return reply(401, { "www-authenticate": 'Bearer realm="https://auth.example/token",service="mirror"' }, "", req.url.href);
    }
    // r.example: the registry redirects; a 307 followed below auth ends on mirror.example.
    if (authorization === undefined) return reply(401, { "www-authenticate": CHALLENGE }, "", req.url.href);
    return inner({ ...req, url: new URL("https://mirror.example/v2/app/x/tags/list"), headers: {} });
  };
  const send = withAuth(inner, {
    registryForOrigin: (origin) => (origin === "https://r.example" ? "r.example" : undefined),
    credentials: async () => ({ kind: "basic", username: "alice", password: "secret", source: "--creds" }),
    cache: new TokenCache(),
  });
  const res = await send(tagsRequest());
  assert.equal(res.status, 200);
  assert.equal(res.url.host, "mirror.example");
  const toMirror = seen.filter((s) => s.url.startsWith("https://mirror.example"));
  assert.ok(toMirror.every((s) => s.authorization === undefined || s.authorization === "Bearer anonymous"), JSON.stringify(toMirror));
  const tokenCalls = seen.filter((s) => s.url.startsWith("https://auth.example"));
  assert.deepEqual(tokenCalls.map((s) => new URL(s.url).searchParams.get("service")), ["r.example", "mirror"]);
  assert.ok(tokenCalls[1]?.authorization === undefined, "the mirror's token is anonymous");
  assert.ok(seen.length <= 7, `bounded: ${seen.length} exchanges`);
});
