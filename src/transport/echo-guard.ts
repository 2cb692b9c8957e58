/**
 * Keeps server text and echoed secrets out of what regtags shows (issue 10,
 * item 4). The composition root (client.ts) puts {@link withSecretCapture} at
 * the bottom of the pipeline, where it sees every Authorization header and
 * token-request body actually sent, after redirects dropped what they must;
 * and it passes every trace event and every error leaving the client through
 * {@link scrubTraceListener} and {@link scrubError}. Messages built from a
 * server's words thus reach the user escaped, capped and without a password
 * or token the server echoed back, whichever layer quoted them.
 */
import { mapStrings, MESSAGE_LIMIT, TRACE_TEXT_LIMIT } from "../text/safe-text.js";
import { SecretEchoes } from "../text/secret-echoes.js";
import type { TraceEvent, TraceListener } from "./trace.js";
import type { Transport } from "./types.js";

export { SecretEchoes };

/** Remembers every secret a request carries (Authorization, a token request's form) before sending it. */
export function withSecretCapture(next: Transport, echoes: SecretEchoes): Transport {
  return (req) => {
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const header = name.toLowerCase();
      if (header === "authorization") echoes.rememberAuthorization(value);
      else if (header === "content-type" && value.startsWith("application/x-www-form-urlencoded") && req.body !== undefined) echoes.rememberFormBody(req.body);
    }
    return next(req);
  };
}

/** Every string of the event escaped, capped and redacted (headers and lists included). */
export function scrubTraceEvent(event: TraceEvent, echoes: SecretEchoes): TraceEvent {
  return mapStrings(event, (text) => echoes.scrub(text, TRACE_TEXT_LIMIT));
}

/** A listener that receives only scrubbed events. */
export function scrubTraceListener(listener: TraceListener, echoes: SecretEchoes): TraceListener {
  return (event) => listener(scrubTraceEvent(event, echoes));
}

/**
 * The error with its message (and the stack's copy of it, shown by --debug)
 * escaped, capped and redacted; its causes too. Returns the same object, so
 * its class, code and fields stay as they were.
 */
export function scrubError<T>(error: T, echoes: SecretEchoes, depth = 0): T {
  if (!(error instanceof Error) || depth > 3) return error;
  const original = error.message;
  const message = echoes.scrub(original, MESSAGE_LIMIT);
  if (message !== original) error.message = message;
  // The whole stack is redacted (a cause's text may sit in it too), and its
  // first line, the message, is replaced by the scrubbed one.
  if (typeof error.stack === "string") {
    const stack = echoes.redact(error.stack);
    error.stack = stack.startsWith(`${error.name}: `) ? stack.replace(/^[^\n]*/, () => `${error.name}: ${message}`) : stack;
  }
  if (error.cause !== undefined) scrubError(error.cause, echoes, depth + 1);
  return error;
}
