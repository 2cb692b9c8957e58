/**
 * Property tests for the parsers of untrusted input not covered by
 * parsers.property.test.ts: token responses, error bodies, tag and catalog
 * bodies, Retry-After, rate-limit headers, the CLI config file and the
 * credentials files. On any input (random text, random bytes decoded as
 * UTF-8, JSON of the right shape with wrong values, long inputs) each returns
 * or throws a regtags error, never anything else. A second group feeds every
 * parser adversarial inputs of 100k+ characters and bounds the time taken:
 * no catastrophic regex backtracking.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isRegtagsError } from "./errors.js";
import { parseTokenResponse } from "./auth/token-response.js";
import { parseChallenges, pickChallenge } from "./auth/challenge.js";
import { parseScope, parseScopeList } from "./auth/scope.js";
import { parseErrorBody, excerpt } from "./transport/registry-error.js";
import { parseRetryAfter } from "./transport/retry-after.js";
import { parseRateLimit } from "./transport/rate-limit.js";
import { headersFromRecord } from "./transport/types.js";
import { parseCatalogBody, parseTagsBody } from "./listing/tags-body.js";
import { findNextLink, parseLinkHeader } from "./listing/link.js";
import { parseReference } from "./reference/reference.js";
import { parseConfig } from "./cli/config.js";
import { parseAuthJson, parseDockercfg, parseDockerConfig, normalizeAuthKey } from "./credentials/index.js";
import { parseHelperOutput } from "./credentials/helper-protocol.js";
import { returnsOrThrowsTyped } from "../test/helpers/typed-errors.js";
import { cpuMsOf } from "../test/helpers/cpu-time.js";

const RUNS = 200;
const NOW = Date.parse("2026-01-01T00:00:00Z");

const parsers: Array<[string, (input: string) => unknown]> = [
  ["parseTokenResponse", (s) => parseTokenResponse(s, NOW, "token service https://a/token")],
  ["parseErrorBody", parseErrorBody],
  ["excerpt", excerpt],
  ["parseTagsBody", (s) => parseTagsBody(s, "r/x: GET https://r/v2/x/tags/list")],
  ["parseCatalogBody", (s) => parseCatalogBody(s, "r: GET https://r/v2/_catalog")],
  ["parseRetryAfter", (s) => parseRetryAfter(s, NOW)],
  ["parseRateLimit (every header)", (s) => parseRateLimit(headersFromRecord({ "ratelimit-limit": s, "ratelimit-remaining": s, "ratelimit-reset": s, "x-ratelimit-remaining": s, "docker-ratelimit-source": s }), NOW)],
  ["parseRateLimit (x-ratelimit)", (s) => parseRateLimit(headersFromRecord({ "x-ratelimit-limit": s, "x-ratelimit-remaining": "1", "x-ratelimit-reset": s }), NOW)],
  ["parseConfig", (s) => parseConfig(s, "/etc/regtags/config.json")],
  ["parseDockerConfig", (s) => parseDockerConfig(s, "/home/u/.docker/config.json")],
  ["parseAuthJson", (s) => parseAuthJson(s, "/run/containers/0/auth.json")],
  ["parseDockercfg", (s) => parseDockercfg(s, "/home/u/.dockercfg")],
  ["normalizeAuthKey", (s) => [normalizeAuthKey(s, false), normalizeAuthKey(s, true)]],
  ["parseHelperOutput", parseHelperOutput],
];

/** JSON values at the places the parsers look, with any type. */
const shaped = fc
  .record(
    {
      token: fc.anything(),
      access_token: fc.anything(),
      expires_in: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)),
      issued_at: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.integer()),
      tags: fc.oneof(fc.array(fc.oneof(fc.string(), fc.constant(null), fc.integer(), fc.object())), fc.anything()),
      repositories: fc.anything(),
      errors: fc.oneof(fc.array(fc.record({ code: fc.anything(), message: fc.anything(), detail: fc.anything() }, { requiredKeys: [] })), fc.anything()),
      endpoints: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
      plainHttp: fc.anything(),
      tlsVerify: fc.anything(),
      auths: fc.oneof(fc.dictionary(fc.string(), fc.record({ auth: fc.oneof(fc.base64String(), fc.string(), fc.anything()), identitytoken: fc.anything(), registrytoken: fc.anything() }, { requiredKeys: [] })), fc.anything()),
      credHelpers: fc.anything(),
      credsStore: fc.anything(),
      Username: fc.anything(),
      Secret: fc.anything(),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const inputs: Record<string, fc.Arbitrary<string>> = {
  ascii: fc.string({ maxLength: 300 }),
  unicode: fc.string({ unit: "binary", maxLength: 300 }),
  bytes: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
  json: fc.json({ maxDepth: 4 }),
  shaped,
  long: fc
    .tuple(fc.string({ unit: fc.constantFrom(..."{}[]\",:0a; =\\\0".split("")), minLength: 1, maxLength: 6 }), fc.integer({ min: 1_000, max: 60_000 }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)),
};

describe("parsers of untrusted input return or throw a regtags error", () => {
  for (const [name, parse] of parsers) {
    for (const [kind, arbitrary] of Object.entries(inputs)) {
      test(`${name}: ${kind}`, () => {
        fc.assert(fc.property(arbitrary, (input) => returnsOrThrowsTyped(() => parse(input))), { numRuns: kind === "long" ? 25 : RUNS });
      });
    }
  }
});

describe("properties", () => {
  test("parseRetryAfter: delay-seconds round-trip; any HTTP-date in the future gives its distance", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), (seconds) => {
        assert.equal(parseRetryAfter(String(seconds), NOW), seconds * 1000);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 365 * 86_400 }), (seconds) => {
        assert.equal(parseRetryAfter(new Date(NOW + seconds * 1000).toUTCString(), NOW), seconds * 1000);
      }),
      { numRuns: RUNS },
    );
  });

  test("parseRateLimit: Hub's `N;w=W` form and x-ratelimit's epoch reset read back what was written", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 1, max: 86_400 }), (limit, remaining, window) => {
        const hub = parseRateLimit(headersFromRecord({ "ratelimit-limit": `${limit};w=${window}`, "ratelimit-remaining": `${remaining};w=${window}` }), NOW);
        assert.deepEqual(hub, { limit, remaining, windowSeconds: window, resetAt: undefined, source: undefined });
        const x = parseRateLimit(headersFromRecord({ "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": String(NOW / 1000 + window) }), NOW);
        assert.deepEqual(x, { limit, remaining, windowSeconds: undefined, resetAt: NOW + window * 1000, source: undefined });
      }),
      { numRuns: RUNS },
    );
  });

  test("parseTagsBody: a list of tag-shaped strings comes back as given, nulls and digests counted", () => {
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/);
    const entry = fc.oneof({ weight: 8, arbitrary: tag }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(`sha256:${"a".repeat(64)}`) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 50 }), (entries) => {
        const body = parseTagsBody(JSON.stringify({ name: "x", tags: entries }), "w");
        assert.deepEqual(body.tags, entries.filter((e): e is string => typeof e === "string" && !e.includes(":")));
        assert.equal(body.nullEntries, entries.filter((e) => e === null).length);
        assert.equal(body.digestEntries, entries.filter((e) => typeof e === "string" && e.includes(":")).length);
      }),
      { numRuns: RUNS },
    );
  });

  test("parseTokenResponse: the token is alive on arrival whatever expires_in and issued_at say", () => {
    fc.assert(
      fc.property(shaped, (text) => {
        try {
          const grant = parseTokenResponse(text, NOW, "t");
          assert.ok(grant.lifetimeSeconds > 0 && grant.expiresAt >= NOW, "alive on arrival: a skewed issued_at never makes every request fetch a token");
          assert.ok(grant.expiresAt <= NOW + grant.lifetimeSeconds * 1000, "never later than announced from receipt");
        } catch (e) {
          assert.ok(isRegtagsError(e));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** Adversarial inputs: long runs of the characters each grammar treats specially. */
const N = 100_000;
const adversarial: Array<[string, (s: string) => unknown, string[]]> = [
  ["parseReference", parseReference, ["a".repeat(N) + "!", "a.".repeat(N / 2) + "-", "a-".repeat(N / 2) + "/", "a/".repeat(N / 2), `${"a".repeat(N)}:${"b".repeat(N)}`, "[".repeat(N), `a@sha256:${"0".repeat(N)}`]],
  ["parseChallenges", (s) => pickChallenge(parseChallenges(s)), [`Bearer ${"a=,".repeat(N / 3)}`, '"'.repeat(N), `Bearer realm="${"\\".repeat(N)}`, `Bearer realm="${'\\"'.repeat(N / 2)}`, ", ".repeat(N / 2), `Basic ${"=".repeat(N)}`, `Bearer ${"a ".repeat(N / 2)}`]],
  ["parseScopeList", parseScopeList, [":".repeat(N), `repository:${":".repeat(N)}pull`, "a:b:c ".repeat(N / 6), `repository(${"(".repeat(N)}:x:pull`]],
  ["parseScope", parseScope, [`repository:${"a:".repeat(N / 2)}pull`, `(${"x".repeat(N)}`]],
  ["parseLinkHeader", parseLinkHeader, ["<".repeat(N), `<a>; rel=${'"'.repeat(N)}`, `<a>${"; x=y".repeat(N / 5)}`, `${"<a>, ".repeat(N / 5)}`, `<a>; rel="${"next ".repeat(N / 5)}"`]],
  ["findNextLink", (s) => findNextLink(s, "https://r.example/v2/x/tags/list"), [`<${"/".repeat(N)}>; rel="next"`, `<?${"a=b&".repeat(N / 4)}>; rel="next"`]],
  ["parseTokenResponse", (s) => parseTokenResponse(s, NOW, "t"), [`{"token":"${"a".repeat(N)}","issued_at":"${"9".repeat(N)}"}`, "[".repeat(5000) + "]".repeat(5000)]],
  ["parseErrorBody", parseErrorBody, [`{"errors":[${'{"code":"X"},'.repeat(N / 13)}{}]}`, "{".repeat(N)]],
  ["excerpt", excerpt, [" \t\n".repeat(N), "x ".repeat(N)]],
  ["parseRetryAfter", (s) => parseRetryAfter(s, NOW), [" ".repeat(N) + "x", "9".repeat(N), `Mon${" ".repeat(N)}`]],
  ["parseRateLimit", (s) => parseRateLimit(headersFromRecord({ "ratelimit-remaining": s, "x-ratelimit-remaining": s, "x-ratelimit-reset": s }), NOW), [" ".repeat(N) + "x", "1;w=".repeat(N / 4), "1" + " ".repeat(N) + "1"]],
  ["parseTagsBody", (s) => parseTagsBody(s, "w"), [`{"tags":[${'"a",'.repeat(N / 4)}"b"]}`, `{"tags":[${"null,".repeat(N / 5)}null]}`]],
  ["parseConfig", (s) => parseConfig(s, "c.json"), [`{"endpoints":{${'"a":"b",'.repeat(N / 8)}"c":"d"}}`, `{"endpoints":"${"x".repeat(N)}"}`]],
  ["parseDockerConfig", (s) => parseDockerConfig(s, "f"), [`{"auths":{${'"h":{},'.repeat(N / 7)}"z":{}}}`, `{"auths":{"h":{"auth":"${"A".repeat(N)}"}}}`]],
  ["normalizeAuthKey", (s) => normalizeAuthKey(s, false), ["https://".repeat(N / 8), "/".repeat(N)]],
];

describe("no catastrophic backtracking: adversarial inputs of 100k characters parse in bounded time (performance guard: CPU time)", () => {
  for (const [name, parse, cases] of adversarial) {
    test(name, () => {
      for (const input of cases) {
        const ms = cpuMsOf(() => returnsOrThrowsTyped(() => parse(input)));
        // Linear parsers take a few ms here; quadratic backtracking takes seconds to minutes.
        assert.ok(ms < 1_000, `${name} took ${ms.toFixed(0)} ms of CPU on ${JSON.stringify(input.slice(0, 40))}… (${input.length} chars)`);
      }
    });
  }
});
