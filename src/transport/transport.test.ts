import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter } from "./retry-after.js";
import { withRetry } from "./retry.js";
import { withRedirects } from "./redirect.js";
import { redactUrl, describeAuthorization } from "./trace.js";
import { parseErrorBody } from "./registry-error.js";
import { fakeResponse } from "../../test/helpers/fake-response.js";
import { type Transport, type TransportRequest, type TransportResponse } from "./types.js";
import { NetworkError, isRegtagsError } from "../errors.js";

function response(status: number, headers: Record<string, string> = {}, url = "https://r.example/"): TransportResponse {
  return fakeResponse(status, headers, "", url);
}

test("RL-2: Retry-After as seconds or HTTP date; past or invalid → undefined", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("120", now), 120_000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now), undefined);
  for (const bad of ["soon", "-5", "1.5", "", "99999999999"]) assert.equal(parseRetryAfter(bad, now), undefined, bad);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test("retry: 503 then 200 on GET, waits per Retry-After, shared per origin; POST not retried", async () => {
  const statuses = [503, 429, 200];
  const waits: number[] = [];
  let calls = 0;
  const inner: Transport = async () => response(statuses[calls++] ?? 200, calls === 2 ? { "retry-after": "3" } : {});
  const send = withRetry(inner, { attempts: 4, baseDelayMs: 100 }, { sleep: async (ms) => void waits.push(ms), now: () => 0, random: () => 0.5 });
  const res = await send({ method: "GET", url: new URL("https://r.example/v2/") });
  assert.equal(res.status, 200);
  assert.equal(calls, 3);
  assert.equal(waits.includes(3000), true);
  calls = 0;
  const post = await send({ method: "POST", url: new URL("https://r.example/token") });
  assert.equal(post.status, 503);
  assert.equal(calls, 1);
});

test("retry: gives up after the attempt cap with the last response; network errors retried", async () => {
  let calls = 0;
  const failing = withRetry(async () => (calls++, response(502)), { attempts: 3 }, { sleep: async () => undefined, now: () => 0, random: () => 0 });
  assert.equal((await failing({ method: "GET", url: new URL("https://r.example/") })).status, 502);
  assert.equal(calls, 3);
  calls = 0;
  const flaky = withRetry(
    async () => {
      if (calls++ === 0) throw new NetworkError("ERR_NETWORK", "reset");
      return response(200);
    },
    {},
    { sleep: async () => undefined, now: () => 0, random: () => 0 },
  );
  assert.equal((await flaky({ method: "HEAD", url: new URL("https://r.example/") })).status, 200);
});

test("TOK-10: redirects drop Authorization across origins, refuse downgrade, stop loops", async () => {
  const seen: TransportRequest[] = [];
  const routes: Record<string, TransportResponse> = {
    "https://a.example/1": response(307, { location: "/2" }),
    "https://a.example/2": response(302, { location: "https://b.example/3?x=1" }),
    "https://b.example/3?x=1": response(200, {}, "https://b.example/3?x=1"),
    "https://a.example/down": response(301, { location: "http://a.example/x" }),
    "https://a.example/loop": response(302, { location: "/loop2" }),
    "https://a.example/loop2": response(302, { location: "/loop" }),
  };
  const inner: Transport = async (req) => {
    seen.push(req);
    return { ...(routes[req.url.href] ?? response(404)), url: req.url };
  };
  const send = withRedirects(inner);
  const res = await send({ method: "GET", url: new URL("https://a.example/1"), headers: { authorization: "Bearer secret" } });
  assert.equal(res.status, 200);
  assert.deepEqual(seen.map((r) => [r.url.href, r.headers?.["authorization"]]), [
    ["https://a.example/1", "Bearer secret"],
    ["https://a.example/2", "Bearer secret"],
    ["https://b.example/3?x=1", undefined],
  ]);
  await assert.rejects(send({ method: "GET", url: new URL("https://a.example/down") }), /from https to http/);
  await assert.rejects(send({ method: "GET", url: new URL("https://a.example/loop") }), (e: unknown) => isRegtagsError(e) && /redirect loop/.test((e as Error).message));
});

test("redaction: userinfo and unknown query values hidden, scope/service/n/last kept", () => {
  assert.equal(redactUrl("https://u:p@h.example/v2/x/tags/list?n=2&last=a&X-Amz-Signature=abc"), "https://h.example/v2/x/tags/list?n=2&last=a&X-Amz-Signature=REDACTED");
  assert.equal(redactUrl("https://auth.docker.io/token?scope=repository%3Alibrary%2Fubuntu%3Apull&service=registry.docker.io"), "https://auth.docker.io/token?scope=repository%3Alibrary%2Fubuntu%3Apull&service=registry.docker.io");
  assert.equal(describeAuthorization("Bearer eyJhbGciOi.secret"), "Bearer <redacted>");
  assert.equal(describeAuthorization("Basic YWxpY2U6cHc="), "Basic <redacted>");
  assert.equal(describeAuthorization(undefined), "none");
});

test("ERR-1: error bodies decoded; unknown code kept; non-JSON → []", () => {
  assert.deepEqual(parseErrorBody('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"x"}}]}'), [
    { code: "NAME_UNKNOWN", message: "repository name not known to registry", detail: { name: "x" } },
  ]);
  assert.deepEqual(parseErrorBody('{"errors":[{"code":"WEIRD"},{"message":"m"},null]}'), [
    { code: "WEIRD", message: "" },
    { code: "UNKNOWN", message: "m" },
  ]);
  for (const text of ["true", "<html>", "", '{"errors":"x"}']) assert.deepEqual(parseErrorBody(text), []);
});
