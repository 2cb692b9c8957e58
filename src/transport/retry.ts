/**
 * Retries idempotent requests (GET, HEAD) on 408, 429, 500, 502, 503, 504 and
 * on connection failures, with exponential backoff and full jitter, honouring
 * Retry-After (RL-2). Backoff is shared per origin: when one request is told
 * to wait, every request to that origin waits with it.
 *
 * - A 429 without Retry-After whose rate-limit headers say "0 remaining, resets
 *   at T" waits until T (RL-1).
 * - A wait the server asks for beyond `maxDelayMs` is not shortened (retrying
 *   early only earns another 429; oras caps Retry-After at 3 s): the response
 *   is returned at once, and its error says when to come back.
 * - A timeout (connect, idle or whole-request) is retried once: a server that
 *   stalls twice in a row is down, and the user should hear so within seconds.
 */
import { DEFAULTS } from "../defaults.js";
import { AbortedError, isRegtagsError, type NetworkError } from "../errors.js";
import { parseRateLimit } from "./rate-limit.js";
import { parseRetryAfter } from "./retry-after.js";
import { redactUrl, type TraceListener } from "./trace.js";
import type { Transport, TransportResponse } from "./types.js";

export interface RetryOptions {
  /** Attempts in all, the first included. @default 4 */
  attempts?: number | undefined;
  /** First backoff step in ms; doubles each attempt. @default 500 */
  baseDelayMs?: number | undefined;
  /**
   * Cap on any single wait. A longer Retry-After (or rate-limit reset) is not
   * waited for: the request fails at once saying when to retry. @default 60000
   */
  maxDelayMs?: number | undefined;
}

export interface RetryDeps {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
  onTrace?: TraceListener | undefined;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Waits shown to the user on stderr past this length (the "a couple of seconds"). */
export const ANNOUNCE_WAIT_MS = 2000;

export function withRetry(next: Transport, options: RetryOptions, deps: RetryDeps): Transport {
  const attempts = Math.max(1, options.attempts ?? DEFAULTS.retry.attempts);
  const base = options.baseDelayMs ?? DEFAULTS.retry.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULTS.retry.maxDelayMs;
  const notBefore = new Map<string, number>();

  const waitForOrigin = async (origin: string, signal: AbortSignal | undefined) => {
    const until = notBefore.get(origin);
    if (until === undefined) return;
    const wait = until - deps.now();
    if (wait > 0) await deps.sleep(wait, signal);
  };

  return async (req) => {
    const idempotent = req.method === "GET" || req.method === "HEAD" || req.idempotent === true;
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      await waitForOrigin(req.url.origin, req.signal);
      let response: TransportResponse | undefined;
      let failure: unknown;
      try {
        response = await next(req);
      } catch (error) {
        failure = error;
      }
      const timedOut = response === undefined && isTimeoutError(failure);
      if (timedOut) timeouts++;
      const how = retryability(response !== undefined ? response.status : failure);
      const retryable = idempotent && attempt < attempts && (how === "backoff" || (how === "once" && timeouts <= 1));
      if (!retryable) {
        if (response !== undefined) return response;
        throw failure;
      }
      const backoff = Math.min(cap, base * 2 ** (attempt - 1));
      const told = response === undefined ? undefined : toldWait(response, deps.now());
      if (told !== undefined && told > cap) {
        // Waiting less than asked only earns another refusal: hand the answer back now.
        deps.onTrace?.({
          type: "warning",
          message: `${req.url.host}: status ${response?.status}; the registry asks to wait ${Math.ceil(told / 1000)} s, longer than the ${Math.round(cap / 1000)} s cap on a wait (the retry.maxDelayMs option): not retrying`,
        });
        return response as TransportResponse;
      }
      const wait = Math.min(cap, told ?? Math.round(backoff / 2 + (deps.random() * backoff) / 2));
      const reason = response !== undefined ? `status ${response.status}` : (failure as Error).message;
      await response?.discard();
      notBefore.set(req.url.origin, Math.max(notBefore.get(req.url.origin) ?? 0, deps.now() + wait));
      deps.onTrace?.({ type: "retry", method: req.method, url: redactUrl(req.url), attempt, waitMs: wait, reason });
      if (wait >= ANNOUNCE_WAIT_MS) {
        deps.onTrace?.({
          type: "warning",
          message: `${req.url.host}: ${reason}; waiting ${(wait / 1000).toFixed(1)} s before retry ${attempt}/${attempts - 1}`,
        });
      }
      if (req.signal?.aborted) throw new AbortedError({ cause: req.signal.reason });
    }
  };
}

/** The wait a response asks for: Retry-After, else (429) the reset of an exhausted rate limit. */
function toldWait(response: TransportResponse, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), nowMs);
  if (retryAfter !== undefined || response.status !== 429) return retryAfter;
  const quota = parseRateLimit(response.headers, nowMs);
  if (quota === undefined || quota.remaining > 0 || quota.resetAt === undefined) return undefined;
  const wait = quota.resetAt - nowMs;
  return wait > 0 ? wait : undefined;
}

/**
 * How a failed exchange may be tried again: the one answer for the transport
 * (above), the page walker (a page body that breaks off) and the range walker
 * (whether to go on link by link). Give it a status or an error.
 * - `backoff`: the same request again after a backoff: 408, 429, 500, 502,
 *   503, 504 (RFC 9110 §15.5.9, §15.6; RL-2), a reset or refused connection.
 * - `once`: the same request again, once: a connect, idle or whole-request
 *   timeout (a server that stalls twice in a row is down).
 * - `differently`: the registry answered this request for good (any other
 *   status, a body that is no list): the same request gets the same answer,
 *   another may not (a smaller `n`, links instead of ranges).
 * - `never`: nothing to try again (credentials, TLS, proxy, an abort, a
 *   budget, a rate limit already waited out, a bug).
 */
export type Retryability = "backoff" | "once" | "differently" | "never";

export function retryability(outcome: number | unknown): Retryability {
  if (typeof outcome === "number") return RETRYABLE_STATUSES.has(outcome) ? "backoff" : "differently";
  if (!isRegtagsError(outcome)) return "never";
  switch (outcome.code) {
    case "ERR_NETWORK":
      return isTimeoutError(outcome) ? "once" : "backoff";
    case "ERR_REGISTRY":
    case "ERR_NOT_FOUND": {
      const status = (outcome as { status?: unknown }).status;
      return typeof status === "number" ? retryability(status) : "differently";
    }
    case "ERR_PROTOCOL":
      return "differently";
    default:
      return "never";
  }
}

/** A connect, idle or whole-request timeout (as opposed to a reset or refusal). */
export function isTimeoutError(error: unknown): boolean {
  if (!isRegtagsError(error) || error.code !== "ERR_NETWORK") return false;
  const code = (error as NetworkError).systemCode ?? "";
  return /TIMEOUT|TIMEDOUT/i.test(code);
}
