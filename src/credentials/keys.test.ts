/** CRED-3 and CRED-8 fixtures: key normalisation and which entry matches. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseAuthJson } from "./auth-json.js";
import { parseDockerConfig } from "./docker-config.js";
import { parseDockercfg } from "./dockercfg.js";
import { candidateEntries, credHelperFor, helperServerUrl, namespacedKeys, normalizeAuthKey, normalizeRegistryName } from "./keys.js";

describe("normalizeAuthKey (CRED-3)", () => {
  const cases: Array<[string, boolean, string]> = [
    ["https://index.docker.io/v1/", false, "docker.io"],
    ["index.docker.io", false, "docker.io"],
    ["registry-1.docker.io", false, "docker.io"],
    ["docker.io", false, "docker.io"],
    ["https://registry-1.docker.io/v2/", false, "docker.io"],
    ["http://127.0.0.1:5000", false, "127.0.0.1:5000"],
    ["https://quay.io/v1/", false, "quay.io"],
    ["HTTPS://quay.io", false, "quay.io"],
    ["quay.io", false, "quay.io"],
    ["localhost:5000", false, "localhost:5000"],
    ["[::1]:5000", false, "[::1]:5000"],
    // containers/image normalizeAuthFileKey: without a scheme a path is a namespace.
    ["quay.io/team", false, "quay.io/team"],
    ["index.docker.io/library", false, "docker.io/library"],
    // Legacy .dockercfg: always the host.
    ["quay.io/team", true, "quay.io"],
    ["https://index.docker.io/v1/", true, "docker.io"],
  ];
  for (const [key, legacy, expected] of cases) test(`${key}${legacy ? " (legacy)" : ""} → ${expected}`, () => assert.equal(normalizeAuthKey(key, legacy), expected));
  test("Docker Hub aliases are one registry", () => {
    for (const alias of ["docker.io", "index.docker.io", "registry-1.docker.io"]) assert.equal(normalizeRegistryName(alias), "docker.io");
    assert.equal(normalizeRegistryName("ghcr.io"), "ghcr.io");
  });
});

describe("namespacedKeys (CRED-8)", () => {
  test("most specific first", () => {
    assert.deepEqual(namespacedKeys("quay.io", "team/app"), ["quay.io/team/app", "quay.io/team", "quay.io"]);
    assert.deepEqual(namespacedKeys("r.example:5000", "a/b/c"), ["r.example:5000/a/b/c", "r.example:5000/a/b", "r.example:5000/a", "r.example:5000"]);
    assert.deepEqual(namespacedKeys("docker.io", "library/ubuntu"), ["docker.io/library/ubuntu", "docker.io/library", "docker.io"]);
    assert.deepEqual(namespacedKeys("quay.io", undefined), ["quay.io"]);
  });
});

const b = (text: string): { auth: string } => ({ auth: Buffer.from(text).toString("base64") });
const keysOf = (candidates: ReturnType<typeof candidateEntries>): string[] => candidates.map((c) => `${c.match} ${c.entry.key}`);

describe("candidateEntries (containers-auth.json(5) cases)", () => {
  const file = parseAuthJson(
    JSON.stringify({
      auths: {
        "quay.io": b("host:h"),
        "quay.io/team": b("ns:n"),
        "quay.io/team/app": b("repo:r"),
        "quay.io/other": b("other:o"),
        "https://quay.io/v1/": b("url:u"),
        "quay.io.evil.example": b("evil:e"),
      },
    }),
    "/a.json",
  );
  test("repository key, then namespace, then host, then normalised keys", () => {
    assert.deepEqual(keysOf(candidateEntries(file, "quay.io", "team/app")), [
      "namespace quay.io/team/app",
      "namespace quay.io/team",
      "exact quay.io",
      "normalized https://quay.io/v1/",
    ]);
  });
  test("another repository of the namespace gets the namespace key", () => {
    assert.deepEqual(keysOf(candidateEntries(file, "quay.io", "team/web")).slice(0, 1), ["namespace quay.io/team"]);
  });
  test("another namespace's key never matches", () => {
    const matched = keysOf(candidateEntries(file, "quay.io", "someone/app"));
    assert.ok(!matched.some((m) => m.includes("quay.io/other") || m.includes("quay.io/team")), matched.join());
    assert.deepEqual(matched, ["exact quay.io", "normalized https://quay.io/v1/"]);
  });
  test("a longer host never matches by prefix", () => {
    assert.ok(!keysOf(candidateEntries(file, "quay.io", "x")).some((m) => m.includes("evil")));
  });
  test("Docker Hub: docker login's key first among aliases", () => {
    const hub = parseDockerConfig(JSON.stringify({ auths: { "registry-1.docker.io": b("a:1"), "https://index.docker.io/v1/": b("b:2"), "index.docker.io": b("c:3") } }), "/c.json");
    assert.deepEqual(keysOf(candidateEntries(hub, "docker.io", "library/ubuntu")), [
      "normalized https://index.docker.io/v1/",
      "normalized registry-1.docker.io",
      "normalized index.docker.io",
    ]);
    const exact = parseDockerConfig(JSON.stringify({ auths: { "https://index.docker.io/v1/": b("b:2"), "docker.io": b("d:4") } }), "/c.json");
    assert.deepEqual(keysOf(candidateEntries(exact, "index.docker.io", "library/ubuntu"))[0], "exact docker.io");
  });
  test("scheme'd keys with ports and paths", () => {
    const file2 = parseDockerConfig(JSON.stringify({ auths: { "http://127.0.0.1:5000/v2/": b("a:b"), "127.0.0.1:5001": b("c:d") } }), "/c.json");
    assert.deepEqual(keysOf(candidateEntries(file2, "127.0.0.1:5000", "x")), ["normalized http://127.0.0.1:5000/v2/"]);
  });
  test("legacy .dockercfg: host only, paths stripped even without a scheme", () => {
    const legacy = parseDockercfg(JSON.stringify({ "quay.io/team": b("a:b"), "https://index.docker.io/v1/": b("c:d") }), "/h/.dockercfg");
    assert.deepEqual(keysOf(candidateEntries(legacy, "quay.io", "other/app")), ["normalized quay.io/team"]);
    assert.deepEqual(keysOf(candidateEntries(legacy, "docker.io", "library/x")), ["normalized https://index.docker.io/v1/"]);
  });
});

describe("credential helpers", () => {
  test("credHelpers: exact host, else a key that normalises to it", () => {
    const file = parseDockerConfig(JSON.stringify({ credHelpers: { "ghcr.io": "gh", "https://index.docker.io/v1/": "hub", "quay.io": "q" } }), "/c.json");
    assert.deepEqual(credHelperFor(file, "ghcr.io"), { key: "ghcr.io", helper: "gh" });
    assert.deepEqual(credHelperFor(file, "docker.io"), { key: "https://index.docker.io/v1/", helper: "hub" });
    assert.equal(credHelperFor(file, "quay.io.example"), undefined);
  });
  test("server URL: docker login's for Docker Hub, host[:port] otherwise", () => {
    assert.equal(helperServerUrl("docker.io"), "https://index.docker.io/v1/");
    assert.equal(helperServerUrl("registry-1.docker.io"), "https://index.docker.io/v1/");
    assert.equal(helperServerUrl("127.0.0.1:5000"), "127.0.0.1:5000");
  });
});
