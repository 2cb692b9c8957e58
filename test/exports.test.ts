/**
 * The package as users import it: by name, through package.json "exports"
 * (resolved to dist/), so a broken exports map or a missing export fails CI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as regtags from "regtags";
import * as emulator from "regtags/emulator";
import { createRequire } from "node:module";

/** The library API and nothing else (issue 12): CLI helpers stay internal. Adding an export means adding it here. */
const PUBLIC_VALUES = [
  "AbortedError",
  "AuthError",
  "CredentialsError",
  "ENV_CREDENTIAL_RULES",
  "IncompleteListError",
  "InvalidArgumentError",
  "InvalidReferenceError",
  "NetworkError",
  "NoMatchError",
  "ProtocolError",
  "RateLimitError",
  "RegistryError",
  "RegtagsError",
  "SORT_ORDERS",
  "VERSION_SCHEMES",
  "applyFilter",
  "compareVersions",
  "compileFilter",
  "createClient",
  "createCredentialResolver",
  "createProber",
  "explainCredentials",
  "explainLatest",
  "explainNetwork",
  "familyVariant",
  "formatCredentialReport",
  "formatNetworkReport",
  "formatReference",
  "hintsFromProfile",
  "isDigestTag",
  "isRegtagsError",
  "latestTag",
  "newerTags",
  "parseReference",
  "parseRegistryName",
  "parseVersion",
  "probeRegistry",
  "sortTags",
  "systemClock",
];

test("regtags exports exactly the library API: no CLI helpers (tables, saved-profile files, watch state, escapers, UsageError)", () => {
  assert.deepEqual(Object.keys(regtags).sort(), PUBLIC_VALUES);
  assert.deepEqual(Object.keys(emulator).sort(), ["VirtualClock", "builtinProfiles", "defaultRepositories", "describeProfile", "digestOf", "generateTags", "startEmulator"]);
});

test("regtags exports the client, the reference parser and typed errors", () => {
  for (const name of ["createClient", "parseReference", "isRegtagsError", "RegtagsError", "InvalidReferenceError", "AuthError", "RegistryError", "IncompleteListError"]) {
    assert.equal(typeof (regtags as Record<string, unknown>)[name], "function", name);
  }
  const ref = regtags.parseReference("ubuntu");
  assert.equal(ref.name, "docker.io/library/ubuntu");
});

test("regtags/emulator exports the emulator", () => {
  assert.equal(typeof emulator.startEmulator, "function");
  assert.ok(Object.keys(emulator.builtinProfiles).includes("quay-2023"));
});

test("an error from the emulator's copy or the library's copy is recognised by either isRegtagsError", async () => {
  const { isRegtagsError: fromBuild } = await import("../src/errors.js");
  try {
    regtags.parseReference("team/UPPER");
    assert.fail("should throw");
  } catch (error) {
    assert.ok(fromBuild(error), "brand survives across copies");
  }
});

test("package.json bin points at the built CLI", () => {
  const pkg = createRequire(import.meta.url)("regtags/package.json") as { bin: Record<string, string> };
  assert.equal(pkg.bin["regtags"], "./dist/cli/bin.cjs");
});

test("import \"regtags\" loads no CLI, probe table, saved-profile files, watch or emulator module", async () => {
  const { spawnSync } = await import("node:child_process");
  // A resolve hook that names every module of the package the import loads.
  const hook = `data:text/javascript,${encodeURIComponent('export async function resolve(s, c, n) { const r = await n(s, c); if (r.url.includes("/dist/")) process.stderr.write("LOADED " + r.url + "\\n"); return r; }')}`;
  const child = spawnSync(process.execPath, ["--no-warnings", "--experimental-loader", hook, "--input-type=module", "-e", 'await import("regtags")'], { encoding: "utf8", timeout: 30_000, cwd: new URL("../..", import.meta.url) });
  assert.equal(child.status, 0, child.stderr);
  const loaded = child.stderr.split("\n").filter((line) => line.startsWith("LOADED ")).map((line) => line.slice("LOADED ".length));
  assert.ok(loaded.some((url) => url.endsWith("/dist/index.js")), `the hook saw the import: ${child.stderr.slice(0, 500)}`);
  const unwanted = loaded.filter((url) => /\/dist\/(cli|watch|emulator)\/|\/dist\/probe\/(render|saved)\.js$/.test(url));
  assert.deepEqual(unwanted, []);
});
