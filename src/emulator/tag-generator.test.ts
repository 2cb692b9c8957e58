/**
 * The tag generator, default repositories and profile descriptions: deterministic,
 * unique, valid tags of the advertised shapes; every built-in profile cites a source
 * and describes itself.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinProfiles, defaultRepositories, describeProfile, generateTags } from "./index.js";

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/; // REF-2

test("generateTags is deterministic, unique and valid, and ends with latest", () => {
  const tags = generateTags(5000, 3);
  assert.deepEqual(generateTags(5000, 3), tags);
  assert.notDeepEqual(generateTags(5000, 4), tags);
  assert.equal(new Set(tags).size, 5000);
  assert.ok(tags.every((tag) => TAG.test(tag)));
  assert.equal(tags.at(-1), "latest");
  assert.deepEqual(generateTags(0), []);
  assert.deepEqual(generateTags(1), ["latest"]);
  assert.throws(() => generateTags(-1), RangeError);
});

test("generateTags mixes the advertised shapes", () => {
  const tags = generateTags(2000, 1);
  const shapes: Record<string, RegExp> = {
    semver: /^\d+\.\d+\.\d+$/,
    vsemver: /^v\d+\.\d+\.\d+$/,
    linuxserver: /^\d+\.\d+\.\d+-ls\d+$/,
    archVersion: /^(amd64|arm64v8|arm32v7)-version-\d+\.\d+\.\d+$/,
    distro: /^\d+\.\d+-(alpine|slim)/,
    sha: /^[0-9a-f]{40}$/,
    date: /^20\d\d\.\d{1,2}\.\d{1,2}$/,
  };
  for (const [shape, re] of Object.entries(shapes)) assert.ok(tags.some((t) => re.test(t)), shape);
});

test("default repositories have the documented sizes and the field report's tags", () => {
  const repos = defaultRepositories();
  const size = (name: string) => repos[name]?.tags.length ?? -1;
  assert.ok(size("library/ubuntu") >= 110 && size("library/ubuntu") <= 130);
  assert.ok(size("linuxserver/hedgedoc") >= 440 && size("linuxserver/hedgedoc") <= 460);
  assert.ok(size("ansible/creator-ee") >= 125 && size("ansible/creator-ee") <= 135);
  assert.equal(size("empty/repo"), 0);
  assert.equal(size("private/repo"), 30);
  assert.equal(repos["private/repo"]?.private, true);
  assert.equal(size("big/repo"), 10_000);
  const hedgedoc = repos["linuxserver/hedgedoc"]?.tags ?? [];
  for (const tag of ["amd64-1.7.0-ls1", "amd64-version-1.8.1", "arm32v7-1.9.1", "1.9.3-ls56", "1.9.5-ls73"]) assert.ok(hedgedoc.includes(tag), tag);
  for (const [name, spec] of Object.entries(repos)) {
    assert.equal(new Set(spec.tags).size, spec.tags.length, `${name} unique`);
    assert.ok(spec.tags.every((tag) => TAG.test(tag)), `${name} valid`);
  }
});

test("every built-in profile cites a source and describes itself", () => {
  for (const [id, profile] of Object.entries(builtinProfiles)) {
    assert.equal(profile.id, id);
    assert.ok(profile.source.length > 0, `${id} source`);
    const lines = describeProfile(profile);
    assert.ok(lines.length >= 4 && lines[0]?.startsWith(`${id}: `), id);
    assert.ok(lines.some((line) => line.startsWith("source: ")));
  }
});
