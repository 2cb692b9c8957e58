/**
 * The probe's request plan: a short, bounded sequence of requests that tells
 * how one registry behaves, documented here as data (and in the README's
 * "Probe" section). It never lists a repository page by page: at most
 * {@link PROBE_REQUEST_BUDGET} requests per registry, whatever its size.
 * Pure: the search for the largest honoured `n` is decided here, the
 * requests are made by probe.ts.
 */

/** One step of the plan. */
export type ProbeStepId =
  | "ping"
  | "tags-anonymous"
  | "token"
  | "tags-default"
  | "tags-n1"
  | "tags-next"
  | "tags-n0"
  | "tags-large"
  | "tags-search"
  | "catalog-token"
  | "catalog";

export interface ProbeStep {
  readonly id: ProbeStepId;
  /** The request, as a human reads it. */
  readonly request: string;
  /** When it is sent. */
  readonly when: string;
  /** What the answer tells. */
  readonly learns: string;
  /** At most this many requests. */
  readonly max: number;
}

/** `n` of the "too large" request. */
export const DEFAULT_LARGE_N = 10_000;

/** Page sizes tried, largest first, when the large `n` is refused (common registry limits). */
export const SEARCH_LADDER: readonly number[] = [1000, 100, 50, 10];

/** Requests spent at most on finding the largest honoured `n` after a refusal. */
export const MAX_SEARCH_REQUESTS = 3;

/** The documented sequence, in order. */
export const PROBE_PLAN: readonly ProbeStep[] = [
  {
    id: "ping",
    request: "GET /v2/ (no credentials)",
    when: "always",
    learns: "ping status, the raw and parsed challenge (scheme, realm, service, ping scope), non-JSON 401 bodies",
    max: 1,
  },
  {
    id: "tags-anonymous",
    request: "GET /v2/<repo>/tags/list (no n, no credentials)",
    when: "always",
    learns: "whether anonymous reads work without a token; the repository challenge (scope, error=); when it answers 200, the default page size",
    max: 1,
  },
  {
    id: "token",
    request: "GET <realm>?service=<service>&scope=repository:<repo>:pull (Basic credentials if given)",
    when: "when a Bearer challenge was seen (on the ping or the tags request)",
    learns: "token endpoint, response fields present (token, access_token, expires_in, issued_at), lifetime announced and applied",
    max: 1,
  },
  {
    id: "tags-default",
    request: "GET /v2/<repo>/tags/list (no n) with the token or Basic credentials",
    when: "only when the anonymous request was refused",
    learns: "default page size: the size of the first page when it links on, else 'all'",
    max: 1,
  },
  {
    id: "tags-n1",
    request: "GET /v2/<repo>/tags/list?n=1",
    when: "when the default page was read",
    learns: "whether n is honoured; Link form (relative/absolute), parameter order, n in links, cursor kind (last=<tag> or opaque)",
    max: 1,
  },
  {
    id: "tags-next",
    request: "the n=1 page's next link, once (or ?n=1&last=<tag> when n is honoured without any Link)",
    when: "when n=1 was honoured",
    learns: "the cursor works; order across pages",
    max: 1,
  },
  {
    id: "tags-n0",
    request: "GET /v2/<repo>/tags/list?n=0",
    when: "when the default page was read",
    learns: "what n=0 returns: empty (spec), the default page (ghcr), everything, or an error",
    max: 1,
  },
  {
    id: "tags-large",
    request: "GET /v2/<repo>/tags/list?n=10000",
    when: "unless n=1 showed that n is ignored (then it would be one more full listing)",
    learns: "how a too-large n is answered: honoured, clamped (fewer entries and a link), or refused (400, 405, 413)",
    max: 1,
  },
  {
    id: "tags-search",
    request: "GET /v2/<repo>/tags/list?n=<1000, 100, 50, 10, then largest honoured + 1>",
    when: "only when the large n was refused",
    learns: "the largest n honoured (exact when largest + 1 is refused)",
    max: MAX_SEARCH_REQUESTS,
  },
  {
    id: "catalog-token",
    request: "GET <realm>?service=<service>&scope=registry:catalog:*",
    when: "when the registry uses Bearer tokens",
    learns: "whether the token service grants the catalog scope",
    max: 1,
  },
  {
    id: "catalog",
    request: "GET /v2/_catalog?n=1",
    when: "always",
    learns: "whether _catalog is supported, or refused (401 insufficient_scope, 403, 404)",
    max: 1,
  },
];

/** Requests per registry at most (retries of 429/5xx and failed TLS attempts aside). */
export const PROBE_REQUEST_BUDGET: number = PROBE_PLAN.reduce((sum, step) => sum + step.max, 0);

/** How one request of the search (or the large request) came out. */
export interface SearchOutcome {
  readonly n: number;
  /** `honoured`: n entries, or the whole repository; `clamped`: fewer with a link; `refused`: 400/405/413…; `other`: any other failure. */
  readonly outcome: "honoured" | "clamped" | "refused" | "other";
}

/**
 * The next `n` to try after the large `n` was refused, or undefined to stop:
 * down the ladder below the smallest refused size until one is honoured, then
 * once `largest + 1` to show that the limit is exact. At most
 * {@link MAX_SEARCH_REQUESTS} requests; a clamp or any other failure ends it.
 */
export function nextSearchSize(history: readonly SearchOutcome[], maxRequests: number = MAX_SEARCH_REQUESTS): number | undefined {
  const searched = history.length - 1; // the first entry is the large request
  if (searched >= maxRequests) return undefined;
  if (history.some((h) => h.outcome === "clamped" || h.outcome === "other")) return undefined;
  const refused = history.filter((h) => h.outcome === "refused").map((h) => h.n);
  if (refused.length === 0) return undefined;
  const smallestRefused = refused.reduce((a, b) => Math.min(a, b));
  const honoured = history.filter((h) => h.outcome === "honoured").map((h) => h.n);
  const tried = new Set(history.map((h) => h.n));
  if (honoured.length > 0) {
    const largest = honoured.reduce((a, b) => Math.max(a, b));
    const next = largest + 1;
    return next < smallestRefused && !tried.has(next) ? next : undefined;
  }
  return SEARCH_LADDER.find((n) => n < smallestRefused && !tried.has(n));
}
