/**
 * The base of the pipeline: one undici Agent (keep-alive connection pools per
 * origin) that sends a request and maps failures to typed errors. It follows
 * no redirects and knows nothing of auth; decorators add those.
 */
import { Agent, request as undiciRequest } from "undici";
import { AbortedError, NetworkError, ProtocolError } from "../errors.js";
import { headersFromRecord, type Transport, type TransportResponse } from "./types.js";

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

/** Creates the keep-alive HTTP base transport. Close it when done. */
export function createHttpTransport(options: HttpOptions = {}): HttpTransport {
  const idle = options.idleTimeoutMs ?? 30_000;
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000, rejectUnauthorized: options.tlsVerify ?? true },
    headersTimeout: idle,
    bodyTimeout: idle,
    keepAliveTimeout: 30_000,
    connections: options.connectionsPerOrigin ?? 16,
  });
  const userAgent = options.userAgent ?? "regtags";

  const send: Transport = async (req) => {
    if (req.signal?.aborted) throw new AbortedError({ cause: req.signal.reason });
    let res;
    try {
      res = await undiciRequest(req.url, {
        method: req.method,
        headers: { "user-agent": userAgent, ...req.headers },
        body: req.body ?? null,
        signal: req.signal ?? null,
        dispatcher: agent,
      });
    } catch (error) {
      throw mapError(error, req.method, req.url, req.signal);
    }
    const body = res.body;
    let consumed = false;
    const response: TransportResponse = {
      status: res.statusCode,
      headers: headersFromRecord(res.headers),
      url: req.url,
      async text(limitBytes) {
        consumed = true;
        const chunks: Buffer[] = [];
        let size = 0;
        try {
          for await (const chunk of body) {
            const buf = chunk as Buffer;
            size += buf.length;
            if (size > limitBytes) {
              body.destroy();
              throw new ProtocolError(
                `${req.method} ${req.url.origin}${req.url.pathname}: response body exceeds ${limitBytes} bytes; the server sent more than any valid answer needs`,
              );
            }
            chunks.push(buf);
          }
        } catch (error) {
          if (error instanceof ProtocolError) throw error;
          throw mapError(error, req.method, req.url, req.signal);
        }
        return Buffer.concat(chunks).toString("utf8");
      },
      async discard() {
        if (consumed) return;
        consumed = true;
        // Small bodies are drained to keep the connection; big ones are cut.
        await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      },
    };
    return response;
  };

  return { send, close: () => agent.close() };
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return typeof (error as { code?: unknown })?.code === "string" ? String((error as { code: string }).code) : "";
}

/** Turns a failure to talk HTTP into a typed error naming the host. */
export function mapError(error: unknown, method: string, url: URL, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new AbortedError({ cause: error });
  if (error instanceof ProtocolError || error instanceof NetworkError || error instanceof AbortedError) return error;
  const code = errorCode(error);
  const detail = (error as Error)?.message ?? String(error);
  const where = `${method} ${url.origin}${url.pathname}`;
  if (TLS_ERROR_CODES.has(code) || /certificate|SSL|TLS/i.test(code)) {
    return new NetworkError(
      "ERR_TLS",
      `${where}: TLS failed (${code || detail}); if the registry uses a self-signed certificate use --tls-verify=false, if it speaks plain HTTP use --plain-http`,
      { cause: error, systemCode: code },
    );
  }
  const what =
    code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? "host not found"
      : code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ECONNRESET" || code === "UND_ERR_SOCKET"
          ? "connection reset"
          : code === "UND_ERR_CONNECT_TIMEOUT"
            ? "connect timeout"
            : code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT"
              ? "the server stopped answering (idle timeout)"
              : detail;
  return new NetworkError("ERR_NETWORK", `${where}: ${what}${code && !what.includes(code) ? ` (${code})` : ""}`, {
    cause: error,
    systemCode: code,
  });
}
