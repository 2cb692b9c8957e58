/**
 * Follows redirects (301/302/303/307/308) itself so that credentials never
 * leave their origin: Authorization is dropped when a redirect changes origin
 * (TOK-10; oras-go and ggcr do the same), https is never downgraded to http,
 * and a loop or a chain past the limit is an error, not a hang.
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
      const headers = { ...req.headers };
      if (!sameOrigin) {
        for (const name of Object.keys(headers)) if (name.toLowerCase() === "authorization") delete headers[name];
      }
      // 303 turns any method into GET (RFC 9110 §15.4.4); others keep it.
      const method = res.status === 303 && req.method === "POST" ? "GET" : req.method;
      req = { ...req, method, url: target, headers, ...(method === "GET" ? { body: undefined } : {}) } as TransportRequest;
    }
  };
}
