/**
 * The one request pipeline, built here for the client (client.ts) and the
 * prober (probe/probe.ts) alike, from resolved options (options.ts).
 *
 * Outermost first (every request regtags makes goes through it):
 *   auth      → answers 401s with tokens or Basic credentials (auth/); `send` only
 *   observe   → the caller's look at each answer before auth (401s included)
 *   retry     → backs off on 408/429/5xx and connection failures, per origin
 *   rate      → reports rate-limit headers; spaces requests near the end of a quota
 *   redirects → follows them without leaking Authorization across origins
 *   limit     → at most `maxConcurrentPerOrigin` requests in flight per origin
 *   trace     → one event per HTTP exchange, redacted
 *   deadline  → each exchange, body included, within `requestTimeoutMs`
 *   capture   → remembers every secret sent, so no event or error shows a server's echo of it
 *   http      → node:http(s) keep-alive agents, with proxy and trust routes
 * Token requests enter below auth, so they are retried, redirected and traced
 * like any other request. The prober uses `base` (everything but auth): it
 * must see raw 401s and asks the token endpoint itself.
 */
import { withAuth } from "./auth/authenticate.js";
import { TokenCache } from "./auth/token-cache.js";
import { clockFunctions } from "./clock.js";
import { NetworkError, type RegtagsError } from "./errors.js";
import type { ResolvedPipelineOptions } from "./options.js";
import { findProfile } from "./profiles/profiles.js";
import { isLoopbackRegistry } from "./reference/reference.js";
import { withDeadline } from "./transport/deadline.js";
import { scrubError, type SecretEchoes } from "./transport/echo-guard.js";
import { createGuardedHttp } from "./transport/guarded-http.js";
import { NOT_TLS_CODES } from "./transport/http.js";
import { withOriginLimit } from "./transport/limiter.js";
import { withRateLimit } from "./transport/rate-limit.js";
import { withRedirects } from "./transport/redirect.js";
import { withRetry } from "./transport/retry.js";
import { withTrace, type TraceListener } from "./transport/trace.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport/types.js";

export interface PipelineHooks {
  /** Sees every answer below auth (a 401 before auth answers it), with the request that got it. */
  readonly observe?: (req: TransportRequest, res: TransportResponse) => void;
}

export interface Pipeline {
  /** The whole pipeline, auth included. */
  readonly send: Transport;
  /** Everything below auth: webhooks (no registry credential may reach them) and the prober. */
  readonly base: Transport;
  /**
   * The base URL for a registry (or vendor API) name: `endpoints` first, then
   * `fallback` or the profile's endpoint, then https://NAME; http under
   * `plainHttp` or once a loopback registry was found to speak it (REF-9).
   */
  endpointFor(registry: string, fallback?: string): URL;
  /** The registry an origin regtags chose itself belongs to (never a server's link target). */
  registryForOrigin(origin: string): string | undefined;
  /**
   * Runs a walk against a registry's endpoint. Docker's rule for loopback
   * registries (REF-9): try https, and when the server does not speak TLS
   * there, run the walk again over http (nothing was yielded yet); the second
   * run gets the reason as `fellBack`. Errors leave scrubbed of echoed secrets.
   */
  onEndpoint<T>(registry: string, walk: (endpoint: URL, fellBack?: string) => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined>;
  /** Hosts of the registries at hand and their token realms: `certDir` applies to these only. */
  readonly registryHosts: Set<string>;
  /** Every secret sent so far, to scrub errors and findings with. */
  readonly echoes: SecretEchoes;
  /** The caller's trace listener behind the scrubber, or undefined. */
  readonly onTrace: TraceListener | undefined;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Builds the pipeline of {@link Pipeline}; close it when done. */
export function buildPipeline(options: ResolvedPipelineOptions, hooks: PipelineHooks = {}): Pipeline {
  // The echo guard (issue 10) and the routes (issue 11) at the bottom.
  const http = createGuardedHttp(
    options.network,
    { tlsVerify: options.tlsVerify, connectTimeoutMs: options.connectTimeoutMs, idleTimeoutMs: options.idleTimeoutMs, userAgent: options.userAgent, connectionsPerOrigin: options.connectionsPerOrigin },
    options.onTrace,
  );
  const { echoes, onTrace, registryHosts } = http;
  // The one place time and chance enter the pipeline.
  const clock = clockFunctions(options.clock);
  let base: Transport = withDeadline(http.send, options.requestTimeoutMs);
  if (onTrace !== undefined) base = withTrace(base, onTrace);
  base = withOriginLimit(base, options.maxConcurrentPerOrigin);
  base = withRedirects(base);
  base = withRateLimit(base, options.rateLimit, { sleep: clock.sleep, now: clock.now, maxWaitMs: options.retry.maxDelayMs, onTrace });
  base = withRetry(base, options.retry, { sleep: clock.sleep, now: clock.now, random: clock.random, onTrace });
  const observe = hooks.observe;
  if (observe !== undefined) {
    const unobserved = base;
    base = async (req) => {
      const res = await unobserved(req);
      observe(req, res);
      return res;
    };
  }

  /** origin → registry name, for origins regtags chose itself. */
  const registryByOrigin = new Map<string, string>();
  /** Loopback registries that turned out to speak plain http (REF-9). */
  const plainHttpRegistries = new Set<string>();

  const send = withAuth(base, {
    credentials: options.credentials,
    registryForOrigin: (origin) => registryByOrigin.get(origin),
    cache: new TokenCache(clock.now),
    now: clock.now,
    allowInsecureRealm: options.allowInsecureRealm,
    // A registry's token realm is part of "the registry at hand" (certDir).
    onRealm: (realm, origin) => {
      if (registryHosts.has(new URL(origin).host)) registryHosts.add(realm.host);
    },
    onTrace,
  });

  const endpointFor = (registry: string, fallback?: string): URL => {
    const explicit = options.endpoints[registry];
    let url: URL;
    if (explicit !== undefined) {
      url = new URL(explicit); // an http(s) URL: options.ts checked it
    } else {
      url = new URL(fallback ?? findProfile(registry, options.profiles)?.endpoint ?? `https://${registry}`);
      if (plainHttpRegistries.has(registry)) url.protocol = "http:";
    }
    if (options.plainHttp) url.protocol = "http:";
    registryByOrigin.set(url.origin, registry);
    return url;
  };

  /** Docker's rule (REF-9): only a loopback registry chosen by name, and only when the server does not speak TLS (a bad certificate stays a TLS error). */
  const shouldFallBackToHttp = (error: unknown, endpoint: URL, registry: string): boolean =>
    endpoint.protocol === "https:" &&
    options.endpoints[registry] === undefined &&
    isLoopbackRegistry(registry) &&
    error instanceof NetworkError &&
    NOT_TLS_CODES.has(error.systemCode ?? "");

  async function* onEndpoint<T>(registry: string, walk: (endpoint: URL, fellBack?: string) => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
    let fellBack: string | undefined;
    for (;;) {
      const endpoint = endpointFor(registry);
      registryHosts.add(endpoint.host);
      let yielded = false;
      try {
        for await (const item of walk(endpoint, fellBack)) {
          yielded = true;
          yield item;
        }
        return;
      } catch (error) {
        if (yielded || !shouldFallBackToHttp(error, endpoint, registry)) throw scrubError(error, echoes);
        plainHttpRegistries.add(registry);
        fellBack = `https failed (${(error as RegtagsError).code}); a loopback registry may speak plain http (REF-9)`;
        onTrace?.({ type: "endpoint", registry, endpoint: `http://${endpoint.host}`, reason: fellBack });
      }
    }
  }

  return {
    send,
    base,
    endpointFor,
    registryForOrigin: (origin) => registryByOrigin.get(origin),
    onEndpoint,
    registryHosts,
    echoes,
    onTrace,
    close: () => http.close(),
  };
}
