/**
 * Walks `GET /v2/<name>/tags/list` page by page (PAG-1..PAG-10). It receives
 * a transport that already authenticates, so it never deals with tokens.
 *
 * - The next page is the `rel="next"` Link exactly as given, resolved against
 *   the URL that answered (PAG-3; quay's opaque `next_page`, ghcr's `n=0`).
 * - The list ends when there is no next link (PAG-4), whatever the page size.
 * - Tags are de-duplicated across pages in the server's order (PAG-8).
 * - A repeated URL, a page with nothing new, or the page cap stops the walk
 *   with an IncompleteListError carrying the partial list (PAG-9): skopeo
 *   loops forever on such servers.
 * - A page size the registry rejects (400 PAGINATION_NUMBER_INVALID, 405,
 *   413; PAG-7) is retried smaller on the URL we built.
 */
import { IncompleteListError, type RegtagsError } from "../errors.js";
import { errorFromResponse } from "../transport/registry-error.js";
import { redactUrl, type TraceListener } from "../transport/trace.js";
import type { Transport, TransportRequest } from "../transport/types.js";
import { findNextLink } from "./link.js";
import { parseTagsBody } from "./tags-body.js";

export interface ListTagsParams {
  /** Base URL of the registry API, e.g. `https://registry-1.docker.io`. */
  readonly endpoint: URL;
  /** Repository path, e.g. `library/ubuntu`. */
  readonly repository: string;
  /** Name used in messages, e.g. `docker.io/library/ubuntu`. */
  readonly subject: string;
  /** `n` of the first request; undefined sends none (server default). */
  readonly pageSize?: number | undefined;
  /** Stop with IncompleteListError after this many pages. */
  readonly maxPages: number;
  /** Cap on each page body, in bytes. */
  readonly bodyLimitBytes: number;
  readonly signal?: AbortSignal | undefined;
  readonly onTrace?: TraceListener | undefined;
}

/** One page as received: only the tags not seen on earlier pages. */
export interface TagPage {
  readonly index: number;
  readonly url: string;
  readonly tags: readonly string[];
  /** Entries the page held before de-duplication and skipping. */
  readonly received: number;
}

/** Smaller page sizes tried, in order, when a registry rejects `n` (PAG-7). */
const SMALLER_PAGE_SIZES = [1000, 100, 50] as const;

export async function* listTagPages(send: Transport, params: ListTagsParams): AsyncGenerator<TagPage, void, undefined> {
  const seen = new Set<string>();
  const visited = new Set<string>();
  const trace = params.onTrace;
  let pageSize = params.pageSize;
  let url: URL | undefined = tagsUrl(params.endpoint, params.repository, pageSize, undefined);
  let built = true; // this URL is ours (not a server's link), so its n may be adapted
  let speculative = false; // PAG-6 continuation without a Link
  let sawLink = false;
  let index = 0;

  const partial = () => [...seen];

  while (url !== undefined) {
    if (visited.has(url.href)) {
      throw new IncompleteListError(`${params.subject}: the registry's next link repeats ${redactUrl(url)} (a pagination loop); listed ${seen.size} tags before stopping`, partial());
    }
    if (index >= params.maxPages) {
      throw new IncompleteListError(`${params.subject}: stopped at the page cap of ${params.maxPages} pages with ${seen.size} tags listed; raise --max-pages to go on`, partial());
    }
    visited.add(url.href);
    const req: TransportRequest = {
      method: "GET",
      url,
      headers: { accept: "application/json" },
      signal: params.signal,
      auth: { scopes: [`repository:${params.repository}:pull`] },
      purpose: "tags",
    };
    const res = await send(req);
    if (res.status !== 200) {
      const error = await errorFromResponse(req, res, { subject: params.subject });
      if (built && pageSize !== undefined && rejectsPageSize(error)) {
        const smaller = nextPageSize(pageSize);
        trace?.({ type: "warning", message: `${params.subject}: the registry rejected n=${pageSize} (${res.status}); retrying with ${smaller === undefined ? "no n" : `n=${smaller}`}` });
        pageSize = smaller;
        url = tagsUrl(params.endpoint, params.repository, pageSize, url.searchParams.get("last") ?? undefined);
        continue;
      }
      if (speculative && res.status === 404) return; // Zot answers an unknown `last` with 404
      throw error;
    }
    const where = `${params.subject}: GET ${redactUrl(url)}`;
    const body = parseTagsBody(await res.text(params.bodyLimitBytes), where);
    const fresh: string[] = [];
    for (const tag of body.tags) {
      if (!seen.has(tag)) {
        seen.add(tag);
        fresh.push(tag);
      }
    }
    if (body.nullEntries > 0) trace?.({ type: "warning", message: `${where}: skipped ${body.nullEntries} null entries in "tags"` });
    if (body.digestEntries > 0) trace?.({ type: "warning", message: `${where}: skipped ${body.digestEntries} digest-shaped entries in "tags" (not tags)` });

    const received = body.tags.length + body.nullEntries + body.digestEntries;
    let next = findNextLink(res.headers.getAll("link"), res.url);
    trace?.({ type: "page", url: redactUrl(url), tags: received, newTags: fresh.length, next: next === undefined ? undefined : redactUrl(next) });
    if (speculative && fresh.length === 0) return; // the guess found nothing more: the list was complete
    if (next !== undefined && fresh.length === 0) {
      throw new IncompleteListError(`${params.subject}: page ${index + 1} (${redactUrl(url)}) brought no new tags but links to another page; stopping instead of looping, ${seen.size} tags listed`, partial());
    }
    built = false;
    speculative = false;
    // PAG-6: no Link ever, but exactly the `n` we asked for came back: the
    // server may paginate without saying so (old Nexus); ask once more from
    // the last tag. A server that has sent Links ends its list by omitting one.
    const last = body.tags.at(-1);
    if (next !== undefined) sawLink = true;
    else if (!sawLink && pageSize !== undefined && (body.tags.length === pageSize || received === pageSize) && last !== undefined) {
      next = tagsUrl(params.endpoint, params.repository, pageSize, last);
      built = true;
      speculative = true;
    }
    yield { index, url: redactUrl(url), tags: fresh, received };
    index++;
    url = next;
  }
}

/** `<endpoint>/v2/<repository>/tags/list[?n=..][&last=..]` */
export function tagsUrl(endpoint: URL, repository: string, n: number | undefined, last: string | undefined): URL {
  const url = new URL(`${endpoint.href.replace(/\/+$/, "")}/v2/${repository}/tags/list`);
  if (n !== undefined) url.searchParams.set("n", String(n));
  if (last !== undefined) url.searchParams.set("last", last);
  return url;
}

function rejectsPageSize(error: RegtagsError): boolean {
  const status = (error as { status?: number }).status;
  const codes = ((error as { errors?: readonly { code: string }[] }).errors ?? []).map((e) => e.code);
  if (status === 413 || status === 405) return true; // quay 2024-06 TOO_MANY_TAGS_REQUESTED; ECR UNSUPPORTED maxResults
  return status === 400 && (codes.includes("PAGINATION_NUMBER_INVALID") || codes.length === 0);
}

/** The next smaller `n`, or undefined for "send no n" (the server's default). */
function nextPageSize(current: number): number | undefined {
  for (const size of SMALLER_PAGE_SIZES) if (size < current) return size;
  return undefined;
}
