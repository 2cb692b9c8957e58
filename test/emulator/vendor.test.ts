/**
 * Vendor tag APIs through the emulator: Docker Hub's tags API (`next` URLs),
 * Quay's v1 tag API (`page` + `has_additional`) and GitHub's packages API
 * (token required, Link pagination, organisation → user fallback), with
 * their failure and fallback paths.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, isRegtagsError, type TraceEvent } from "../../src/index.js";
import { builtinProfiles, defaultRepositories, digestOf, startEmulator, type Emulator } from "../../src/emulator/index.js";

const USERS = { alice: "alice-token" };
const repositories = defaultRepositories();
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({
    profiles: [
      "dockerhub",
      "quay-2023",
      "ghcr",
      { ...builtinProfiles["dockerhub"]!, id: "hub-refusing", vendorApi: { kind: "dockerhub", maxPageSize: 100, refuse: { status: 429, code: "TOOMANYREQUESTS", message: "slow down" } } },
    ],
    users: USERS,
  });
});
after(async () => emulator?.close());

function push(repo: string, tag: string): number {
  return repositories[repo]!.tags.indexOf(tag);
}

test("Docker Hub tags API: every tag with its digest and push date, one request per 100 tags", async () => {
  const hub = emulator.get("dockerhub");
  hub.resetCounts();
  const client = createClient({ endpoints: { "docker.io": hub.url, "hub.docker.com": hub.url } });
  try {
    const result = await client.fetchDetails("ubuntu");
    assert.equal(result.source, "dockerhub");
    const tags = repositories["library/ubuntu"]!.tags;
    assert.equal(result.details.size, tags.length);
    for (const tag of tags) {
      const details = result.details.get(tag)!;
      assert.equal(details.digest, digestOf("library/ubuntu", tag));
      assert.deepEqual(details.platforms, ["linux/amd64"]);
    }
    // The emulator dates tag i at i hours after its epoch: later pushes are newer.
    assert.ok(result.details.get(tags.at(-1)!)!.updatedAt! > result.details.get(tags[0]!)!.updatedAt!);
    assert.equal(hub.counts().vendor, Math.ceil(tags.length / 100));
    assert.equal(hub.counts().tags + hub.counts().token, 0, "no registry request for details");
  } finally {
    await client.close();
  }
});

test("Quay v1 tag API: pages by has_additional, anonymous", async () => {
  const quay = emulator.get("quay-2023");
  quay.resetCounts();
  const client = createClient({ endpoints: { "quay.io": quay.url } });
  try {
    const result = await client.fetchDetails("quay.io/ansible/creator-ee");
    assert.equal(result.source, "quay");
    const tags = repositories["ansible/creator-ee"]!.tags;
    assert.deepEqual(new Set(result.details.keys()), new Set(tags));
    const [first, last] = [tags[0]!, tags.at(-1)!];
    assert.equal(result.details.get(last)!.updatedAt!.getTime() - result.details.get(first)!.updatedAt!.getTime(), (push("ansible/creator-ee", last) - push("ansible/creator-ee", first)) * 3_600_000);
    assert.equal(quay.counts().vendor, Math.ceil(tags.length / 100));
  } finally {
    await client.close();
  }
});

test("GitHub packages API: needs a token; with ghcr.io credentials it pages by Link, user after organisation", async () => {
  const ghcr = emulator.get("ghcr");
  const warnings: string[] = [];
  const anonymous = createClient({ endpoints: { "ghcr.io": ghcr.url, "api.github.com": ghcr.url }, onTrace: (e: TraceEvent) => e.type === "warning" && warnings.push(e.message) });
  try {
    const auto = await anonymous.fetchDetails("ghcr.io/linuxserver/hedgedoc");
    assert.equal(auto.source, undefined, "auto falls back to the registry API");
    assert.match(warnings.join("\n"), /github API could not be used.*needs a token/);
    await assert.rejects(anonymous.fetchDetails("ghcr.io/linuxserver/hedgedoc", { source: "vendor" }), (e: unknown) => isRegtagsError(e) && e.code === "ERR_CREDENTIALS");
  } finally {
    await anonymous.close();
  }
  ghcr.resetCounts();
  const client = createClient({ endpoints: { "ghcr.io": ghcr.url, "api.github.com": ghcr.url }, credentials: { username: "alice", password: USERS.alice } });
  try {
    const result = await client.fetchDetails("ghcr.io/linuxserver/hedgedoc");
    assert.equal(result.source, "github");
    const tags = repositories["linuxserver/hedgedoc"]!.tags;
    assert.equal(result.details.size, tags.length);
    assert.ok(result.details.get(tags[0]!)!.createdAt instanceof Date);
    // One 404 from /orgs/, then ceil(n/100) pages from /users/.
    assert.equal(ghcr.counts().vendor, 1 + Math.ceil(tags.length / 100));
    assert.ok(ghcr.requests.filter((r) => r.kind === "vendor").every((r) => r.authScheme === "bearer"));
  } finally {
    await client.close();
  }
});

test("a refusing vendor API: auto falls back with a warning, --source vendor fails, v2 never asks", async () => {
  const hub = emulator.get("hub-refusing");
  const warnings: string[] = [];
  const client = createClient({ endpoints: { "docker.io": hub.url, "hub.docker.com": hub.url }, retry: { attempts: 1 }, onTrace: (e) => e.type === "warning" && warnings.push(e.message) });
  try {
    assert.equal((await client.fetchDetails("ubuntu")).source, undefined);
    assert.match(warnings.join("\n"), /dockerhub API could not be used .*429/);
    await assert.rejects(client.fetchDetails("ubuntu", { source: "vendor" }), (e: unknown) => isRegtagsError(e) && e.code === "ERR_RATE_LIMITED");
    hub.resetCounts();
    assert.equal((await client.fetchDetails("ubuntu", { source: "v2" })).source, undefined);
    assert.equal(hub.counts().total, 0);
    await assert.rejects(client.fetchDetails("registry.example/x/y", { source: "vendor" }), (e: unknown) => isRegtagsError(e) && e.code === "ERR_INVALID_ARGUMENT");
  } finally {
    await client.close();
  }
});
