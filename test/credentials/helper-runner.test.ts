/**
 * The credential-helper runner against real executables on PATH (CRED-5):
 * the server URL on stdin, the JSON answer, "credentials not found", other
 * failures, a missing program and a helper that hangs.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { explainCredentials, createCredentialResolver, CredentialsError, formatCredentialReport } from "../../src/index.js";
import { createHelperRunner } from "../../src/credentials/helper.js";
import { createSandbox, type Sandbox } from "./sandbox.js";

describe("createHelperRunner with real helper programs", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await createSandbox();
    await sandbox.writeHelper("test", { "registry.example:5000": { username: "alice", secret: "helper-secret-1" }, "https://index.docker.io/v1/": { username: "<token>", secret: "refresh-1" } });
    await sandbox.writeHelperScript("broken", 'echo "gpg: decryption failed: No secret key" >&2; exit 2');
    await sandbox.writeHelperScript("garbage", "cat >/dev/null; echo 'Username=alice Secret=leaky-secret'");
    await sandbox.writeHelperScript("slow", "exec sleep 10");
    await sandbox.writeHelperScript("noread", 'printf \'{"Username":"u","Secret":"s"}\'');
  });
  after(async () => sandbox?.remove());

  test("found: reads the server URL from stdin, prints the JSON", async () => {
    const run = createHelperRunner({ env: sandbox.env });
    assert.deepEqual(await run("test", "registry.example:5000"), { status: "found", username: "alice", secret: "helper-secret-1" });
    assert.deepEqual(await run("test", "https://index.docker.io/v1/"), { status: "found", username: "<token>", secret: "refresh-1" });
    assert.deepEqual(await sandbox.helperLog("test"), ["registry.example:5000", "https://index.docker.io/v1/"]);
  });
  test("credentials not found → not-found", async () => {
    assert.deepEqual(await createHelperRunner({ env: sandbox.env })("test", "quay.io"), { status: "not-found" });
  });
  test("other failures say what the helper said", async () => {
    assert.deepEqual(await createHelperRunner({ env: sandbox.env })("broken", "quay.io"), { status: "failed", message: "exited with code 2: gpg: decryption failed: No secret key" });
  });
  test("output that is not the protocol: failed, without quoting it", async () => {
    const outcome = await createHelperRunner({ env: sandbox.env })("garbage", "quay.io");
    assert.equal(outcome.status, "failed");
    assert.ok(outcome.status === "failed" && !outcome.message.includes("leaky-secret"));
  });
  test("a helper that does not read stdin still works", async () => {
    assert.deepEqual(await createHelperRunner({ env: sandbox.env })("noread", "quay.io"), { status: "found", username: "u", secret: "s" });
  });
  test("missing program", async () => {
    assert.deepEqual(await createHelperRunner({ env: sandbox.env })("does-not-exist", "quay.io"), { status: "missing" });
  });
  test("bounded time: a hanging helper is killed", async () => {
    // The message says the runner's timer ended it (the slow helper would not end by itself).
    assert.deepEqual(await createHelperRunner({ env: sandbox.env, timeoutMs: 300 })("slow", "quay.io"), { status: "failed", message: "did not answer within 0.3 s" });
  });
  test("through the resolver: helper errors name the helper and the file", async () => {
    const path = await sandbox.write("timeout/config.json", { credHelpers: { "quay.io": "slow" } });
    const resolve = createCredentialResolver({ env: { ...sandbox.env, DOCKER_CONFIG: `${sandbox.dir}/timeout` }, helperTimeoutMs: 300 });
    await assert.rejects(resolve("quay.io", "a/b"), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `credential helper docker-credential-slow (credHelpers["quay.io"] in ${path}) failed for quay.io: did not answer within 0.3 s`);
      return true;
    });
  });
  test("through explainCredentials: Docker Hub asks the helper for https://index.docker.io/v1/ and gets an identity token", async () => {
    await sandbox.write("hub/config.json", { auths: { "https://index.docker.io/v1/": {} }, credsStore: "test" });
    const report = await explainCredentials("docker.io", "library/ubuntu", { env: { ...sandbox.env, DOCKER_CONFIG: `${sandbox.dir}/hub` } });
    assert.equal(report.credential?.kind, "identity-token");
    assert.match(formatCredentialReport(report), /^docker\.io\/library\/ubuntu: identity token \(OAuth2 refresh token\) from docker-credential-test \(credsStore in .*\/hub\/config\.json\)\n/);
    assert.ok(!JSON.stringify(report).includes("refresh-1"));
  });
});
