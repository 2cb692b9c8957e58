/**
 * The base of the pipeline: node:http / node:https with keep-alive agents
 * (connection pools per origin). It sends a request and maps failures to
 * typed errors; it follows no redirects and knows nothing of auth, which
 * decorators add. node:http loads in about a tenth of the time the undici
 * package takes, which is most of a short listing's wall time. Which agent
 * (direct, proxy, trust) each request takes is routes.ts's choice.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { DEFAULTS } from "../defaults.js";
import { AbortedError, NetworkError, ProtocolError, withSubject } from "../errors.js";
import { tlsFailureAdvice } from "../network/tls-advice.js";
import type { NetworkOptions, Route } from "../network/types.js";
import { createRouteSelector, loadHttps } from "./routes.js";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";
import { headersFromRecord } from "./types.js";

export interface HttpOptions {
  /** Verify TLS certificates. @default DEFAULTS.tlsVerify */
  tlsVerify?: boolean;
  /** Time to establish a connection (TCP + TLS). @default DEFAULTS.connectTimeoutMs */
  connectTimeoutMs?: number;
  /** Time without bytes while waiting for headers or reading the body. @default DEFAULTS.idleTimeoutMs */
  idleTimeoutMs?: number;
  /** Sent as User-Agent. */
  userAgent?: string;
  /** Connections per origin. @default DEFAULTS.connectionsPerOrigin */
  connectionsPerOrigin?: number;
  /** Proxies and trust; their code loads only for a configured proxy or a host with more than Node's default trust. */
  network?: NetworkOptions;
  /** Whether a host[:port] is the registry at hand or its token realm (`network.certDir` applies to these only). @default every host */
  isRegistryHost?: (host: string) => boolean;
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

/** Interim 1xx answers tolerated before the final response (a server could send them forever). */
const MAX_INTERIM_RESPONSES = 20;

/** Our own timeout failures, mapped like system errors. */
const CONNECT_TIMEOUT = "ETIMEDOUT_CONNECT";
const IDLE_TIMEOUT = "ETIMEDOUT_IDLE";

function timeoutError(code: string, ms: number): Error {
  return Object.assign(new Error(`${code === CONNECT_TIMEOUT ? "connect" : "idle"} timeout after ${ms} ms`), { code });
}

/** Creates the keep-alive HTTP base transport. Close it when done. */
export function createHttpTransport(options: HttpOptions = {}): HttpTransport {
  const idleMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
  const connectMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const userAgent = options.userAgent ?? DEFAULTS.userAgent;
  const routes = createRouteSelector({
    network: options.network ?? {},
    tlsVerify: options.tlsVerify ?? DEFAULTS.tlsVerify,
    maxSockets: options.connectionsPerOrigin ?? DEFAULTS.connectionsPerOrigin,
    connectTimeoutMs: connectMs,
    isRegistryHost: options.isRegistryHost,
    onTrace: options.onNetworkTrace,
  });

  const sendOn = (req: TransportRequest, route: Route | Promise<Route>): Promise<TransportResponse> =>
    route instanceof Promise ? route.then((found) => exchange(req, found), (error: unknown) => Promise.reject(mapError(error, req.method, req.url, req.signal))) : exchange(req, route);

  const send: Transport = (req) => {
    const route = routes.route(req.url);
    // Bodies are in memory, so an exchange refused for trust can be sent again as it was.
    return sendOn(req, route).catch((error: unknown) => {
      const again = routes.afterFailure(req.url, route, error);
      if (again === undefined) throw error;
      return sendOn(req, again);
    });
  };

  const exchange = (req: TransportRequest, route: Route) =>
    new Promise<TransportResponse>((resolve, reject) => {
      if (req.signal?.aborted) return reject(new AbortedError({ cause: req.signal.reason }));
      const https = req.url.protocol === "https:";
      const where = `${req.method} ${req.url.origin}${req.url.pathname}`;
      const outgoing = (https ? loadHttps().request : httpRequest)(req.url, {
        method: req.method,
        headers: { "user-agent": userAgent, ...req.headers },
        agent: route.agent,
        ...(req.signal !== undefined ? { signal: req.signal } : {}),
      });
      let settled = false;
      /** An error after the response arrived: it explains a body cut short (a parse error mid-body). */
      let lateError: Error | undefined;
      const fail = (error: unknown) => {
        if (settled) {
          lateError ??= error as Error;
          return;
        }
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
      // Fail closed (issue 10): every way an exchange can end without a usable
      // response rejects. Unhandled, a 101 makes node:http drop the socket and
      // emit nothing, and the listing's promise never settles.
      const switched = (what: string) => (incoming: IncomingMessage, socket: Socket) => {
        socket.destroy();
        fail(new ProtocolError(`${where}: the server answered ${incoming.statusCode ?? "?"} ${what} to a plain request; regtags never asks for that, so the registry or a proxy in front of it is broken`));
      };
      outgoing.on("upgrade", switched("Switching Protocols"));
      outgoing.on("connect", switched("(a CONNECT tunnel)")); // node:http emits it instead of "upgrade" for a 2xx to CONNECT
      // 1xx interim answers come before the real one (RFC 9110 §15.2) and are skipped, a bounded number of them.
      let interim = 0;
      outgoing.on("information", () => {
        if (++interim > MAX_INTERIM_RESPONSES) outgoing.destroy(new ProtocolError(`${where}: more than ${MAX_INTERIM_RESPONSES} interim 1xx responses and no final one`));
      });
      outgoing.on("close", () => {
        // After a response, a close is the body's business (wrapResponse watches it).
        if (!settled) fail(Object.assign(new Error("the connection closed without a response"), { code: "ECONNRESET" }));
      });
      outgoing.on("response", (incoming: IncomingMessage) => {
        if ((incoming.statusCode ?? 0) < 200) {
          // A 1xx that node:http hands over as final (a 101 without Upgrade) has no body or meaning here.
          fail(new ProtocolError(`${where}: the server answered ${incoming.statusCode ?? "no status"} as its final response; a 1xx status is never an answer (RFC 9110 §15.2)`));
          outgoing.destroy();
          return;
        }
        if (settled) return;
        const fromProxy = route.responseError?.(incoming.statusCode ?? 0);
        if (fromProxy !== undefined) {
          incoming.resume();
          return fail(fromProxy);
        }
        settled = true;
        resolve(wrapResponse(incoming, req, () => cutBy ?? lateError));
      });
      outgoing.end(req.body);
    }).catch((error: unknown) => {
      // What the executor threw: node refuses a header value with CR/LF (ERR_INVALID_CHAR) before sending.
      throw mapError(error, req.method, req.url, req.signal);
    });

  return {
    send,
    close: () => routes.close(),
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
  // Watched from the start: a connection that breaks before anyone reads the
  // body emits nothing later, and a reader that came late would wait forever.
  let broken: Error | undefined;
  let onBroken: ((error: Error) => void) | undefined;
  const breakOff = (error: unknown) => {
    broken ??= mapError(cutBy() ?? error, req.method, req.url, req.signal);
    onBroken?.(broken);
  };
  const reset = () => Object.assign(new Error("aborted"), { code: "ECONNRESET" });
  incoming.on("error", breakOff);
  incoming.on("aborted", () => breakOff(reset()));
  incoming.on("close", () => {
    if (!incoming.complete) breakOff(reset());
  });
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
      if (broken !== undefined && !incoming.complete) return fail(broken);
      onBroken = fail;
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
  const where = `${method} ${url.origin}${url.pathname}`;
  // A proxy's or the trust's own error (network/) names the proxy or the file; the request it failed is added here.
  if (error instanceof NetworkError) return withSubject(error, where) as NetworkError;
  if (error instanceof ProtocolError || error instanceof AbortedError) return error;
  const code = errorCode(error);
  const detail = (error as Error)?.message ?? String(error);
  const violation = protocolViolation(error, code, where);
  if (violation !== undefined) return violation;
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

/**
 * A response that is not HTTP/1.1 as llhttp reads it (HPE_*: a garbage status
 * line, a malformed header, a duplicate Content-Length, a broken chunk, headers
 * past 16 KiB), or a header value node:http refuses to send (ERR_INVALID_CHAR:
 * a token with CR/LF): a protocol error (exit 5), not a network error. Sending
 * the same request again earns the same answer, so it is never retried. A body
 * cut short by the connection closing (HPE_INVALID_EOF_STATE) stays a network
 * error, like a reset.
 */
function protocolViolation(error: unknown, code: string, where: string): ProtocolError | undefined {
  // llhttp's reason ("Duplicate Content-Length") and node's messages are fixed texts, never server bytes.
  const said = [(error as { reason?: unknown })?.reason, (error as Error)?.message].find((text): text is string => typeof text === "string" && /^[\x20-\x7e]{1,120}$/.test(text));
  const why = said === undefined ? code : `${said.replace(/^Parse Error: /, "")}, ${code}`;
  if (code.startsWith("HPE_") && code !== "HPE_INVALID_EOF_STATE") {
    return new ProtocolError(`${where}: the response is not valid HTTP/1.1 (${why}); the registry or a proxy in front of it is broken`, { cause: error });
  }
  if (code === "ERR_INVALID_CHAR" || code === "ERR_INVALID_HTTP_TOKEN" || code === "ERR_UNESCAPED_CHARACTERS") {
    return new ProtocolError(`${where}: not sent: a header or the path holds a character HTTP forbids (${why}); a token or credential with a line break or another control character cannot be sent`, { cause: error });
  }
  return undefined;
}
