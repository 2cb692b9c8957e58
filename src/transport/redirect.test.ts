import { test } from "node:test";
import assert from "node:assert/strict";
import { withRedirects } from "./redirect.js";
import type { TransportRequest } from "./types.js";
import { ProtocolError } from "../errors.js";
import { fakeResponse } from "../../test/helpers/fake-response.js";

const form: TransportRequest = { method: "POST", url: new URL("https://auth.example/token"), headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&refresh_token=SECRET", purpose: "token" };

/** A transport that redirects the first request with `status` to `location`, then answers 200; it records every request. */
function redirecting(status: number, location: string) {
  const sent: TransportRequest[] = [];
  const send = withRedirects(async (req) => {
    sent.push(req);
    return sent.length === 1 ? fakeResponse(status, { location }, "", req.url.href) : fakeResponse(200, {}, "{}", req.url.href);
  });
  return { send, sent };
}

test("a body is never resent to another origin: 307, 308, 301 and 302 of a POST are refused", async () => {
  for (const status of [307, 308, 301, 302]) {
    const { send, sent } = redirecting(status, "https://elsewhere.example/token");
    await assert.rejects(send(form), (e: unknown) => e instanceof ProtocolError && e.message.includes(`refusing a ${status} redirect to another origin (https://elsewhere.example/token)`) && !e.message.includes("SECRET"));
    assert.equal(sent.length, 1, `${status}: only the first origin was asked`);
  }
});

test("a same-origin 307 keeps the body; a cross-origin 303 becomes a GET without it", async () => {
  const same = redirecting(307, "/token2");
  assert.equal((await same.send(form)).status, 200);
  assert.deepEqual(same.sent.map((r) => [r.method, r.url.href, r.body]), [["POST", "https://auth.example/token", form.body], ["POST", "https://auth.example/token2", form.body]]);
  const other = redirecting(303, "https://elsewhere.example/done");
  assert.equal((await other.send(form)).status, 200);
  assert.deepEqual(other.sent.map((r) => [r.method, r.url.href, r.body]), [["POST", "https://auth.example/token", form.body], ["GET", "https://elsewhere.example/done", undefined]]);
});
