/**
 * Follows redirects (301/302/303/307/308) itself so that credentials never
 * leave their origin: Authorization is dropped when a redirect changes origin
 * (TOK-10; oras-go and ggcr do the same), https is never downgraded to http,
 * and a loop or a chain past the limit is an error, not a hang.
 *
 * A request body is never resent to another origin: regtags' only bodies are
 * the OAuth2 token form (auth/token-endpoint.ts), which holds a refresh token.
 * A redirect that keeps the method (307/308, and 301/302, which RFC 9110
 * §15.4.2 lets a client keep) to another origin is refused with a
 * ProtocolError instead. Dropping the body is no option: the POST without its
 * form is a different request that can only fail, later and less clearly.
 * 303 turns the request into a body-less GET, which is safe to follow.
 */
import { ProtocolError } from "../errors.js";
import { quoteServerText } from "../text/safe-text.js";
import { redactUrl } from "./trace.js";
import type { Transport, TransportRequest } from "./types.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** @param maxRedirects chain length allowed per request. @default 5 */
export function withRedirects(next: Transport, maxRedirects = 5): Transport {
  return async (first) => {
    let req: TransportRequest = first;
    const visited = new Set<string>([first.url.href]);
    for (let hop = 0; ; hop++) {
      const res = await next(req);
      if (!REDIRECT_STATUSES.has(res.status)) return res;
      const location = res.headers.get("location");
      if (location === undefined) return res;
      await res.discard();
      let target: URL;
      try {
        target = new URL(location, req.url);
      } catch {
        throw new ProtocolError(`${req.method} ${redactUrl(req.url)}: redirect to an invalid Location ${quoteServerText(location)}`);
      }
      if (req.url.protocol === "https:" && target.protocol !== "https:") {
        throw new ProtocolError(`${req.method} ${redactUrl(req.url)}: refusing a redirect from https to ${target.protocol} (${redactUrl(target)})`);
      }
      if (target.protocol !== "https:" && target.protocol !== "http:") {
        throw new ProtocolError(`${req.method} ${redactUrl(req.url)}: redirect to unsupported scheme ${target.protocol}`);
      }
      if (visited.has(target.href)) {
        throw new ProtocolError(`${req.method} ${redactUrl(first.url)}: redirect loop at ${redactUrl(target)}`);
      }
      if (hop + 1 > maxRedirects) {
        throw new ProtocolError(`${req.method} ${redactUrl(first.url)}: more than ${maxRedirects} redirects`);
      }
      visited.add(target.href);
      const sameOrigin = target.origin === req.url.origin;
      // 303 turns any method into GET (RFC 9110 §15.4.4); others keep it.
      const method = res.status === 303 && req.method === "POST" ? "GET" : req.method;
      if (!sameOrigin && method !== "GET" && req.body !== undefined) {
        throw new ProtocolError(
          `${req.method} ${redactUrl(req.url)}: refusing a ${res.status} redirect to another origin (${redactUrl(target)}): the request body may hold a refresh token or password and is never resent elsewhere; the service must answer at the URL the registry named`,
        );
      }
      const headers = { ...req.headers };
      if (!sameOrigin) {
        for (const name of Object.keys(headers)) if (name.toLowerCase() === "authorization") delete headers[name];
      }
      req = { ...req, method, url: target, headers, ...(method === "GET" ? { body: undefined } : {}) } as TransportRequest;
    }
  };
}
