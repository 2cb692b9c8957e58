/**
 * Start-up (issue 13): a plain listing loads only what it runs. The CLI runs
 * as users run it, in a child process, with a module-load hook that records
 * every file it imports and, at exit, every node: builtin it loaded; the
 * listing goes over plain http to the emulator under a name regtags has no
 * profile for. Times are the bench's business; this test pins what is loaded.
 * Then the `regtags` executable itself (package.json `bin`, a CommonJS stub):
 * `--version` without node's ES module loader, everything else through
 * main.js, from the esbuild bundle in the package.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { CLI_PATH, NOWHERE } from "../helpers/run-cli.js";

/** The executable as the test build has it (build/src/cli/bin.cjs: no bundle there, so it runs main.js). */
const BIN_PATH = CLI_PATH.replace(/main\.js$/, "bin.cjs");
/** The package's own root (build/test/cli/ → ../../../), whose dist/ `npm run build` fills. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const TAGS = ["1.0.0", "1.1.0", "2.0.0", "latest"];
const dir = mkdtempSync(join(tmpdir(), "regtags-startup-"));
let emulator: Emulator;

// Lists node's builtins at exit (CommonJS, so it starts no ES module loader of its own).
const BUILTINS_AT_EXIT = `process.on("exit", () => require("node:fs").writeFileSync(process.env.REGTAGS_TEST_LOAD_LOG, process.moduleLoadList.join("\\n")));
`;

// The hook thread and the CLI's exit handler append to the log named by REGTAGS_TEST_LOAD_LOG.
const HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.REGTAGS_TEST_LOAD_LOG, "file " + url + "\\n");
  return next(url, context);
}
`;
const TRACKER = `import { register } from "node:module";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
register("./hooks.mjs", import.meta.url);
process.on("exit", () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => "builtin " + m.slice(13));
  const required = Object.keys(createRequire(import.meta.url).cache).map((path) => "file " + path);
  appendFileSync(process.env.REGTAGS_TEST_LOAD_LOG, [...builtins, ...required].join("\\n") + "\\n");
});
`;

before(async () => {
  writeFileSync(join(dir, "hooks.mjs"), HOOKS);
  writeFileSync(join(dir, "tracker.mjs"), TRACKER);
  writeFileSync(join(dir, "builtins.cjs"), BUILTINS_AT_EXIT);
  emulator = await startEmulator({ profiles: ["distribution-3.1.0"], repositories: { "team/app": { tags: TAGS } } });
});

after(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  readonly code: number | null;
  readonly stdout: string;
  readonly files: string[];
  readonly builtins: Set<string>;
}

let runs = 0;
/** Runs the CLI with the tracker; what it printed and what it loaded. */
function runTracked(args: readonly string[], cli = CLI_PATH): Promise<Loaded> {
  const log = join(dir, `loads-${++runs}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(join(dir, "tracker.mjs")).href, cli, ...args], {
      env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE, REGTAGS_TEST_LOAD_LOG: log },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const lines = readFileSync(log, "utf8").split("\n");
      resolve({
        code,
        stdout,
        files: lines.filter((line) => line.startsWith("file ")).map((line) => line.slice(5)),
        builtins: new Set(lines.filter((line) => line.startsWith("builtin ")).map((line) => line.slice(8))),
      });
    });
  });
}

const lsArgs = () => {
  const url = emulator.get("distribution-3.1.0").url;
  return ["ls", "--endpoint", `registry.example.test=${url}`, "registry.example.test/team/app"];
};

test("a plain listing over http loads no semver, https/tls, crypto, child_process, vendor, probe, watch or emulator code, nor the index.js barrel", async () => {
  const run = await runTracked(lsArgs());
  assert.equal(run.code, 0);
  assert.deepEqual(run.stdout.trim().split("\n"), TAGS);
  for (const builtin of ["https", "tls", "crypto", "child_process", "readline"]) assert.ok(!run.builtins.has(builtin), `node:${builtin} loaded`);
  const unwanted = run.files.filter((file) => /\/semver\/|\/src\/(vendor\/fetch-details|probe\/probe|watch\/|emulator\/|index\.js$)/.test(file));
  assert.deepEqual(unwanted, []);
  // The tracker sees the listing's own modules (guards against a check that sees nothing).
  assert.ok(run.files.some((file) => file.endsWith("/src/cli/ls.js")) && run.builtins.has("http"));
});

test("a --version-range loads semver, when it is given", async () => {
  const run = await runTracked([...lsArgs().slice(0, -1), "--version-range", ">=1.1", "registry.example.test/team/app"]);
  assert.equal(run.code, 0);
  assert.deepEqual(run.stdout.trim().split("\n"), ["1.1.0", "2.0.0"]);
  assert.ok(run.files.some((file) => /\/semver\/classes\/range\.js$/.test(file)), "semver not loaded for --version-range");
});

/** Runs `node [--require builtins.cjs] CLI args`: exit code, output, and node's module load list at exit. */
function runWithBuiltins(cli: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string; loaded: string[] } {
  const log = join(dir, `builtins-${++runs}.txt`);
  const child = spawnSync(process.execPath, ["--require", join(dir, "builtins.cjs"), cli, ...args], {
    env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE, XDG_RUNTIME_DIR: NOWHERE, XDG_CONFIG_HOME: NOWHERE, REGTAGS_TEST_LOAD_LOG: log },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr, loaded: readFileSync(log, "utf8").split("\n") };
}

const ESM_LOADER = "NativeModule internal/modules/esm/loader";
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

test("regtags --version answers from the CommonJS executable without starting node's ES module loader", () => {
  // dist/, as packaged: the version comes from the package.json two levels up.
  const bin = runWithBuiltins(join(PACKAGE_ROOT, "dist/cli/bin.cjs"), ["--version"]);
  assert.equal(bin.code, 0);
  assert.equal(bin.stdout, `regtags ${VERSION}\n`);
  assert.ok(!bin.loaded.includes(ESM_LOADER), "the ES module loader started for --version");
  // main.js, an ES module, gives the same answer and does start it (the check can see it).
  const main = runWithBuiltins(join(PACKAGE_ROOT, "dist/cli/main.js"), ["--version"]);
  assert.equal(main.stdout, bin.stdout);
  assert.ok(main.loaded.includes(ESM_LOADER));
});

test("every other command goes through main.js: its exit codes and one-line errors", async () => {
  const unknown = runWithBuiltins(BIN_PATH, ["lsx"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^regtags: unknown command "lsx"; did you mean "ls"\? \(regtags --help lists the commands\)\n$/);
  const run = await runTracked(lsArgs(), BIN_PATH);
  assert.equal(run.code, 0);
  assert.deepEqual(run.stdout.trim().split("\n"), TAGS);
});

test("the package's executable (package.json bin) runs the esbuild bundle, not dist/cli's modules", async () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  const bin = join(PACKAGE_ROOT, pkg.bin["regtags"] as string);
  assert.ok(existsSync(join(PACKAGE_ROOT, "dist/bundle/main.js")), "dist/bundle/main.js is missing: run npm run build (npm test does)");
  const run = await runTracked(lsArgs(), bin);
  assert.equal(run.code, 0);
  assert.deepEqual(run.stdout.trim().split("\n"), TAGS);
  const ours = run.files.filter((file) => file.startsWith(pathToFileURL(join(PACKAGE_ROOT, "dist")).href));
  assert.ok(ours.some((file) => file.includes("/dist/bundle/main.js")), "the bundle did not run");
  assert.deepEqual(ours.filter((file) => !file.includes("/dist/bundle/") && file !== pathToFileURL(bin).href), []);
  // A whole listing in a handful of chunks (about 80 modules unbundled).
  assert.ok(ours.length < 30, `${ours.length} files loaded`);
});
