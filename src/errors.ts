/**
 * Typed errors of regtags. Every error the library throws on purpose is a
 * {@link RegtagsError} with a stable `code`; the CLI maps each code to an exit
 * code (see `cli/exit-codes.ts`). Registry error codes (`NAME_UNKNOWN`, …) are
 * data on {@link RegistryError}, never mixed into {@link ErrorCode}.
 *
 * This module imports nothing, so every layer may import it.
 */

/** What the user must do next decides the code, not where it was thrown. */
export type ErrorCode =
  | "ERR_USAGE"
  | "ERR_INVALID_ARGUMENT"
  | "ERR_INVALID_REFERENCE"
  | "ERR_CREDENTIALS"
  | "ERR_AUTH"
  | "ERR_AUTH_FAILED"
  | "ERR_NOT_FOUND"
  | "ERR_RATE_LIMITED"
  | "ERR_REGISTRY"
  | "ERR_PROTOCOL"
  | "ERR_NETWORK"
  | "ERR_TLS"
  | "ERR_PROXY"
  | "ERR_INCOMPLETE"
  | "ERR_NO_MATCH"
  | "ERR_ABORTED";

const brand = Symbol.for("regtags.error");

/**
 * The client options a message can advise on. A message names one as "the
 * maxPages option", or with the value to set, "the tlsVerify option set to
 * false"; {@link RegtagsError.optionHints} reads them back, so the CLI can say
 * `--max-pages` instead (its one map from option to flag is in cli/).
 */
export const ADVISED_OPTIONS = [
  "maxPages",
  "maxTags",
  "maxListBytes",
  "allowPartial",
  "plainHttp",
  "tlsVerify",
  "certDir",
  "proxy",
  "noProxy",
  "credentials",
  "allowInsecureRealm",
  "retry.maxDelayMs",
  "authFile",
  "explicit",
  "source",
] as const;

export type AdvisedOption = (typeof ADVISED_OPTIONS)[number];

/** An option an error's message advises on: `{ option: "maxPages" }`, `{ option: "tlsVerify", value: "false" }`. */
export interface OptionHint {
  readonly option: AdvisedOption;
  /** The value the advice sets, when it names one. */
  readonly value?: string;
  /** The words the message uses for it, e.g. `the maxPages option`. */
  readonly words: string;
}

const OPTION_WORDS = new RegExp(`\\bthe (${ADVISED_OPTIONS.map((o) => o.replace(".", "\\.")).join("|")}) option(?: set to ([\\w-]+))?`, "g");

/** The options `message` advises on, in order, each once per wording. */
export function optionHintsIn(message: string): OptionHint[] {
  const hints: OptionHint[] = [];
  for (const match of message.matchAll(OPTION_WORDS)) {
    const words = match[0];
    if (hints.some((hint) => hint.words === words)) continue;
    hints.push(match[2] === undefined ? { option: match[1] as AdvisedOption, words } : { option: match[1] as AdvisedOption, value: match[2], words });
  }
  return hints;
}

/** Base class of all regtags errors. Recognise it with {@link isRegtagsError}. */
export class RegtagsError extends Error {
  override name: string = "RegtagsError";
  readonly code: ErrorCode;
  readonly [brand] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * The client options the message advises on ("raise the maxPages option"),
   * so a caller can act on them without parsing the text.
   */
  get optionHints(): readonly OptionHint[] {
    return optionHintsIn(this.message);
  }
}

/**
 * True for any regtags error, even one thrown by another copy of the package
 * (the emulator's, a dependency's), where `instanceof` would fail.
 */
export function isRegtagsError(value: unknown): value is RegtagsError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** A command line that cannot be acted on (CLI only; the library throws {@link InvalidArgumentError}). */
export class UsageError extends RegtagsError {
  override name = "UsageError" as const;
  constructor(message: string) {
    super("ERR_USAGE", message);
  }
}

/**
 * An argument of a library call that cannot be used: an invalid filter, regex
 * or version range, an unknown sort order, a details source that does not
 * apply. The CLI reports it as a usage error (exit 2).
 */
export class InvalidArgumentError extends RegtagsError {
  override name = "InvalidArgumentError" as const;
  constructor(message: string) {
    super("ERR_INVALID_ARGUMENT", message);
  }
}

/** The image reference the user gave is not valid (REF-1..REF-8). */
export class InvalidReferenceError extends RegtagsError {
  override name = "InvalidReferenceError" as const;
  readonly input: string;
  constructor(input: string, reason: string) {
    super("ERR_INVALID_REFERENCE", `invalid reference ${JSON.stringify(truncate(input, 300))}: ${reason}`);
    this.input = input;
  }
}

/** A credentials file, helper or flag could not be used. Never carries the secret. */
export class CredentialsError extends RegtagsError {
  override name = "CredentialsError" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CREDENTIALS", message, options);
  }
}

/** The registry or its token service refused us: 401/403, denied, needs login, or wrong credentials. */
export class AuthError extends RegtagsError {
  override name = "AuthError" as const;
  readonly status: number | undefined;
  /** The challenge's `error` parameter (RFC 6750 §3), e.g. `insufficient_scope`. */
  readonly challengeError: string | undefined;
  /**
   * @param details.rejected the credentials themselves were refused (wrong
   *   password or token): code ERR_AUTH_FAILED instead of ERR_AUTH.
   */
  constructor(message: string, details: { status?: number; challengeError?: string; rejected?: boolean; cause?: unknown } = {}) {
    super(details.rejected ? "ERR_AUTH_FAILED" : "ERR_AUTH", message, { cause: details.cause });
    this.status = details.status;
    this.challengeError = details.challengeError;
  }
}

/** One entry of a registry's JSON error body (OCI distribution-spec v1.1.1, Error Codes). */
export interface RegistryErrorDetail {
  code: string;
  message: string;
  detail?: unknown;
}

/** The registry answered with an HTTP error we cannot work around. */
export class RegistryError extends RegtagsError {
  override name = "RegistryError" as const;
  readonly status: number;
  readonly method: string;
  /** Redacted URL of the failing request. */
  readonly url: string;
  readonly errors: readonly RegistryErrorDetail[];
  constructor(
    code: "ERR_NOT_FOUND" | "ERR_RATE_LIMITED" | "ERR_REGISTRY",
    message: string,
    details: { status: number; method: string; url: string; errors?: readonly RegistryErrorDetail[] },
  ) {
    super(code, message);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.errors = details.errors ?? [];
  }
}

/**
 * A request not sent because the registry's announced quota would make it wait
 * longer than the cap on a wait (RL-1): the few requests left are spread over
 * a reset far away. `retryAt` (epoch ms) is when the quota resets.
 */
export class RateLimitError extends RegtagsError {
  override name = "RateLimitError" as const;
  readonly retryAt: number;
  constructor(message: string, retryAt: number) {
    super("ERR_RATE_LIMITED", message);
    this.retryAt = retryAt;
  }
}

/** The server broke the protocol: a malformed header or body, a lying Link. */
export class ProtocolError extends RegtagsError {
  override name = "ProtocolError" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_PROTOCOL", message, options);
  }
}

/** The registry could not be reached (DNS, refused, reset, timeout), TLS failed, or the proxy refused (ERR_PROXY: 407, CONNECT refused; not retried). */
export class NetworkError extends RegtagsError {
  override name = "NetworkError" as const;
  /** The system or TLS error code underneath, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly systemCode: string | undefined;
  constructor(code: "ERR_NETWORK" | "ERR_TLS" | "ERR_PROXY", message: string, options?: { cause?: unknown; systemCode?: string }) {
    super(code, message, options);
    this.systemCode = options?.systemCode;
  }
}

/** A listing stopped before its end (link loop, page cap). Carries what was listed. */
export class IncompleteListError extends RegtagsError {
  override name = "IncompleteListError" as const;
  readonly partial: readonly string[];
  constructor(message: string, partial: readonly string[]) {
    super("ERR_INCOMPLETE", message);
    this.partial = partial;
  }
}

/** No tag qualified for a question such as "the latest version" after filters. */
export class NoMatchError extends RegtagsError {
  override name = "NoMatchError" as const;
  constructor(message: string) {
    super("ERR_NO_MATCH", message);
  }
}

/**
 * The caller's AbortSignal fired (Ctrl-C in the CLI). `timedOut` tells a
 * signal that timed out (`AbortSignal.timeout()`, whose reason is a
 * `TimeoutError` DOMException) from one the caller aborted. regtags' own
 * timeouts (connect, idle, request) are NetworkErrors instead.
 */
export class AbortedError extends RegtagsError {
  override name = "AbortedError" as const;
  /** The signal's reason was a `TimeoutError` (`AbortSignal.timeout()`), not an abort. */
  readonly timedOut: boolean;
  constructor(options?: { cause?: unknown }) {
    const timedOut = isTimeoutReason(options?.cause);
    super("ERR_ABORTED", timedOut ? "timed out (the caller's AbortSignal)" : "interrupted", options);
    this.timedOut = timedOut;
  }
}

/** A `TimeoutError` in `reason` or its causes (Node's AbortError wraps the signal's reason as its cause). */
function isTimeoutReason(reason: unknown): boolean {
  let current = reason;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    if ((current as { name?: unknown }).name === "TimeoutError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The same error with `subject: ` in front of its message, class, code and
 * fields kept, for errors raised below the layer that knows which registry and
 * repository they concern (a token service's answer). A copy: the original may
 * be shared (one token fetch serves concurrent requests). Anything that is not
 * a regtags error, an interruption, or a message that already starts with the
 * subject is returned as is.
 */
export function withSubject(error: unknown, subject: string): unknown {
  if (!isRegtagsError(error) || error.code === "ERR_ABORTED" || error.message.startsWith(`${subject}: `)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as RegtagsError;
  Object.assign(copy, error);
  const message = `${subject}: ${error.message}`;
  // The stack's first line repeats the message: keep the two in step (--debug prints the stack).
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack?.startsWith(head) === true ? `${error.name}: ${message}${error.stack.slice(head.length)}` : error.stack;
  Object.defineProperties(copy, {
    message: { value: message, writable: true, configurable: true },
    stack: { value: stack, writable: true, configurable: true },
    cause: { value: error, writable: true, configurable: true },
  });
  return copy;
}

/** Shortens untrusted text for a one-line message. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
