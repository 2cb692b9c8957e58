/**
 * The tags folder is pure (code-style §4.2): its modules import only
 * `../errors.js`, each other and the `semver` package; never `node:` modules
 * (but node:module's createRequire, which loads semver at the first range
 * instead of at start-up, issue 13), the network or the file system. This
 * test reads the compiled modules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const ALLOWED = [/^\.\/[a-z-]+\.js$/, /^\.\.\/errors\.js$/, /^semver\/classes\/[a-z]+\.js$/, /^node:module$/];

test("src/tags imports only ../errors.js, its own modules and semver", () => {
  const modules = readdirSync(here).filter((name) => name.endsWith(".js") && !name.endsWith(".test.js"));
  assert.ok(modules.includes("index.js") && modules.includes("version.js"), `compiled modules not found in ${here}`);
  for (const name of modules) {
    // Statements start at column 0 in tsc's output; comments never do.
    const source = readFileSync(`${here}${name}`, "utf8");
    const specifiers = [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
    for (const specifier of specifiers) {
      assert.ok(ALLOWED.some((allowed) => allowed.test(specifier)), `${name} imports ${specifier}`);
    }
    assert.doesNotMatch(source, /\brequire\(|\bfetch\(|process\./, `${name} reaches outside`);
    // What createRequire loads: semver, nothing else.
    for (const [, required] of source.matchAll(/\brequireFromHere\(\s*([^)]*)\)/g)) assert.match(required!, /^["']semver\/classes\/[a-z]+\.js["']$/, `${name} requires ${required}`);
    if (/\bcreateRequire\b/.test(source)) assert.match(source, /const requireFromHere = createRequire\(import\.meta\.url\)/, `${name} uses createRequire otherwise`);
  }
});
