import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "./clock.js";
import { DEFAULTS } from "./defaults.js";
import { FIRST_PAGE_SIZE } from "./listing/page-size.js";
import { resolveClientOptions, resolvePipelineOptions, type ClientOptions } from "./options.js";
import { BUILTIN_PROFILES, type RegistryProfile } from "./profiles/profiles.js";

const MiB = 1024 * 1024;

test("resolveClientOptions({}) is the table of defaults, as documented", () => {
  const resolved = resolveClientOptions({});
  assert.deepEqual(
    {
      plainHttp: resolved.plainHttp,
      tlsVerify: resolved.tlsVerify,
      allowInsecureRealm: resolved.allowInsecureRealm,
      retry: resolved.retry,
      connectTimeoutMs: resolved.connectTimeoutMs,
      idleTimeoutMs: resolved.idleTimeoutMs,
      requestTimeoutMs: resolved.requestTimeoutMs,
      rateLimit: resolved.rateLimit,
      userAgent: resolved.userAgent,
      maxConcurrentPerOrigin: resolved.maxConcurrentPerOrigin,
      pageSize: resolved.pageSize,
      maxPages: resolved.maxPages,
      parallel: resolved.parallel,
      maxPageBytes: resolved.maxPageBytes,
      budget: resolved.budget,
      allowPartial: resolved.allowPartial,
      endpoints: resolved.endpoints,
      credentials: resolved.credentials,
    },
    {
      plainHttp: false,
      tlsVerify: true,
      allowInsecureRealm: false,
      retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 60_000 },
      connectTimeoutMs: 10_000,
      // One idle timeout for the client and the prober (they had 10 s and 30 s).
      idleTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      rateLimit: { pace: true },
      userAgent: "regtags",
      maxConcurrentPerOrigin: 8,
      // Chosen per registry: learned hints, then the profile, else learned per host.
      pageSize: undefined,
      maxPages: 100_000,
      parallel: 1,
      maxPageBytes: 256 * MiB,
      budget: { maxEntries: 2_000_000, maxBytes: 2048 * MiB },
      allowPartial: false,
      endpoints: {},
      credentials: undefined,
    },
  );
  assert.deepEqual(resolved.profiles, BUILTIN_PROFILES);
  assert.equal(resolved.clock, systemClock);
  assert.equal(DEFAULTS.catalogPageSize, 1000);
});

test("a value given wins over the table, and null is a value (no n)", () => {
  const mine: RegistryProfile = { id: "mine", hosts: ["r.test"], source: "test" };
  const resolved = resolveClientOptions({
    plainHttp: true,
    idleTimeoutMs: 1_500,
    requestTimeoutMs: 2_000,
    retry: { attempts: 1 },
    rateLimit: { reserve: 3, pace: false },
    maxTags: 10,
    pageSize: null,
    maxConcurrentPerOrigin: 2,
    userAgent: "me",
    profiles: [mine],
  });
  assert.equal(resolved.plainHttp, true);
  assert.equal(resolved.idleTimeoutMs, 1_500);
  assert.equal(resolved.requestTimeoutMs, 2_000);
  // A partial retry object keeps the other defaults.
  assert.deepEqual(resolved.retry, { attempts: 1, baseDelayMs: 500, maxDelayMs: 60_000 });
  assert.deepEqual(resolved.rateLimit, { reserve: 3, pace: false });
  assert.deepEqual(resolved.budget, { maxEntries: 10, maxBytes: DEFAULTS.maxListBytes });
  assert.equal(resolved.pageSize, null);
  assert.equal(resolved.maxConcurrentPerOrigin, 2);
  assert.equal(resolved.userAgent, "me");
  assert.deepEqual(resolved.profiles, [mine, ...BUILTIN_PROFILES]);
});

test("undefined for an optional field means its default (exactOptionalPropertyTypes callers may forward undefined)", () => {
  const forwarded: ClientOptions = {
    plainHttp: undefined,
    tlsVerify: undefined,
    retry: undefined,
    idleTimeoutMs: undefined,
    requestTimeoutMs: undefined,
    maxPages: undefined,
    maxPageBytes: undefined,
    maxTags: undefined,
    pageSize: undefined,
    parallel: undefined,
    rateLimit: undefined,
    maxConcurrentPerOrigin: undefined,
    profiles: undefined,
    endpoints: undefined,
    credentials: undefined,
    onTrace: undefined,
  };
  const { credentials: _a, onIncomplete: _b, ...given } = resolveClientOptions(forwarded);
  const { credentials: _c, onIncomplete: _d, ...defaults } = resolveClientOptions({});
  assert.deepEqual(given, defaults);
});

test("credentials given as username and password resolve to one Basic credential for every registry", async () => {
  const { credentials } = resolvePipelineOptions({ credentials: { username: "u", password: "p" } });
  for (const [registry, repository] of [["r.test", "app"], ["other.test", "x"]] as const) {
    const credential = await credentials?.(registry, repository);
    assert.ok(credential?.kind === "basic", registry);
    assert.deepEqual([credential.username, credential.password], ["u", "p"]);
  }
});

test("the prober keeps its own documented retry count and the client's other defaults", () => {
  const probe = resolvePipelineOptions({}, { ...DEFAULTS.retry, attempts: DEFAULTS.probe.retryAttempts });
  assert.deepEqual(probe.retry, { attempts: 2, baseDelayMs: 500, maxDelayMs: 60_000 });
  assert.equal(probe.idleTimeoutMs, resolveClientOptions({}).idleTimeoutMs);
  assert.equal(resolvePipelineOptions({ retry: { attempts: 5 } }, probe.retry).retry.attempts, 5);
});

test("the table cannot be changed at run time", () => {
  assert.throws(() => {
    (DEFAULTS as { maxPages: number }).maxPages = 1;
  }, TypeError);
  assert.throws(() => {
    (DEFAULTS.retry as { attempts: number }).attempts = 1;
  }, TypeError);
});

/** Values a `@default` names by their exported name. */
const NAMED: Readonly<Record<string, unknown>> = { systemClock };

/** `@default` text → the value it names (a number, bytes, a boolean, a string, a named export, or the keys of an object). */
function documentedValue(text: string): unknown {
  if (text in NAMED) return NAMED[text];
  const bytes = /^(\d+) (MiB|GiB)\b/.exec(text);
  if (bytes !== null) return Number(bytes[1]) * (bytes[2] === "GiB" ? 1024 * MiB : MiB);
  const leading = /^(true|false|\d+|"[^"]*")(?=$|\s)/.exec(text);
  if (leading !== null) return JSON.parse(leading[1]!);
  if (text.startsWith("{")) {
    const pairs = [...text.matchAll(/(\w+): (true|false|\d+)(?=\s*[,}])/g)].map((m) => [m[1]!, JSON.parse(m[2]!)] as const);
    return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
  }
  // "from the registry's profile, else learned per host: 10000 first (…)"
  const learned = /\b(\d+) first\b/.exec(text);
  return learned === null ? undefined : Number(learned[1]);
}

test("every @default in the ClientOptions and PipelineOptions docs matches the table", () => {
  const source = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "../../src/options.ts"), "utf8");
  const resolved = resolveClientOptions({});
  const actual: Record<string, unknown> = {
    ...resolved,
    maxTags: resolved.budget.maxEntries,
    maxListBytes: resolved.budget.maxBytes,
    // "from the registry's profile, else learned per host: N first"
    pageSize: FIRST_PAGE_SIZE,
  };
  const checked: string[] = [];
  for (const match of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*(\w+)\?:/g)) {
    const doc = match[1]!.replace(/^\s*\*\s?/gm, " ").replace(/\s+/g, " ");
    const tag = /@default (.*)$/.exec(doc.trim());
    if (tag === null) continue;
    const name = match[2]!;
    const documented = documentedValue(tag[1]!.trim());
    assert.notEqual(documented, undefined, `${name}: cannot read "@default ${tag[1]}"`);
    if (typeof documented === "object" && documented !== systemClock) {
      for (const [key, value] of Object.entries(documented as object)) assert.equal((actual[name] as Record<string, unknown>)[key], value, `${name}.${key}`);
    } else {
      assert.equal(actual[name], documented, name);
    }
    checked.push(name);
  }
  // The scan found the documented options (guards against a pattern that checks nothing).
  for (const name of ["plainHttp", "retry", "idleTimeoutMs", "requestTimeoutMs", "maxPages", "maxPageBytes", "maxTags", "maxListBytes", "pageSize", "parallel", "maxConcurrentPerOrigin", "rateLimit", "userAgent", "clock"]) {
    assert.ok(checked.includes(name), `${name} has no @default checked`);
  }
});

test("an endpoint that is not an http(s) URL fails at createClient's options, naming the registry and the form", () => {
  for (const [url, problem] of [
    ["mirror:5000", "it has no scheme"],
    ["ftp://mirror", "its scheme is ftp:, not http: or https:"],
    ["https://user:secret@mirror", "it carries a user name or password"],
  ] as const) {
    assert.throws(
      () => resolveClientOptions({ endpoints: { "docker.io": url } }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_INVALID_ARGUMENT");
        assert.ok(error.message.startsWith(`endpoints["docker.io"]: ${problem}`), error.message);
        assert.ok(error.message.includes("http(s)://HOST[:PORT][/PATH]"));
        assert.ok(!error.message.includes("secret"), "the URL is never repeated");
        return true;
      },
    );
  }
  assert.deepEqual(resolveClientOptions({ endpoints: { "docker.io": "http://127.0.0.1:5000" } }).endpoints, { "docker.io": "http://127.0.0.1:5000" });
});
