/**
 * Building responses: the {@link Reply} value every handler returns, the spec's JSON
 * error body, and profile templates. Handlers stay pure (request in, Reply out); only
 * `server.ts` writes to sockets.
 */
import type { DeliveryFault, ErrorAnswer, RawBody, Template } from "./profile.js";

/** A response about to be written. Header names are lower-case. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** HEAD: send the headers (with the body's Content-Length) but no body. */
  readonly headOnly?: boolean;
  /** Write it with a socket-level fault (a reset, a stall, a trickle, an endless body). */
  readonly delivery?: DeliveryFault;
}

/** Values substituted into a profile's {@link Template}s. */
export interface Origins {
  /** `http://127.0.0.1:34567` */
  readonly origin: string;
  /** `127.0.0.1:34567` */
  readonly host: string;
  /** The separate auth server's origin, else the registry's. */
  readonly authOrigin: string;
}

/** Fills `{origin}`, `{host}` and `{authOrigin}` in a template. */
export function expand(template: Template, origins: Origins): string {
  return template
    .replaceAll("{origin}", origins.origin)
    .replaceAll("{host}", origins.host)
    .replaceAll("{authOrigin}", origins.authOrigin);
}

/** A JSON reply. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}, contentType = "application/json"): Reply {
  return { status, headers: { "content-type": contentType, ...headers }, body: JSON.stringify(value) };
}

/** A raw body reply; an empty content type sends none. */
export function rawReply(status: number, raw: RawBody, headers: Record<string, string> = {}): Reply {
  const typed = raw.contentType === "" ? {} : { "content-type": raw.contentType };
  return { status, headers: { ...typed, ...headers }, body: raw.body };
}

/**
 * The spec's error body `{"errors":[{"code","message","detail"}]}`
 * (OCI distribution-spec v1.1.1, Error Codes; ERR-1).
 */
export function errorReply(status: number, code: string, message: string, detail: unknown = null, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { errors: [{ code, message, detail }] }, headers);
}

/** Default messages of the spec's codes, as distribution words them. */
const MESSAGES: Readonly<Record<string, string>> = {
  NAME_UNKNOWN: "repository name not known to registry",
  NOT_FOUND: "repository not found",
  MANIFEST_UNKNOWN: "manifest unknown",
  UNAUTHORIZED: "authentication required",
  DENIED: "requested access to the resource is denied",
  UNSUPPORTED: "The operation is unsupported.",
  TOOMANYREQUESTS: "too many requests",
  PAGINATION_NUMBER_INVALID: "invalid number of results requested",
};

/** A profile's {@link ErrorAnswer} as a reply: its raw body, else the JSON shape. */
export function answerReply(answer: ErrorAnswer, headers: Record<string, string> = {}, detail: unknown = null): Reply {
  if (answer.body !== undefined) return rawReply(answer.status, answer.body, headers);
  const code = answer.code ?? "UNKNOWN";
  return errorReply(answer.status, code, answer.message ?? MESSAGES[code] ?? "unknown error", detail, headers);
}

/** The JSON reply for a spec code with its usual message. */
export function codeReply(status: number, code: string, detail: unknown = null, headers: Record<string, string> = {}): Reply {
  return errorReply(status, code, MESSAGES[code] ?? code.toLowerCase(), detail, headers);
}

/** Distribution's plain 404 for routes it does not know (Go's net/http default). */
export function routeNotFound(): Reply {
  return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "404 page not found\n" };
}
