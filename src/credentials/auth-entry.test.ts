/**
 * CRED-2 and CRED-9 fixtures: decoding `auths` entries, and parser errors
 * that name the file and the problem but never a secret.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CredentialsError, isRegtagsError } from "../errors.js";
import { decodeAuthEntry, parseJsonObject } from "./auth-entry.js";
import { parseAuthJson } from "./auth-json.js";
import { parseDockerConfig } from "./docker-config.js";
import { parseDockercfg } from "./dockercfg.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const ORIGIN = "/home/u/.docker/config.json";

describe("decodeAuthEntry (CRED-2)", () => {
  const cases: Array<[string, Parameters<typeof decodeAuthEntry>[0], ReturnType<typeof decodeAuthEntry>]> = [
    ["user:pass", { key: "k", auth: b64("alice:s3cret") }, { kind: "basic", username: "alice", password: "s3cret" }],
    ["split at the first colon", { key: "k", auth: b64("alice:pa:ss:word") }, { kind: "basic", username: "alice", password: "pa:ss:word" }],
    ["trailing NULs of the password trimmed", { key: "k", auth: b64("alice:pw\0\0") }, { kind: "basic", username: "alice", password: "pw" }],
    ["empty password", { key: "k", auth: b64("alice:") }, { kind: "basic", username: "alice", password: "" }],
    ["unpadded base64", { key: "k", auth: b64("ab:cd").replace(/=+$/, "") }, { kind: "basic", username: "ab", password: "cd" }],
    ["whitespace around base64", { key: "k", auth: ` ${b64("a:b")}\n` }, { kind: "basic", username: "a", password: "b" }],
    ["unicode", { key: "k", auth: b64("jörg:pässwörd") }, { kind: "basic", username: "jörg", password: "pässwörd" }],
    ["identitytoken wins over auth, keeps the user", { key: "k", auth: b64("bob:"), identityToken: "refresh-xyz" }, { kind: "identity-token", token: "refresh-xyz", username: "bob" }],
    ["identitytoken alone", { key: "k", identityToken: "refresh-xyz" }, { kind: "identity-token", token: "refresh-xyz" }],
    ["registrytoken wins over everything", { key: "k", auth: b64("a:b"), identityToken: "i", registryToken: "bearer-abc" }, { kind: "registry-token", token: "bearer-abc" }],
    ["placeholder {} (docker login with a credsStore)", { key: "k" }, undefined],
  ];
  for (const [name, entry, expected] of cases) test(name, () => assert.deepEqual(decodeAuthEntry(entry, ORIGIN), expected));

  for (const [name, auth] of [
    ["not base64", "%%%not-base64%%%"],
    ["no colon", b64("aliceonly")],
    ["impossible length", "abcde"],
  ] as const) {
    test(`${name}: CredentialsError naming file and key, without the value`, () => {
      assert.throws(
        () => decodeAuthEntry({ key: "registry.example", auth }, ORIGIN),
        (error: unknown) => {
          assert.ok(error instanceof CredentialsError);
          assert.equal(
            error.message,
            `credentials file ${ORIGIN}: the "auth" of the entry "registry.example" is not base64 of "user:password"`,
          );
          assert.ok(!error.message.includes(auth));
          return true;
        },
      );
    });
  }
});

describe("parsers (CRED-1, CRED-6, CRED-9)", () => {
  test("config.json: auths in file order, credHelpers, credsStore; other keys ignored", () => {
    const file = parseDockerConfig(
      JSON.stringify({
        auths: { "https://index.docker.io/v1/": {}, "quay.io": { auth: b64("q:p"), email: "x@example.com" } },
        credHelpers: { "ghcr.io": "gh", "123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login" },
        credsStore: "desktop",
        HttpHeaders: { "User-Agent": "x" },
        psFormat: "table",
      }),
      ORIGIN,
    );
    assert.equal(file.format, "docker-config");
    assert.deepEqual(file.auths, [{ key: "https://index.docker.io/v1/" }, { key: "quay.io", auth: b64("q:p") }]);
    assert.deepEqual([...file.credHelpers], [["ghcr.io", "gh"], ["123.dkr.ecr.us-east-1.amazonaws.com", "ecr-login"]]);
    assert.equal(file.credsStore, "desktop");
  });
  test("config.json: empty object, null auths, empty credsStore", () => {
    assert.deepEqual(parseDockerConfig("{}", ORIGIN), { origin: ORIGIN, format: "docker-config", auths: [], credHelpers: new Map() });
    assert.equal(parseDockerConfig('{"auths": null, "credsStore": ""}', ORIGIN).credsStore, undefined);
  });
  test("config.json: a UTF-8 BOM is accepted", () => {
    assert.equal(parseDockerConfig(`\ufeff{"auths":{"a":{"auth":"${b64("u:p")}"}}}`, ORIGIN).auths.length, 1);
  });
  test("auth.json: namespaced keys kept as written", () => {
    const file = parseAuthJson(JSON.stringify({ auths: { "quay.io/team/app": { auth: b64("a:b") }, "quay.io/team": { auth: b64("c:d") } } }), "/run/user/1/containers/auth.json");
    assert.equal(file.format, "auth-json");
    assert.deepEqual(file.auths.map((e) => e.key), ["quay.io/team/app", "quay.io/team"]);
  });
  test(".dockercfg: the auths map without the wrapper, no helpers", () => {
    const file = parseDockercfg(JSON.stringify({ "https://index.docker.io/v1/": { auth: b64("u:p"), email: "u@example.com" } }), "/home/u/.dockercfg");
    assert.equal(file.format, "dockercfg");
    assert.deepEqual(file.auths, [{ key: "https://index.docker.io/v1/", auth: b64("u:p") }]);
    assert.equal(file.credHelpers.size, 0);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ["invalid JSON", '{"auths": {"x": {"auth": "c2VjcmV0LXZhbHVl"}', /^credentials file \/c\.json is not valid JSON( \(.*\))?$/],
    ["a JSON array", "[]", /^credentials file \/c\.json must hold a JSON object$/],
    ["auths not an object", '{"auths": []}', /^credentials file \/c\.json: auths must be a JSON object$/],
    ["an entry not an object", '{"auths": {"quay.io": "dTpw"}}', /^credentials file \/c\.json: auths\["quay\.io"\] must be a JSON object$/],
    ["auth not a string", '{"auths": {"quay.io": {"auth": 5}}}', /^credentials file \/c\.json: auths\["quay\.io"\]\.auth must be a string$/],
    ["credHelpers with a path", '{"credHelpers": {"quay.io": "../../bin/evil"}}', /^credentials file \/c\.json: credHelpers\["quay\.io"\] must be a helper name/],
    ["credsStore not a name", '{"credsStore": "a b"}', /^credentials file \/c\.json: credsStore must be a helper name/],
  ];
  for (const [name, text, expected] of malformed) {
    test(`malformed: ${name} → one line naming the file`, () => {
      assert.throws(
        () => parseDockerConfig(text, "/c.json"),
        (error: unknown) => error instanceof CredentialsError && expected.test(error.message) && !error.message.includes("\n"),
      );
    });
  }
  test("DOCKER_AUTH_CONFIG is named as is", () => {
    assert.throws(() => parseDockerConfig("{", "DOCKER_AUTH_CONFIG"), (error: unknown) => error instanceof CredentialsError && /^DOCKER_AUTH_CONFIG is not valid JSON/.test(error.message));
  });
  test("a JSON syntax error never quotes the text (Node's own message does)", () => {
    const secret = "hunter2-very-secret";
    for (const text of [`{"auths": {"x": {"auth": ${secret}}}}`, `{"auths": {"x": {"auth": "${secret}"}},}`, `{"auths": "${secret}`]) {
      assert.throws(
        () => parseJsonObject(text, "/c.json"),
        (error: unknown) => error instanceof CredentialsError && !error.message.includes(secret) && !error.message.includes("hunter"),
      );
    }
  });
});

describe("properties", () => {
  const parsers = [parseDockerConfig, parseAuthJson, parseDockercfg];
  test("any text: a CredentialFile or a CredentialsError, never another error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })), (text) => {
        for (const parse of parsers) {
          try {
            const file = parse(text, "/f.json");
            for (const entry of file.auths) {
              try {
                decodeAuthEntry(entry, "/f.json");
              } catch (error) {
                assert.ok(error instanceof CredentialsError);
              }
            }
          } catch (error) {
            assert.ok(isRegtagsError(error) && error instanceof CredentialsError, String(error));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
  test("a secret in a malformed entry never reaches the message", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,30}$/), (secret) => {
        const docs = [`{"auths":{"h":{"auth":${JSON.stringify(`%${secret}%`)}}}}`, `{"auths":{"h":{"auth":"${secret}"`, `{"auths":{"h":{"identitytoken":["${secret}"]}}}`];
        for (const text of docs) {
          try {
            const file = parseDockerConfig(text, "/f.json");
            for (const entry of file.auths) decodeAuthEntry(entry, "/f.json");
          } catch (error) {
            assert.ok(!(error as Error).message.includes(secret), (error as Error).message);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

test("NUL padding is trimmed in linear time, even with a long run of NULs inside the password (performance guard: CPU time)", () => {
  const password = `a${"\0".repeat(40_000)}b`;
  const auth = Buffer.from(`alice:\0${password}\0\0`, "utf8").toString("base64");
  let decoded: ReturnType<typeof decodeAuthEntry> | undefined;
  const cpuMs = cpuMsOf(() => (decoded = decodeAuthEntry({ key: "registry.example", auth }, ORIGIN)));
  assert.ok(cpuMs < 500, `linear, not quadratic: ${cpuMs.toFixed(0)} ms of CPU`);
  assert.deepEqual(decoded, { kind: "basic", username: "alice", password });
});
