/**
 * Every default of the client and the prober, in one table, each with the
 * reason for its value (as ky's NormalizedOptions and oras' documented zero
 * values do). `resolveClientOptions` (options.ts) applies them once; the
 * layers below receive resolved values. The `@default` tags of
 * {@link ClientOptions} must match this table (options.test.ts checks them).
 * Two defaults live with the code that needs them: the first `n` on a
 * registry with no profile (learned per host: listing/page-size.ts) and the
 * clock (`systemClock`, clock.ts).
 *
 * This module imports nothing, so any layer may read it.
 */

const MiB = 1024 * 1024;

export const DEFAULTS = deepFreeze({
  /** https is what registries speak; a loopback registry falls back to http by itself (REF-9). */
  plainHttp: false,
  /** A registry's certificate is checked like any https server's. */
  tlsVerify: true,
  /** A plain-http token realm on another host would see credentials in clear. */
  allowInsecureRealm: false,
  /** The catalog's default page is 100 and distribution rejects n > 1000 (CAT-1). */
  catalogPageSize: 1000,
  /** Pages per listing: 100 million tags at 1000 a page, yet a server whose links never end stops. */
  maxPages: 100_000,
  /** Ranges cost a probe and a few extra requests: concurrent listing is opted into. */
  parallel: 1,
  /** One page body: a 10 000-tag page is under 1 MB, so only a body that never ends reaches this (bodies are parsed as they arrive). */
  maxPageBytes: 256 * MiB,
  /**
   * Distinct tags per listing. Measured with the CLI on Node 20 (`ls` of an
   * endless list, short tags): about 110 bytes of heap per tag kept, so 2
   * million tags cost about 250 MB, far inside Node's default heap (2 GB and
   * up on 64-bit).
   */
  maxTags: 2_000_000,
  /** Page bytes per listing: ten times the largest real listing we know of (GCR bodies with their `manifest` member); bodies are parsed as they arrive, never held. */
  maxListBytes: 2 * 1024 * MiB,
  retry: {
    /** Attempts in all: three retries ride out a deploy's 502s without hiding an outage for minutes. */
    attempts: 4,
    /** First backoff step, doubling: 0.5, 1, 2 s (with jitter). */
    baseDelayMs: 500,
    /** Longest single wait: a longer Retry-After fails at once saying when to come back. */
    maxDelayMs: 60_000,
  },
  /** TCP + TLS: a reachable registry connects in well under a second even across continents. */
  connectTimeoutMs: 10_000,
  /**
   * Silence while waiting for headers or reading a body. One value for the
   * client and the prober (the prober had 30 s): registries send a tags page's
   * first byte within seconds even for 10 000 tags, and a stalled server must
   * be reported in seconds (twice this with the one retry of a timeout), not
   * in a minute.
   */
  idleTimeoutMs: 10_000,
  /** One whole exchange, body included: a body trickled a few bytes at a time ends here; a real page takes seconds at most. */
  requestTimeoutMs: 60_000,
  rateLimit: {
    /** Spacing requests near the end of a quota beats running into 429s; `reserve` unset is 10% of the limit, at least 5 (rate-limit.ts). */
    pace: true,
  },
  /** A list that is not whole is an error (exit 7) unless the caller accepts partial output. */
  allowPartial: false,
  /** Registries and proxies see which client is asking. */
  userAgent: "regtags",
  /** Requests in flight per origin (RL-4): digest lookups run this wide without hammering one host. */
  maxConcurrentPerOrigin: 8,
  /** Tags whose digests are looked up at once: as wide as one origin allows. */
  digestConcurrency: 8,
  /** Keep-alive sockets per origin: above maxConcurrentPerOrigin, so the limiter, not the pool, queues. */
  connectionsPerOrigin: 16,
  probe: {
    /** One retry of a 429/5xx: a probe reports what a registry does, and more retries only blur its request log. */
    retryAttempts: 2,
  },
});

export type Defaults = typeof DEFAULTS;

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === "object" && inner !== null) deepFreeze(inner);
  return Object.freeze(value);
}
