import { test } from "node:test";
import assert from "node:assert/strict";
import { fetchTagDetails } from "./fetch-details.js";
import { IncompleteListError } from "../errors.js";
import type { TraceEvent } from "../transport/trace.js";
import type { TransportRequest } from "../transport/types.js";
import { fakeResponse } from "../../test/helpers/fake-response.js";

/** Quay pages that never end: 100 fresh names each, two of them not tags. */
function endlessQuay(requests: TransportRequest[]) {
  return async (req: TransportRequest) => {
    requests.push(req);
    const page = Number(req.url.searchParams.get("page"));
    const tags = Array.from({ length: 100 }, (_, i) => ({ name: i < 2 ? `bad\u001b${page}-${i}` : `t${page}-${i}` }));
    return fakeResponse(200, {}, JSON.stringify({ tags, page, has_additional: true }), req.url.href);
  };
}

test("a vendor listing whose pages never end stops at the listing budget, with one warning for the dropped names", async () => {
  const requests: TransportRequest[] = [];
  const events: TraceEvent[] = [];
  const pages = fetchTagDetails(endlessQuay(requests), {
    api: "quay",
    base: new URL("https://quay.example"),
    repository: "ns/app",
    subject: "quay.example/ns/app",
    maxPages: 100_000,
    budget: { maxEntries: 1000, maxBytes: 2 ** 30 },
    onTrace: (e) => events.push(e),
  });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const page of pages) for (const d of page) seen.push(d.tag);
    })(),
    (e: unknown) => e instanceof IncompleteListError && /^quay\.example\/ns\/app \(quay tags API\): stopped at the listing's budget of 1000 tags/.test(e.message),
  );
  assert.equal(seen.length, 980); // ten pages of 98 tags; the eleventh passes the budget
  assert.equal(requests.length, 11);
  assert.deepEqual(
    events.map((e) => e.type === "warning" && e.message),
    [`quay.example/ns/app: dropped 22 entries of the quay tags API that are not tags by the distribution spec's grammar ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}); they are not listed`],
  );
});
