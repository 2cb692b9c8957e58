/**
 * The composition root: resolves the options once (options.ts), builds the
 * one request pipeline (pipeline.ts, whose comment explains its layers) and
 * runs registry operations on it. Learned hints are learned/hints.ts's.
 */
import { IncompleteListError, InvalidArgumentError, NetworkError, RegistryError, type RegtagsError } from "./errors.js";
import { asyncDisposable } from "./async-dispose.js";
import { DEFAULTS } from "./defaults.js";
import { checkedPages, choosePageSize, describeLearned, learnedCheck, TagsChallengeCounts } from "./learned/hints.js";
import { listCatalogPages } from "./listing/catalog.js";
import { fetchTagDigests, type TagDigest } from "./listing/digests.js";
import { listTagPages, type TagPage } from "./listing/list-tags.js";
import { PageSizeMemory } from "./listing/page-size.js";
import { resolveClientOptions, type ClientOptions, type ResolvedClientOptions } from "./options.js";
import { buildPipeline } from "./pipeline.js";
import { findProfile, type RegistryProfile } from "./profiles/profiles.js";
import { parseReference, parseRegistryName, type Reference } from "./reference/reference.js";
import { scrubError } from "./transport/echo-guard.js";
import { retryability } from "./transport/retry.js";
import { redactUrl } from "./transport/trace.js";
import type { TagDetails } from "./vendor/types.js";

export type { ClientOptions } from "./options.js";
export type { LearnedHints, LearnedSurprise } from "./learned/hints.js";

/** Per-listing options; each one left undefined takes the client's. */
export interface ListOptions {
  /** Stops the listing with an AbortedError (`timedOut` when it was `AbortSignal.timeout()`). */
  signal?: AbortSignal | undefined;
  /** Overrides {@link ClientOptions.pageSize}; null sends no `n`. */
  pageSize?: number | null | undefined;
  /** Overrides {@link ClientOptions.maxPages}. */
  maxPages?: number | undefined;
  /** Overrides {@link ClientOptions.parallel}. */
  parallel?: number | undefined;
}

/** A complete tag list (an incomplete one is an IncompleteListError instead, unless {@link ClientOptions.allowPartial}). */
export interface TagList {
  /** Normalised repository name, e.g. `docker.io/library/ubuntu` (skopeo's "Repository"). */
  readonly repository: string;
  /** Every tag once, in the registry's order. */
  readonly tags: string[];
  readonly pages: number;
}

/** Where per-tag details come from: a vendor API, or none (the OCI API has no dates). */
export type DetailsSource = "auto" | "vendor" | "v2";

export interface TagDetailsResult {
  /** The vendor API that answered, or undefined when only the v2 API applies or the vendor refused. */
  readonly source: "dockerhub" | "quay" | "github" | undefined;
  /** Whether the registry's profile names a vendor API at all. */
  readonly hasVendorApi: boolean;
  /**
   * Why the vendor API was not asked, when the endpoint mapping rules it out
   * (a registry mapped to a mirror keeps its vendor API on another host
   * unless that host is mapped too).
   */
  readonly unavailableReason?: string;
  /** Details by tag (active tags only, as the vendor reports them). */
  readonly details: ReadonlyMap<string, TagDetails>;
}

/**
 * A client: its own connections, token cache and backoff state. Close it when
 * done, or let `await using client = createClient()` close it.
 */
export interface RegtagsClient extends AsyncDisposable {
  /** Every tag of the repository. @example `await client.listTags("ubuntu")` */
  listTags(reference: string | Reference, options?: ListOptions): Promise<TagList>;
  /** The same listing page by page, as the pages arrive; stop early with break or an AbortSignal. */
  listTagPages(reference: string | Reference, options?: ListOptions): AsyncGenerator<TagPage, void, undefined>;
  /**
   * Every repository of a registry (`GET /v2/_catalog`, CAT-1), page by page.
   * Registries that refuse the catalog (Docker Hub, ghcr.io) fail with one
   * AuthError or RegistryError, never a loop.
   */
  listRepositoryPages(registry: string, options?: ListOptions): AsyncGenerator<readonly string[], void, undefined>;
  /** All of {@link listRepositoryPages}, collected. */
  listRepositories(registry: string, options?: ListOptions): Promise<string[]>;
  /**
   * The manifest digest of each tag, by HEAD with the manifest Accept header
   * (DIG-1), `concurrency` at a time (default 8, DEFAULTS.digestConcurrency), in the order given.
   */
  fetchDigests(reference: string | Reference, tags: readonly string[], options?: { signal?: AbortSignal | undefined; concurrency?: number | undefined }): Promise<TagDigest[]>;
  /**
   * Per-tag details (dates, digests, sizes, platforms) from the registry's
   * vendor API where its profile names one (Docker Hub, Quay, GitHub).
   * `auto` (default) falls back to `source: undefined` when there is no vendor
   * API or it refuses; `vendor` throws instead; `v2` never asks a vendor.
   */
  fetchDetails(reference: string | Reference, options?: { source?: DetailsSource | undefined; signal?: AbortSignal | undefined }): Promise<TagDetailsResult>;
  /**
   * POSTs `body` as `application/json` to a webhook (`regtags watch
   * --webhook`) through the same pipeline as registry requests (proxies,
   * TLS, retries, redirects, timeouts, tracing) but below auth, so no
   * registry credential ever reaches it. The POST is retried like a GET
   * (the receiver gets it at least once). Resolves with the status of a
   * 2xx answer; any other answer is a RegistryError, a failure to connect a
   * NetworkError, each naming only the URL's origin (a webhook path often
   * holds a secret).
   */
  deliver(url: string | URL, body: string, options?: { signal?: AbortSignal | undefined }): Promise<number>;
  /** The base URL regtags contacts for a registry name. */
  endpointFor(registry: string): URL;
  /** Closes pooled connections. */
  close(): Promise<void>;
  /** The same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a client with its own connections, token cache and backoff state. */
export function createClient(options: ClientOptions = {}): RegtagsClient {
  const resolved = resolveClientOptions(options);
  const tagsChallenges = new TagsChallengeCounts();
  /** Page sizes each host refused, clamped or honoured, for this client's life (listing/page-size.ts). */
  const pageSizes = new PageSizeMemory();
  const pipeline = buildPipeline(resolved, { observe: (req, res) => tagsChallenges.observe(req, res, pipeline.registryForOrigin(req.url.origin)) });
  const { send, base, echoes, onTrace, endpointFor } = pipeline;
  /** The client's clock, for error messages that say when a limit resets. */
  const now = () => resolved.clock.now();

  /** A walk on a registry's endpoint (pipeline.onEndpoint) that, under allowPartial, ends quietly after what it yielded. */
  async function* onEndpoint<T>(registry: string, walk: (endpoint: URL) => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
    try {
      yield* pipeline.onEndpoint(registry, walk);
    } catch (error) {
      if (!(error instanceof IncompleteListError) || !resolved.allowPartial) throw error;
      // allowPartial: what was yielded stands; the caller hears why it stopped.
      onTrace?.({ type: "warning", message: `${error.message}; the output holds only what was listed before that (the allowPartial option)` });
      resolved.onIncomplete?.(error);
    }
  }

  function listTagPagesOf(reference: string | Reference, listOptions: ListOptions = {}) {
    const ref = typeof reference === "string" ? parseReference(reference) : reference;
    const profile = findProfile(ref.registry, resolved.profiles);
    const hints = resolved.learned?.(ref.registry);
    const choice = choosePageSize(listOptions.pageSize !== undefined ? listOptions.pageSize : resolved.pageSize, hints, profile?.tagsPageSize);
    const check = hints === undefined || resolved.onLearnedSurprise === undefined ? undefined : learnedCheck(hints, choice.hinted ? choice.pageSize : undefined, () => tagsChallenges.of(ref.registry));
    const pages = onEndpoint(ref.registry, (endpoint) => {
      onTrace?.({ type: "endpoint", registry: ref.registry, endpoint: endpoint.origin, reason: `${profile !== undefined ? `profile ${profile.id}` : "default"}${describeLearned(hints, choice)}` });
      return listTagPages(send, {
        endpoint,
        repository: ref.repository,
        subject: ref.name,
        pageSize: choice.pageSize ?? undefined,
        // Nothing decided it: learned per host (listing/page-size.ts).
        learnPageSize: choice.pageSize === undefined,
        pageSizes,
        maxPages: listOptions.maxPages ?? resolved.maxPages,
        bodyLimitBytes: resolved.maxPageBytes,
        budget: resolved.budget,
        parallel: listOptions.parallel ?? resolved.parallel,
        alwaysLinks: profile?.alwaysLinks,
        signal: listOptions.signal,
        now,
        onTrace: check === undefined ? onTrace : (event) => {
          check.observe(event);
          onTrace?.(event);
        },
      });
    });
    return check === undefined ? pages : checkedPages(pages, check, (kind, reason) => resolved.onLearnedSurprise?.(ref.registry, { kind, reason, repository: ref.repository }));
  }

  async function* listRepositoryPagesOf(registryInput: string, listOptions: ListOptions = {}) {
    const registry = parseRegistryName(registryInput);
    const pageSize = listOptions.pageSize !== undefined ? listOptions.pageSize : resolved.pageSize;
    const pages = onEndpoint(registry, (endpoint) =>
      listCatalogPages(send, {
        endpoint,
        subject: registry,
        // null: send no n (the registry's default page of 100).
        pageSize: pageSize === null ? undefined : (pageSize ?? DEFAULTS.catalogPageSize),
        maxPages: listOptions.maxPages ?? resolved.maxPages,
        bodyLimitBytes: resolved.maxPageBytes,
        budget: resolved.budget,
        signal: listOptions.signal,
        now,
        onTrace,
      }),
    );
    for await (const page of pages) yield page.repositories;
  }

  async function deliver(target: string | URL, body: string, deliverOptions: { signal?: AbortSignal | undefined } = {}): Promise<number> {
    const url = new URL(target);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidArgumentError(`webhook URL must be http or https, got ${url.protocol}`);
    // A webhook's path often is its secret (Slack, Teams, ntfy topics): --debug and errors never show it.
    echoes.rememberSecret(url.pathname);
    const request = { method: "POST", url, body, idempotent: true, purpose: "webhook", signal: deliverOptions.signal, headers: { "content-type": "application/json" } } as const;
    let res;
    try {
      res = await base(request);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw scrubError(error, echoes);
      const message = error.message.split(redactUrl(url)).join(`${url.origin}/…`);
      throw new NetworkError(error.code as "ERR_NETWORK" | "ERR_TLS" | "ERR_PROXY", `webhook ${url.origin}: ${message}`, { cause: error, ...(error.systemCode !== undefined ? { systemCode: error.systemCode } : {}) });
    }
    await res.discard();
    if (res.status < 200 || res.status > 299) {
      throw new RegistryError("ERR_REGISTRY", `webhook ${url.origin}: POST answered ${res.status}${retryability(res.status) === "backoff" ? " (still after retries)" : ""}`, { status: res.status, method: "POST", url: url.origin });
    }
    return res.status;
  }

  return asyncDisposable<RegtagsClient>({
    deliver,
    listTagPages: listTagPagesOf,
    listRepositoryPages: listRepositoryPagesOf,
    async listRepositories(registry, listOptions) {
      const all: string[] = [];
      for await (const page of listRepositoryPagesOf(registry, listOptions)) for (const name of page) all.push(name);
      return all;
    },
    async listTags(reference, listOptions) {
      const ref = typeof reference === "string" ? parseReference(reference) : reference;
      const tags: string[] = [];
      let pages = 0;
      for await (const page of listTagPagesOf(ref, listOptions)) {
        for (const tag of page.tags) tags.push(tag);
        pages++;
      }
      return { repository: ref.name, tags, pages };
    },
    async fetchDigests(reference, tags, digestOptions = {}) {
      const ref = typeof reference === "string" ? parseReference(reference) : reference;
      const runs = onEndpoint(ref.registry, async function* (endpoint) {
        yield await fetchTagDigests(send, { endpoint, repository: ref.repository, subject: ref.name, signal: digestOptions.signal, now }, tags, digestOptions.concurrency ?? DEFAULTS.digestConcurrency);
      });
      for await (const digests of runs) return digests;
      return [];
    },
    async fetchDetails(reference, detailsOptions = {}) {
      const ref = typeof reference === "string" ? parseReference(reference) : reference;
      const mode = detailsOptions.source ?? "auto";
      const vendor = findProfile(ref.registry, resolved.profiles)?.vendorApi;
      if (mode === "v2" || vendor === undefined) {
        if (mode === "vendor") throw new InvalidArgumentError(`${ref.registry} has no known vendor API; use the source option set to v2 or auto`);
        return { source: undefined, hasVendorApi: vendor !== undefined, details: new Map() };
      }
      const fenced = vendorApiFencedOff(ref.registry, vendor, resolved.endpoints);
      if (fenced !== undefined) {
        if (mode === "vendor") throw new InvalidArgumentError(`the source option set to vendor: ${fenced}`);
        onTrace?.({ type: "warning", message: `${ref.name}: details unavailable: ${fenced}` });
        return { source: undefined, hasVendorApi: true, unavailableReason: fenced, details: new Map() };
      }
      const base = vendor.base === undefined ? endpointFor(ref.registry) : endpointFor(new URL(vendor.base).host, vendor.base);
      const credential = vendor.kind === "github" ? await resolved.credentials?.(ref.registry, ref.repository) : undefined;
      const token = credential?.kind === "basic" ? credential.password : credential?.kind === "registry-token" ? credential.token : undefined;
      const details = new Map<string, TagDetails>();
      try {
        // Loaded at first use: a plain listing never asks a vendor API (issue 13, start-up).
        for await (const page of (await import("./vendor/fetch-details.js")).fetchTagDetails(send, { api: vendor.kind, base, repository: ref.repository, subject: ref.name, token, maxPages: resolved.maxPages, budget: resolved.budget, signal: detailsOptions.signal, onTrace, now })) {
          for (const entry of page) if (!details.has(entry.tag)) details.set(entry.tag, entry);
        }
      } catch (error) {
        if (mode === "vendor" || (error as RegtagsError).code === "ERR_ABORTED") throw scrubError(error, echoes);
        onTrace?.({ type: "warning", message: `${ref.name}: the ${vendor.kind} API could not be used (${(error as Error).message}); using the registry API only` });
        return { source: undefined, hasVendorApi: true, details: new Map() };
      }
      return { source: vendor.kind, hasVendorApi: true, details };
    },
    endpointFor,
    close: () => pipeline.close(),
  });
}

/**
 * Why a registry's vendor API must not be contacted, or undefined if it may.
 * An endpoint mapping sends a registry to a mirror, often because the real
 * host is out of reach or must not be contacted (air-gapped networks): its
 * vendor API on another host (hub.docker.com, api.github.com) is then used
 * only if that host is mapped too. A vendor API on the registry's own host
 * (Quay) follows the registry's mapping. (issue 11)
 */
function vendorApiFencedOff(registry: string, vendor: NonNullable<RegistryProfile["vendorApi"]>, endpoints: ResolvedClientOptions["endpoints"]): string | undefined {
  const mapped = endpoints[registry];
  if (vendor.base === undefined || mapped === undefined) return undefined;
  const vendorHost = new URL(vendor.base).host;
  if (endpoints[vendorHost] !== undefined) return undefined;
  return `${registry} is mapped to ${new URL(mapped).origin} and its ${vendor.kind} API (${vendorHost}) is not, so regtags does not contact it; map ${vendorHost} to an endpoint too to allow it`;
}

