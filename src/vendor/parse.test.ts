import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerHubTagsPage, parseGitHubVersionsPage, parseQuayTagsPage } from "./parse.js";
import { isRegtagsError } from "../errors.js";

const hubUrl = new URL("https://hub.docker.com/v2/namespaces/library/repositories/ubuntu/tags?page_size=100");

test("Docker Hub tags API: dates, digest, size, platforms; next followed", () => {
  const body = JSON.stringify({
    count: 3,
    next: "https://hub.docker.com/v2/namespaces/library/repositories/ubuntu/tags?page=2&page_size=100",
    previous: null,
    results: [
      {
        name: "24.04",
        last_updated: "2024-10-01T00:00:00.000000Z",
        tag_last_pushed: "2024-10-02T12:00:00.123456Z",
        digest: "sha256:" + "a".repeat(64),
        full_size: 29_000_000,
        images: [
          { architecture: "amd64", os: "linux", digest: "sha256:" + "b".repeat(64), size: 29_000_000 },
          { architecture: "arm", variant: "v7", os: "linux" },
          { architecture: "unknown", os: "unknown" },
        ],
      },
      { name: "old", last_updated: "2020-01-01T00:00:00Z" },
      { nameless: true },
    ],
  });
  const page = parseDockerHubTagsPage(body, hubUrl, "w");
  assert.equal(page.next?.searchParams.get("page"), "2");
  assert.deepEqual(page.details[0], {
    tag: "24.04",
    digest: "sha256:" + "a".repeat(64),
    updatedAt: new Date("2024-10-02T12:00:00.123Z"),
    size: 29_000_000,
    platforms: ["linux/amd64", "linux/arm/v7"],
  });
  assert.deepEqual(page.details[1], { tag: "old", updatedAt: new Date("2020-01-01T00:00:00Z") });
  assert.equal(page.details.length, 2);
  assert.equal(parseDockerHubTagsPage('{"results":[],"next":null}', hubUrl, "w").next, undefined);
});

test("Quay v1 tag API: has_additional drives the page number; RFC 1123 dates", () => {
  const url = new URL("https://quay.io/api/v1/repository/ansible/creator-ee/tag/?limit=100&page=1&onlyActiveTags=true");
  const page = parseQuayTagsPage(
    JSON.stringify({
      tags: [{ name: "v0.3.1", manifest_digest: "sha256:" + "c".repeat(64), last_modified: "Tue, 28 Mar 2023 05:48:29 -0000", start_ts: 1679982509, size: 12 }],
      page: 1,
      has_additional: true,
    }),
    url,
    "w",
  );
  assert.equal(page.next?.searchParams.get("page"), "2");
  assert.equal(page.next?.searchParams.get("onlyActiveTags"), "true");
  assert.deepEqual(page.details, [{ tag: "v0.3.1", digest: "sha256:" + "c".repeat(64), updatedAt: new Date("2023-03-28T05:48:29Z"), size: 12 }]);
  assert.equal(parseQuayTagsPage('{"tags":[],"page":3,"has_additional":false}', url, "w").next, undefined);
});

test("GitHub package versions: one entry per tag, untagged versions skipped", () => {
  const page = parseGitHubVersionsPage(
    JSON.stringify([
      { id: 1, name: "sha256:" + "d".repeat(64), created_at: "2023-03-01T00:00:00Z", updated_at: "2023-03-02T00:00:00Z", metadata: { package_type: "container", container: { tags: ["1.9.5-ls73", "latest"] } } },
      { id: 2, name: "sha256:" + "e".repeat(64), metadata: { container: { tags: [] } } },
    ]),
    undefined,
    "w",
  );
  assert.deepEqual(page.details.map((d) => d.tag), ["1.9.5-ls73", "latest"]);
  assert.deepEqual(page.details[1], { tag: "latest", digest: "sha256:" + "d".repeat(64), createdAt: new Date("2023-03-01T00:00:00Z"), updatedAt: new Date("2023-03-02T00:00:00Z") });
});

test("wrong shapes are protocol errors naming the page", () => {
  for (const [parse, body] of [
    [() => parseDockerHubTagsPage("<html>", hubUrl, "hub page"), ""],
    [() => parseDockerHubTagsPage('{"results":{}}', hubUrl, "hub page"), ""],
    [() => parseQuayTagsPage("[]", hubUrl, "hub page"), ""],
    [() => parseGitHubVersionsPage("{}", undefined, "hub page"), ""],
    [() => parseDockerHubTagsPage('{"results":[],"next":"javascript:alert(1)"}', hubUrl, "hub page"), ""],
  ] as const) {
    void body;
    assert.throws(parse, (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && /hub page/.test((e as Error).message));
  }
});

test("Docker Hub's next from https to http is refused, naming the page", () => {
  const body = JSON.stringify({ next: "http://hub.docker.com/v2/namespaces/library/repositories/ubuntu/tags?page=2", results: [] });
  assert.throws(() => parseDockerHubTagsPage(body, hubUrl, "docker.io/library/ubuntu: GET u"), (e: unknown) => isRegtagsError(e) && e.code === "ERR_PROTOCOL" && /^docker\.io\/library\/ubuntu: GET u: refusing the next page from https to http/.test((e as Error).message));
});

test("vendor pages nested deeper than MAX_DEPTH are refused before JSON.parse builds them", () => {
  const deep = `{"results":${"[".repeat(4 * 1024 * 1024)}`;
  assert.throws(() => parseDockerHubTagsPage(deep, hubUrl, "w"), (e: unknown) => isRegtagsError(e) && /^w: the JSON nests deeper than 16 levels/.test((e as Error).message));
  const fine = JSON.stringify([{ name: "sha256:1", metadata: { container: { tags: ["1.0"] } }, x: "[[[[[[[[[[[[[[[[[[[[" }]);
  assert.deepEqual(parseGitHubVersionsPage(fine, undefined, "w").details.map((d) => d.tag), ["1.0"]);
});
