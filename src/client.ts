/**
 * The composition root: turns options and registry profiles into one request
 * pipeline and runs registry operations on it.
 *
 * The pipeline, outermost first (every request regtags makes goes through it):
 *   auth      → answers 401s with tokens or Basic credentials (auth/)
 *   retry     → backs off on 408/429/5xx and connection failures, per origin
 *   rate      → reports rate-limit headers; spaces requests near the end of a quota
 *   redirects → follows them without leaking Authorization across origins
 *   limit     → at most `maxConcurrentPerOrigin` requests in flight per origin
 *   trace     → one event per HTTP exchange, redacted
 *   deadline  → each exchange, body included, within `requestTimeoutMs`
 *   capture   → remembers every secret sent, so no event or error shows a server's echo of it
 *   http      → node:http(s) keep-alive agents
 * Token requests enter below auth, so they are retried, redirected and traced
 * like any other request.
 */
import { IncompleteListError, InvalidArgumentError, NetworkError, RegistryError, type RegtagsError } from "./errors.js";
import { withAuth } from "./auth/authenticate.js";
import type { Credential, CredentialResolver } from "./auth/credential.js";
import { TokenCache } from "./auth/token-cache.js";
import { listCatalogPages } from "./listing/catalog.js";
import { fetchTagDigests, type TagDigest } from "./listing/digests.js";
import type { TagDetails } from "./vendor/types.js";
import { listTagPages, type TagPage } from "./listing/list-tags.js";
import { DEFAULT_LISTING_BUDGET, type ListingBudget } from "./listing/budget.js";
import { PageSizeMemory } from "./listing/page-size.js";
import { BUILTIN_PROFILES, findProfile, type RegistryProfile } from "./profiles/profiles.js";
import { isLoopbackRegistry, parseReference, parseRegistryName, type Reference } from "./reference/reference.js";
import { createGuardedHttp } from "./transport/guarded-http.js";
import { NOT_TLS_CODES } from "./transport/http.js";
import { withDeadline } from "./transport/deadline.js";
import { withOriginLimit } from "./transport/limiter.js";
import { withRateLimit, type RateLimitOptions } from "./transport/rate-limit.js";
import { withRedirects } from "./transport/redirect.js";
import { withRetry, type RetryOptions } from "./transport/retry.js";
import { clockFunctions, systemClock, type Clock } from "./clock.js";
import { redactUrl, withTrace, type TraceEvent, type TraceListener } from "./transport/trace.js";
import { scrubError } from "./transport/echo-guard.js";
import type { Transport } from "./transport/types.js";
import type { NetworkOptions } from "./network/types.js";
import { asyncDisposable } from "./async-dispose.js";

/**
 * Client options. The network keys (proxy, noProxy, certDir, certsDirectories,
 * tlsFor, env: issue 11) come from {@link NetworkOptions}, shared with the
 * prober; their code loads only when a proxy or extra trust is configured.
 */
export interface ClientOptions extends NetworkOptions {
  /**
   * Registry name → base URL to contact instead, e.g.
   * `{ "docker.io": "http://127.0.0.1:5000" }` for a local mirror.
   */
  endpoints?: Readonly<Record<string, string>> | undefined;
  /** Use http for every registry. @default false */
  plainHttp?: boolean | undefined;
  /** Verify TLS certificates. @default true */
  tlsVerify?: boolean | undefined;
  /**
   * Send Basic credentials or refresh tokens to a plain-http token realm on a
   * host other than loopback. @default false
   */
  allowInsecureRealm?: boolean | undefined;
  /** Username and password for every registry, or a resolver per registry. */
  credentials?: { username: string; password: string } | CredentialResolver | undefined;
  /** Receives a redacted event for every exchange and decision. */
  onTrace?: TraceListener | undefined;
  /** `n` of the first tags request; null sends none. @default from the registry's profile, else learned per host: 10000 first (listing/page-size.ts) */
  pageSize?: number | null | undefined;
  /** Page cap per listing. @default 100000 */
  maxPages?: number | undefined;
  /**
   * Fetch a tag list in this many concurrent ranges when the registry sorts
   * tags by name and honours any `last` (checked by a probe; otherwise, and on
   * any surprise, links are followed one by one). Trades a few extra requests
   * for far fewer round trips. @default 1 (off)
   */
  parallel?: number | undefined;
  /** Cap on each tags page body in bytes. @default 256 MiB */
  maxPageBytes?: number | undefined;
  /**
   * Cap on the distinct tags (or catalog repositories) one listing holds,
   * across all its pages, vendor tag APIs included. Past it the listing stops
   * with IncompleteListError (exit 7; see {@link allowPartial}) instead of
   * growing until the heap gives out on a server whose pages never end.
   * @default 2000000 — about 250 MB of heap for short tags, well inside Node's default heap
   */
  maxTags?: number | undefined;
  /**
   * Cap on the page bytes one listing receives, across all its pages (bodies
   * are parsed as they arrive, so this bounds time and traffic more than
   * memory). Past it: IncompleteListError, as for {@link maxTags}.
   * @default 2 GiB — ten times the largest real listing we know of
   */
  maxListBytes?: number | undefined;
  /**
   * Retries of GET/HEAD on 408, 429, 5xx, resets and timeouts (a timeout only
   * once). @default { attempts: 4, baseDelayMs: 500, maxDelayMs: 60000 }
   */
  retry?: RetryOptions | undefined;
  /** Time to establish a connection (TCP + TLS). @default 10000 */
  connectTimeoutMs?: number | undefined;
  /**
   * Time without a byte while waiting for the headers or reading a body: a
   * stalled server fails after this, or twice this with the one retry. @default 10000
   */
  idleTimeoutMs?: number | undefined;
  /** Time for one whole exchange, request to last body byte (a trickling body). @default 60000 */
  requestTimeoutMs?: number | undefined;
  /**
   * Rate-limit headers (RL-1) are reported as `rate-limit` trace events; when
   * our requests are seen to consume a quota and only a reserve is left,
   * requests to that origin are spaced so the rest lasts until it resets.
   * @default { reserve: 10% of the limit (at least 5), pace: true }
   */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * A listing that stops early (pagination loop, a page with nothing new, a
   * cursor going backwards, the page cap) ends normally after the pages it
   * got, instead of throwing IncompleteListError; {@link onIncomplete} and a
   * warning say so. @default false
   */
  allowPartial?: boolean | undefined;
  /** Called with the reason when {@link allowPartial} cut a listing short. */
  onIncomplete?: ((error: IncompleteListError) => void) | undefined;
  /** Sent as User-Agent. @default "regtags" */
  userAgent?: string | undefined;
  /** Requests in flight per origin (digest lookups run this wide). @default 8 */
  maxConcurrentPerOrigin?: number | undefined;
  /** Extra client profiles, consulted before the built-in ones. */
  profiles?: readonly RegistryProfile[] | undefined;
  /**
   * What an earlier probe learned of a registry (`regtags probe --save`).
   * `pageSize` feeds the first tags request's `n` (an explicit `pageSize`
   * still wins). Hints never decide what is listed: pages still follow the
   * registry's links and a rejected `n` still steps down, so a stale hint
   * costs at most a round trip, and {@link ClientOptions.onLearnedSurprise}
   * says so.
   */
  learned?: ((registry: string) => LearnedHints | undefined) | undefined;
  /**
   * Called (at most once per listing) when a tag listing contradicts the
   * learned hints: `n` was rejected or clamped, a next link came where one
   * response was expected, a 401 came where anonymous reads were expected, or
   * the first request failed. The listing goes on and stays exact; the caller
   * should drop or refresh the hints.
   */
  onLearnedSurprise?: ((registry: string, surprise: LearnedSurprise) => void) | undefined;
  /**
   * The time, sleeps and jitter of every decision (backoff, Retry-After,
   * rate-limit pacing, token expiry); a test passes `VirtualClock` of
   * `regtags/emulator`. Connect, idle and request timeouts stay real timers.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** How a listing contradicted learned hints (see {@link ClientOptions.onLearnedSurprise}). */
export interface LearnedSurprise {
  /** `page-size`: n rejected or clamped, or pages where one response was expected; `anonymous`: a 401 where anonymous reads were expected; `failure`: the first request failed. */
  readonly kind: "page-size" | "anonymous" | "failure";
  /** One line for humans. */
  readonly reason: string;
  /** The repository being listed (anonymous reads may differ per repository). */
  readonly repository: string;
}

/** Hints learned by probing a registry (see {@link ClientOptions.learned}). */
export interface LearnedHints {
  /** `n` of the first tags request: the largest page the registry honoured; null sends none (everything at once). */
  readonly pageSize?: number | null | undefined;
  /** The registry served tags without any token or credentials. */
  readonly anonymousWithoutToken?: boolean | undefined;
}

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
   * (DIG-1), `concurrency` at a time (default 8), in the order given.
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
  const profiles = [...(options.profiles ?? []), ...BUILTIN_PROFILES];
  // The echo guard (issue 10) and the routes (issue 11) at the bottom, as the prober has them.
  const http = createGuardedHttp(
    options,
    {
      tlsVerify: options.tlsVerify ?? true,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
    },
    options.onTrace,
  );
  const { echoes, onTrace, registryHosts } = http;
  const budget: ListingBudget = { maxEntries: options.maxTags ?? DEFAULT_LISTING_BUDGET.maxEntries, maxBytes: options.maxListBytes ?? DEFAULT_LISTING_BUDGET.maxBytes };
  let base: Transport = withDeadline(http.send, options.requestTimeoutMs ?? 60_000);
  if (onTrace !== undefined) base = withTrace(base, onTrace);
  base = withOriginLimit(base, options.maxConcurrentPerOrigin ?? 8);
  base = withRedirects(base);
  const clock = clockFunctions(options.clock ?? systemClock);
  base = withRateLimit(base, options.rateLimit ?? {}, { sleep: clock.sleep, now: clock.now, maxWaitMs: options.retry?.maxDelayMs ?? 60_000, onTrace });
  base = withRetry(base, options.retry ?? {}, { sleep: clock.sleep, now: clock.now, random: clock.random, onTrace });

  /** origin → registry name, for origins regtags chose itself (never a server's link target). */
  const registryByOrigin = new Map<string, string>();
  /** Loopback registries that turned out to speak plain http (REF-9). */
  const plainHttpRegistries = new Set<string>();
  /** Page sizes each host refused, clamped or honoured, for this client's life (listing/page-size.ts). */
  const pageSizes = new PageSizeMemory();

  // 401s to tags requests per registry, counted below auth (which answers
  // them): a listing whose learned hints say "anonymous" compares the count.
  const tagsChallenges = new Map<string, number>();
  const unchallenged = base;
  base = async (req) => {
    const res = await unchallenged(req);
    const registry = res.status === 401 && req.purpose === "tags" ? registryByOrigin.get(req.url.origin) : undefined;
    if (registry !== undefined) tagsChallenges.set(registry, (tagsChallenges.get(registry) ?? 0) + 1);
    return res;
  };

  const send = withAuth(base, {
    credentials: toResolver(options.credentials),
    registryForOrigin: (origin) => registryByOrigin.get(origin),
    cache: new TokenCache(clock.now),
    now: clock.now,
    allowInsecureRealm: options.allowInsecureRealm ?? false,
    // A registry's token realm is part of "the registry at hand" (certDir).
    onRealm: (realm, origin) => {
      if (registryHosts.has(new URL(origin).host)) registryHosts.add(realm.host);
    },
    onTrace,
  });

  /** The base URL for a registry (or vendor API) name: --endpoint first, then the profile, then https://NAME. */
  const endpointFor = (registry: string, fallback?: string): URL => {
    const explicit = options.endpoints?.[registry];
    let url: URL;
    if (explicit !== undefined) {
      url = new URL(explicit.includes("://") ? explicit : `https://${explicit}`);
    } else {
      url = new URL(fallback ?? findProfile(registry, profiles)?.endpoint ?? `https://${registry}`);
      if (options.plainHttp || plainHttpRegistries.has(registry)) url.protocol = "http:";
    }
    if (options.plainHttp) url.protocol = "http:";
    registryByOrigin.set(url.origin, registry);
    return url;
  };

  /**
   * Runs a walk against a registry's endpoint. Docker's rule for loopback
   * registries (REF-9): try https, and when the server does not speak TLS
   * there, run the walk again over http (nothing was yielded yet).
   */
  async function* onEndpoint<T>(registry: string, walk: (endpoint: URL) => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const endpoint = endpointFor(registry);
      registryHosts.add(endpoint.host);
      let yielded = false;
      try {
        for await (const item of walk(endpoint)) {
          yielded = true;
          yield item;
        }
        return;
      } catch (error) {
        if (error instanceof IncompleteListError && options.allowPartial === true) {
          // --allow-partial: what was yielded stands; the caller hears why it stopped.
          onTrace?.({ type: "warning", message: `${error.message}; the output holds only what was listed before that (the allowPartial option)` });
          options.onIncomplete?.(error);
          return;
        }
        if (yielded || !shouldFallBackToHttp(error, endpoint, registry, options)) throw scrubError(error, echoes);
        plainHttpRegistries.add(registry);
        onTrace?.({ type: "endpoint", registry, endpoint: `http://${endpoint.host}`, reason: `https failed (${(error as RegtagsError).code}); a loopback registry may speak plain http (REF-9)` });
      }
    }
  }

  function listTagPagesOf(reference: string | Reference, listOptions: ListOptions = {}) {
    const ref = typeof reference === "string" ? parseReference(reference) : reference;
    const profile = findProfile(ref.registry, profiles);
    const hints = options.learned?.(ref.registry);
    const hinted = listOptions.pageSize === undefined && options.pageSize === undefined && hints?.pageSize !== undefined;
    const pageSize = listOptions.pageSize !== undefined ? listOptions.pageSize : options.pageSize !== undefined ? options.pageSize : hinted ? hints!.pageSize! : profile?.tagsPageSize;
    const learnPageSize = pageSize === undefined; // nothing decided it: learned per host (listing/page-size.ts)
    const check = hints === undefined || options.onLearnedSurprise === undefined ? undefined : learnedCheck(hints, hinted ? pageSize : undefined, () => tagsChallenges.get(ref.registry) ?? 0);
    const learnt = hints === undefined ? "" : `; learned: ${hinted ? (pageSize === null ? "no n" : `n=${pageSize}`) : "page size given"}${hints.anonymousWithoutToken !== undefined ? `, ${hints.anonymousWithoutToken ? "anonymous reads" : "token needed"}` : ""}`;
    const pages = onEndpoint(ref.registry, (endpoint) => {
      onTrace?.({ type: "endpoint", registry: ref.registry, endpoint: endpoint.origin, reason: `${profile !== undefined ? `profile ${profile.id}` : "default"}${learnt}` });
      return listTagPages(send, {
        endpoint,
        repository: ref.repository,
        subject: ref.name,
        pageSize: pageSize ?? undefined,
        learnPageSize,
        pageSizes,
        maxPages: listOptions.maxPages ?? options.maxPages ?? 100_000,
        bodyLimitBytes: options.maxPageBytes ?? 256 * 1024 * 1024,
        budget,
        parallel: listOptions.parallel ?? options.parallel ?? 1,
        alwaysLinks: profile?.alwaysLinks,
        signal: listOptions.signal,
        onTrace: check === undefined ? onTrace : (event) => {
          check.observe(event);
          onTrace?.(event);
        },
      });
    });
    return check === undefined ? pages : checkedPages(pages, check, (kind, reason) => options.onLearnedSurprise?.(ref.registry, { kind, reason, repository: ref.repository }));
  }

  async function* listRepositoryPagesOf(registryInput: string, listOptions: ListOptions = {}) {
    const registry = parseRegistryName(registryInput);
    const pages = onEndpoint(registry, (endpoint) =>
      listCatalogPages(send, {
        endpoint,
        subject: registry,
        pageSize: catalogPageSize(listOptions.pageSize !== undefined ? listOptions.pageSize : options.pageSize),
        maxPages: listOptions.maxPages ?? options.maxPages ?? 100_000,
        bodyLimitBytes: options.maxPageBytes ?? 256 * 1024 * 1024,
        budget,
        signal: listOptions.signal,
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
      throw new RegistryError("ERR_REGISTRY", `webhook ${url.origin}: POST answered ${res.status}${res.status >= 500 || res.status === 429 ? " (still after retries)" : ""}`, { status: res.status, method: "POST", url: url.origin });
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
        yield await fetchTagDigests(send, { endpoint, repository: ref.repository, subject: ref.name, signal: digestOptions.signal }, tags, digestOptions.concurrency ?? 8);
      });
      for await (const digests of runs) return digests;
      return [];
    },
    async fetchDetails(reference, detailsOptions = {}) {
      const ref = typeof reference === "string" ? parseReference(reference) : reference;
      const mode = detailsOptions.source ?? "auto";
      const vendor = findProfile(ref.registry, profiles)?.vendorApi;
      if (mode === "v2" || vendor === undefined) {
        if (mode === "vendor") throw new InvalidArgumentError(`${ref.registry} has no known vendor API; use the source option set to v2 or auto`);
        return { source: undefined, hasVendorApi: vendor !== undefined, details: new Map() };
      }
      const fenced = vendorApiFencedOff(ref.registry, vendor, options.endpoints);
      if (fenced !== undefined) {
        if (mode === "vendor") throw new InvalidArgumentError(`the source option set to vendor: ${fenced}`);
        onTrace?.({ type: "warning", message: `${ref.name}: details unavailable: ${fenced}` });
        return { source: undefined, hasVendorApi: true, unavailableReason: fenced, details: new Map() };
      }
      const base = vendor.base === undefined ? endpointFor(ref.registry) : endpointFor(new URL(vendor.base).host, vendor.base);
      const credential = vendor.kind === "github" ? await toResolver(options.credentials)?.(ref.registry, ref.repository) : undefined;
      const token = credential?.kind === "basic" ? credential.password : credential?.kind === "registry-token" ? credential.token : undefined;
      const details = new Map<string, TagDetails>();
      try {
        // Loaded at first use: a plain listing never asks a vendor API (issue 13, start-up).
        for await (const page of (await import("./vendor/fetch-details.js")).fetchTagDetails(send, { api: vendor.kind, base, repository: ref.repository, subject: ref.name, token, maxPages: options.maxPages ?? 100_000, budget, signal: detailsOptions.signal, onTrace })) {
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
    close: () => http.close(),
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
function vendorApiFencedOff(registry: string, vendor: NonNullable<RegistryProfile["vendorApi"]>, endpoints: ClientOptions["endpoints"]): string | undefined {
  const mapped = endpoints?.[registry];
  if (vendor.base === undefined || mapped === undefined) return undefined;
  const vendorHost = new URL(vendor.base).host;
  if (endpoints?.[vendorHost] !== undefined) return undefined;
  return `${registry} is mapped to ${originOf(mapped)} and its ${vendor.kind} API (${vendorHost}) is not, so regtags does not contact it; map ${vendorHost} to an endpoint too to allow it`;
}

/** The origin of an endpoint as the user wrote it, without path or userinfo. */
function originOf(endpoint: string): string {
  try {
    return new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`).origin;
  } catch {
    return "another endpoint";
  }
}

type LearnedCheck = ReturnType<typeof learnedCheck>;

/**
 * Compares a listing's first page with learned hints: a rejected or clamped
 * `n`, a next link where one response was expected, a 401 where anonymous
 * reads were expected.
 */
function learnedCheck(hints: LearnedHints, pageSize: number | null | undefined, challenges: () => number) {
  const before = challenges();
  let first: { url: string; tags: number; next: string | undefined } | undefined;
  return {
    observe(event: TraceEvent): void {
      if (event.type === "page" && first === undefined) first = { url: event.url, tags: event.tags, next: event.next };
    },
    /** The first contradiction once the first page is in, or undefined. */
    afterFirstPage(): [LearnedSurprise["kind"], string] | undefined {
      if (hints.anonymousWithoutToken === true && challenges() > before) return ["anonymous", "anonymous reads were expected, but the registry asked for a token"];
      const reason = pageSurprise();
      return reason === undefined ? undefined : ["page-size", reason];
    },
  };
  function pageSurprise(): string | undefined {
    if (first === undefined || pageSize === undefined) return undefined;
    if (pageSize === null) return first.next !== undefined ? `one response with every tag was expected, but the registry sent ${first.tags} and a next link` : undefined;
    let sent: string | null = null;
    try {
      sent = new URL(first.url).searchParams.get("n");
    } catch {
      sent = null;
    }
    if (sent !== String(pageSize)) return `the registry rejected n=${pageSize}`;
    if (first.tags < pageSize && first.next !== undefined) return `n=${pageSize} was clamped to ${first.tags}`;
    return undefined;
  }
}

/** Passes pages through, reporting the first contradiction of the learned hints (or a failure before any page). */
async function* checkedPages(pages: AsyncGenerator<TagPage, void, undefined>, check: LearnedCheck, report: (kind: LearnedSurprise["kind"], reason: string) => void): AsyncGenerator<TagPage, void, undefined> {
  let first = true;
  try {
    for await (const page of pages) {
      if (first) {
        first = false;
        const surprise = check.afterFirstPage();
        if (surprise !== undefined) report(...surprise);
      }
      yield page;
    }
  } catch (error) {
    const code = (error as RegtagsError).code;
    if (first && (code === "ERR_REGISTRY" || code === "ERR_PROTOCOL")) report("failure", `the listing failed before its first page (${code})`);
    throw error;
  }
}

/** The catalog's default page is 100 and distribution rejects n > 1000 (CAT-1): ask for 1000 unless told. */
function catalogPageSize(requested: number | null | undefined): number | undefined {
  if (requested === null) return undefined;
  return requested ?? 1000;
}

function shouldFallBackToHttp(error: unknown, endpoint: URL, registry: string, options: ClientOptions): boolean {
  if (endpoint.protocol !== "https:" || options.endpoints?.[registry] !== undefined) return false;
  if (!isLoopbackRegistry(registry)) return false;
  // Only when the server does not speak TLS: a bad certificate stays a TLS error.
  return error instanceof NetworkError && NOT_TLS_CODES.has(error.systemCode ?? "");
}

function toResolver(credentials: ClientOptions["credentials"]): CredentialResolver | undefined {
  if (credentials === undefined || typeof credentials === "function") return credentials;
  const credential: Credential = { kind: "basic", username: credentials.username, password: credentials.password, source: "the credentials option" };
  return async () => credential;
}
