import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ProtocolError } from "../errors.js";
import { type Challenge, parseChallenges, pickChallenge } from "./challenge.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

/** Plain objects for deepEqual (params has a null prototype). */
function plain(challenges: Challenge[]): Array<{ scheme: string; params: Record<string, string>; token68?: string }> {
  return challenges.map((c) => ({ ...c, params: { ...c.params } }));
}

function parsesTo(header: string | string[], expected: Array<{ scheme: string; params?: Record<string, string>; token68?: string }>): void {
  assert.deepEqual(
    plain(parseChallenges(header)),
    expected.map((e) => ({ ...e, params: e.params ?? {} })),
  );
}

function fails(header: string, problem: RegExp): void {
  assert.throws(
    () => parseChallenges(header),
    (e: unknown) => {
      assert.ok(e instanceof ProtocolError);
      assert.match(e.message, /^malformed WWW-Authenticate header: /);
      assert.match(e.message, problem);
      return true;
    },
  );
}

describe("parseChallenges: section 2 fixtures", () => {
  test("1. Docker Hub bearer", () =>
    parsesTo('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"', [
      {
        scheme: "bearer",
        params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:samalba/my-app:pull,push" },
      },
    ]));
  test("2. Basic", () => parsesTo('Basic realm="Registry Realm"', [{ scheme: "basic", params: { realm: "Registry Realm" } }]));
  test("3. Basic with params (ECR)", () =>
    parsesTo('Basic realm="https://111111111111.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"', [
      { scheme: "basic", params: { realm: "https://111111111111.dkr.ecr.us-east-1.amazonaws.com/", service: "ecr.amazonaws.com" } },
    ]));
  test("4. Basic + Newauth with escaped quotes", () =>
    parsesTo('Basic realm="simple", Newauth realm="apps", type=1, title="Login to \\"apps\\""', [
      { scheme: "basic", params: { realm: "simple" } },
      { scheme: "newauth", params: { realm: "apps", type: "1", title: 'Login to "apps"' } },
    ]));
  test("5. two challenges in one value", () =>
    parsesTo('Basic realm="r1", Bearer realm="https://a/token",service="s"', [
      { scheme: "basic", params: { realm: "r1" } },
      { scheme: "bearer", params: { realm: "https://a/token", service: "s" } },
    ]));
  test("6a. uppercase scheme and names", () =>
    parsesTo('BEARER Realm="x", SERVICE=y', [{ scheme: "bearer", params: { realm: "x", service: "y" } }]));
  test("6b. BWS around '='", () =>
    parsesTo('Bearer realm = "x" , service= "y"', [{ scheme: "bearer", params: { realm: "x", service: "y" } }]));
  test("6c. empty list elements and trailing ','", () =>
    parsesTo('Bearer realm="x",,service="y",', [{ scheme: "bearer", params: { realm: "x", service: "y" } }]));
  test("7a. token68 then bearer", () =>
    parsesTo('Newauth dGVzdA==, Bearer realm="x"', [
      { scheme: "newauth", token68: "dGVzdA==" },
      { scheme: "bearer", params: { realm: "x" } },
    ]));
  test("7b. backslash escape", () => parsesTo('Bearer realm="a\\\\b"', [{ scheme: "bearer", params: { realm: "a\\b" } }]));
  test("7c. unterminated quoted-string", () => fails('Bearer realm="x', /unterminated quoted-string at offset 13/));
  test("9a. Zot: lower-case, unquoted URL", () =>
    parsesTo("bearer realm=http://h/token", [{ scheme: "bearer", params: { realm: "http://h/token" } }]));
  test("9b. Nexus upper-case BASIC", () =>
    parsesTo('BASIC realm="Sonatype Nexus Repository Manager"', [{ scheme: "basic", params: { realm: "Sonatype Nexus Repository Manager" } }]));
  test("Codeberg: bearer with scope=*, then Basic", () =>
    parsesTo('Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*",Basic realm="Gitea Package API"', [
      { scheme: "bearer", params: { realm: "https://codeberg.org/v2/token", service: "container_registry", scope: "*" } },
      { scheme: "basic", params: { realm: "Gitea Package API" } },
    ]));
});

describe("parseChallenges: more of CH-1..CH-11", () => {
  test("absent headers", () => {
    assert.deepEqual(parseChallenges(undefined), []);
    assert.deepEqual(parseChallenges(null), []);
    assert.deepEqual(parseChallenges(""), []);
    assert.deepEqual(parseChallenges("  , ,"), []);
    assert.deepEqual(parseChallenges([]), []);
  });
  test("repeated header lines (CH-2)", () =>
    parsesTo(['Basic realm="r"', 'Bearer realm="t",service="s"'], [
      { scheme: "basic", params: { realm: "r" } },
      { scheme: "bearer", params: { realm: "t", service: "s" } },
    ]));
  test("scheme without parameters", () =>
    parsesTo("Negotiate, Basic", [{ scheme: "negotiate" }, { scheme: "basic" }]));
  test("token68 alone", () => parsesTo("Basic dXNlcjpwYXNz", [{ scheme: "basic", token68: "dXNlcjpwYXNz" }]));
  test("duplicate parameter: first wins (CH-6)", () =>
    parsesTo('Bearer realm="a", REALM="b"', [{ scheme: "bearer", params: { realm: "a" } }]));
  test("values verbatim (CH-3)", () =>
    parsesTo('Bearer error="INSUFFICIENT_scope",error_description="Need Pull"', [
      { scheme: "bearer", params: { error: "INSUFFICIENT_scope", error_description: "Need Pull" } },
    ]));
  test("empty quoted value", () => parsesTo('Bearer realm=""', [{ scheme: "bearer", params: { realm: "" } }]));
  test("tabs as whitespace", () => parsesTo('Bearer\trealm="x"\t,\tservice="y"', [{ scheme: "bearer", params: { realm: "x", service: "y" } }]));
  test("commas inside a quoted value", () =>
    parsesTo('Bearer scope="repository:a:pull,push",realm="r"', [{ scheme: "bearer", params: { scope: "repository:a:pull,push", realm: "r" } }]));
  test("__proto__ parameter cannot pollute", () => {
    const [c] = parseChallenges('Bearer __proto__="x", constructor="y"');
    assert.ok(c);
    assert.equal(Object.getPrototypeOf(c.params), null);
    assert.equal(c.params["__proto__"], "x");
    assert.equal(c.params["constructor"], "y");
    assert.equal(({} as Record<string, unknown>)["x"], undefined);
  });
  test("'name=' alone is a token68 by the grammar", () => parsesTo("Bearer realm=", [{ scheme: "bearer", token68: "realm=" }]));
  test("unquoted value keeps '=' and query", () =>
    parsesTo("bearer realm=http://h/token?a=b,service=zot", [{ scheme: "bearer", params: { realm: "http://h/token?a=b", service: "zot" } }]));
  test("unicode inside a quoted value", () => parsesTo('Basic realm="Ümlaut ✓"', [{ scheme: "basic", params: { realm: "Ümlaut ✓" } }]));
});

describe("parseChallenges: malformed input throws ProtocolError (CH-11)", () => {
  const rows: Array<[string, RegExp]> = [
    ['Bearer realm="x', /unterminated/],
    ['Bearer realm="x\\', /unterminated/],
    ['realm="x"', /expected a space after the scheme "realm"/],
    ['Bearer realm="x" service="y"', /expected ',' between parameters/],
    ['Bearer realm=, service="y"', /expected a space after the scheme "service"/],
    ['Bearer realm ="x" junk', /expected ','/],
    ["Bearer @", /expected a parameter name/],
    ['"Bearer"', /expected an auth-scheme/],
    ["Bearer realm x", /expected '=' after the parameter "realm"/],
    ['Bearer realm= "x', /unterminated/],
  ];
  for (const [header, problem] of rows) test(header, () => fails(header, problem));
  test("excerpt is bounded", () => {
    const header = `Bearer realm="${"x".repeat(100_000)}`;
    assert.throws(() => parseChallenges(header), (e: unknown) => e instanceof ProtocolError && e.message.length < 400);
  });
  test("long hostile inputs run in linear time (performance guard: CPU time)", () => {
    for (const header of [
      `Bearer ${"a=b,".repeat(25_000)}`,
      `${"x, ".repeat(30_000)}`,
      `Bearer realm="${"\\\\".repeat(50_000)}"`,
      `Basic ${"a".repeat(100_000)}=`,
      `Bearer ${"a ".repeat(50_000)}`,
    ]) {
      const cpuMs = cpuMsOf(() => {
        try {
          parseChallenges(header);
        } catch (e) {
          assert.ok(e instanceof ProtocolError);
        }
      });
      assert.ok(cpuMs < 200, `fast for ${header.slice(0, 20)}: ${cpuMs.toFixed(0)} ms of CPU`);
    }
  });
});

describe("pickChallenge (CH-10)", () => {
  test("bearer before basic", () => {
    const picked = pickChallenge(parseChallenges('Basic realm="r", Bearer realm="t"'));
    assert.equal(picked?.scheme, "bearer");
  });
  test("basic when no bearer", () => assert.equal(pickChallenge(parseChallenges('Newauth realm="n", Basic realm="b"'))?.scheme, "basic"));
  test("first bearer wins", () =>
    assert.equal(pickChallenge(parseChallenges('Bearer realm="1", Bearer realm="2"'))?.params["realm"], "1"));
  test("none", () => {
    assert.equal(pickChallenge(parseChallenges("Negotiate")), undefined);
    assert.equal(pickChallenge([]), undefined);
  });
});
