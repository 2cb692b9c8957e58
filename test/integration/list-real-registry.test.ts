/**
 * regtags against the real CNCF distribution registry (Debian docker-registry
 * 2.8) on 127.0.0.1, with its real token auth (ES256 JWTs from the tests'
 * token server) and with htpasswd Basic auth. skopeo, run on the same
 * repositories, is the cross-check. If the registry cannot start, these
 * tests fail: they are never skipped.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type TraceEvent } from "../../src/index.js";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { skopeoListTags } from "../helpers/skopeo.js";
import { runCli } from "../helpers/run-cli.js";

const BULK = 10_000;

function bulkTags(count: number): string[] {
  const tags: string[] = [];
  for (let i = 0; i < count; i++) tags.push(i % 3 === 0 ? `v1.${i % 97}.${i}` : i % 3 === 1 ? `build-${i}` : `${(i * 2654435761) % 4294967296}`.padStart(10, "0"));
  return tags;
}

/** HTTP exchanges seen in a trace, as "STATUS purpose" strings. */
function exchanges(events: TraceEvent[]): string[] {
  const purposes = new Map<number, string>();
  const out: string[] = [];
  for (const event of events) {
    if (event.type === "request") purposes.set(event.id, event.purpose);
    if (event.type === "response") out.push(`${event.status} ${purposes.get(event.id)}`);
  }
  return out;
}

describe("real distribution registry, token auth", () => {
  let registry: RealRegistry;
  const expected = new Set<string>();

  before(async () => {
    registry = await startRealRegistry({ auth: "token" });
    await registry.pushImage("team/app", "latest");
    const tags = bulkTags(BULK);
    await registry.addTags("team/app", tags);
    for (const tag of ["latest", ...tags]) expected.add(tag);
    await registry.pushImage("private/secret", "1.0");
    await registry.pushImage("team/empty", "gone");
  });
  after(async () => registry?.stop());

  test(`lists all ${BULK + 1} tags, the same set as skopeo, with one 401 and one token request`, async () => {
    const events: TraceEvent[] = [];
    const client = createClient({ onTrace: (e) => events.push(e) });
    try {
      const tokenRequestsBefore = registry.tokenServer!.requests.length;
      const list = await client.listTags(`${registry.host}/team/app`);
      assert.equal(list.repository, `${registry.host}/team/app`);
      assert.equal(list.tags.length, BULK + 1, "each tag once");
      assert.deepEqual(new Set(list.tags), expected);
      // distribution 2.8 ignores n and sends everything at once: 401, token, list.
      assert.deepEqual(exchanges(events), ["401 tags", "200 token", "200 tags"]);
      assert.equal(registry.tokenServer!.requests.length - tokenRequestsBefore, 1);
      const skopeo = await skopeoListTags(registry.host, "team/app");
      assert.deepEqual(new Set(list.tags), new Set(skopeo.Tags));
      assert.equal(skopeo.Repository, list.repository);
      // A second listing reuses the token: no 401, no token request.
      events.length = 0;
      await client.listTags(`${registry.host}/team/app`);
      assert.deepEqual(exchanges(events), ["200 tags"]);
    } finally {
      await client.close();
    }
  });

  test("the CLI prints the same tags as lines and skopeo's JSON shape", async () => {
    const lines = await runCli(["ls", `${registry.host}/team/app`]);
    assert.equal(lines.code, 0, lines.stderr);
    const printed = lines.stdout.trimEnd().split("\n");
    assert.equal(printed.length, BULK + 1);
    assert.deepEqual(new Set(printed), expected);
    const json = await runCli(["ls", "--json", `${registry.host}/team/app`]);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { Repository: string; Tags: string[] };
    assert.deepEqual(Object.keys(parsed), ["Repository", "Tags"]);
    assert.equal(parsed.Repository, `${registry.host}/team/app`);
    assert.deepEqual(parsed.Tags, printed, "JSON keeps the registry's order, as lines do");
  });

  test("a private repository needs credentials: exit 3 anonymously, listed with --creds", async () => {
    const anonymous = await runCli(["ls", `${registry.host}/private/secret`]);
    assert.equal(anonymous.code, 3, anonymous.stderr);
    assert.match(anonymous.stderr, /^regtags: .*private\/secret.*(authentication required|denied)/);
    assert.equal(anonymous.stderr.trim().split("\n").length, 1, "one line");
    const [user, password] = Object.entries(registry.users)[0]!;
    const withCreds = await runCli(["ls", "--creds", `${user}:${password}`, `${registry.host}/private/secret`]);
    assert.equal(withCreds.code, 0, withCreds.stderr);
    assert.equal(withCreds.stdout, "1.0\n");
    const wrong = await runCli(["ls", "--debug", "--creds", `${user}:not-the-password`, `${registry.host}/private/secret`]);
    assert.equal(wrong.code, 8, "credentials rejected");
    assert.match(wrong.stderr, /regtags: 127\.0\.0\.1:\d+\/private\/secret: authentication failed at token service .* \(credentials from --creds\)/);
    assert.doesNotMatch(wrong.stderr, /not-the-password/, "the password never appears, even with --debug");
  });

  test("a missing repository is exit 4 naming it", async () => {
    const missing = await runCli(["ls", `${registry.host}/team/does-not-exist`]);
    assert.equal(missing.code, 4, missing.stderr);
    assert.match(missing.stderr, /^regtags: 127\.0\.0\.1:\d+\/team\/does-not-exist: repository not found \(404 NAME_UNKNOWN/);
  });

  test("--debug shows every exchange with the token redacted", async () => {
    const run = await runCli(["ls", "--debug", `${registry.host}/team/empty`]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "gone\n");
    assert.match(run.stderr, /← 401 GET http:\/\/127\.0\.0\.1:\d+\/v2\/team\/empty\/tags\/list\?n=10000/);
    assert.match(run.stderr, /www-authenticate: Bearer realm=/);
    assert.match(run.stderr, /authorization: Bearer <redacted>/);
    assert.doesNotMatch(run.stderr, /eyJ[A-Za-z0-9_-]{10,}/, "no JWT in the trace");
  });
});

describe("real distribution registry, htpasswd Basic auth", () => {
  let registry: RealRegistry;
  before(async () => {
    registry = await startRealRegistry({ auth: "htpasswd" });
    await registry.pushImage("team/app", "latest");
    await registry.addTags("team/app", bulkTags(2000));
  });
  after(async () => registry?.stop());

  test("lists with --creds in two requests (401 Basic, then 200), same set as skopeo", async () => {
    const [user, password] = Object.entries(registry.users)[0]!;
    const events: TraceEvent[] = [];
    const client = createClient({ credentials: { username: user, password }, onTrace: (e) => events.push(e) });
    try {
      const list = await client.listTags(`${registry.host}/team/app`);
      assert.equal(list.tags.length, 2001);
      const skopeo = await skopeoListTags(registry.host, "team/app", { creds: `${user}:${password}` });
      assert.deepEqual(new Set(list.tags), new Set(skopeo.Tags));
      assert.deepEqual(exchanges(events), ["401 tags", "200 tags"]);
    } finally {
      await client.close();
    }
  });

  test("without credentials: exit 3 saying to log in; wrong password: authentication failed, exit 8", async () => {
    const anonymous = await runCli(["ls", `${registry.host}/team/app`]);
    assert.equal(anonymous.code, 3);
    assert.match(anonymous.stderr, /authentication required.*docker login.*--creds/);
    const [user] = Object.keys(registry.users);
    const wrong = await runCli(["ls", "--creds", `${user}:wrong`, `${registry.host}/team/app`]);
    assert.equal(wrong.code, 8, "credentials rejected");
    assert.match(wrong.stderr, /^regtags: authentication failed for 127\.0\.0\.1:\d+\/team\/app \(credentials from --creds\)/);
  });
});
