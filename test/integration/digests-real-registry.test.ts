/**
 * DIG-1 on the real distribution registry (token auth): digests by HEAD
 * equal what skopeo inspect reports, one HEAD per tag asked for and nothing
 * else (the token from the listing is reused).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type TraceEvent } from "../../src/index.js";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { skopeoInspectDigest } from "../helpers/skopeo.js";

let registry: RealRegistry;
const pushed = new Map<string, string>();

before(async () => {
  registry = await startRealRegistry({ auth: "token" });
  pushed.set("1.0", await registry.pushImage("team/digests", "1.0"));
  pushed.set("2.0", await registry.pushImage("team/digests", "2.0"));
  const many = Array.from({ length: 300 }, (_, i) => `build-${i}`);
  await registry.addTags("team/digests", many, pushed.get("1.0"));
  for (const tag of many) pushed.set(tag, pushed.get("1.0")!);
});
after(async () => registry?.stop());

test("digests by HEAD equal skopeo inspect's; one HEAD per requested tag", async () => {
  const events: TraceEvent[] = [];
  const client = createClient({ onTrace: (e) => events.push(e) });
  try {
    const ref = `${registry.host}/team/digests`;
    const { tags } = await client.listTags(ref);
    assert.equal(tags.length, 302);
    events.length = 0;
    const wanted = ["2.0", "1.0", ...tags.filter((t) => t.startsWith("build-1"))];
    const digests = await client.fetchDigests(ref, wanted, { concurrency: 8 });
    assert.deepEqual(digests.map((d) => d.tag), wanted, "in the order asked");
    for (const d of digests) assert.equal(d.digest, pushed.get(d.tag), d.tag);
    assert.equal(await skopeoInspectDigest(registry.host, "team/digests", "2.0"), digests[0]!.digest);
    assert.equal(await skopeoInspectDigest(registry.host, "team/digests", "build-150"), pushed.get("1.0"));
    const requests = events.filter((e): e is Extract<TraceEvent, { type: "request" }> => e.type === "request");
    assert.equal(requests.length, wanted.length, "one request per tag: no token request, no 401");
    assert.ok(requests.every((r) => r.method === "HEAD" && r.purpose === "manifest"));
  } finally {
    await client.close();
  }
});
