import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { csvCell, parseOutputFormat, renderDigestGroups, renderNameLines, renderStreamingRows, renderWhole, type Field, type TagRow } from "./render.js";
import { isRegtagsError } from "../errors.js";
import { rawControlsIn } from "../../test/helpers/raw-controls.js";

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

const HOSTILE_ROWS: TagRow[] = [
  { tag: "v1\x1b[2J\x1b]0;pwned\x07", digest: D1, platforms: ["linux/amd64\r\nFAKE LINE"] },
  { tag: "v2\u202egnp.exe", digest: `sha256:\u2066${"a".repeat(10)}\u2069` },
  { tag: "v3\0\x85\x9b31m\u2028x", updated: new Date("2024-01-02T03:04:05Z") },
  { tag: "v4\ud800" },
];

describe("server-sent fields are never printed raw (issue 10, item 3)", () => {
  const all: Field[] = ["digest", "updated", "platforms"];
  test("lines, field lists, table, csv and templates escape every control, bidi and separator character", () => {
    const outputs = {
      lines: renderStreamingRows(HOSTILE_ROWS, parseOutputFormat(undefined, false, [])),
      fieldList: renderStreamingRows(HOSTILE_ROWS, parseOutputFormat("tag,digest,updated,platforms", false, [])),
      table: renderWhole("r", HOSTILE_ROWS, parseOutputFormat("table", false, all)),
      csv: renderWhole("r", HOSTILE_ROWS, parseOutputFormat("csv", false, all)),
      template: renderStreamingRows(HOSTILE_ROWS, parseOutputFormat("{{.Tag}} {{.Digest}} {{.Platforms}}", false, [])),
      groups: renderDigestGroups("r", HOSTILE_ROWS, false),
      names: renderNameLines(HOSTILE_ROWS.map((r) => r.tag)),
    };
    for (const [name, text] of Object.entries(outputs)) {
      assert.deepEqual(rawControlsIn(text, name === "fieldList" || name === "groups" ? "\n\t" : "\n"), [], name);
      // One line per row: a CR/LF in a field never forges a line.
      assert.ok(text.split("\n").length <= HOSTILE_ROWS.length + 3, `${name}: ${JSON.stringify(text)}`);
    }
    assert.equal(outputs.lines, "v1\\x1b[2J\\x1b]0;pwned\\x07\nv2\\u202egnp.exe\nv3\\x00\\x85\\x9b31m\\u2028x\nv4\\ud800\n");
    assert.equal(outputs.names, outputs.lines);
    assert.match(outputs.fieldList, /^v1\\x1b\[2J\\x1b\]0;pwned\\x07\tsha256:1{64}\t\tlinux\/amd64\\r\\nFAKE LINE\n/);
  });

  test("json and ndjson keep every value but write C1, bidi and U+2028 as \\u escapes", () => {
    for (const text of [renderWhole("r", HOSTILE_ROWS, parseOutputFormat(undefined, true, all)), renderStreamingRows(HOSTILE_ROWS, parseOutputFormat("ndjson", false, all)), renderDigestGroups("r", HOSTILE_ROWS, true)]) {
      assert.deepEqual(rawControlsIn(text), [], text);
    }
    const parsed = JSON.parse(renderWhole("r", HOSTILE_ROWS, parseOutputFormat(undefined, true, [])));
    assert.deepEqual(parsed.Tags, HOSTILE_ROWS.map((r) => r.tag));
  });

  test("a 10 MB field is capped with a marker", () => {
    const out = renderStreamingRows([{ tag: "x".repeat(10_000_000) }], parseOutputFormat(undefined, false, []));
    assert.ok(out.length < 1100, String(out.length));
    assert.match(out, /…\(\d+ more bytes\)\n$/);
  });

  test("CSV cells never start a formula (OWASP: =, +, -, @, TAB, CR get a leading ') and are quoted per RFC 4180", () => {
    assert.equal(csvCell("=HYPERLINK(\"http://x\")"), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell("+1"), "'+1");
    assert.equal(csvCell("-2+3"), "'-2+3");
    assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvCell("\tcmd"), "'\tcmd");
    assert.equal(csvCell("\rcmd"), `"'\rcmd"`);
    assert.equal(csvCell("a,b"), `"a,b"`);
    assert.equal(csvCell("1.0-alpine"), "1.0-alpine");
    const rows: TagRow[] = [{ tag: "=1+2", platforms: ["@evil", "linux/amd64"] }, { tag: "-x" }];
    assert.equal(renderWhole("r", rows, parseOutputFormat("csv", false, ["platforms"])), `tag,platforms\n'=1+2,"'@evil,linux/amd64"\n'-x,\n`);
  });

  test("a 200k-row table renders (Math.max(...column) overflowed the stack from ~125k rows)", () => {
    const many: TagRow[] = Array.from({ length: 200_000 }, (_, i) => ({ tag: `v${i}`, size: i }));
    const out = renderWhole("r", many, parseOutputFormat("table", false, ["size"]));
    const lines = out.split("\n");
    assert.equal(lines.length, 200_002);
    assert.equal(lines[0], "TAG      SIZE");
    assert.equal(lines[200_000], "v199999  199999");
  });
});
