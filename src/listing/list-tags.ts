/**
 * Listing the tags of a repository: `GET /v2/<name>/tags/list` (OCI
 * distribution-spec v1.1.1, Listing Tags) walked by paged-list.ts.
 */
import type { TraceListener } from "../transport/trace.js";
import type { Transport } from "../transport/types.js";
import { walkPages } from "./paged-list.js";

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
  /** Concurrent ranges where the registry sorts tags and honours any `last` (see paged-list.ts). */
  readonly parallel?: number | undefined;
  /** The registry links whenever more tags remain (no PAG-6 continuation needed). */
  readonly alwaysLinks?: boolean | undefined;
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

export async function* listTagPages(send: Transport, params: ListTagsParams): AsyncGenerator<TagPage, void, undefined> {
  const pages = walkPages(send, {
    url: tagsUrl(params.endpoint, params.repository, undefined, undefined),
    scope: `repository:${params.repository}:pull`,
    purpose: "tags",
    field: "tags",
    subject: params.subject,
    pageSize: params.pageSize,
    maxPages: params.maxPages,
    bodyLimitBytes: params.bodyLimitBytes,
    parallel: params.parallel,
    alwaysLinks: params.alwaysLinks,
    signal: params.signal,
    onTrace: params.onTrace,
  });
  for await (const page of pages) yield { index: page.index, url: page.url, tags: page.entries, received: page.received };
}

/** `<endpoint>/v2/<repository>/tags/list[?n=..][&last=..]` */
export function tagsUrl(endpoint: URL, repository: string, n: number | undefined, last: string | undefined): URL {
  const url = new URL(`${endpoint.href.replace(/\/+$/, "")}/v2/${repository}/tags/list`);
  if (n !== undefined) url.searchParams.set("n", String(n));
  if (last !== undefined) url.searchParams.set("last", last);
  return url;
}
