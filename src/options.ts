/**
 * The options of the client and the prober, and their one resolution: every
 * optional field, `undefined` included, takes its value from {@link DEFAULTS}
 * here and nowhere else, and the layers below receive the resolved object
 * (ky's NormalizedOptions, ggcr's makeOptions).
 */
import type { Credential, CredentialResolver } from "./auth/credential.js";
import { systemClock, type Clock } from "./clock.js";
import { DEFAULTS } from "./defaults.js";
import { InvalidArgumentError, type IncompleteListError } from "./errors.js";
import type { LearnedHints, LearnedSurprise } from "./learned/hints.js";
import type { ListingBudget } from "./listing/budget.js";
import { pickNetworkOptions, type NetworkOptions } from "./network/types.js";
import { BUILTIN_PROFILES, type RegistryProfile } from "./profiles/profiles.js";
import { checkEndpointUrl, ENDPOINT_FORM } from "./reference/endpoint.js";
import type { RateLimitOptions } from "./transport/rate-limit.js";
import type { RetryOptions } from "./transport/retry.js";
import type { TraceListener } from "./transport/trace.js";

/**
 * What every request pipeline takes (the client's and the prober's). The
 * network keys (proxy, noProxy, certDir, certsDirectories, tlsFor, env:
 * issue 11) come from {@link NetworkOptions}; their code loads only when a
 * proxy or extra trust is configured.
 */
export interface PipelineOptions extends NetworkOptions {
  /**
   * Registry name → base URL to contact instead, e.g.
   * `{ "docker.io": "http://127.0.0.1:5000" }` for a local mirror. Each is
   * `http(s)://HOST[:PORT][/PATH]`; anything else (no scheme, another scheme,
   * credentials or a query in it) is an InvalidArgumentError when the client
   * is created.
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
  /** Sent as User-Agent. @default "regtags" */
  userAgent?: string | undefined;
  /** Requests in flight per origin (digest lookups run this wide). @default 8 */
  maxConcurrentPerOrigin?: number | undefined;
  /** Extra client profiles, consulted before the built-in ones. */
  profiles?: readonly RegistryProfile[] | undefined;
  /**
   * The time, sleeps and jitter of every decision (backoff, Retry-After,
   * rate-limit pacing, token expiry); a test passes `VirtualClock` of
   * `regtags/emulator`. Connect, idle and request timeouts stay real timers.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Client options: the pipeline's ({@link PipelineOptions}) and the listings'. */
export interface ClientOptions extends PipelineOptions {
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
   * A listing that stops early (pagination loop, a page with nothing new, a
   * cursor going backwards, the page cap) ends normally after the pages it
   * got, instead of throwing IncompleteListError; {@link onIncomplete} and a
   * warning say so. @default false
   */
  allowPartial?: boolean | undefined;
  /** Called with the reason when {@link allowPartial} cut a listing short. */
  onIncomplete?: ((error: IncompleteListError) => void) | undefined;
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
}

/** {@link RetryOptions} with every field set. */
export type ResolvedRetryOptions = { readonly [K in keyof RetryOptions]-?: NonNullable<RetryOptions[K]> };

/** {@link PipelineOptions} with every default applied. */
export interface ResolvedPipelineOptions {
  readonly network: NetworkOptions;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly plainHttp: boolean;
  readonly tlsVerify: boolean;
  readonly allowInsecureRealm: boolean;
  /** `credentials` as a resolver (a fixed username and password answer every registry). */
  readonly credentials: CredentialResolver | undefined;
  readonly onTrace: TraceListener | undefined;
  readonly retry: ResolvedRetryOptions;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly rateLimit: RateLimitOptions;
  readonly userAgent: string;
  readonly maxConcurrentPerOrigin: number;
  readonly connectionsPerOrigin: number;
  /** The caller's profiles, then the built-in ones. */
  readonly profiles: readonly RegistryProfile[];
  readonly clock: Clock;
}

/** {@link ClientOptions} with every default applied. */
export interface ResolvedClientOptions extends ResolvedPipelineOptions {
  /** undefined: chosen per registry (learned hints, then its profile, else learned per host). */
  readonly pageSize: number | null | undefined;
  readonly maxPages: number;
  readonly parallel: number;
  readonly maxPageBytes: number;
  readonly budget: ListingBudget;
  readonly allowPartial: boolean;
  readonly onIncomplete: ((error: IncompleteListError) => void) | undefined;
  readonly learned: ((registry: string) => LearnedHints | undefined) | undefined;
  readonly onLearnedSurprise: ((registry: string, surprise: LearnedSurprise) => void) | undefined;
}

/**
 * Applies the defaults to the pipeline's options. `retryDefaults` lets the
 * prober keep its own documented retry count (DEFAULTS.probe).
 */
export function resolvePipelineOptions(options: PipelineOptions, retryDefaults: ResolvedRetryOptions = DEFAULTS.retry): ResolvedPipelineOptions {
  const retry = options.retry ?? {};
  return {
    network: pickNetworkOptions(options),
    endpoints: checkedEndpoints(options.endpoints ?? {}),
    plainHttp: options.plainHttp ?? DEFAULTS.plainHttp,
    tlsVerify: options.tlsVerify ?? DEFAULTS.tlsVerify,
    allowInsecureRealm: options.allowInsecureRealm ?? DEFAULTS.allowInsecureRealm,
    credentials: toResolver(options.credentials),
    onTrace: options.onTrace,
    retry: {
      attempts: retry.attempts ?? retryDefaults.attempts,
      baseDelayMs: retry.baseDelayMs ?? retryDefaults.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? retryDefaults.maxDelayMs,
    },
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    rateLimit: { ...options.rateLimit, pace: options.rateLimit?.pace ?? DEFAULTS.rateLimit.pace },
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    maxConcurrentPerOrigin: options.maxConcurrentPerOrigin ?? DEFAULTS.maxConcurrentPerOrigin,
    connectionsPerOrigin: DEFAULTS.connectionsPerOrigin,
    profiles: [...(options.profiles ?? []), ...BUILTIN_PROFILES],
    clock: options.clock ?? systemClock,
  };
}

/** Applies every default of {@link ClientOptions} once (the table is {@link DEFAULTS}). */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  return {
    ...resolvePipelineOptions(options),
    pageSize: options.pageSize,
    maxPages: options.maxPages ?? DEFAULTS.maxPages,
    parallel: options.parallel ?? DEFAULTS.parallel,
    maxPageBytes: options.maxPageBytes ?? DEFAULTS.maxPageBytes,
    budget: { maxEntries: options.maxTags ?? DEFAULTS.maxTags, maxBytes: options.maxListBytes ?? DEFAULTS.maxListBytes },
    allowPartial: options.allowPartial ?? DEFAULTS.allowPartial,
    onIncomplete: options.onIncomplete,
    learned: options.learned,
    onLearnedSurprise: options.onLearnedSurprise,
  };
}

/** A fixed username and password become a resolver that answers every registry with them. */
function toResolver(credentials: PipelineOptions["credentials"]): CredentialResolver | undefined {
  if (credentials === undefined || typeof credentials === "function") return credentials;
  const credential: Credential = { kind: "basic", username: credentials.username, password: credentials.password, source: "the credentials option" };
  return async () => credential;
}

/**
 * The endpoints as given, once each is known to be an http(s) URL: a
 * schemeless `mirror:5000` or an `ftp://` URL fails here, at the call that
 * gave it, not as a confusing network error on the first request.
 */
function checkedEndpoints(endpoints: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [registry, url] of Object.entries(endpoints)) {
    const problem = typeof url === "string" ? checkEndpointUrl(url) : "it is not a string";
    if (problem !== undefined) throw new InvalidArgumentError(`endpoints[${JSON.stringify(registry)}]: ${problem}; expected ${ENDPOINT_FORM}`);
  }
  return endpoints;
}
