/** CRED-5 fixtures: what a helper's exit code and output mean. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { interpretHelperResult } from "./helper-protocol.js";

describe("interpretHelperResult (CRED-5)", () => {
  test("user and secret", () => {
    assert.deepEqual(interpretHelperResult(0, '{"ServerURL":"quay.io","Username":"alice","Secret":"pw"}\n', ""), { status: "found", username: "alice", secret: "pw" });
  });
  test("<token> user: an identity token (kept as is for the resolver)", () => {
    assert.deepEqual(interpretHelperResult(0, '{"ServerURL":"x","Username":"<token>","Secret":"refresh"}', ""), { status: "found", username: "<token>", secret: "refresh" });
  });
  test("credentials not found in native keychain → not found", () => {
    assert.deepEqual(interpretHelperResult(1, "credentials not found in native keychain\n", ""), { status: "not-found" });
    assert.deepEqual(interpretHelperResult(1, "", "Credentials not found"), { status: "not-found" });
  });
  test("empty secret → not found", () => {
    assert.deepEqual(interpretHelperResult(0, '{"ServerURL":"x","Username":"","Secret":""}', ""), { status: "not-found" });
  });
  test("other failures carry a bounded excerpt of stderr, else stdout", () => {
    assert.deepEqual(interpretHelperResult(1, "", "error getting credentials - err: exit status 1, out: `gpg: decryption failed`\n"), {
      status: "failed",
      message: "exited with code 1: error getting credentials - err: exit status 1, out: `gpg: decryption failed`",
    });
    const long = interpretHelperResult(2, "x".repeat(1000), "");
    assert.equal(long.status, "failed");
    assert.ok(long.status === "failed" && long.message.length < 200);
    assert.deepEqual(interpretHelperResult(null, "", ""), { status: "failed", message: "exited with a signal" });
  });
  test("output that is not the protocol never quotes stdout (it may hold the secret)", () => {
    const secret = "plain-secret-value";
    for (const stdout of [`Username=alice Secret=${secret}`, `["${secret}"]`, `{"Username":"a","Secret":7, "x":"${secret}"}`]) {
      const outcome = interpretHelperResult(0, stdout, "");
      assert.equal(outcome.status, "failed");
      assert.ok(outcome.status === "failed" && !outcome.message.includes(secret));
    }
  });
});
