/**
 * Property tests for the pure parsers (code-style §4.7): on any input each
 * parser returns or throws a regtags error, never anything else (CH-11), and
 * formatters round-trip through their parsers.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatReference, isLoopbackRegistry, parseReference } from "./reference/reference.js";
import { parseChallenges, pickChallenge } from "./auth/challenge.js";
import { type Scope, formatScope, parseScope, parseScopeList } from "./auth/scope.js";
import { findNextLink, parseLinkHeader } from "./listing/link.js";
import { returnsOrThrowsTyped } from "../test/helpers/typed-errors.js";

const RUNS = 300;

const parsers: Array<[string, (input: string) => unknown]> = [
  ["parseReference", parseReference],
  ["isLoopbackRegistry", isLoopbackRegistry],
  ["parseChallenges", (s) => pickChallenge(parseChallenges(s))],
  ["parseChallenges (array)", (s) => parseChallenges(s.split("\n"))],
  ["parseScope", parseScope],
  ["parseScopeList", parseScopeList],
  ["parseLinkHeader", parseLinkHeader],
  ["findNextLink", (s) => findNextLink(s, "https://r.example/v2/x/tags/list?n=2")],
];

/** Characters that matter to the grammars, so random strings reach deep states. */
const syntaxChar = fc.constantFrom(..."aZ0:/@.-_=,;\"\\<> \t()*[]%?#".split(""));
const inputs = {
  ascii: fc.string({ maxLength: 200 }),
  unicode: fc.string({ unit: "binary", maxLength: 200 }),
  syntax: fc.string({ unit: syntaxChar, maxLength: 200 }),
  // Long inputs are built by repetition: generating 100k random chars per run is slow.
  long: fc
    .tuple(fc.string({ unit: syntaxChar, minLength: 1, maxLength: 8 }), fc.integer({ min: 1_000, max: 100_000 }), fc.string({ maxLength: 4 }))
    .map(([unit, length, tail]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail),
};

describe("parsers return or throw a regtags error", () => {
  for (const [name, parse] of parsers) {
    for (const [kind, arbitrary] of Object.entries(inputs)) {
      test(`${name}: ${kind} strings`, () => {
        fc.assert(
          fc.property(arbitrary, (input) => returnsOrThrowsTyped(() => parse(input))),
          { numRuns: kind === "long" ? 40 : RUNS },
        );
      });
    }
  }
});

const lowerAlnum = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")), minLength: 1, maxLength: 6 });
const separator = fc.constantFrom(".", "_", "__", "-", "--");
/** REF-1 path-component `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`. */
const component = fc
  .tuple(lowerAlnum, fc.array(fc.tuple(separator, lowerAlnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(""));
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const registry = fc.constantFrom("docker.io", "index.docker.io", "ghcr.io", "localhost", "localhost:5000", "127.0.0.1:5000", "[fc00::1]:5000", "a-b.example.com:443", "Upper");
const tag = fc
  .tuple(fc.constantFrom("a", "Z", "0", "_"), fc.string({ unit: fc.constantFrom(..."aZ09._-".split("")), maxLength: 20 }))
  .map(([first, rest]) => first + rest);
const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef".split("")), minLength: length, maxLength: length });
const digest = fc.oneof(hex(64).map((h) => `sha256:${h}`), hex(128).map((h) => `sha512:${h}`));
const reference = fc
  .tuple(fc.option(registry, { nil: undefined }), path, fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
  // Without a registry only one component: a first component like "a_b.c" would be read as an (invalid) host (REF-3).
  .map(([r, p, t, d]) => `${r === undefined ? p.split("/")[0] : `${r}/${p}`}${t === undefined ? "" : `:${t}`}${d === undefined ? "" : `@${d}`}`);

describe("round trips", () => {
  test("formatReference(parseReference(x)) re-parses to the same value", () => {
    fc.assert(
      fc.property(reference, (input) => {
        const ref = parseReference(input);
        assert.deepEqual(parseReference(formatReference(ref)), ref);
        assert.equal(ref.name, `${ref.registry}/${ref.repository}`);
      }),
      { numRuns: RUNS },
    );
  });

  const scopeName = fc.string({ unit: fc.constantFrom(..."ab09/:._-[]".split("")), minLength: 1, maxLength: 30 });
  const scopeType = fc.string({ unit: fc.constantFrom(..."az09".split("")), minLength: 1, maxLength: 10 });
  const action = fc.oneof(fc.constant("*"), fc.string({ unit: fc.constantFrom(..."abz_-".split("")), minLength: 1, maxLength: 8 }));
  const scope: fc.Arbitrary<Scope> = fc
    .tuple(scopeType, fc.option(scopeType, { nil: undefined }), scopeName, fc.array(action, { maxLength: 4 }))
    .map(([type, resourceClass, name, actions]) => ({ type, ...(resourceClass === undefined ? {} : { resourceClass }), name, actions }));

  test("parseScope(formatScope(s)) equals s", () => {
    fc.assert(
      fc.property(scope, (s) => {
        assert.deepEqual(parseScope(formatScope(s)), s);
      }),
      { numRuns: RUNS },
    );
  });
  test("parseScopeList of joined scopes equals the scopes", () => {
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 5 }), (list) => {
        assert.deepEqual(parseScopeList(list.map(formatScope).join(" ")), list);
      }),
      { numRuns: RUNS },
    );
  });

  const quoted = fc.string({ unit: "binary", maxLength: 30 }).map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  test("a bearer challenge's quoted values come back unescaped", () => {
    fc.assert(
      fc.property(quoted, quoted, (realm, service) => {
        const [c] = parseChallenges(`Bearer realm=${realm}, service=${service}`);
        const unquote = (q: string): string => q.slice(1, -1).replace(/\\([\\"])/g, "$1");
        assert.equal(c?.params["realm"], unquote(realm));
        assert.equal(c?.params["service"], unquote(service));
      }),
      { numRuns: RUNS },
    );
  });
});
