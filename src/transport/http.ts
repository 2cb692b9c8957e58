/**
 * The base of the pipeline: node:http / node:https with keep-alive agents
 * (connection pools per origin). It sends a request and maps failures to
 * typed errors; it follows no redirects and knows nothing of auth, which
 * decorators add. node:http loads in about a tenth of the time the undici
 * package takes, which is most of a short listing's wall time.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { AbortedError, NetworkError, ProtocolError } from "../errors.js";
import { tlsFailureAdvice } from "../network/tls-advice.js";
import { hasProxySetting, type NetworkOptions, type Route, type Router } from "../network/types.js";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";
import { headersFromRecord } from "./types.js";

export interface HttpOptions {
  /** Verify TLS certificates. @default true */
  tlsVerify?: boolean;
  /** Time to establish a connection (TCP + TLS). @default 10000 */
  connectTimeoutMs?: number;
  /** Time without bytes while waiting for headers or reading the body. @default 30000 */
  idleTimeoutMs?: number;
  /** Sent as User-Agent. */
  userAgent?: string;
  /** Connections per origin. @default 16 */
  connectionsPerOrigin?: number;
  /** Proxies and trust; their code loads only for https targets or a configured proxy. */
  network?: NetworkOptions;
  /** One line per request route and per host's trust sources (--debug). */
  onNetworkTrace?: (message: string) => void;
}

export interface HttpTransport {
  readonly send: Transport;
  close(): Promise<void>;
}

/** Failures that mean "the server does not speak TLS here", not "its certificate is bad". */
export const NOT_TLS_CODES: ReadonlySet<string> = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "EPROTO"]);

const TLS_ERROR_CODES = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "EPROTO",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Our own timeout failures, mapped like system errors. */
const CONNECT_TIMEOUT = "ETIMEDOUT_CONNECT";
const IDLE_TIMEOUT = "ETIMEDOUT_IDLE";

function timeoutError(code: string, ms: number): Error {
  return Object.assign(new Error(`${code === CONNECT_TIMEOUT ? "connect" : "idle"} timeout after ${ms} ms`), { code });
}

/** Creates the keep-alive HTTP base transport. Close it when done. */
export function createHttpTransport(options: HttpOptions = {}): HttpTransport {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const connectMs = options.connectTimeoutMs ?? 10_000;
  const maxSockets = options.connectionsPerOrigin ?? 16;
  const directHttp: Route = { agent: new HttpAgent({ keepAlive: true, maxSockets }) };
  const userAgent = options.userAgent ?? "regtags";
  const network = options.network ?? {};
  const env = network.env ?? process.env;
  const proxied = hasProxySetting(network, env);
  // Proxy and trust code loads on the first https request or with a proxy configured (issue 11, Cost).
  let router: Promise<Router> | undefined;
  const routeFor = (url: URL): Route | Promise<Route> => {
    if (url.protocol !== "https:" && !proxied) {
      options.onNetworkTrace?.(`route: ${url.origin} direct (no proxy configured)`);
      return directHttp;
    }
    router ??= import("../network/router.js").then(({ createRouter }) =>
      createRouter({ ...network, env, tlsVerify: options.tlsVerify ?? true, maxSockets, connectTimeoutMs: connectMs, directHttpAgent: directHttp.agent, onTrace: options.onNetworkTrace }),
    );
    return router.then((loaded) => loaded.route(url));
  };

  const send: Transport = (req) => {
    const route = routeFor(req.url);
    return route instanceof Promise ? route.then((found) => exchange(req, found), (error: unknown) => Promise.reject(mapError(error, req.method, req.url, req.signal))) : exchange(req, route);
  };

  const exchange = (req: TransportRequest, route: Route) =>
    new Promise<TransportResponse>((resolve, reject) => {
      if (req.signal?.aborted) return reject(new AbortedError({ cause: req.signal.reason }));
      const https = req.url.protocol === "https:";
      const outgoing = (https ? httpsRequest : httpRequest)(req.url, {
        method: req.method,
        headers: { "user-agent": userAgent, ...req.headers },
        agent: route.agent,
        ...(req.signal !== undefined ? { signal: req.signal } : {}),
      });
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        reject(mapError(error, req.method, req.url, req.signal));
      };
      outgoing.on("error", fail);
      // Why we cut the connection, so that a body cut mid-way reports the timeout, not a reset.
      let cutBy: Error | undefined;
      outgoing.setTimeout(idleMs, () => outgoing.destroy((cutBy = timeoutError(IDLE_TIMEOUT, idleMs))));
      outgoing.on("socket", (socket: Socket) => {
        // A pooled socket is already connected; a new one must connect in time.
        if (!socket.connecting) return;
        const timer = setTimeout(() => outgoing.destroy(timeoutError(CONNECT_TIMEOUT, connectMs)), connectMs);
        socket.once(https ? "secureConnect" : "connect", () => clearTimeout(timer));
        socket.once("close", () => clearTimeout(timer));
      });
      outgoing.on("response", (incoming: IncomingMessage) => {
        if (settled) return;
        const fromProxy = route.responseError?.(incoming.statusCode ?? 0);
        if (fromProxy !== undefined) {
          incoming.resume();
          return fail(fromProxy);
        }
        settled = true;
        resolve(wrapResponse(incoming, req, () => cutBy));
      });
      outgoing.end(req.body);
    });

  return {
    send,
    close: async () => {
      directHttp.agent.destroy();
      await router?.then((loaded) => loaded.close(), () => undefined);
    },
  };
}

function wrapResponse(incoming: IncomingMessage, req: TransportRequest, cutBy: () => Error | undefined = () => undefined): TransportResponse {
  // rawHeaders keeps repeated headers apart (Link, WWW-Authenticate: CH-2).
  const record: Record<string, string[]> = {};
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    const name = incoming.rawHeaders[i]!.toLowerCase();
    (record[name] ??= []).push(incoming.rawHeaders[i + 1]!);
  }
  let consumed = false;
  /** Feeds the body to `onChunk`; fails past `limitBytes`, on a reset or a cut. */
  const pump = (limitBytes: number, onChunk: (chunk: Buffer) => void): Promise<void> => {
    consumed = true;
    return new Promise<void>((resolve, reject) => {
      let size = 0;
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      incoming.on("data", (chunk: Buffer) => {
        if (failed) return;
        if (size + chunk.length > limitBytes) {
          // Reject before destroying: destroy() emits "aborted" at once, which would win as a reset.
          fail(
            new ProtocolError(
              `${req.method} ${req.url.origin}${req.url.pathname}: response body exceeds ${limitBytes} bytes; the server sent more than any valid answer needs`,
            ),
          );
          incoming.destroy();
          return;
        }
        size += chunk.length;
        try {
          onChunk(chunk);
        } catch (error) {
          // The consumer refused the body (e.g. a parse error): stop reading it.
          fail(error);
          incoming.destroy();
        }
      });
      incoming.on("end", () => {
        if (!failed) resolve();
      });
      incoming.on("error", (error) => fail(mapError(cutBy() ?? error, req.method, req.url, req.signal)));
      incoming.on("aborted", () => fail(mapError(cutBy() ?? Object.assign(new Error("aborted"), { code: "ECONNRESET" }), req.method, req.url, req.signal)));
    });
  };
  return {
    status: incoming.statusCode ?? 0,
    headers: headersFromRecord(record),
    url: req.url,
    text(limitBytes) {
      // With a Content-Length, bytes go straight into one buffer: a body then
      // costs its size once, not chunks plus a concatenated copy.
      const declared = Number(incoming.headers["content-length"]);
      const whole = Number.isSafeInteger(declared) && declared > 0 && declared <= limitBytes ? Buffer.allocUnsafe(declared) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      return pump(limitBytes, (chunk) => {
        if (whole !== undefined && size + chunk.length <= whole.length) chunk.copy(whole, size);
        else chunks.push(chunk);
        size += chunk.length;
      }).then(() => {
        const body = whole !== undefined && chunks.length === 0 ? whole.subarray(0, size) : Buffer.concat(whole !== undefined ? [whole.subarray(0, size - sum(chunks)), ...chunks] : chunks, size);
        return body.toString("utf8");
      });
    },
    stream(limitBytes, onChunk) {
      return pump(limitBytes, onChunk);
    },
    async discard() {
      if (consumed) return;
      consumed = true;
      // Small bodies are drained to keep the connection; big ones are cut.
      const length = Number(incoming.headers["content-length"] ?? "0");
      if (length > 64 * 1024) incoming.destroy();
      else incoming.resume();
    },
  };
}

function sum(chunks: readonly Buffer[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}

/** Turns a failure to talk HTTP into a typed error naming the host. */
export function mapError(error: unknown, method: string, url: URL, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new AbortedError({ cause: error });
  if (error instanceof ProtocolError || error instanceof NetworkError || error instanceof AbortedError) return error;
  const code = errorCode(error);
  const detail = (error as Error)?.message ?? String(error);
  const where = `${method} ${url.origin}${url.pathname}`;
  if (TLS_ERROR_CODES.has(code) || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code)) {
    return new NetworkError("ERR_TLS", `${where}: ${tlsFailureAdvice(url, code || detail)}`, { cause: error, systemCode: code });
  }
  const what =
    code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? "host not found"
      : code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ECONNRESET" || code === "EPIPE"
          ? "connection reset"
          : code === CONNECT_TIMEOUT
            ? "connect timeout"
            : code === IDLE_TIMEOUT
              ? "the server stopped answering (idle timeout)"
              : detail;
  return new NetworkError("ERR_NETWORK", `${where}: ${what}${code && !what.includes(code) && !code.startsWith("ETIMEDOUT_") ? ` (${code})` : ""}`, {
    cause: error,
    systemCode: code,
  });
}
