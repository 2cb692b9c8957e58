/**
 * The whole-request timeout: one HTTP exchange, from sending the request to
 * the last byte of its body, must finish within `timeoutMs`. The base
 * transport's idle timeout catches a server that goes quiet; this catches one
 * that never goes quiet but never finishes either (a body trickled a few bytes
 * at a time). The timeout is a NetworkError (ERR_NETWORK, retried like a
 * reset); the caller's own AbortSignal still gives an AbortedError.
 */
import { AbortedError, NetworkError } from "../errors.js";
import type { Transport } from "./types.js";

/** systemCode of a whole-request timeout. */
export const REQUEST_TIMEOUT_CODE = "ETIMEDOUT_REQUEST";

export function withDeadline(next: Transport, timeoutMs: number): Transport {
  return async (req) => {
    const outer = req.signal;
    if (outer?.aborted) throw new AbortedError({ cause: outer.reason });
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      outer?.removeEventListener("abort", onOuterAbort);
      controller.abort(new Error(`request timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    };
    const convert = (error: unknown): unknown => {
      if (!timedOut || outer?.aborted) return error;
      return new NetworkError(
        "ERR_NETWORK",
        `${req.method} ${req.url.origin}${req.url.pathname}: no complete answer within ${timeoutMs / 1000} s (request timeout)`,
        { cause: error, systemCode: REQUEST_TIMEOUT_CODE },
      );
    };

    let res;
    try {
      res = await next({ ...req, signal: controller.signal });
    } catch (error) {
      done();
      throw convert(error);
    }
    if (req.method === "HEAD") {
      done();
      return res;
    }
    const response = res;
    /** The body is read (or failed): the deadline no longer applies. */
    const settle = <T>(reading: Promise<T>): Promise<T> =>
      reading.then(
        (value) => {
          done();
          return value;
        },
        (error: unknown) => {
          done();
          throw convert(error);
        },
      );
    return {
      status: response.status,
      headers: response.headers,
      url: response.url,
      text: (limit) => settle(response.text(limit)),
      stream: (limit, onChunk) => settle(response.stream(limit, onChunk)),
      discard: () => response.discard().finally(done),
    };
  };
}
