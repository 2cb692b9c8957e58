import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOutputFormat, renderDigestGroups, renderStreamingRows, renderWhole, type TagRow } from "./render.js";
import { isRegtagsError } from "../errors.js";

const D1 = "sha256:" + "1".repeat(64);
const D2 = "sha256:" + "2".repeat(64);
const rows: TagRow[] = [
  { tag: "1.0", digest: D1, updated: new Date("2024-01-02T03:04:05Z"), size: 10 },
  { tag: "latest", digest: D1, platforms: ["linux/amd64", "linux/arm64"] },
  { tag: "x,\"y\"", digest: D2 },
];

test("json without extra fields is exactly skopeo's shape (4-space indent)", () => {
  const out = renderWhole("docker.io/library/x", rows, parseOutputFormat(undefined, true, []));
  assert.equal(out, `{\n    "Repository": "docker.io/library/x",\n    "Tags": [\n        "1.0",\n        "latest",\n        "x,\\"y\\""\n    ]\n}\n`);
});

test("json with digests adds Details and keeps Tags", () => {
  const parsed = JSON.parse(renderWhole("r", rows, parseOutputFormat(undefined, true, ["digest", "updated"])));
  assert.deepEqual(parsed.Tags, ["1.0", "latest", 'x,"y"']);
  assert.deepEqual(parsed.Details[0], { Tag: "1.0", Digest: D1, Updated: "2024-01-02T03:04:05.000Z" });
  assert.equal(parsed.Details[1].Updated, null);
});

test("lines, field lists, ndjson, csv, table and templates", () => {
  assert.equal(renderStreamingRows(rows.slice(0, 2), parseOutputFormat(undefined, false, [])), "1.0\nlatest\n");
  assert.equal(renderStreamingRows(rows.slice(0, 1), parseOutputFormat(undefined, false, ["digest"])), `1.0\t${D1}\n`);
  assert.equal(renderStreamingRows(rows.slice(1, 2), parseOutputFormat("tag,platforms", false, [])), "latest\tlinux/amd64,linux/arm64\n");
  assert.equal(renderStreamingRows(rows.slice(0, 1), parseOutputFormat("ndjson", false, ["digest", "size"])), `{"tag":"1.0","digest":"${D1}","size":10}\n`);
  assert.equal(renderWhole("r", rows.slice(2), parseOutputFormat("csv", false, ["digest"])), `tag,digest\n"x,""y""",${D2}\n`);
  assert.equal(renderWhole("r", rows.slice(0, 2), parseOutputFormat("table", false, ["size"])), "TAG     SIZE\n1.0     10\nlatest\n");
  assert.equal(renderStreamingRows(rows.slice(0, 1), parseOutputFormat("{{.Tag}} -> {{ .Digest }}", false, [])), `1.0 -> ${D1}\n`);
});

test("bad formats are usage errors naming the problem", () => {
  for (const format of ["{{.Nope}}", "tag,colour", "<xml>"]) {
    assert.throws(() => parseOutputFormat(format, false, []), (e: unknown) => isRegtagsError(e) && e.code === "ERR_USAGE" && /--format/.test((e as Error).message));
  }
  assert.throws(() => parseOutputFormat("csv", true, []), /exclusive/);
});

test("group by digest", () => {
  assert.equal(renderDigestGroups("r", rows, false), `${D1}\t1.0 latest\n${D2}\tx,"y"\n`);
  assert.deepEqual(JSON.parse(renderDigestGroups("r", rows, true)).Digests[0], { Digest: D1, Tags: ["1.0", "latest"] });
});
