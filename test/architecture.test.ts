/**
 * The dependency direction of src/ (code-style §4.2), enforced as ggcr's
 * depcheck_test.go does: pure parsers do no I/O, the transport knows nothing
 * of auth or listing, listing never imports auth, the emulator imports only
 * node: modules, and nothing imports the CLI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

interface Edge {
  from: string;
  /** src-relative path for project modules, or the bare specifier. */
  to: string;
  typeOnly: boolean;
}

function edges(): Edge[] {
  const result: Edge[] = [];
  for (const file of sourceFiles(ROOT)) {
    const text = readFileSync(file, "utf8");
    const from = relative(ROOT, file);
    const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;
    for (const match of text.matchAll(pattern)) {
      const specifier = (match[3] ?? match[4])!;
      const typeOnly = match[2] !== undefined;
      const to = specifier.startsWith(".") ? relative(ROOT, resolve(dirname(file), specifier)).replace(/\.js$/, ".ts") : specifier;
      result.push({ from, to, typeOnly });
    }
  }
  return result;
}

const PURE = [/^text\//, /^probe\/(findings|plan|shape|render|saved-profile)\.ts$/, /^reference\//, /^grammar\//, /^auth\/(challenge|scope|token-response)\.ts$/, /^listing\/(link|tags-body|list-body-stream|list-body-runs|ranges|seen-entries|tag-grammar|page-size)\.ts$/, /^transport\/retry-after\.ts$/, /^tags\//, /^profiles\//, /^vendor\/(parse|types)\.ts$/, /^network\/(proxy-env|proxy-variables|tls-advice)\.ts$/];
const IO_MODULES = /^(node:(fs|fs\/promises|child_process|net|http|https|tls|dgram)|undici)$/;

function violations(rule: (edge: Edge) => string | undefined): string[] {
  return edges().map(rule).filter((v): v is string => v !== undefined);
}

test("errors.ts imports nothing", () => {
  assert.deepEqual(violations((e) => (e.from === "errors.ts" ? `${e.from} → ${e.to}` : undefined)), []);
});

// The table of defaults: any layer may read it, so it may depend on none.
test("defaults.ts imports nothing", () => {
  assert.deepEqual(violations((e) => (e.from === "defaults.ts" ? `${e.from} → ${e.to}` : undefined)), []);
});

test("pure modules do no I/O and import only errors.ts, other pure modules and types", () => {
  assert.deepEqual(
    violations((e) => {
      if (!PURE.some((p) => p.test(e.from))) return undefined;
      if (IO_MODULES.test(e.to)) return `${e.from} → ${e.to} (I/O)`;
      const isProjectModule = e.to.endsWith(".ts");
      if (isProjectModule && e.to !== "errors.ts" && !e.typeOnly && !PURE.some((p) => p.test(e.to))) return `${e.from} → ${e.to}`;
      return undefined;
    }),
    [],
  );
});

test("transport/ never imports auth, listing, profiles, credentials, client or cli", () => {
  assert.deepEqual(violations((e) => (e.from.startsWith("transport/") && /^(auth|listing|profiles|credentials|cli|tags)\/|^client\.ts$/.test(e.to) ? `${e.from} → ${e.to}` : undefined)), []);
});

test("auth/ never imports listing, profiles, credentials, client or cli", () => {
  assert.deepEqual(violations((e) => (e.from.startsWith("auth/") && /^(listing|profiles|credentials|cli|tags)\/|^client\.ts$/.test(e.to) ? `${e.from} → ${e.to}` : undefined)), []);
});

test("listing/ never imports auth (it receives an authenticating transport), profiles, credentials or cli", () => {
  assert.deepEqual(
    violations((e) => (e.from.startsWith("listing/") && /^(auth|profiles|credentials|cli)\/|^client\.ts$/.test(e.to) && !e.typeOnly ? `${e.from} → ${e.to}` : undefined)),
    [],
  );
});

test("credentials/ imports auth only for types", () => {
  assert.deepEqual(violations((e) => (e.from.startsWith("credentials/") && e.to.startsWith("auth/") && !e.typeOnly ? `${e.from} → ${e.to}` : undefined)), []);
});

test("the emulator imports only node: modules and itself", () => {
  assert.deepEqual(violations((e) => (e.from.startsWith("emulator/") && !e.to.startsWith("node:") && !e.to.startsWith("emulator/") ? `${e.from} → ${e.to}` : undefined)), []);
});

// The CLI imports the modules it uses, never the index.ts barrel: the barrel loads probe, vendor,
// watch and credentials code a plain `ls` never runs, and start-up pays for every file (issue 13).
test("nothing outside cli/ imports cli/; cli/ never imports the index.ts barrel", () => {
  assert.deepEqual(
    violations((e) => {
      if (!e.from.startsWith("cli/") && e.to.startsWith("cli/")) return `${e.from} → ${e.to}`;
      if (e.from.startsWith("cli/") && e.to === "index.ts") return `${e.from} → ${e.to}`;
      return undefined;
    }),
    [],
  );
});

test("probe/ never imports cli/, emulator/, the client or the auth decorator (it must see raw 401s); only parsers of listing/", () => {
  assert.deepEqual(
    violations((e) => {
      if (!e.from.startsWith("probe/")) return undefined;
      if (/^(cli|emulator|credentials|tags|vendor)\/|^client\.ts$|^index\.ts$/.test(e.to)) return `${e.from} → ${e.to}`;
      if (e.to === "auth/authenticate.ts") return `${e.from} → ${e.to}`;
      if (e.to.startsWith("listing/") && !/^listing\/(link|tags-body|page-size)\.ts$/.test(e.to)) return `${e.from} → ${e.to}`;
      return undefined;
    }),
    [],
  );
});

test("outside probe/, only index.ts and the CLI import it", () => {
  assert.deepEqual(
    violations((e) => (e.to.startsWith("probe/") && !e.from.startsWith("probe/") && !e.from.startsWith("cli/") && e.from !== "index.ts" ? `${e.from} → ${e.to}` : undefined)),
    [],
  );
});

// Registry quirks are data the pipeline chooses by (profiles/); a layer below that reads them
// itself would make a second decision per registry. Types may go anywhere.
test("only the composition root, its options and pipeline, and probe/ read registry profiles", () => {
  assert.deepEqual(
    violations((e) => (e.to.startsWith("profiles/") && !e.typeOnly && !/^(profiles|probe)\/|^(client|pipeline|options)\.ts$/.test(e.from) ? `${e.from} → ${e.to}` : undefined)),
    [],
  );
});

// The vendor tag APIs (Docker Hub, Quay, GitHub) are one client operation (fetchDetails).
test("only the composition root and its pipeline call the vendor APIs (vendor/); others import its types only", () => {
  assert.deepEqual(
    violations((e) => (e.to.startsWith("vendor/") && !e.typeOnly && !/^vendor\/|^(client|pipeline)\.ts$/.test(e.from) ? `${e.from} → ${e.to}` : undefined)),
    [],
  );
});

// "sideEffects": false in package.json promises bundlers that importing a module does nothing but define it.
test("no side-effect imports (import \"x\") in src/", () => {
  const found: string[] = [];
  for (const file of sourceFiles(ROOT)) {
    for (const match of readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) found.push(`${relative(ROOT, file)} → ${match[1]}`);
  }
  assert.deepEqual(found, []);
});

// A library caller gave a bad argument, not a bad command line: InvalidArgumentError (issue 12).
test("UsageError is the CLI's: only cli/ and the watch runner it drives throw it", () => {
  const users = sourceFiles(ROOT)
    .map((file) => relative(ROOT, file))
    .filter((file) => !/^(cli|watch)\/|^errors\.ts$/.test(file) && /\bUsageError\b/.test(readFileSync(join(ROOT, file), "utf8")));
  assert.deepEqual(users, []);
});

test("the scan sees the project's imports (guards against a rule that checks nothing)", () => {
  const all = edges();
  assert.ok(all.length > 50);
  assert.ok(all.some((e) => e.from === "pipeline.ts" && e.to === "auth/authenticate.ts"));
  assert.ok(all.some((e) => e.from === "cli/main.ts" && e.to === "cli/ls.ts"));
  assert.ok(all.some((e) => e.to.startsWith("profiles/") && !e.typeOnly));
  assert.ok(all.some((e) => e.to.startsWith("vendor/") && !e.typeOnly && !e.from.startsWith("vendor/")));
  assert.ok(all.some((e) => e.to.startsWith("vendor/") && e.typeOnly && e.from.startsWith("cli/")), "a type-only import is seen as one");
});
