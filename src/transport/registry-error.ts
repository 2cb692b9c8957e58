/**
 * The only path from an unexpected registry response to a typed error
 * (ERR-1..ERR-5). Status decides first, the body's `errors[].code` refines,
 * and non-JSON bodies (quay's `true`, Hub's text/plain 429, AR's HTML) become
 * a short excerpt in the message. A 401 normally never gets here: the auth
 * layer answers it or throws its own AuthError with the challenge's error=.
 */
import { AuthError, RegistryError, type RegistryErrorDetail, type RegtagsError } from "../errors.js";
import { escapeServerText, quoteServerText, SERVER_TEXT_LIMIT } from "../text/safe-text.js";
import { describeQuota, formatSeconds, parseRateLimit } from "./rate-limit.js";
import { redactUrl } from "./trace.js";
import type { TransportRequest, TransportResponse } from "./types.js";

/** Error bodies are read up to this many bytes (ggcr's CheckError uses the same 64 KiB). */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Pure: the `errors[]` of an OCI error body, or [] when the body is not one. */
export function parseErrorBody(text: string): RegistryErrorDetail[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = (parsed as { errors?: unknown })?.errors;
  if (!Array.isArray(list)) return [];
  const details: RegistryErrorDetail[] = [];
  for (const entry of list) {
    if (typeof entry !== "object" || entry === null) continue;
    const { code, message, detail } = entry as Record<string, unknown>;
    details.push({
      code: typeof code === "string" && code !== "" ? code : "UNKNOWN",
      message: typeof message === "string" ? message : "",
      ...(detail !== undefined ? { detail } : {}),
    });
  }
  return details;
}

/** What the failing request was about, for the message. */
export interface ErrorContext {
  /** e.g. "docker.io/library/ubuntu" */
  readonly subject: string;
  /** The client's clock, for messages that say when a limit resets. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** Reads a bounded body excerpt and builds the error for an unexpected status. */
export async function errorFromResponse(
  req: TransportRequest,
  res: TransportResponse,
  context: ErrorContext,
): Promise<RegtagsError> {
  let text = "";
  if (req.method === "HEAD") {
    await res.discard();
  } else {
    try {
      text = await res.text(ERROR_BODY_LIMIT);
    } catch {
      text = "";
    }
  }
  const errors = parseErrorBody(text);
  const url = redactUrl(res.url);
  const codes = errors.map((e) => e.code).join(", ");
  const firstMessage = errors.find((e) => e.message !== "")?.message;
  // The registry's own words, escaped and capped: they may hold ESC sequences, newlines or bidi overrides.
  const why = errors.length > 0 ? escapeServerText(`${codes}${firstMessage ? `: ${firstMessage}` : ""}`, SERVER_TEXT_LIMIT) : excerpt(text);
  const status = res.status;
  const tail = why === "" ? "" : ` (${status} ${why})`;
  const details = { status, method: req.method, url, errors };

  if (status === 401 || status === 403) {
    const message =
      status === 401
        ? `${context.subject}: authentication required or repository does not exist${tail}; if it is private, log in (docker login) or pass the credentials option`
        : `${context.subject}: access denied${tail}; check that your credentials may pull this repository`;
    return new AuthError(message, { status });
  }
  if (status === 404) {
    return new RegistryError("ERR_NOT_FOUND", `${context.subject}: repository not found${tail} at ${url}`, details);
  }
  if (status === 429) {
    return new RegistryError("ERR_RATE_LIMITED", `${context.subject}: rate limited by ${res.url.host}${explainRateLimit(res, errors, tail, (context.now ?? Date.now)())}`, details);
  }
  return new RegistryError("ERR_REGISTRY", `${context.subject}: ${req.method} ${url} failed${tail || ` (${status})`}`, details);
}

/** The start of a non-JSON body, on one line, quoted and escaped (at most 120 characters of it). */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat === "" ? "" : `body: ${quoteServerText(flat, 120)}`;
}

/**
 * Which limit a 429 hit and when it resets (RL-1, RL-3). Docker Hub has two
 * 429s: the pull rate limit (JSON TOOMANYREQUESTS "You have reached your pull
 * rate limit", with `ratelimit-*` headers) and a plain anti-abuse 429
 * (text/plain, `Retry-After: 60`); elsewhere an exhausted quota shows in
 * `x-ratelimit-*` headers, or only Retry-After says anything.
 */
export function explainRateLimit(res: TransportResponse, errors: readonly { code: string; message: string }[], tail: string, nowMs: number): string {
  const quota = parseRateLimit(res.headers, nowMs);
  const retryAfter = res.headers.get("retry-after");
  const pullLimit = errors.some((e) => /pull rate limit/i.test(e.message));
  const which = pullLimit
    ? ": Docker Hub's pull rate limit"
    : quota !== undefined && quota.remaining === 0
      ? ": the request quota is used up"
      : "";
  const counts = quota !== undefined ? `; ${describeQuota(quota)}` : "";
  let reset = "";
  if (retryAfter !== undefined) reset = `; the registry says retry after ${escapeServerText(retryAfter, 64)}`;
  else if (quota?.resetAt !== undefined) reset = `; it resets in ${formatSeconds(Math.max(0, (quota.resetAt - nowMs) / 1000))} (${new Date(quota.resetAt).toISOString()})`;
  else if (quota?.windowSeconds !== undefined) reset = `; the quota is counted over ${formatSeconds(quota.windowSeconds)}`;
  const advice = pullLimit ? "; log in (docker login, or the credentials option) for a higher limit" : "";
  return `${which}${tail}${counts}${reset}${advice}`;
}
