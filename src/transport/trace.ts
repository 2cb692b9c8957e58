/**
 * Trace events: what regtags did and learnt, built already redacted so a
 * listener can print them as they are. Authorization shows only its scheme;
 * query keys outside an allowlist are hidden (as ggcr's internal/redact).
 */
import { escapeServerText } from "../text/safe-text.js";
import type { Transport } from "./types.js";

/** Longest header value a response event shows (a long Link or challenge is cut, saying how much). */
export const TRACED_HEADER_LIMIT = 500;

export type TraceEvent =
  | { type: "request"; id: number; method: string; url: string; authorization: string; purpose: string }
  | {
      type: "response";
      id: number;
      method: string;
      url: string;
      status: number;
      ms: number;
      /** Headers that explain a decision (challenge, link, rate limits, location…). */
      headers: Record<string, string>;
    }
  | { type: "error"; id: number; method: string; url: string; ms: number; message: string }
  | { type: "auth"; message: string }
  | { type: "token"; realm: string; service: string; scopes: readonly string[]; source: "cache" | "fetched"; expiresInSeconds: number }
  | { type: "retry"; method: string; url: string; attempt: number; waitMs: number; reason: string }
  | { type: "page"; url: string; tags: number; newTags: number; next: string | undefined }
  | { type: "endpoint"; registry: string; endpoint: string; reason: string }
  | {
      type: "rate-limit";
      url: string;
      limit: number | undefined;
      remaining: number;
      windowSeconds: number | undefined;
      resetInSeconds: number | undefined;
      source: string | undefined;
    }
  | { type: "warning"; message: string }
  /** A page size chosen, stepped down or a link asked with our `n` (listing/page-size.ts); --debug only. */
  | { type: "page-size"; message: string }
  /** How a request went (direct, or via which proxy) and which trust applied to a host; never credentials. */
  | { type: "network"; message: string };

export type TraceListener = (event: TraceEvent) => void;

/** Query keys that never carry secrets: shown verbatim in traces. */
const SAFE_QUERY_KEYS = new Set(["n", "last", "next_page", "scope", "service", "account", "client_id", "grant_type", "orderby"]);

const TRACED_HEADERS = [
  "www-authenticate",
  "link",
  "location",
  "content-type",
  "content-length",
  "docker-content-digest",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "docker-ratelimit-source",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "ratelimit-reset",
  "warning",
];

/** A URL fit for logs and error messages: no userinfo, unknown query values hidden. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "<invalid URL>";
  }
  parsed.username = "";
  parsed.password = "";
  const params = [...parsed.searchParams.keys()];
  if (params.some((key) => !SAFE_QUERY_KEYS.has(key))) {
    const clean = new URLSearchParams();
    for (const [key, value] of parsed.searchParams) clean.append(key, SAFE_QUERY_KEYS.has(key) ? value : "REDACTED");
    parsed.search = clean.toString();
  }
  return parsed.toString();
}

/** A Location for a trace: redacted when it resolves, else the server's text (escaped by the caller). */
function redactLocation(value: string, base: URL): string {
  try {
    return redactUrl(new URL(value, base));
  } catch {
    return value;
  }
}

/** "Bearer <redacted>" → "Bearer"; absent → "none". */
export function describeAuthorization(value: string | undefined): string {
  if (value === undefined || value === "") return "none";
  const scheme = value.split(" ", 1)[0] ?? "";
  return `${scheme} <redacted>`;
}

/** Wraps a transport so every exchange emits request/response/error events. */
export function withTrace(next: Transport, onTrace: TraceListener, clock: () => number = () => performance.now()): Transport {
  let counter = 0;
  return async (req) => {
    const id = ++counter;
    const url = redactUrl(req.url);
    const started = clock();
    onTrace({
      type: "request",
      id,
      method: req.method,
      url,
      authorization: describeAuthorization(req.headers?.["authorization"] ?? req.headers?.["Authorization"]),
      purpose: req.purpose ?? "",
    });
    try {
      const res = await next(req);
      const headers: Record<string, string> = {};
      for (const name of TRACED_HEADERS) {
        const value = res.headers.get(name);
        if (value !== undefined) headers[name] = escapeServerText(name === "location" ? redactLocation(value, req.url) : value, TRACED_HEADER_LIMIT);
      }
      onTrace({ type: "response", id, method: req.method, url, status: res.status, ms: clock() - started, headers });
      return res;
    } catch (error) {
      onTrace({ type: "error", id, method: req.method, url, ms: clock() - started, message: escapeServerText((error as Error).message, TRACED_HEADER_LIMIT) });
      throw error;
    }
  };
}
