/**
 * Walks a vendor's tag API page by page (Docker Hub, Quay v1, GitHub
 * packages) through the same transport as every other request. Which vendor
 * applies to a registry is profile data (profiles/), chosen in client.ts.
 *
 * The token goes only to the origin of the first request: a next page on
 * another host (a Link or a `next` the vendor's server chose) is asked for
 * without it, as a redirect would be (TOK-10). The listing has the same
 * budget as a tags listing (listing/budget.ts), and names that are not tags
 * are dropped with one warning.
 */
import { CredentialsError, IncompleteListError, ProtocolError, InvalidArgumentError, withSubject } from "../errors.js";
import { errorFromResponse } from "../transport/registry-error.js";
import { redactUrl, type TraceListener } from "../transport/trace.js";
import type { Transport, TransportRequest } from "../transport/types.js";
import { BudgetMeter, DEFAULT_LISTING_BUDGET, type ListingBudget } from "../listing/budget.js";
import { findNextLink } from "../listing/link.js";
import { droppedTagsWarning } from "../listing/tag-grammar.js";
import { parseDockerHubTagsPage, parseGitHubVersionsPage, parseQuayTagsPage } from "./parse.js";
import type { DetailsPage, TagDetails } from "./types.js";

export type VendorApi = "dockerhub" | "quay" | "github";

export interface VendorParams {
  readonly api: VendorApi;
  /** API base, e.g. https://hub.docker.com, https://quay.io, https://api.github.com */
  readonly base: URL;
  /** Repository path, e.g. `library/ubuntu`. */
  readonly repository: string;
  readonly subject: string;
  /** Bearer token for APIs that need one (GitHub, even for public packages). */
  readonly token?: string | undefined;
  readonly maxPages: number;
  /** Cap on the whole listing: tags and bytes. @default DEFAULT_LISTING_BUDGET */
  readonly budget?: ListingBudget | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onTrace?: TraceListener | undefined;
  /** The client's clock, for messages that say when a limit resets. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** Vendor page bodies are JSON lists of at most 100 entries. */
const VENDOR_BODY_LIMIT = 16 * 1024 * 1024;

export async function* fetchTagDetails(send: Transport, params: VendorParams): AsyncGenerator<readonly TagDetails[], void, undefined> {
  const root = params.base.href.replace(/\/+$/, "");
  const [namespace, ...rest] = params.repository.split("/");
  const name = rest.join("/");
  let candidates: URL[];
  switch (params.api) {
    case "dockerhub":
      candidates = [new URL(`${root}/v2/namespaces/${namespace}/repositories/${name}/tags?page_size=100`)];
      break;
    case "quay":
      candidates = [new URL(`${root}/api/v1/repository/${namespace}/${name}/tag/?limit=100&page=1&onlyActiveTags=true`)];
      break;
    case "github": {
      if (params.token === undefined) throw new CredentialsError(`${params.subject}: GitHub's packages API needs a token even for public packages (GITHUB_TOKEN or ghcr.io credentials)`);
      const pkg = encodeURIComponent(name);
      // The owner may be an organisation or a user; GitHub answers 404 for the wrong kind.
      candidates = ["orgs", "users"].map((kind) => new URL(`${root}/${kind}/${namespace}/packages/container/${pkg}/versions?per_page=100&page=1`));
      break;
    }
  }
  if (name === "") throw new InvalidArgumentError(`${params.subject}: the ${params.api} API wants a NAMESPACE/NAME repository`);

  const accept = { accept: params.api === "github" ? "application/vnd.github+json" : "application/json" };
  const origin = candidates[0]!.origin;
  const authorized: Record<string, string> = params.token !== undefined && params.api === "github" ? { ...accept, authorization: `Bearer ${params.token}` } : accept;
  const visited = new Set<string>();
  let url: URL | undefined = candidates.shift();
  let pages = 0;
  let listed = 0;
  let dropped = 0;
  const meter = new BudgetMeter(params.budget ?? DEFAULT_LISTING_BUDGET, `${params.subject} (${params.api} tags API)`, "tags", () => []);
  try {
    while (url !== undefined) {
      if (visited.has(url.href)) throw new IncompleteListError(`${params.subject}: the ${params.api} API's next page repeats ${redactUrl(url)}`, []);
      if (pages >= params.maxPages) throw new IncompleteListError(`${params.subject}: stopped at the page cap of ${params.maxPages} vendor API pages`, []);
      visited.add(url.href);
      // The token belongs to the API's origin only (GitHub's Link could name any host).
      const headers = url.origin === origin ? authorized : accept;
      const req: TransportRequest = { method: "GET", url, headers, signal: params.signal, purpose: `${params.api}-api` };
      const res = await send(req);
      if (res.status === 404 && pages === 0 && candidates.length > 0) {
        await res.discard();
        url = candidates.shift();
        continue;
      }
      // Names the vendor API, so a refusal is not taken for the registry's (the v2 API may still answer).
      if (res.status !== 200) throw await errorFromResponse(req, res, { subject: `${params.subject} (${params.api} tags API)`, now: params.now });
      const body = await res.text(VENDOR_BODY_LIMIT);
      meter.addBytes(body.length);
      const where = `${params.subject}: GET ${redactUrl(url)}`;
      const page: DetailsPage =
        params.api === "dockerhub"
          ? parseDockerHubTagsPage(body, url, where)
          : params.api === "quay"
            ? parseQuayTagsPage(body, url, where)
            : parseGitHubVersionsPage(body, nextLink(res.headers.getAll("link"), url, where), where);
      pages++;
      dropped += page.dropped;
      listed += page.details.length;
      meter.checkEntries(listed);
      yield page.details;
      url = page.next;
    }
  } finally {
    if (dropped > 0) params.onTrace?.({ type: "warning", message: droppedTagsWarning(params.subject, `the ${params.api} tags API`, dropped) });
  }
}

/** GitHub's next page from its Link header; a broken or downgrading one is an error naming the URL. */
function nextLink(header: readonly string[], url: URL, where: string): URL | undefined {
  try {
    return findNextLink(header, url);
  } catch (error) {
    throw error instanceof ProtocolError ? withSubject(error, where) : error;
  }
}
