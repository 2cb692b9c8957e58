/** Assertions shared by the parsers' property tests. */
import assert from "node:assert/strict";
import { isRegtagsError } from "../../src/errors.js";

/** Calls `fn`; an exception must be a regtags error (CH-11 and its kin: parsers throw only typed errors). */
export function returnsOrThrowsTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isRegtagsError(e), `threw a non-regtags error: ${String(e)}`);
  }
}
