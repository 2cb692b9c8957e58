import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ProtocolError } from "../errors.js";
import { CATALOG_SCOPE, type Scope, formatScope, parseScope, parseScopeList, repositoryScope, scopeCovers } from "./scope.js";

describe("parseScope (CH-8)", () => {
  const rows: Array<[string, Scope]> = [
    ["repository:library/ubuntu:pull", { type: "repository", name: "library/ubuntu", actions: ["pull"] }],
    ["repository:samalba/my-app:pull,push", { type: "repository", name: "samalba/my-app", actions: ["pull", "push"] }],
    ["repository:localhost:5000/foo:pull", { type: "repository", name: "localhost:5000/foo", actions: ["pull"] }],
    ["repository:[::1]:5000/foo:pull", { type: "repository", name: "[::1]:5000/foo", actions: ["pull"] }],
    ["repository(plugin):a/b:pull,push", { type: "repository", resourceClass: "plugin", name: "a/b", actions: ["pull", "push"] }],
    [CATALOG_SCOPE, { type: "registry", name: "catalog", actions: ["*"] }],
    ["repository:a/b:*", { type: "repository", name: "a/b", actions: ["*"] }],
    ["repository:a/b:delete,*", { type: "repository", name: "a/b", actions: ["delete", "*"] }],
    ["repository:foo:", { type: "repository", name: "foo", actions: [] }],
  ];
  for (const [text, scope] of rows) {
    test(text, () => {
      assert.deepEqual(parseScope(text), scope);
      assert.equal(formatScope(scope), text);
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ["", /two ':'/],
    ["repository", /two ':'/],
    ["repository:foo", /two ':'/],
    [":foo:pull", /resource type is empty/],
    ["repository::pull", /resource name is empty/],
    ["repository:a:pull,,push", /action "" is empty/],
    ["repository:a:pu ll", /no whitespace/],
    ["repository(plugin:a:pull", /closed with '\)'/],
    ["repository():a:pull", /resource class/],
    ["re/po:a:pull", /resource type/],
    ["repository:a:pull;push", /action "pull;push"/],
  ];
  for (const [text, problem] of invalid) {
    test(`invalid ${JSON.stringify(text)}`, () =>
      assert.throws(
        () => parseScope(text),
        (e: unknown) => e instanceof ProtocolError && problem.test(e.message) && e.message.startsWith("invalid scope "),
      ));
  }
  test("long input is excerpted", () =>
    assert.throws(() => parseScope(`x${"y".repeat(100_000)}`), (e: unknown) => e instanceof ProtocolError && e.message.length < 500));
});

describe("parseScopeList (CH-7)", () => {
  test("fixture 8: two scopes", () =>
    assert.deepEqual(parseScopeList("repository:a/b:pull repository:c:pull,push"), [
      { type: "repository", name: "a/b", actions: ["pull"] },
      { type: "repository", name: "c", actions: ["pull", "push"] },
    ]));
  test("empty", () => {
    assert.deepEqual(parseScopeList(""), []);
    assert.deepEqual(parseScopeList("   "), []);
  });
  test("extra spaces", () => assert.equal(parseScopeList("  registry:catalog:*   repository:a:pull ").length, 2));
  test("one bad scope fails the list", () => assert.throws(() => parseScopeList("repository:a:pull nonsense"), ProtocolError));
});

describe("repositoryScope and CATALOG_SCOPE (REF-10)", () => {
  test("default pull", () => assert.equal(repositoryScope("library/ubuntu"), "repository:library/ubuntu:pull"));
  test("actions", () => assert.equal(repositoryScope("a/b", ["pull", "push"]), "repository:a/b:pull,push"));
  test("catalog", () => assert.equal(CATALOG_SCOPE, "registry:catalog:*"));
});

describe("scopeCovers", () => {
  const s = (text: string): Scope => parseScope(text);
  const rows: Array<[string, string, boolean]> = [
    ["repository:a:pull", "repository:a:pull", true],
    ["repository:a:pull,push", "repository:a:pull", true],
    ["repository:a:pull", "repository:a:pull,push", false],
    ["repository:a:*", "repository:a:pull,push", true],
    ["repository:a:pull", "repository:b:pull", false],
    ["registry:a:pull", "repository:a:pull", false],
    ["repository(plugin):a:pull", "repository:a:pull", false],
    ["repository:a:pull", "repository:a:", true],
    ["repository:a:pull", "repository:a:*", false],
    [CATALOG_SCOPE, CATALOG_SCOPE, true],
  ];
  for (const [granted, wanted, expected] of rows) {
    test(`${granted} covers ${wanted}: ${expected}`, () => assert.equal(scopeCovers(s(granted), s(wanted)), expected));
  }
});
