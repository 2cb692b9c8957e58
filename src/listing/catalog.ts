/**
 * Listing a registry's repositories: `GET /v2/_catalog` (CAT-1), paginated
 * like tags and walked by paged-list.ts, with the `registry:catalog:*` scope
 * (REF-10). Many hosted registries refuse it (Docker Hub answers 401
 * insufficient_scope forever, ghcr 404): the auth layer stops after one
 * renewal, so a refusal is one clear error, never a loop (TOK-8).
 */
import type { Transport } from "../transport/types.js";
import { walkPages, type PagedListParams } from "./paged-list.js";

/** What the page walker needs, with the catalog URL and scope derived from the endpoint. */
export interface ListCatalogParams extends Omit<PagedListParams, "url" | "scope" | "purpose" | "field" | "parallel" | "alwaysLinks"> {
  readonly endpoint: URL;
}

/** One page of repository names not seen on earlier pages. */
export interface CatalogPage {
  readonly index: number;
  readonly repositories: readonly string[];
}

export const CATALOG_SCOPE = "registry:catalog:*";

export async function* listCatalogPages(send: Transport, params: ListCatalogParams): AsyncGenerator<CatalogPage, void, undefined> {
  const { endpoint, ...walk } = params;
  const pages = walkPages(send, {
    ...walk,
    url: new URL(`${endpoint.href.replace(/\/+$/, "")}/v2/_catalog`),
    scope: CATALOG_SCOPE,
    purpose: "catalog",
    field: "repositories",
  });
  for await (const page of pages) yield { index: page.index, repositories: page.entries };
}
