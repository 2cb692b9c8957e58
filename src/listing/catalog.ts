/**
 * Listing a registry's repositories: `GET /v2/_catalog` (CAT-1), paginated
 * like tags and walked by paged-list.ts, with the `registry:catalog:*` scope
 * (REF-10). Many hosted registries refuse it (Docker Hub answers 401
 * insufficient_scope forever, ghcr 404): the auth layer stops after one
 * renewal, so a refusal is one clear error, never a loop (TOK-8).
 */
import type { TraceListener } from "../transport/trace.js";
import type { Transport } from "../transport/types.js";
import { walkPages } from "./paged-list.js";

export interface ListCatalogParams {
  readonly endpoint: URL;
  /** Registry name used in messages, e.g. `registry.example.com`. */
  readonly subject: string;
  readonly pageSize?: number | undefined;
  readonly maxPages: number;
  readonly bodyLimitBytes: number;
  readonly signal?: AbortSignal | undefined;
  readonly onTrace?: TraceListener | undefined;
}

/** One page of repository names not seen on earlier pages. */
export interface CatalogPage {
  readonly index: number;
  readonly repositories: readonly string[];
}

export const CATALOG_SCOPE = "registry:catalog:*";

export async function* listCatalogPages(send: Transport, params: ListCatalogParams): AsyncGenerator<CatalogPage, void, undefined> {
  const pages = walkPages(send, {
    url: new URL(`${params.endpoint.href.replace(/\/+$/, "")}/v2/_catalog`),
    scope: CATALOG_SCOPE,
    purpose: "catalog",
    field: "repositories",
    subject: params.subject,
    pageSize: params.pageSize,
    maxPages: params.maxPages,
    bodyLimitBytes: params.bodyLimitBytes,
    signal: params.signal,
    onTrace: params.onTrace,
  });
  for await (const page of pages) yield { index: page.index, repositories: page.entries };
}
