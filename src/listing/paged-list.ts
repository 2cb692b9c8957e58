/**
 * Walks a paginated list of the distribution API — `tags/list` and
 * `_catalog` (PAG-1..PAG-10, CAT-1) — page by page. It receives a transport
 * that already authenticates, so it never deals with tokens.
 *
 * - The next page is the `rel="next"` Link as given, resolved against the URL
 *   that answered (PAG-3; quay's opaque `next_page`), except its `n`: a link
 *   with a plain `last=` cursor and `n=0` or no `n` is asked with our `n`
 *   (page-size.ts, below).
 * - The list ends when there is no next link (PAG-4), whatever the page size.
 * - Entries are de-duplicated across pages in the server's order (PAG-8).
 * - Tags outside the distribution spec's grammar are dropped as they are
 *   parsed (tag-grammar.ts), with one warning per listing saying how many. A
 *   dropped tag keeps its place as a `last` cursor, and a page whose only news
 *   is dropped entries is still progress, not a loop.
 * - The whole listing has a budget of entries and bytes (budget.ts): past it,
 *   an IncompleteListError, never an out-of-memory crash.
 * - A next link from https to http is refused, as the same redirect is.
 * - A repeated URL, a page with nothing new, a `last` cursor that goes
 *   backwards on a list sorted by name, or the page cap stops the walk with an
 *   IncompleteListError carrying the partial list (PAG-9): skopeo loops
 *   forever on such servers.
 * - A page whose body breaks off (a reset or a timeout mid-body, after the
 *   transport's retries are behind us) is asked for again, a bounded number of
 *   times: nothing was yielded from it, so nothing is lost or repeated.
 * - The page size (page-size.ts): a refused `n` (PAG-7) is asked again
 *   smaller; with `learnPageSize` the walk starts large and grows on full
 *   pages; a link with a plain `last=` cursor and `n=0` or no `n` is asked
 *   with our `n`. What a host showed is remembered in `pageSizes`.
 * - With `parallel` > 1, a list the registry sorts by name and pages by
 *   `last` is fetched in concurrent ranges (ranges.ts) after the first page;
 *   a probe sent with the first wave must confirm the registry honours any
 *   `last` before anything the ranges bring is used; on any surprise
 *   the walk goes on link by link from where it was.
 */
import { IncompleteListError, ProtocolError, type RegtagsError } from "../errors.js";
import { errorFromResponse } from "../transport/registry-error.js";
import { retryability } from "../transport/retry.js";
import { redactUrl, type TraceListener } from "../transport/trace.js";
import type { Transport, TransportRequest, TransportResponse } from "../transport/types.js";
import { BudgetMeter, DEFAULT_LISTING_BUDGET, type ListingBudget } from "./budget.js";
import { findNextLink } from "./link.js";
import { ListBodyParser, MAX_REPOSITORY_LENGTH, type StreamedListBody } from "./list-body-stream.js";
import { afterPage, afterRefusal, askedPageSize, firstPageSize, isPageSizeRefusal, linkToFollow, mayContinueWithoutLink, nextPageSize, stepDown, type HostPageSizes, type PageSizeMemory } from "./page-size.js";
import { RangeAnomaly, midpoint, walkRanges } from "./ranges.js";
import { SeenEntries } from "./seen-entries.js";
import { droppedTagsWarning } from "./tag-grammar.js";

/** A page body reduced to its entries. */
export type ListBody = Omit<StreamedListBody, "name">;

export interface PagedListParams {
  /** The list's URL without query, e.g. `https://r.example/v2/library/ubuntu/tags/list`. */
  readonly url: URL;
  /** Token scope the requests need, e.g. `repository:library/ubuntu:pull`. */
  readonly scope: string;
  readonly purpose: "tags" | "catalog";
  /** The body's list field, also the noun in messages: "tags" or "repositories". */
  readonly field: "tags" | "repositories";
  /** Name used in messages, e.g. `docker.io/library/ubuntu`. */
  readonly subject: string;
  /** `n` of the first request; undefined sends none (server default). Ignored with {@link learnPageSize}. */
  readonly pageSize?: number | undefined;
  /**
   * Nothing decided the page size (no profile, hint or option): start from
   * what {@link pageSizes} knows of the host, else large, and grow on full
   * pages (page-size.ts). @default false
   */
  readonly learnPageSize?: boolean | undefined;
  /** What each host's pages showed, shared by the listings of one client (refusals, clamps). */
  readonly pageSizes?: PageSizeMemory | undefined;
  /** Stop with IncompleteListError after this many pages. */
  readonly maxPages: number;
  /** Cap on each page body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Cap on the whole listing: entries kept and bytes received. @default DEFAULT_LISTING_BUDGET */
  readonly budget?: ListingBudget | undefined;
  /**
   * Times a page is asked for again when its body breaks off with a network
   * error (a timeout only once). @default 2
   */
  readonly bodyRetries?: number | undefined;
  /** Concurrent ranges for sorted, `last`-paginated lists; 1 or undefined walks links one by one. */
  readonly parallel?: number | undefined;
  /**
   * The registry is known to link whenever more remain, so a page exactly `n`
   * long without a Link is the last: no PAG-6 continuation. @default false
   */
  readonly alwaysLinks?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onTrace?: TraceListener | undefined;
  /** The client's clock, for messages that say when a limit resets. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** One page as received: only the entries not seen on earlier pages. */
export interface ListPage {
  readonly index: number;
  readonly url: string;
  readonly entries: readonly string[];
  /** Entries the page held before de-duplication and skipping. */
  readonly received: number;
}

/** `dropped`: invalid entries on the page not dropped before (progress, though none is listed). */
type Fetched = { ok: true; body: ListBody; next: URL | undefined; dropped: number } | { ok: false; error: RegtagsError; status: number };

export async function* walkPages(send: Transport, params: PagedListParams): AsyncGenerator<ListPage, void, undefined> {
  const seen = new SeenEntries();
  const visited = new Set<string>();
  const trace = params.onTrace;
  const host = params.url.host;
  let known: HostPageSizes = params.pageSizes?.get(host) ?? {};
  const learn = (change: (known: HostPageSizes) => HostPageSizes) => {
    known = params.pageSizes?.update(host, change) ?? change(known);
  };
  const learning = params.learnPageSize === true;
  let pageSize = learning ? firstPageSize(known) : params.pageSize;
  let url: URL | undefined = listUrl(params.url, pageSize, undefined);
  let built = true; // this URL is ours (not a server's link), so its n may be adapted
  let rewrittenFrom: URL | undefined; // the registry's own link, when `url` is it asking for our n
  let speculative = false; // PAG-6 continuation without a Link
  let sawLink = false;
  let index = 0;
  let triedRanges = false;
  let resuming = false; // after abandoned ranges: pages may repeat what the ranges gave
  let sortedSoFar = true; // every entry so far sorts after the one before (by code unit, as `last` compares)
  let lastEntry: string | undefined;
  let previousPageLast: string | undefined;
  const partial = () => seen.list();
  const meter = new BudgetMeter(params.budget ?? DEFAULT_LISTING_BUDGET, params.subject, params.field, partial);
  /** Invalid entries dropped so far (short enough to read), and unread oversize ones: one warning at the end. */
  const dropped = new Set<string>();
  let droppedUnread = 0;
  /** Keeps a page's entries not seen before, within the budget. */
  const admit = (entries: readonly string[]): readonly string[] => {
    let holding = 0;
    const fresh = seen.admit(entries, (size) => meter.holds((holding = size + dropped.size)));
    // Past the budget nothing of the page was admitted: the partial list is what was yielded.
    if (fresh === undefined) meter.checkEntries(holding);
    return fresh ?? [];
  };

  const fetchPage = async (target: URL): Promise<Fetched> => {
    const req: TransportRequest = {
      method: "GET",
      url: target,
      headers: { accept: "application/json" },
      signal: params.signal,
      auth: { scopes: [params.scope] },
      purpose: params.purpose,
    };
    const where = `${params.subject}: GET ${redactUrl(target)}`;
    const bodyRetries = params.bodyRetries ?? 2;
    let body: ListBody | undefined;
    let res: TransportResponse | undefined;
    let timeouts = 0;
    for (let attempt = 1; body === undefined; attempt++) {
      res = await send(req);
      if (res.status !== 200) return { ok: false, error: await errorFromResponse(req, res, { subject: params.subject, now: params.now }), status: res.status };
      try {
        // Parsed as it arrives (list-body-stream.ts): a page of a million tags is never held as text.
        const parser = new ListBodyParser(params.field, where);
        await res.stream(params.bodyLimitBytes, (chunk) => {
          meter.addBytes(chunk.length);
          parser.push(chunk);
        });
        body = parser.end();
      } catch (error) {
        // The transport retries only until the headers; a body that breaks off is retried here, as a page.
        const how = retryability(error);
        if (how === "once") timeouts++;
        if ((how !== "backoff" && how !== "once") || attempt > bodyRetries || timeouts > 1) throw error;
        trace?.({ type: "retry", method: "GET", url: redactUrl(target), attempt, waitMs: 0, reason: `the body broke off (${(error as Error).message}); asking for the page again` });
      }
    }
    if (body.nullEntries > 0) trace?.({ type: "warning", message: `${where}: skipped ${body.nullEntries} null entries in "${params.field}"` });
    if (body.digestEntries > 0) trace?.({ type: "warning", message: `${where}: skipped ${body.digestEntries} digest-shaped entries in "${params.field}" (not tags)` });
    const droppedBefore = dropped.size + droppedUnread;
    for (const entry of body.invalidEntries) dropped.add(entry);
    droppedUnread += body.oversizeEntries;
    meter.checkEntries(seen.size + dropped.size);
    const answered = res as TransportResponse;
    let next: URL | undefined;
    try {
      next = findNextLink(answered.headers.getAll("link"), answered.url);
    } catch (error) {
      // Never a silently short list: a Link that cannot be read is an error, with the URL that sent it.
      if (error instanceof ProtocolError) throw new ProtocolError(`${where}: ${error.message}`, { cause: error });
      throw error;
    }
    return { ok: true, body, next, dropped: dropped.size + droppedUnread - droppedBefore };
  };

  try {
    yield* walkLinks();
  } finally {
    // One warning per listing, however it ended; never the entries themselves (they may hold escapes).
    const count = dropped.size + droppedUnread;
    if (count > 0) {
      const message =
        params.field === "tags"
          ? droppedTagsWarning(params.subject, `"tags"`, count)
          : `${params.subject}: dropped ${count} entries of "repositories" longer than ${MAX_REPOSITORY_LENGTH} characters, which no registry names; they are not listed`;
      trace?.({ type: "warning", message });
    }
  }

  async function* walkLinks(): AsyncGenerator<ListPage, void, undefined> {
    while (url !== undefined) {
      if (visited.has(url.href)) {
        throw new IncompleteListError(`${params.subject}: the registry's next link repeats ${redactUrl(url)} (a pagination loop); listed ${seen.size} ${params.field} before stopping`, partial());
      }
      if (index >= params.maxPages) {
        throw new IncompleteListError(`${params.subject}: stopped at the page cap of ${params.maxPages} pages with ${seen.size} ${params.field} listed; raise the maxPages option to go on`, partial());
      }
      visited.add(url.href);
      const page = await fetchPage(url);
      if (!page.ok) {
        const refused = isPageSizeRefusal(page.status, errorCodes(page.error));
        const refusedN = askedPageSize(url);
        if (refused && rewrittenFrom !== undefined && refusedN !== undefined) {
          // Its own link asked for our n was refused: for a size this host honoured before, the
          // rewrite is to blame (ECR Public answers a rebuilt link with 405), so its links are
          // followed as given from now on; else the size was too large. This page: the link as given.
          const rewriteRefused = known.honoured !== undefined && refusedN <= known.honoured;
          learn((k) => (rewriteRefused ? { ...k, verbatimLinks: true } : afterRefusal(k, refusedN)));
          if (!rewriteRefused) pageSize = stepDown(refusedN, known);
          trace?.({ type: "page-size", message: `${params.subject}: the registry refused its next link asked with n=${refusedN} (${page.status}); following it as given${rewriteRefused ? `, and ${host}'s links from now on` : ""}` });
          url = rewrittenFrom;
          rewrittenFrom = undefined;
          continue;
        }
        if (refused && built && refusedN !== undefined) {
          learn((k) => afterRefusal(k, refusedN));
          const smaller = stepDown(refusedN, known);
          // A size we guessed is ours to step down quietly; one the user or a profile chose is worth a warning.
          const message = `${params.subject}: the registry rejected n=${refusedN} (${page.status}); retrying with ${smaller === undefined ? "no n" : `n=${smaller}`}`;
          trace?.(learning ? { type: "page-size", message } : { type: "warning", message });
          pageSize = smaller;
          url = listUrl(params.url, pageSize, url.searchParams.get("last") ?? undefined);
          continue;
        }
        if (speculative && page.status === 404) return; // Zot answers an unknown `last` with 404
        throw page.error;
      }
      const { body } = page;
      const fresh = admit(body.entries);
      for (const entry of fresh) {
        if (lastEntry !== undefined && !(lastEntry < entry)) sortedSoFar = false;
        lastEntry = entry;
      }
      const received = body.entries.length + body.nullEntries + body.digestEntries + body.invalidEntries.length + body.oversizeEntries;
      // What the page says of `n`: null entries are not counted (Nexus appends one to every page, outside n).
      const outcome = { asked: askedPageSize(url), received: received - body.nullEntries, hasNext: page.next !== undefined };
      learn((k) => afterPage(k, outcome));
      pageSize = nextPageSize(pageSize, outcome, known, learning);
      const progressed = fresh.length > 0 || page.dropped > 0;
      let next = page.next;
      trace?.({ type: "page", url: redactUrl(url), tags: received, newTags: fresh.length, next: next === undefined ? undefined : redactUrl(next) });
      if (speculative && !progressed) return; // the guess found nothing more: the list was complete
      if (next !== undefined && !progressed && !resuming) {
        throw new IncompleteListError(`${params.subject}: page ${index + 1} (${redactUrl(url)}) brought no new ${params.field} but links to another page; stopping instead of looping, ${seen.size} ${params.field} listed`, partial());
      }
      built = false;
      speculative = false;
      rewrittenFrom = undefined;
      // PAG-6: no Link ever, but exactly the `n` we asked for came back: the
      // server may paginate without saying so (old Nexus); ask once more from
      // the last entry. A server that has sent Links ends its list by omitting one.
      const last = body.entries.at(-1);
      if (next !== undefined) sawLink = true;
      else if (!sawLink && !params.alwaysLinks && mayContinueWithoutLink(outcome, known)) {
        // The cursor is the last entry as sent, even a dropped one: the server sorted it in.
        if (body.lastEntry === undefined && body.oversizeEntries > 0) {
          throw new IncompleteListError(`${params.subject}: page ${index + 1} (${redactUrl(url)}) is full without a next link and ends with an entry too long to ask for the rest after; ${seen.size} ${params.field} listed`, partial());
        }
        if (body.lastEntry !== undefined) {
          next = listUrl(params.url, outcome.asked, body.lastEntry);
          built = true;
          speculative = true;
        }
      }
      yield { index, url: redactUrl(url), entries: fresh, received };
      index++;

      if (!triedRanges && (params.parallel ?? 1) > 1 && next !== undefined && last !== undefined && isLastCursorLink(next, last, body.entries)) {
        triedRanges = true;
        const ranged = rangedRemainder(fetchPage, params, body.entries, index, seen, admit);
        try {
          for await (const rangedPage of ranged) {
            yield rangedPage;
            index++;
          }
          return;
        } catch (error) {
          // On any surprise the registry's links take over, unless nothing would help (auth, abort, budget).
          if (!(error instanceof RangeAnomaly) && retryability(error) === "never") throw error;
          // Go on link by link; `seen` drops what the ranges already gave.
          trace?.({ type: "warning", message: `${params.subject}: concurrent ranges abandoned (${(error as Error).message}); following the registry's links instead` });
          resuming = true;
        }
      }
      // On a list sorted by name and paged by `last=<last entry>`, a next link
      // must move the cursor forward; one that does not leads back over pages
      // already listed (loop detection by URL alone misses it when `n` differs).
      // This page was good and is out; only its link is refused.
      const cursor = url.searchParams.get("last");
      const nextCursor = next?.searchParams.get("last");
      if (next !== undefined && !resuming && !visited.has(next.href) && sortedSoFar && cursor !== null && cursor === previousPageLast && nextCursor != null && nextCursor <= cursor) {
        const how = nextCursor < cursor ? "goes backwards" : "does not move forward";
        throw new IncompleteListError(`${params.subject}: the next link's cursor ${how} (last=${JSON.stringify(nextCursor)} after last=${JSON.stringify(cursor)}) on a list sorted by name, at ${redactUrl(next)}; stopping instead of looping, ${seen.size} ${params.field} listed`, partial());
      }
      previousPageLast = body.lastEntry ?? previousPageLast;
      if (next !== undefined && !speculative) {
        // ghcr's n=0 and ECR's missing n would fall back to the default page (100): ask for ours where the cursor allows.
        const target = linkToFollow(next, pageSize, known);
        if (target !== next) rewrittenFrom = next;
        next = target;
      }
      url = next;
    }
  }
}

/**
 * The rest of a sorted list after its first page, fetched in concurrent
 * ranges. With the first wave goes a probe: `last` set between two known
 * entries must answer exactly the known entries after it, or the registry's
 * `last` is not a plain lexical bound and ranges would be wrong.
 */
async function* rangedRemainder(
  fetchPage: (url: URL) => Promise<Fetched>,
  params: PagedListParams,
  firstPage: readonly string[],
  startIndex: number,
  seen: SeenEntries,
  admit: (entries: readonly string[]) => readonly string[],
): AsyncGenerator<ListPage, void, undefined> {
  const size = firstPage.length;
  const fetchAfter = async (cursor: string) => {
    const page = await fetchPage(listUrl(params.url, size, cursor));
    if (!page.ok) throw page.error;
    return { entries: page.body.entries, hasMore: page.next !== undefined };
  };
  const k = Math.floor(size / 2) - 1;
  const probe = k >= 0 ? midpoint(firstPage[k]!, firstPage[k + 1]) : undefined;
  if (probe === undefined || seen.has(probe)) throw new RangeAnomaly("no probe point in the first page");
  const expected = firstPage.slice(k + 1);
  // Sent with the first wave of ranges rather than before it (a round trip
  // saved); the wave is discarded unless it passes.
  const check = fetchAfter(probe).then((answer) => {
    if (answer.entries.length < expected.length || expected.some((entry, i) => answer.entries[i] !== entry)) {
      throw new RangeAnomaly(`last=${JSON.stringify(probe)} did not answer the entries after it`);
    }
    params.onTrace?.({ type: "warning", message: `${params.subject}: the registry sorts by name and honours any last=; listing ${params.parallel} ranges concurrently` });
  });
  let index = startIndex;
  const maxRequests = params.maxPages * 2;
  for await (const chunk of walkRanges(fetchAfter, firstPage[size - 1]!, { concurrency: params.parallel!, maxRequests, seed: firstPage, gate: check })) {
    const fresh = admit(chunk);
    yield { index: index++, url: `${redactUrl(params.url)} (range)`, entries: fresh, received: chunk.length };
  }
}

/** Does the next link page by `last=<last entry>` over a page sorted by name? */
function isLastCursorLink(next: URL, last: string, entries: readonly string[]): boolean {
  if (next.searchParams.get("last") !== last) return false;
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]! < entries[i]!)) return false;
  return entries.length >= 2;
}

/** `<url>[?n=..][&last=..]` */
export function listUrl(base: URL, n: number | undefined, last: string | undefined): URL {
  const url = new URL(base);
  if (n !== undefined) url.searchParams.set("n", String(n));
  if (last !== undefined) url.searchParams.set("last", last);
  return url;
}

/** The registry's error codes on a refused page, e.g. `PAGINATION_NUMBER_INVALID`. */
function errorCodes(error: RegtagsError): string[] {
  return ((error as { errors?: readonly { code: string }[] }).errors ?? []).map((e) => e.code);
}
