/**
 * The tag grammar filter (issue 10, "Tags are tags"), wherever tags enter:
 * tags pages (streamed and whole-body), and the vendor APIs' pages. Valid
 * tags are kept in the server's order; nothing outside the grammar is ever
 * kept; every dropped entry is counted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isTag } from "./tag-grammar.js";
import { ListBodyParser } from "./list-body-stream.js";
import { parseTagsBody } from "./tags-body.js";
import { parseDockerHubTagsPage, parseGitHubVersionsPage, parseQuayTagsPage } from "../vendor/parse.js";

/** The spec's grammar, spelt independently of the code under test. */
const SPEC = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const validTag = fc.stringMatching(SPEC);
/** What hostile servers send: controls, escapes, bidi overrides, colons, long runs, empty strings. */
const hostileTag = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", "-lead", ".lead", "\u001b[31mred", "a\r\nb", "nul\u0000", "c1\u0085", "\u202eevil", "a b", "sha256:abc", "ä"),
  fc.tuple(validTag, fc.constantFrom("\n", "\u0007", "\u009b", "\u2066", "/", "+")).map(([t, bad]) => t + bad),
  fc.integer({ min: 129, max: 2000 }).map((n) => "t".repeat(n)),
);
const mixed = fc.array(fc.oneof(validTag, hostileTag), { maxLength: 60 });

function streamed(tags: readonly string[], size: number) {
  const bytes = Buffer.from(JSON.stringify({ tags }));
  const parser = new ListBodyParser("tags", "w");
  for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size));
  return parser.end();
}

test("isTag agrees with the spec's grammar", () => {
  fc.assert(fc.property(fc.oneof(validTag, hostileTag), (text) => isTag(text) === SPEC.test(text)), { numRuns: 1000 });
  assert.equal(isTag("t".repeat(128)), true);
  assert.equal(isTag("t".repeat(129)), false);
});

test("property: tags pages keep the valid tags in order, never an invalid one, and count the rest", () => {
  fc.assert(
    fc.property(mixed, fc.integer({ min: 1, max: 64 }), (tags, size) => {
      const expected = tags.filter((t) => SPEC.test(t));
      const body = streamed(tags, size);
      assert.deepEqual(body.entries, expected);
      assert.equal(body.invalidEntries.length + body.oversizeEntries + body.digestEntries, tags.length - expected.length);
      for (const kept of body.invalidEntries) assert.ok(!SPEC.test(kept));
      assert.equal(body.lastEntry, tags.length === 0 ? undefined : tags.at(-1)!.length > 768 ? undefined : tags.at(-1));
      const whole = parseTagsBody(JSON.stringify({ tags }), "w");
      assert.deepEqual(whole.tags, expected);
      assert.equal(whole.invalidEntries + whole.digestEntries, tags.length - expected.length);
    }),
    { numRuns: 300 },
  );
});

test("property: vendor pages (Docker Hub, Quay, GitHub) keep only valid tags, in order, and count the rest", () => {
  const url = new URL("https://api.example/x?page=1");
  fc.assert(
    fc.property(mixed, (tags) => {
      const expected = tags.filter((t) => SPEC.test(t));
      const nonEmpty = tags.filter((t) => t !== "").length; // an empty name is no entry at all, as before
      const hub = parseDockerHubTagsPage(JSON.stringify({ results: tags.map((name) => ({ name })) }), url, "w");
      const quay = parseQuayTagsPage(JSON.stringify({ tags: tags.map((name) => ({ name })) }), url, "w");
      const github = parseGitHubVersionsPage(JSON.stringify([{ name: "sha256:1", metadata: { container: { tags } } }]), undefined, "w");
      for (const page of [hub, quay, github]) {
        assert.deepEqual(page.details.map((d) => d.tag), expected);
        assert.equal(page.dropped, nonEmpty - expected.length);
      }
    }),
    { numRuns: 200 },
  );
});
