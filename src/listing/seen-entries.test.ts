/**
 * De-duplication across pages (PAG-8) without a Set while entries ascend
 * (issue 13): on any sequence of pages it must admit exactly what a Set would,
 * in the same order, respect the budget the same way, and give the same
 * partial list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SeenEntries } from "./seen-entries.js";

/** The Set-based admission it replaces (paged-list.ts before issue 13). */
class SetModel {
  readonly seen = new Set<string>();
  admit(entries: readonly string[], holds: (size: number) => boolean): string[] | undefined {
    const fresh: string[] = [];
    for (const entry of entries) {
      if (this.seen.has(entry)) continue;
      this.seen.add(entry);
      fresh.push(entry);
    }
    if (!holds(this.seen.size)) {
      for (const entry of fresh) this.seen.delete(entry);
      return undefined;
    }
    return fresh;
  }
}

const word = fc.stringMatching(/^[a-c0-2._-]{0,4}$/);
/** Pages that ascend, descend, repeat, overlap or are shuffled, in any mix. */
const page = fc.oneof(
  fc.uniqueArray(word, { maxLength: 12 }).map((entries) => entries.sort()),
  fc.uniqueArray(word, { maxLength: 12 }).map((entries) => entries.sort().reverse()),
  fc.array(word, { maxLength: 12 }),
  fc.constant([] as string[]),
);

test("property: admits what a Set would, in the same order, within the same budget, with the same partial list", () => {
  fc.assert(
    fc.property(fc.array(page, { maxLength: 12 }), fc.integer({ min: 0, max: 60 }), fc.array(word, { maxLength: 10 }), (pages, budget, probes) => {
      const seen = new SeenEntries();
      const model = new SetModel();
      const holds = (size: number) => size <= budget;
      for (const entries of pages) {
        const copy = [...entries];
        assert.deepEqual(seen.admit(entries, holds), model.admit(entries, holds));
        assert.deepEqual(entries, copy, "the page is not changed");
        assert.equal(seen.size, model.seen.size);
        assert.deepEqual(seen.list(), [...model.seen]);
        for (const probe of [...probes, ...entries]) assert.equal(seen.has(probe), model.seen.has(probe), probe);
      }
    }),
    { numRuns: 1000 },
  );
});

test("while entries ascend across pages, a page is admitted as it is: no copy, no Set", () => {
  const seen = new SeenEntries();
  const first = ["a", "b", "c"];
  const second = ["d", "e"];
  assert.equal(seen.admit(first, () => true), first);
  assert.equal(seen.admit(second, () => true), second);
  assert.deepEqual(seen.list(), ["a", "b", "c", "d", "e"]);
  // The first entry out of order: duplicates are dropped from then on.
  assert.deepEqual(seen.admit(["e", "b", "f"], () => true), ["f"]);
  assert.deepEqual(seen.list(), ["a", "b", "c", "d", "e", "f"]);
});

test("past the budget nothing of the page is admitted, ascending or not", () => {
  const seen = new SeenEntries();
  assert.deepEqual(seen.admit(["a", "b"], (size) => size <= 3), ["a", "b"]);
  assert.equal(seen.admit(["c", "d"], (size) => size <= 3), undefined);
  assert.deepEqual(seen.list(), ["a", "b"]);
  assert.equal(seen.admit(["b", "c", "d"], (size) => size <= 3), undefined);
  assert.deepEqual([seen.size, seen.list()], [2, ["a", "b"]]);
});
