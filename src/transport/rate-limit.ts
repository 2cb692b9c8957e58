/**
 * Rate-limit headers (RL-1) and pacing. Docker Hub sends
 * `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 76;w=21600` with
 * `docker-ratelimit-source` (docs.docker.com, "Docker Hub usage and limits");
 * GitHub-style APIs send `x-ratelimit-limit`, `x-ratelimit-remaining` and
 * `x-ratelimit-reset` (epoch seconds); the IETF draft (httpapi-ratelimit-headers
 * -07) sends `ratelimit-reset` as delta seconds. Absent headers mean no known
 * limit; no limit is hard-coded.
 *
 * {@link withRateLimit} reports what each response says (a `rate-limit` trace
 * event) and, once the quota is seen to shrink with our own requests and only a
 * small reserve is left, spaces the requests to that origin so that what
 * remains lasts until the quota resets, instead of running into 429s. Hub's
 * pull quota does not shrink with tag listings or HEAD requests (neither counts
 * as a pull), so it is shown and never slows regtags down.
 */
import { DEFAULTS } from "../defaults.js";
import { RateLimitError } from "../errors.js";
import { redactUrl, type TraceListener } from "./trace.js";
import { escapeServerText } from "../text/safe-text.js";
import type { ResponseHeaders, Transport, TransportRequest } from "./types.js";

export interface RateLimitInfo {
  /** Requests allowed per window, when the registry says. */
  readonly limit: number | undefined;
  readonly remaining: number;
  /** Window length in seconds (`;w=` of Hub's headers), when the registry says. */
  readonly windowSeconds: number | undefined;
  /** Epoch ms at which the quota resets, when the registry says. */
  readonly resetAt: number | undefined;
  /** `docker-ratelimit-source`: whom Hub counts (an IP address or account id). */
  readonly source: string | undefined;
}

/** An unsigned integer of at most 15 digits, else undefined (never NaN or Infinity). */
function count(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d{1,15})\s*$/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** `100;w=21600` → { value: 100, window: 21600 }; anything else after `;` is ignored. */
function quotaValue(text: string | undefined): { value: number | undefined; window: number | undefined } {
  if (text === undefined || text.length > 200) return { value: undefined, window: undefined };
  const [head, ...params] = text.split(";");
  let window: number | undefined;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === "w") window = count(param.slice(eq + 1));
  }
  return { value: count(head), window };
}

/**
 * Pure: the rate-limit state a response announces, or undefined when it
 * carries no remaining count. `x-ratelimit-reset` above 10^9 is epoch
 * seconds, else (like `ratelimit-reset`) seconds from now.
 */
export function parseRateLimit(headers: Pick<ResponseHeaders, "get">, nowMs: number): RateLimitInfo | undefined {
  const hub = quotaValue(headers.get("ratelimit-remaining"));
  const x = quotaValue(headers.get("x-ratelimit-remaining"));
  const useHub = hub.value !== undefined;
  const remaining = useHub ? hub.value : x.value;
  if (remaining === undefined) return undefined;
  const limit = quotaValue(headers.get(useHub ? "ratelimit-limit" : "x-ratelimit-limit"));
  const reset = count(headers.get(useHub ? "ratelimit-reset" : "x-ratelimit-reset"));
  const resetAt = reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : nowMs + reset * 1000;
  const source = headers.get("docker-ratelimit-source");
  return {
    limit: limit.value,
    remaining,
    windowSeconds: (useHub ? hub.window : x.window) ?? limit.window,
    resetAt,
    source: source === undefined ? undefined : escapeServerText(source, 100),
  };
}

/** "limit 100 per 21600 s, 0 remaining, source 1.2.3.4" */
export function describeQuota(info: RateLimitInfo): string {
  const parts = [
    info.limit !== undefined ? `limit ${info.limit}${info.windowSeconds !== undefined ? ` per ${formatSeconds(info.windowSeconds)}` : ""}` : undefined,
    `${info.remaining} remaining`,
    info.source !== undefined ? `counted for ${info.source}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(", ");
}

/** 45 → "45 s", 90 → "1.5 min", 3600 → "1 h", 21600 → "6 h". */
export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 3600) return `${Math.round(seconds / 6) / 10} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

export interface RateLimitOptions {
  /**
   * Start spacing requests when at most this many remain of a quota that our
   * requests are seen to consume. @default 10% of the limit, at least 5
   */
  reserve?: number | undefined;
  /** false: only report the headers, never slow down. @default true */
  pace?: boolean | undefined;
}

export interface RateLimitDeps {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** Cap on one wait (the retry cap); a longer one fails at once with RateLimitError. */
  maxWaitMs: number;
  onTrace?: TraceListener | undefined;
}

interface OriginState {
  info: RateLimitInfo;
  /** The remaining count went down between two of our responses: our requests count. */
  consuming: boolean;
  /** When the last paced request was let through. */
  lastSlot: number;
  announced: boolean;
}

/** Reports rate-limit headers and paces requests to an origin near the end of its quota. */
export function withRateLimit(next: Transport, options: RateLimitOptions, deps: RateLimitDeps): Transport {
  const states = new Map<string, OriginState>();
  const pace = options.pace ?? DEFAULTS.rateLimit.pace;

  const reserveOf = (info: RateLimitInfo) => options.reserve ?? Math.max(5, Math.ceil((info.limit ?? 0) / 10));

  /**
   * How long to wait before the next request to `origin`, 0 when not pacing.
   * A wait past the cap (--retry-max-wait) is not waited, nor shortened: a
   * quota with a few requests left and a reset days away would otherwise slow
   * every later request down to the cap (69 days for a long listing), and
   * shortening it would only run into the 429 the pacing avoids. The request
   * fails at once with RateLimitError saying when the quota resets, as a long
   * Retry-After does.
   */
  const waitFor = (req: TransportRequest): number => {
    const origin = req.url.origin;
    const state = states.get(origin);
    if (!pace || state === undefined || !state.consuming) return 0;
    const { info } = state;
    if (info.remaining > reserveOf(info)) return 0;
    const now = deps.now();
    const untilReset = info.resetAt !== undefined ? info.resetAt - now : info.windowSeconds !== undefined ? info.windowSeconds * 1000 : undefined;
    if (untilReset === undefined || untilReset <= 0) return 0;
    const spacing = untilReset / (info.remaining + 1);
    // Nothing left: wait for the reset itself; else space what is left over the time to it.
    const slot = info.remaining === 0 ? now + untilReset : Math.max(now, state.lastSlot + spacing);
    const wait = slot - now;
    if (wait > deps.maxWaitMs) {
      const resetAt = now + untilReset;
      const left = `${info.remaining}${info.limit !== undefined ? ` of ${info.limit}` : ""} requests left`;
      throw new RateLimitError(
        `${req.method} ${redactUrl(req.url)}: not sent: ${req.url.host} has ${left} until its quota resets in ${formatSeconds(untilReset / 1000)}, and staying under it means waiting ${formatSeconds(wait / 1000)} first, longer than the ${formatSeconds(deps.maxWaitMs / 1000)} cap on a wait (the retry.maxDelayMs option); retry after ${new Date(resetAt).toISOString()}`,
        resetAt,
      );
    }
    state.lastSlot = now + wait;
    if (!state.announced && wait > 0) {
      state.announced = true;
      deps.onTrace?.({
        type: "warning",
        message: `${new URL(origin).host}: ${info.remaining}${info.limit !== undefined ? ` of ${info.limit}` : ""} requests left until the quota resets in ${formatSeconds(untilReset / 1000)}; spacing requests ${formatSeconds(spacing / 1000)} apart to stay under the limit`,
      });
    }
    return wait;
  };

  return async (req) => {
    const wait = waitFor(req);
    if (wait > 0) await deps.sleep(wait, req.signal);
    const res = await next(req);
    const info = parseRateLimit(res.headers, deps.now());
    if (info !== undefined) {
      const origin = res.url.origin;
      const previous = states.get(origin);
      const sameWindow = previous !== undefined && (previous.info.resetAt === undefined || info.resetAt === undefined || Math.abs(previous.info.resetAt - info.resetAt) < 2000);
      const consuming = previous !== undefined && (previous.consuming || (sameWindow && info.remaining < previous.info.remaining));
      states.set(origin, { info, consuming, lastSlot: previous?.lastSlot ?? 0, announced: previous?.announced ?? false });
      deps.onTrace?.({
        type: "rate-limit",
        url: redactUrl(res.url),
        limit: info.limit,
        remaining: info.remaining,
        windowSeconds: info.windowSeconds,
        resetInSeconds: info.resetAt === undefined ? undefined : Math.max(0, Math.round((info.resetAt - deps.now()) / 1000)),
        source: info.source,
      });
    }
    return res;
  };
}
