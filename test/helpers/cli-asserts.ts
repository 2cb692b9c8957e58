/** Assertions on a finished CLI run (see run-cli.ts), shared by the tests of tag-choosing commands. */
import assert from "node:assert/strict";
import type { CliResult } from "./run-cli.js";

/** Asserts exit 0 and an empty stderr; returns stdout. */
export function ok(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}, stderr:\n${result.stderr}`);
  assert.equal(result.stderr, "", "nothing on stderr");
  return result.stdout;
}

/** Asserts the exit code, no stdout, and one line on stderr matching `line`. */
export function fails(result: CliResult, code: number, line: RegExp): void {
  assert.equal(result.code, code, `exit ${result.code}, stderr:\n${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^regtags: [^\n]+\n$/, "one line on stderr");
  assert.match(result.stderr, line);
}
