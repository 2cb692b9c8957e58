import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { quoteServerText } from "./safe-text.js";
import { REDACTED, SecretEchoes } from "./secret-echoes.js";

const PASSWORD = "s3cr3t-pa$$word";
const BASIC = Buffer.from(`alice:${PASSWORD}`).toString("base64");
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

describe("SecretEchoes", () => {
  test("a Basic header: its base64, user:password and the password are redacted, also URL-encoded and JSON-escaped", () => {
    const echoes = new SecretEchoes();
    echoes.rememberAuthorization(`Basic ${BASIC}`);
    const text = `got Authorization: Basic ${BASIC}; user alice:${PASSWORD}; pw=${encodeURIComponent(PASSWORD)}; ${PASSWORD}`;
    const out = echoes.redact(text);
    for (const secret of [BASIC, PASSWORD, encodeURIComponent(PASSWORD)]) assert.ok(!out.includes(secret), out);
    assert.equal(out, `got Authorization: Basic ${REDACTED}; user ${REDACTED}; pw=${REDACTED}; ${REDACTED}`);
  });

  test("a Bearer token and a refresh token in a token request's form", () => {
    const echoes = new SecretEchoes();
    echoes.rememberAuthorization(`Bearer ${TOKEN}`);
    echoes.rememberFormBody(new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt-0123456789", client_id: "regtags" }).toString());
    assert.equal(echoes.redact(`invalid token ${TOKEN} (refresh rt-0123456789) for regtags`), `invalid token ${REDACTED} (refresh ${REDACTED}) for regtags`);
  });

  test("a proxy URL's userinfo: as written, percent-decoded, and as the Basic Proxy-Authorization sent for it", () => {
    const echoes = new SecretEchoes();
    echoes.rememberUrlUserinfo("alice:S3cret%40Pw@proxy.corp:3128");
    const basic = Buffer.from("alice:S3cret@Pw").toString("base64");
    const out = echoes.redact(`Proxy-Authorization: Basic ${basic}; alice:S3cret@Pw; alice:S3cret%40Pw; S3cret@Pw`);
    assert.equal(out, `Proxy-Authorization: Basic ${REDACTED}; ${REDACTED}; ${REDACTED}; ${REDACTED}`);
    echoes.rememberUrlUserinfo("http://proxy.corp:3128");
    echoes.rememberUrlUserinfo("not a url at all");
    assert.equal(echoes.redact("proxy.corp"), "proxy.corp");
  });

  test("the start of a secret cut off by a length cap is redacted too", () => {
    const echoes = new SecretEchoes();
    echoes.rememberAuthorization(`Bearer ${TOKEN}`);
    const cut = `body: ${quoteServerText(`echo Bearer ${TOKEN}`, 30)}`;
    assert.ok(cut.includes(TOKEN.slice(0, 12)), cut);
    const out = echoes.redact(cut);
    assert.ok(!out.includes(TOKEN.slice(0, 4)), out);
    assert.match(out, /^body: "echo Bearer <redacted>"…\(\d+ more bytes\)$/);
  });

  test("scrub escapes and caps as well", () => {
    const echoes = new SecretEchoes();
    echoes.rememberSecret(PASSWORD);
    assert.equal(echoes.scrub(`\x1b[2J${PASSWORD}\n`, 100), `\\x1b[2J${REDACTED}\\n`);
  });

  test("very short secrets are not searched for, and nothing is redacted before anything was sent", () => {
    const echoes = new SecretEchoes();
    assert.equal(echoes.redact("anything"), "anything");
    echoes.rememberSecret("abc");
    assert.equal(echoes.redact("abcabc"), "abcabc");
  });

  test("property: no remembered secret survives in any text around it", () => {
    const secret = fc.string({ unit: fc.constantFrom(..."abcXYZ0189+/=._-:%$".split("")), minLength: 4, maxLength: 40 });
    fc.assert(
      fc.property(secret, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (value, before, after) => {
        const echoes = new SecretEchoes();
        echoes.rememberAuthorization(`Basic ${Buffer.from(`u:${value}`).toString("base64")}`);
        const out = echoes.redact(`${before}${value}${after}`);
        assert.ok(!out.includes(value), out);
      }),
      { numRuns: 300 },
    );
  });
});
