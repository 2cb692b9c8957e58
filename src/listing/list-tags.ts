/**
 * Listing the tags of a repository: `GET /v2/<name>/tags/list` (OCI
 * distribution-spec v1.1.1, Listing Tags) walked by paged-list.ts.
 */
import type { Transport } from "../transport/types.js";
import { walkPages, type PagedListParams } from "./paged-list.js";

/** What the page walker needs, with the tags URL and scope derived from the repository. */
export interface ListTagsParams extends Omit<PagedListParams, "url" | "scope" | "purpose" | "field"> {
  /** Base URL of the registry API, e.g. `https://registry-1.docker.io`. */
  readonly endpoint: URL;
  /** Repository path, e.g. `library/ubuntu`. */
  readonly repository: string;
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
  const { endpoint, repository, ...walk } = params;
  const pages = walkPages(send, {
    ...walk,
    url: tagsUrl(endpoint, repository, undefined, undefined),
    scope: `repository:${repository}:pull`,
    purpose: "tags",
    field: "tags",
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
