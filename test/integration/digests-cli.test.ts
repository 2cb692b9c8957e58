/**
 * `regtags ls --digests` against the real CNCF distribution registry with
 * token auth, run as users run it (the compiled CLI): the digests printed
 * equal what `skopeo inspect` reports, filters run before any lookup (one
 * HEAD per shown tag, none for the others), the listing's token is reused
 * for every HEAD, and `--group-by-digest` groups tags that share a manifest.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { skopeoInspectDigest } from "../helpers/skopeo.js";

const REPO = "team/digests";
const BUILDS = Array.from({ length: 120 }, (_, i) => `build-${i}`);
/** What `--include 'build-1.*'` selects: build-1, build-10…19, build-100…119. */
const SELECTED = BUILDS.filter((tag) => /^build-1.*$/.test(tag));

let registry: RealRegistry;
let ref: string;
/** Tag → the digest it was pushed or linked as. */
const expected = new Map<string, string>();
/** The registry's own order of the selected tags (a plain listing with the same filter). */
let listed: string[];

before(async () => {
  registry = await startRealRegistry({ auth: "token" });
  ref = `${registry.host}/${REPO}`;
  const one = await registry.pushImage(REPO, "1.0");
  const two = await registry.pushImage(REPO, "2.0");
  const fifteen = await registry.pushImage(REPO, "build-15"); // its own image
  await registry.addTags(REPO, BUILDS.filter((tag) => tag !== "build-15"), one);
  await registry.addTags(REPO, ["build-17"], two); // moved to 2.0's manifest
  expected.set("1.0", one).set("2.0", two);
  for (const tag of BUILDS) expected.set(tag, one);
  expected.set("build-15", fifteen).set("build-17", two);
  assert.equal(new Set([one, two, fifteen]).size, 3, "three distinct manifests");

  const plain = await cli(["ls", "--include", "build-1.*", ref]);
  listed = plain.stdout.trimEnd().split("\n");
  assert.deepEqual([...listed].sort(), [...SELECTED].sort(), "the plain listing selects the same tags");
});
after(async () => registry?.stop());

async function cli(args: readonly string[]): Promise<CliResult> {
  const result = await runCli(args, { timeoutMs: 30_000 });
  assert.equal(result.code, 0, `regtags ${args.join(" ")}: exit ${result.code}, stderr:\n${result.stderr}`);
  return result;
}

test("ls --digests --include: the digests skopeo inspect reports, in the registry's order", async () => {
  const result = await cli(["ls", "--digests", "--include", "build-1.*", ref]);
  assert.equal(result.stderr, "");
  const rows = result.stdout.trimEnd().split("\n").map((line) => line.split("\t"));
  assert.deepEqual(rows.map((row) => row[0]), listed);
  for (const [tag, digest] of rows) assert.equal(digest, expected.get(tag!), tag);
  const printed = new Map(rows.map(([tag, digest]) => [tag!, digest!]));
  for (const tag of ["build-1", "build-15", "build-17", "build-119"]) {
    assert.equal(printed.get(tag), await skopeoInspectDigest(registry.host, REPO, tag), `skopeo inspect ${tag}`);
  }
});

test("--debug: exactly one HEAD per shown tag, none for filtered-out tags, and one token for everything", async () => {
  const result = await cli(["ls", "--debug", "--digests", "--include", "build-1.*", ref]);
  assert.equal(result.stdout.trimEnd().split("\n").length, SELECTED.length);
  const requests = result.stderr.split("\n").filter((line) => line.startsWith("regtags: → "));
  const heads = requests.filter((line) => line.startsWith("regtags: → HEAD "));
  const headTags = heads.map((line) => decodeURIComponent(/\/v2\/team\/digests\/manifests\/(\S+) \[manifest\]/.exec(line)?.[1] ?? `unexpected: ${line}`));
  assert.equal(heads.length, SELECTED.length, "one HEAD per shown tag");
  assert.deepEqual([...headTags].sort(), [...SELECTED].sort(), "HEADs for the shown tags only");
  for (const tag of ["1.0", "2.0", "build-2", "build-99"]) assert.ok(!headTags.includes(tag), `no HEAD for ${tag}`);
  assert.equal(requests.filter((line) => / \[token\] /.test(line)).length, 1, "no second token request");
  assert.equal(requests.filter((line) => /^regtags: → GET \S+\/manifests\//.test(line)).length, 0, "no manifest GET (a Docker Hub pull)");
  // Each HEAD carried the listing's token: no 401 on a manifest.
  assert.equal(result.stderr.split("\n").filter((line) => /^regtags: ← 401 HEAD /.test(line)).length, 0);
});

test("--group-by-digest: tags that share a manifest on one line, in order of first appearance", async () => {
  const result = await cli(["ls", "--group-by-digest", "--include", "build-1.*", ref]);
  const groups = new Map<string, string[]>();
  for (const tag of listed) {
    const digest = expected.get(tag)!;
    groups.set(digest, [...(groups.get(digest) ?? []), tag]);
  }
  assert.equal(groups.size, 3);
  assert.equal(result.stdout, [...groups].map(([digest, tags]) => `${digest}\t${tags.join(" ")}\n`).join(""));
});
