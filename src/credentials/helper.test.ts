import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { findHelperProgram } from "./helper.js";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "regtags-helper-path-"));
  for (const sub of ["a", "b"]) {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, "docker-credential-x"), "#!/bin/sh\n");
    chmodSync(join(dir, sub, "docker-credential-x"), 0o755);
  }
  writeFileSync(join(dir, "b", "docker-credential-noexec"), "#!/bin/sh\n");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("findHelperProgram: the first absolute PATH entry holding an executable", () => {
  assert.deepEqual(findHelperProgram("docker-credential-x", `${join(dir, "a")}:${join(dir, "b")}`), { path: join(dir, "a", "docker-credential-x") });
  assert.deepEqual(findHelperProgram("docker-credential-noexec", join(dir, "b")), {});
  assert.deepEqual(findHelperProgram("docker-credential-x", undefined), {});
});

test("findHelperProgram: relative and empty entries are skipped, and said why", () => {
  const rel = relative(process.cwd(), join(dir, "a"));
  const found = findHelperProgram("docker-credential-x", `${rel}:${join(dir, "b")}`);
  assert.deepEqual(found, { path: join(dir, "b", "docker-credential-x") });
  const refused = findHelperProgram("docker-credential-x", `${rel}::/nonexistent`);
  assert.equal(refused.path, undefined);
  assert.match(refused.refused ?? "", new RegExp(`^docker-credential-x was found only through the relative PATH entry "${rel.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
});
