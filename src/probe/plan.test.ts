import { test } from "node:test";
import assert from "node:assert/strict";
import { nextSearchSize, type SearchOutcome } from "./plan.js";

test("nextSearchSize over a 350,000-entry history (issue 10, item 6: no Math.min/Math.max(...list))", () => {
  const history: SearchOutcome[] = [{ n: 1_000_000, outcome: "refused" }];
  for (let i = 0; i < 200_000; i++) history.push({ n: 900_000 - i, outcome: "refused" });
  assert.equal(nextSearchSize(history, Infinity), 1000);
  history.push({ n: 500, outcome: "honoured" });
  for (let i = 0; i < 150_000; i++) history.push({ n: 400 - (i % 300), outcome: "honoured" });
  assert.equal(nextSearchSize(history, Infinity), 501);
});
