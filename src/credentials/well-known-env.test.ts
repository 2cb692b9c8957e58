/** Environment tokens for well-known hosts. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ENV_CREDENTIAL_RULES, resolveEnvRule } from "./well-known-env.js";

const [github, gitlab] = ENV_CREDENTIAL_RULES as [(typeof ENV_CREDENTIAL_RULES)[0], (typeof ENV_CREDENTIAL_RULES)[0]];

describe("GH_TOKEN / GITHUB_TOKEN for ghcr.io", () => {
  test("only ghcr.io", () => assert.deepEqual(resolveEnvRule(github, "quay.io", { GITHUB_TOKEN: "t" }), { status: "not-applicable", detail: "only for ghcr.io" }));
  test("GH_TOKEN before GITHUB_TOKEN; user from GITHUB_ACTOR", () => {
    const outcome = resolveEnvRule(github, "ghcr.io", { GH_TOKEN: "gh", GITHUB_TOKEN: "ci", GITHUB_ACTOR: "octocat" });
    assert.deepEqual(outcome, { status: "found", username: "octocat", password: "gh", variable: "GH_TOKEN", detail: 'GH_TOKEN, user "octocat" from GITHUB_ACTOR' });
  });
  test("GITHUB_TOKEN alone, default user", () => {
    const outcome = resolveEnvRule(github, "ghcr.io", { GITHUB_TOKEN: "ci", GH_TOKEN: "" });
    assert.equal(outcome.status, "found");
    assert.ok(outcome.status === "found" && outcome.username === "token" && outcome.variable === "GITHUB_TOKEN" && !outcome.detail.includes("ci,"));
  });
  test("unset", () => assert.equal(resolveEnvRule(github, "ghcr.io", {}).status, "not-set"));
});

describe("GitLab CI_REGISTRY_*", () => {
  const env = { CI_REGISTRY: "registry.gitlab.example:5050", CI_REGISTRY_USER: "gitlab-ci-token", CI_REGISTRY_PASSWORD: "job-token" };
  test("for the host in CI_REGISTRY", () => {
    const outcome = resolveEnvRule(gitlab, "registry.gitlab.example:5050", env);
    assert.deepEqual(outcome, { status: "found", username: "gitlab-ci-token", password: "job-token", variable: "CI_REGISTRY_PASSWORD", detail: 'CI_REGISTRY_PASSWORD, user "gitlab-ci-token" from CI_REGISTRY_USER' });
  });
  test("not for another host", () => {
    assert.deepEqual(resolveEnvRule(gitlab, "registry.gitlab.example", env), { status: "not-applicable", detail: "CI_REGISTRY is registry.gitlab.example:5050" });
  });
  test("CI_REGISTRY unset, or the user missing", () => {
    assert.equal(resolveEnvRule(gitlab, "x", {}).status, "not-set");
    assert.deepEqual(resolveEnvRule(gitlab, "r.example", { CI_REGISTRY: "r.example", CI_REGISTRY_PASSWORD: "p" }), { status: "not-set", detail: "CI_REGISTRY_PASSWORD is set but CI_REGISTRY_USER is not" });
  });
});
