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

const PURE = [/^text\//, /^probe\/(findings|plan|shape|render|saved-profile)\.ts$/, /^reference\//, /^grammar\//, /^auth\/(challenge|scope|token-response)\.ts$/, /^listing\/(link|tags-body|list-body-stream|ranges|tag-grammar)\.ts$/, /^transport\/retry-after\.ts$/, /^tags\//, /^profiles\//, /^vendor\/(parse|types)\.ts$/, /^network\/(proxy-env|proxy-variables|tls-advice)\.ts$/];
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

// text/safe-text.ts, like errors.ts, imports nothing: main.ts escapes a message without loading the library.
test("nothing outside cli/ imports cli/; cli/ reaches the library only through index.ts", () => {
  assert.deepEqual(
    violations((e) => {
      if (!e.from.startsWith("cli/") && e.to.startsWith("cli/")) return `${e.from} → ${e.to}`;
      if (e.from.startsWith("cli/") && !e.to.startsWith("cli/") && !e.to.startsWith("node:") && !["index.ts", "emulator/index.ts", "errors.ts", "text/safe-text.ts"].includes(e.to)) return `${e.from} → ${e.to}`;
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
      if (e.to.startsWith("listing/") && !/^listing\/(link|tags-body)\.ts$/.test(e.to)) return `${e.from} → ${e.to}`;
      return undefined;
    }),
    [],
  );
});

test("outside probe/, only index.ts imports it (the CLI goes through index.ts)", () => {
  assert.deepEqual(
    violations((e) => (e.to.startsWith("probe/") && !e.from.startsWith("probe/") && !["index.ts"].includes(e.from) ? `${e.from} → ${e.to}` : undefined)),
    [],
  );
});

test("the scan sees the project's imports (guards against a rule that checks nothing)", () => {
  const all = edges();
  assert.ok(all.length > 50);
  assert.ok(all.some((e) => e.from === "pipeline.ts" && e.to === "auth/authenticate.ts"));
  assert.ok(all.some((e) => e.from === "cli/main.ts" && e.to === "cli/ls.ts"));
});
