/**
 * Exact shapes of pages, links and errors per profile (the field report's and the
 * notes' examples), manifests (digests) and the catalog. Anonymous where the profile
 * allows it, with a token otherwise.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Emulator } from "./index.js";
import { authenticate, nextLink } from "./walk.test.js";

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    profiles: ["ghcr", "quay-2023", "quay-2024", "ecr", "zot", "distribution-2.8", "distribution-3.1.0", "artifactory", "gcr", "acr", "dockerhub", "harbor"],
    users: { alice: "wonderland" },
  });
});
after(async () => {
  await emulator.close();
});

interface Page {
  readonly status: number;
  readonly link: string | null;
  readonly type: string | null;
  readonly body: string;
  json<T>(): T;
}

/** GET `path` on a profile, authenticated as the walker would be for `name`. */
async function page(id: string, name: string, query: string, credentials?: readonly [string, string]): Promise<Page> {
  const registry = emulator.get(id);
  const headers = await authenticate(registry, `repository:${name}:pull`, credentials === undefined ? {} : { credentials });
  const response = await fetch(`${registry.url}/v2/${name}/tags/list${query}`, { headers });
  const body = await response.text();
  return { status: response.status, link: response.headers.get("link"), type: response.headers.get("content-type"), body, json: <T>() => JSON.parse(body) as T };
}

type Tags = { name: string; tags: string[] | null };

describe("tags/list shapes", () => {
  test("ghcr: 100 per page, links ?last=<tag>&n=0, n=0 is the default page", async () => {
    const first = await page("ghcr", "linuxserver/hedgedoc", "");
    const tags = first.json<Tags>().tags ?? [];
    assert.equal(tags.length, 100);
    assert.deepEqual(tags.slice(0, 4), ["amd64-1.7.0-ls1", "arm32v7-1.7.0-ls1", "arm64v8-1.7.0-ls1", "1.7.0-ls1"]);
    assert.equal(first.link, `</v2/linuxserver/hedgedoc/tags/list?last=${tags[99]}&n=0>; rel="next"`);
    assert.equal((await page("ghcr", "linuxserver/hedgedoc", "?n=0")).json<Tags>().tags?.length, 100);
    assert.equal((await page("ghcr", "linuxserver/hedgedoc", "?n=20")).link?.endsWith(`&n=20>; rel="next"`), true);
  });

  test("quay-2023: 50 whatever n, links ?n=50&next_page=gAAAAAB...%3D; a tampered cursor is refused", async () => {
    const first = await page("quay-2023", "ansible/creator-ee", "?n=500");
    assert.deepEqual(first.json<Tags>().tags?.slice(0, 2), ["8f2ef3e55d91258eca4eaef9222505bd401ff86d-1473632019-15-1", "v0.2.0a1"]);
    assert.equal(first.json<Tags>().tags?.length, 50);
    assert.match(first.link ?? "", /^<\/v2\/ansible\/creator-ee\/tags\/list\?n=50&next_page=gAAAAAB[A-Za-z0-9_-]+%3D>; rel="next"$/);
    const cursor = /next_page=([^>]+)>/.exec(first.link ?? "")?.[1] ?? "";
    const tampered = cursor.slice(0, 20) + (cursor[20] === "A" ? "B" : "A") + cursor.slice(21);
    assert.equal((await page("quay-2023", "ansible/creator-ee", `?n=50&next_page=${tampered}`)).status, 400);
    assert.equal((await page("quay-2023", "library/ubuntu", `?n=50&next_page=${cursor}`)).status, 400, "bound to its repository");
  });

  test("quay-2024: sorted, n capped at 100, links ?n=100&last=, n=0 empty", async () => {
    const first = await page("quay-2024", "ansible/creator-ee", "?n=1000");
    const tags = first.json<Tags>().tags ?? [];
    assert.equal(tags.length, 100);
    assert.deepEqual(tags, [...tags].sort());
    assert.equal(first.link, `</v2/ansible/creator-ee/tags/list?n=100&last=${tags[99]}>; rel="next"`);
    assert.deepEqual((await page("quay-2024", "ansible/creator-ee", "?n=0")).json<Tags>().tags, []);
  });

  test("ecr: text/plain, absolute opaque links without n, 405 above 1000, rebuilt cursor 405", async () => {
    const alice = ["alice", "wonderland"] as const;
    const first = await page("ecr", "library/ubuntu", "", alice);
    assert.equal(first.type, "text/plain; charset=utf-8");
    assert.equal(first.json<Tags>().tags?.length, 100);
    const next = nextLink(first.link) ?? "";
    assert.match(next, new RegExp(`^${emulator.get("ecr").url}/v2/library/ubuntu/tags/list\\?last=[A-Za-z0-9_-]+$`));
    const over = await page("ecr", "library/ubuntu", "?n=1001", alice);
    assert.equal(over.status, 405);
    assert.match(over.body, /"code":"UNSUPPORTED".*maxResults/);
    assert.equal((await page("ecr", "library/ubuntu", "?last=latest", alice)).status, 405);
  });

  test("zot: n-first links; unknown last → 404 with an empty body", async () => {
    const first = await page("zot", "library/ubuntu", "?n=5");
    assert.match(first.link ?? "", /^<\/v2\/library\/ubuntu\/tags\/list\?n=5&last=[^&>]+>; rel="next"$/);
    const unknown = await page("zot", "library/ubuntu", "?n=5&last=nope");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body, "");
  });

  test("distribution-2.8: n and last ignored, no Link, tags: null, 404 NAME_UNKNOWN", async () => {
    const all = await page("distribution-2.8", "library/ubuntu", "?n=2&last=zzz");
    assert.equal(all.json<Tags>().tags?.length, 129);
    assert.equal(all.link, null);
    assert.equal((await page("distribution-2.8", "empty/repo", "")).body, '{"name":"empty/repo","tags":null}');
    const missing = await page("distribution-2.8", "no/such", "");
    assert.equal(missing.status, 404);
    assert.match(missing.body, /"code":"NAME_UNKNOWN"/);
  });

  test("distribution-3.1.0: n above 1000 → 400 PAGINATION_NUMBER_INVALID; bad n too", async () => {
    for (const n of ["1001", "-1", "x"]) {
      const answer = await page("distribution-3.1.0", "library/ubuntu", `?n=${n}`);
      assert.equal(answer.status, 400);
      assert.match(answer.body, /PAGINATION_NUMBER_INVALID/);
    }
  });

  test("artifactory: n=0 returns everything, digests among the tags", async () => {
    const all = (await page("artifactory", "library/ubuntu", "?n=0")).json<Tags>().tags ?? [];
    assert.equal(all.length, 134);
    assert.equal(all.filter((t) => t.startsWith("sha256:")).length, 5);
  });

  test("gcr: everything at once with manifest and child extras", async () => {
    const body = (await page("gcr", "library/ubuntu", "?n=3")).json<Tags & { manifest: Record<string, { tag: string[] }>; child: unknown[] }>();
    assert.equal(body.tags?.length, 129);
    assert.deepEqual(body.child, []);
    assert.equal(Object.keys(body.manifest).length, 129);
  });

  test("acr: links end in &orderby=", async () => {
    assert.match((await page("acr", "library/ubuntu", "?n=10")).link ?? "", /^<\/v2\/library\/ubuntu\/tags\/list\?last=[^&]+&n=10&orderby=>; rel="next"$/);
  });
});

describe("manifests", () => {
  test("HEAD gives the deterministic digest; GET by digest works; unknown tag 404 MANIFEST_UNKNOWN", async () => {
    const registry = emulator.get("distribution-2.8");
    registry.resetCounts();
    const expected = `sha256:${createHash("sha256").update("library/ubuntu:22.04").digest("hex")}`;
    const head = await fetch(`${registry.url}/v2/library/ubuntu/manifests/22.04`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("docker-content-digest"), expected);
    assert.equal(head.headers.get("content-type"), "application/vnd.oci.image.manifest.v1+json");
    const byDigest = await fetch(`${registry.url}/v2/library/ubuntu/manifests/${expected}`);
    assert.equal(((await byDigest.json()) as { schemaVersion: number }).schemaVersion, 2);
    const unknown = await fetch(`${registry.url}/v2/library/ubuntu/manifests/nope`);
    assert.match(await unknown.text(), /MANIFEST_UNKNOWN/);
    assert.equal(unknown.status, 404);
    assert.deepEqual(registry.counts(), { ping: 0, token: 0, tags: 0, manifest: 3, catalog: 0, vendor: 0, other: 0, total: 3 });
  });

  test("manifests need the same token as tags", async () => {
    const hub = emulator.get("dockerhub");
    const anonymous = await fetch(`${hub.url}/v2/library/ubuntu/manifests/latest`, { method: "HEAD" });
    assert.equal(anonymous.status, 401);
  });
});

describe("catalog", () => {
  test("distribution-2.8: paginated with n and last, relative Link", async () => {
    const url = emulator.get("distribution-2.8").url;
    const first = await fetch(`${url}/v2/_catalog?n=2`);
    assert.deepEqual(await first.json(), { repositories: ["ansible/creator-ee", "big/repo"] });
    assert.equal(first.headers.get("link"), '</v2/_catalog?last=big%2Frepo&n=2>; rel="next"');
    const over = await fetch(`${url}/v2/_catalog?n=1001`);
    await over.arrayBuffer();
    assert.equal(over.status, 400);
  });

  test("bearer catalog needs registry:catalog:*; private repositories only for users", async () => {
    const registry = emulator.get("acr");
    const anonymous = await authenticate(registry, "registry:catalog:*");
    const listed = ((await (await fetch(`${registry.url}/v2/_catalog`, { headers: anonymous })).json()) as { repositories: string[] }).repositories;
    assert.ok(!listed.includes("private/repo") && listed.includes("library/ubuntu"));
    const alice = await authenticate(registry, "registry:catalog:*", { credentials: ["alice", "wonderland"] });
    const all = ((await (await fetch(`${registry.url}/v2/_catalog`, { headers: alice })).json()) as { repositories: string[] }).repositories;
    assert.ok(all.includes("private/repo"));
  });

  test("dockerhub refuses with 401 insufficient_scope even with a token; ghcr with 404", async () => {
    const hub = emulator.get("dockerhub");
    const headers = await authenticate(hub, "registry:catalog:*");
    const refused = await fetch(`${hub.url}/v2/_catalog`, { headers });
    await refused.arrayBuffer();
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /scope="registry:catalog:\*",error="insufficient_scope"/);
    const ghcr = await fetch(`${emulator.get("ghcr").url}/v2/_catalog`);
    await ghcr.arrayBuffer();
    assert.equal(ghcr.status, 404);
  });
});
