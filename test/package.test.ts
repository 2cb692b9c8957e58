/**
 * The npm package as users get it (issue 12): `npm pack` of the built tree
 * holds exactly the compiled library, its declarations, README, LICENSE and
 * package.json (no tests, no build/, no source maps without their sources),
 * and the tarball, installed into an empty directory, works from ESM import,
 * CommonJS require (Node's require(esm), hence engines >= 20.19) and as the
 * regtags command. npm runs with --ignore-scripts: `npm test` built dist/ first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** What the package must hold: for each library module under src/ (tests excluded), its .js and .d.ts in dist/. */
function expectedFiles(): string[] {
  const files = ["LICENSE", "README.md", "package.json"];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".cts")) {
        // The CommonJS executable stub (src/cli/bin.cts).
        const module = relative(join(ROOT, "src"), path).replace(/\.cts$/, "");
        files.push(`dist/${module}.cjs`, `dist/${module}.d.cts`);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const module = relative(join(ROOT, "src"), path).replace(/\.ts$/, "");
        files.push(`dist/${module}.js`, `dist/${module}.d.ts`);
      }
    }
  };
  walk(join(ROOT, "src"));
  // The CLI's code-split bundle (scripts/bundle-cli.mjs): chunk names carry content hashes, so they are read from the build.
  for (const name of readdirSync(join(ROOT, "dist", "bundle"))) if (name.endsWith(".js")) files.push(`dist/bundle/${name}`);
  return files.sort();
}

test("npm pack: the tarball holds the compiled library, its declarations, README, LICENSE and package.json, and it works installed", { timeout: 120_000 }, async () => {
  const scratch = mkdtempSync(join(tmpdir(), "regtags-package-"));
  try {
    const env = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
    const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((file) => file.path).sort();
    assert.deepEqual(files, expectedFiles());
    assert.ok(!files.some((path) => path.endsWith(".map") || /\.test\.|^build\/|^test\/|^bench\//.test(path)), "no maps, tests, build/ or bench/");

    // Installed as npm would: the tarball's package/ as node_modules/regtags, its one dependency beside it.
    const modules = join(scratch, "app", "node_modules");
    mkdirSync(modules, { recursive: true });
    await run("tar", ["-xzf", join(scratch, packed!.filename), "-C", scratch]);
    renameSync(join(scratch, "package"), join(modules, "regtags"));
    symlinkSync(dirname(createRequire(import.meta.url).resolve("semver/package.json")), join(modules, "semver"), "dir");
    const app = join(scratch, "app");

    writeFileSync(join(app, "use.cjs"), `const { createClient, parseReference, isRegtagsError } = require("regtags");
const client = createClient();
console.log(JSON.stringify({ name: parseReference("ubuntu").name, client: typeof client.listTags, guard: typeof isRegtagsError }));
client.close();
`);
    const required = await run(process.execPath, ["use.cjs"], { cwd: app });
    assert.deepEqual(JSON.parse(required.stdout), { name: "docker.io/library/ubuntu", client: "function", guard: "function" });
    assert.equal(required.stderr, "", "require(esm) without a warning");

    writeFileSync(join(app, "use.mjs"), `import { parseReference } from "regtags";
import { startEmulator } from "regtags/emulator";
console.log(JSON.stringify({ name: parseReference("ghcr.io/a/b:1").name, emulator: typeof startEmulator }));
`);
    const imported = await run(process.execPath, ["use.mjs"], { cwd: app });
    assert.deepEqual(JSON.parse(imported.stdout), { name: "ghcr.io/a/b", emulator: "function" });

    const bin = (JSON.parse(readFileSync(join(modules, "regtags", "package.json"), "utf8")) as { bin: { regtags: string } }).bin.regtags;
    const help = await run(process.execPath, [join(modules, "regtags", bin), "ls", "--help"], { cwd: app });
    assert.match(help.stdout, /--page-size/, "the bundled command runs from the installed package");
    const cli = await run(process.execPath, [join(modules, "regtags", bin), "--version"], { cwd: app });
    assert.equal(cli.stdout, `regtags ${(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("package.json: license with its text, repository, homepage, bugs, keywords, and the engines require(esm) needs", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(pkg["license"], "Apache-2.0");
  assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  assert.deepEqual(pkg["repository"], { type: "git", url: "git+https://github.com/regtags/regtags.git" });
  assert.equal(pkg["homepage"], "https://github.com/regtags/regtags#readme");
  assert.deepEqual(pkg["bugs"], { url: "https://github.com/regtags/regtags/issues" });
  assert.ok(Array.isArray(pkg["keywords"]) && pkg["keywords"].includes("oci"));
  // require() of an ES module works without a flag from Node 20.19 (and 22.12).
  assert.deepEqual(pkg["engines"], { node: ">=20.19.0" });
});
