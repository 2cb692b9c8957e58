/** CRED-1, CRED-6, CRED-7: where credentials are looked for, in order. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { discoverSources } from "./discovery.js";

const paths = (result: ReturnType<typeof discoverSources>): string[] =>
  result.sources.map((s) => (s.type === "file" ? `${s.format} ${s.path}` : `env ${s.name}${s.text === undefined ? " (unset)" : ""}`));

describe("discoverSources", () => {
  test("defaults under HOME (CRED-1, CRED-6)", () => {
    const result = discoverSources({ env: {}, homeDir: "/home/u", uid: 1000 });
    assert.equal(result.exclusive, false);
    assert.deepEqual(paths(result), [
      "env DOCKER_AUTH_CONFIG (unset)",
      "auth-json /run/containers/1000/auth.json",
      "auth-json /home/u/.config/containers/auth.json",
      "docker-config /home/u/.docker/config.json",
      "dockercfg /home/u/.dockercfg",
    ]);
  });
  test("XDG_RUNTIME_DIR, XDG_CONFIG_HOME, DOCKER_CONFIG, DOCKER_AUTH_CONFIG", () => {
    const result = discoverSources({
      env: { XDG_RUNTIME_DIR: "/run/user/1000/", XDG_CONFIG_HOME: "/cfg", DOCKER_CONFIG: "/dc", DOCKER_AUTH_CONFIG: '{"auths":{}}' },
      homeDir: "/home/u",
      uid: 1000,
    });
    assert.deepEqual(paths(result), [
      "env DOCKER_AUTH_CONFIG",
      "auth-json /run/user/1000/containers/auth.json",
      "auth-json /cfg/containers/auth.json",
      "docker-config /dc/config.json",
      "dockercfg /home/u/.dockercfg",
    ]);
  });
  test("empty variables count as unset", () => {
    const result = discoverSources({ env: { XDG_RUNTIME_DIR: "", DOCKER_CONFIG: "", REGISTRY_AUTH_FILE: "", DOCKER_AUTH_CONFIG: "" }, homeDir: "/h", uid: 0 });
    assert.deepEqual(paths(result), ["env DOCKER_AUTH_CONFIG (unset)", "auth-json /run/containers/0/auth.json", "auth-json /h/.config/containers/auth.json", "docker-config /h/.docker/config.json", "dockercfg /h/.dockercfg"]);
  });
  test("not Linux: no /run/containers path", () => {
    assert.ok(!paths(discoverSources({ env: {}, homeDir: "/Users/u", uid: 501, platform: "darwin" })).some((p) => p.includes("/run/")));
  });
  test("REGISTRY_AUTH_FILE replaces the whole order (CRED-7)", () => {
    const result = discoverSources({ env: { REGISTRY_AUTH_FILE: "/x/auth.json", DOCKER_CONFIG: "/dc", DOCKER_AUTH_CONFIG: "{}" }, homeDir: "/h" });
    assert.equal(result.exclusive, true);
    assert.equal(result.exclusiveVia, "REGISTRY_AUTH_FILE");
    assert.deepEqual(paths(result), ["auth-json /x/auth.json"]);
    assert.equal(result.sources[0]?.type === "file" && result.sources[0].required, true);
  });
  test("--authfile wins over REGISTRY_AUTH_FILE (CRED-7)", () => {
    const result = discoverSources({ env: { REGISTRY_AUTH_FILE: "/x/auth.json" }, homeDir: "/h", authFile: "/flag.json" });
    assert.equal(result.exclusiveVia, "the authFile option");
    assert.deepEqual(paths(result), ["auth-json /flag.json"]);
  });
});
