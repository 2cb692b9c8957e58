import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLocalFile } from "./read-local-file.js";
import { writePrivateFile } from "./write-private-file.js";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "regtags-read-local-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("readLocalFile: regular files within the limit, byte-exact at the boundary", () => {
  const path = join(dir, "exact");
  writeFileSync(path, "x".repeat(1000));
  assert.deepEqual(readLocalFile(path, 1000), { status: "ok", text: "x".repeat(1000) });
  assert.deepEqual(readLocalFile(path, 999), { status: "refused", reason: "it is larger than 999 bytes, far more than such a file holds" });
  assert.deepEqual(readLocalFile(join(dir, "nope")), { status: "missing" });
  assert.deepEqual(readLocalFile(join(path, "below-a-file")), { status: "missing" });
});

test("readLocalFile: directories, FIFOs and devices are refused without reading", () => {
  mkdirSync(join(dir, "sub"));
  assert.deepEqual(readLocalFile(join(dir, "sub")), { status: "refused", reason: "it is a directory (EISDIR)" });
  execFileSync("mkfifo", [join(dir, "fifo")]);
  assert.deepEqual(readLocalFile(join(dir, "fifo")), { status: "refused", reason: "it is a FIFO (named pipe), not a regular file" });
  assert.deepEqual(readLocalFile("/dev/zero"), { status: "refused", reason: "it is a character device, not a regular file" });
});

test("readLocalFile: a file whose size fstat reports as 0 (/proc) is still capped", () => {
  const read = readLocalFile("/proc/self/status", 10);
  assert.deepEqual(read, { status: "refused", reason: "it is larger than 10 bytes, far more than such a file holds" });
  assert.equal(readLocalFile("/proc/self/status").status, "ok");
});

test("writePrivateFile: 0600 file, 0700 new directories, atomic replace", async () => {
  const path = join(dir, "new", "deeper", "file.json");
  await writePrivateFile(path, "one");
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, "new")).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, "new", "deeper")).mode & 0o777, 0o700);
  await writePrivateFile(path, "two");
  assert.deepEqual(readLocalFile(path), { status: "ok", text: "two" });
});
