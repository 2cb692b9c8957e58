/**
 * The composition root: turns options and registry profiles into one request
 * pipeline and runs registry operations on it.
 *
 * The pipeline, outermost first (every request regtags makes goes through it):
 *   auth      → answers 401s with tokens or Basic credentials (auth/)
 *   retry     → backs off on 408/429/5xx and connection failures, per origin
 *   redirects → follows them without leaking Authorization across origins
 *   limit     → at most `maxConcurrentPerOrigin` requests in flight per origin
 *   trace     → one event per HTTP exchange, redacted
 *   http      → node:http(s) keep-alive agents
 * Token requests enter below auth, so they are retried, redirected and traced
 * like any other request.
 */
import { NetworkError, UsageError, type RegtagsError } from "./errors.js";
import { withAuth } from "./auth/authenticate.js";
import type { Credential, CredentialResolver } from "./auth/credential.js";
import { TokenCache } from "./auth/token-cache.js";
import { listCatalogPages } from "./listing/catalog.js";
import { fetchTagDigests, type TagDigest } from "./listing/digests.js";
import { fetchTagDetails } from "./vendor/fetch-details.js";
import type { TagDetails } from "./vendor/types.js";
import { listTagPages, type TagPage } from "./listing/list-tags.js";
import { BUILTIN_PROFILES, DEFAULT_TAGS_PAGE_SIZE, findProfile, type RegistryProfile } from "./profiles/profiles.js";
import { isLoopbackRegistry, parseReference, parseRegistryName, type Reference } from "./reference/reference.js";
import { createHttpTransport, NOT_TLS_CODES } from "./transport/http.js";
import { withOriginLimit } from "./transport/limiter.js";
import { withRedirects } from "./transport/redirect.js";
import { abortableSleep, withRetry, type RetryOptions } from "./transport/retry.js";
import { withTrace, type TraceListener } from "./transport/trace.js";
import type { Transport } from "./transport/types.js";

export interface ClientOptions {
  /**
   * Registry name → base URL to contact instead, e.g.
   * `{ "docker.io": "http://127.0.0.1:5000" }` for a local mirror.
   */
  endpoints?: Readonly<Record<string, string>>;
  /** Use http for every registry. @default false */
  plainHttp?: boolean;
  /** Verify TLS certificates. @default true */
  tlsVerify?: boolean;
  /**
   * Send Basic credentials or refresh tokens to a plain-http token realm on a
   * host other than loopback. @default false
   */
  allowInsecureRealm?: boolean;
  /** Username and password for every registry, or a resolver per registry. */
  credentials?: { username: string; password: string } | CredentialResolver;
  /** Receives a redacted event for every exchange and decision. */
  onTrace?: TraceListener;
  /** `n` of the first tags request; null sends none. @default from the registry's profile, else 1000 */
  pageSize?: number | null;
  /** Page cap per listing. @default 100000 */
  maxPages?: number;
  /**
   * Fetch a tag list in this many concurrent ranges when the registry sorts
   * tags by name and honours any `last` (checked by a probe; otherwise, and on
   * any surprise, links are followed one by one). Trades a few extra requests
   * for far fewer round trips. @default 1 (off)
   */
  parallel?: number;
  /** Cap on each tags page body in bytes. @default 256 MiB */
  maxPageBytes?: number;
  retry?: RetryOptions;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /** @default 30000 */
  idleTimeoutMs?: number;
  userAgent?: string;
  /** Requests in flight per origin (digest lookups run this wide). @default 8 */
  maxConcurrentPerOrigin?: number;
  /** Extra client profiles, consulted before the built-in ones. */
  profiles?: readonly RegistryProfile[];
}

export interface ListOptions {
  signal?: AbortSignal;
  pageSize?: number | null;
  maxPages?: number;
  /** Overrides {@link ClientOptions.parallel}. */
  parallel?: number;
}

/** A complete tag list (an incomplete one is an IncompleteListError instead). */
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
  /** Details by tag (active tags only, as the vendor reports them). */
  readonly details: ReadonlyMap<string, TagDetails>;
}

export interface RegtagsClient {
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
  fetchDigests(reference: string | Reference, tags: readonly string[], options?: { signal?: AbortSignal; concurrency?: number }): Promise<TagDigest[]>;
  /**
   * Per-tag details (dates, digests, sizes, platforms) from the registry's
   * vendor API where its profile names one (Docker Hub, Quay, GitHub).
   * `auto` (default) falls back to `source: undefined` when there is no vendor
   * API or it refuses; `vendor` throws instead; `v2` never asks a vendor.
   */
  fetchDetails(reference: string | Reference, options?: { source?: DetailsSource; signal?: AbortSignal }): Promise<TagDetailsResult>;
  /** The base URL regtags contacts for a registry name. */
  endpointFor(registry: string): URL;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Creates a client with its own connections, token cache and backoff state. */
export function createClient(options: ClientOptions = {}): RegtagsClient {
  const profiles = [...(options.profiles ?? []), ...BUILTIN_PROFILES];
  const http = createHttpTransport({
    tlsVerify: options.tlsVerify ?? true,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  });
  const onTrace = options.onTrace;
  let base: Transport = http.send;
  if (onTrace !== undefined) base = withTrace(base, onTrace);
  base = withOriginLimit(base, options.maxConcurrentPerOrigin ?? 8);
  base = withRedirects(base);
  base = withRetry(base, options.retry ?? {}, { sleep: abortableSleep, now: Date.now, random: Math.random, onTrace });

  /** origin → registry name, for origins regtags chose itself (never a server's link target). */
  const registryByOrigin = new Map<string, string>();
  /** Loopback registries that turned out to speak plain http (REF-9). */
  const plainHttpRegistries = new Set<string>();

  const send = withAuth(base, {
    credentials: toResolver(options.credentials),
    registryForOrigin: (origin) => registryByOrigin.get(origin),
    cache: new TokenCache(),
    allowInsecureRealm: options.allowInsecureRealm ?? false,
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
      let yielded = false;
      try {
        for await (const item of walk(endpoint)) {
          yielded = true;
          yield item;
        }
        return;
      } catch (error) {
        if (yielded || !shouldFallBackToHttp(error, endpoint, registry, options)) throw error;
        plainHttpRegistries.add(registry);
        onTrace?.({ type: "endpoint", registry, endpoint: `http://${endpoint.host}`, reason: `https failed (${(error as RegtagsError).code}); a loopback registry may speak plain http (REF-9)` });
      }
    }
  }

  function listTagPagesOf(reference: string | Reference, listOptions: ListOptions = {}) {
    const ref = typeof reference === "string" ? parseReference(reference) : reference;
    const profile = findProfile(ref.registry, profiles);
    const pageSize = listOptions.pageSize !== undefined ? listOptions.pageSize : options.pageSize !== undefined ? options.pageSize : (profile?.tagsPageSize !== undefined ? profile.tagsPageSize : DEFAULT_TAGS_PAGE_SIZE);
    return onEndpoint(ref.registry, (endpoint) => {
      onTrace?.({ type: "endpoint", registry: ref.registry, endpoint: endpoint.origin, reason: profile !== undefined ? `profile ${profile.id}` : "default" });
      return listTagPages(send, {
        endpoint,
        repository: ref.repository,
        subject: ref.name,
        pageSize: pageSize ?? undefined,
        maxPages: listOptions.maxPages ?? options.maxPages ?? 100_000,
        bodyLimitBytes: options.maxPageBytes ?? 256 * 1024 * 1024,
        parallel: listOptions.parallel ?? options.parallel ?? 1,
        signal: listOptions.signal,
        onTrace,
      });
    });
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
        signal: listOptions.signal,
        onTrace,
      }),
    );
    for await (const page of pages) yield page.repositories;
  }

  return {
    listTagPages: listTagPagesOf,
    listRepositoryPages: listRepositoryPagesOf,
    async listRepositories(registry, listOptions) {
      const all: string[] = [];
      for await (const page of listRepositoryPagesOf(registry, listOptions)) all.push(...page);
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
        if (mode === "vendor") throw new UsageError(`${ref.registry} has no known vendor API; use --source v2 or auto`);
        return { source: undefined, details: new Map() };
      }
      const base = vendor.base === undefined ? endpointFor(ref.registry) : endpointFor(new URL(vendor.base).host, vendor.base);
      const credential = vendor.kind === "github" ? await toResolver(options.credentials)?.(ref.registry, ref.repository) : undefined;
      const token = credential?.kind === "basic" ? credential.password : credential?.kind === "registry-token" ? credential.token : undefined;
      const details = new Map<string, TagDetails>();
      try {
        for await (const page of fetchTagDetails(send, { api: vendor.kind, base, repository: ref.repository, subject: ref.name, token, maxPages: options.maxPages ?? 100_000, signal: detailsOptions.signal })) {
          for (const entry of page) if (!details.has(entry.tag)) details.set(entry.tag, entry);
        }
      } catch (error) {
        if (mode === "vendor" || (error as RegtagsError).code === "ERR_ABORTED") throw error;
        onTrace?.({ type: "warning", message: `${ref.name}: the ${vendor.kind} API could not be used (${(error as Error).message}); using the registry API only` });
        return { source: undefined, details: new Map() };
      }
      return { source: vendor.kind, details };
    },
    endpointFor,
    close: () => http.close(),
  };
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
  const credential: Credential = { kind: "basic", username: credentials.username, password: credentials.password, source: "--creds" };
  return async () => credential;
}
