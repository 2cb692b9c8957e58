/**
 * Keep-alive agents that reach targets through an HTTP proxy, on node:http's
 * own pooling (an async `createConnection`, which node:http's Agent supports):
 * - {@link TunnelAgent}: https targets through `CONNECT host:port` (RFC 9110
 *   §9.3.6), then TLS to the target inside the tunnel, with SNI and
 *   certificate checks for the target's name and the target's trust;
 * - {@link ForwardAgent}: http targets in absolute form (RFC 9112 §3.2.2).
 * Both send `Proxy-Authorization: Basic` from the proxy URL's userinfo and
 * fail with errors that name the proxy without its credentials.
 *
 * Written on node:http rather than with https-proxy-agent: that package
 * replays a refused CONNECT's response (a 407, a 403) to the request as if the
 * registry had sent it, runs outside our connect timer, and brings `debug`.
 */
import { Agent as HttpAgent, type AgentOptions as HttpAgentOptions, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from "node:https";
import { connect as netConnect, isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect, type ConnectionOptions, type SecureContext, type TLSSocket } from "node:tls";
import { NetworkError } from "../errors.js";
import { proxyAuthorization, redactProxyUrl } from "./proxy-env.js";

/** A proxy and how to name it in messages. */
export interface ProxyEndpoint {
  /** With userinfo: only Proxy-Authorization reads it. */
  readonly url: URL;
  /** Where the setting came from, e.g. `HTTPS_PROXY`. */
  readonly source: string;
  /** For an https:// proxy: the trust to verify it with (the router's, as for registries). @default Node's */
  readonly tls?: { readonly secureContext: SecureContext; readonly rejectUnauthorized: boolean };
}

type ConnectCallback = (error: Error | null, socket: Duplex) => void;

/** Cap on a CONNECT response's header block: a proxy's answer is a few hundred bytes. */
const MAX_CONNECT_RESPONSE_BYTES = 16 * 1024;

/** https targets through a CONNECT tunnel. One agent per proxy and trust. */
export class TunnelAgent extends HttpsAgent {
  readonly #proxy: ProxyEndpoint;
  readonly #connectTimeoutMs: number;

  constructor(proxy: ProxyEndpoint, options: HttpsAgentOptions, connectTimeoutMs: number) {
    super(options);
    this.#proxy = proxy;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  // node:http calls this with the merged request + agent options (host, port, servername, secureContext, …).
  override createConnection(requested: unknown, callback?: ConnectCallback): undefined {
    const options = requested as ConnectionOptions & { host?: string; port?: number | string };
    const host = options.host ?? "localhost";
    const port = Number(options.port ?? 443);
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const deadline = startDeadline(this.#proxy, target, this.#connectTimeoutMs);
    const secured = openTunnel(this.#proxy, target, deadline).then(
      (raw) =>
        new Promise<TLSSocket>((resolve, reject) => {
          const { host: _host, port: _port, path: _path, ...tlsOptions } = options as ConnectionOptions & { path?: string };
          const servername = isIP(host) === 0 ? (options.servername ?? host) : undefined;
          const secure = tlsConnect({ ...tlsOptions, socket: raw, ...(servername !== undefined ? { servername } : {}) });
          deadline.watch(secure);
          secure.once("secureConnect", () => {
            secure.off("error", reject);
            resolve(secure);
          });
          secure.once("error", reject);
        }),
    );
    handOver(secured, deadline, callback);
    return undefined;
  }
}

/** http targets in absolute form through the proxy. One agent per proxy. */
export class ForwardAgent extends HttpAgent {
  readonly #proxy: ProxyEndpoint;
  readonly #connectTimeoutMs: number;
  readonly #authorization: string | undefined;

  constructor(proxy: ProxyEndpoint, options: HttpAgentOptions, connectTimeoutMs: number) {
    super(options);
    this.#proxy = proxy;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#authorization = proxyAuthorization(proxy.url);
  }

  /** Rewrites the request line to absolute form and sends it to the proxy; headers are not yet written here. */
  addRequest(req: ClientRequest, options: { host?: string | null; hostname?: string | null; port?: number | string | null; [key: string]: unknown }): void {
    const host = options.hostname ?? options.host ?? "localhost";
    const port = options.port !== undefined && options.port !== null && String(options.port) !== "80" ? `:${options.port}` : "";
    req.path = `http://${isIP(host) === 6 ? `[${host}]` : host}${port}${req.path}`;
    if (this.#authorization !== undefined) req.setHeader("proxy-authorization", this.#authorization);
    const proxyPort = this.#proxy.url.port !== "" ? Number(this.#proxy.url.port) : this.#proxy.url.protocol === "https:" ? 443 : 80;
    // addRequest is node:http's extension point (http-proxy-agent uses it too), absent from @types/node.
    (HttpAgent.prototype as unknown as { addRequest: (req: ClientRequest, options: object) => void }).addRequest.call(this, req, {
      ...options,
      host: this.#proxy.url.hostname,
      hostname: this.#proxy.url.hostname,
      port: proxyPort,
    });
  }

  override createConnection(_options: unknown, callback?: ConnectCallback): undefined {
    const deadline = startDeadline(this.#proxy, undefined, this.#connectTimeoutMs);
    handOver(connectToProxy(this.#proxy, deadline), deadline, callback);
    return undefined;
  }

  /** A 407 from the proxy to a forwarded request: the error to raise, else undefined. */
  responseError(status: number): Error | undefined {
    return status === 407 ? proxyAuthError(this.#proxy, this.#authorization !== undefined) : undefined;
  }
}

/** Gives node:http the connected socket, or the failure (the timeout's own when the deadline cut it). */
function handOver(connected: Promise<Socket>, deadline: Deadline, callback: ConnectCallback | undefined): void {
  connected.then(
    (socket) => {
      deadline.done();
      callback?.(null, socket);
    },
    (error: unknown) => {
      deadline.done();
      callback?.(deadline.error() ?? (error as Error), undefined as unknown as Duplex);
    },
  );
}

interface Deadline {
  /** Destroys `socket` when the time is up. */
  watch(socket: Socket): void;
  done(): void;
  /** The timeout error, once the time is up. */
  error(): NetworkError | undefined;
}

/** One timer over the whole proxy connect, CONNECT exchange and TLS handshake. */
function startDeadline(proxy: ProxyEndpoint, target: string | undefined, ms: number): Deadline {
  let socket: Socket | undefined;
  let timedOut: NetworkError | undefined;
  const timer = setTimeout(() => {
    const through = target !== undefined ? `no tunnel to ${target} through proxy` : "no connection to proxy";
    timedOut = new NetworkError("ERR_NETWORK", `${through} ${redactProxyUrl(proxy.url)} within ${ms} ms (connect timeout; ${proxy.source})`, { systemCode: "ETIMEDOUT_PROXY" });
    socket?.destroy(timedOut);
  }, ms);
  return {
    watch(next) {
      socket = next;
    },
    done: () => clearTimeout(timer),
    error: () => timedOut,
  };
}

/** A TCP (or TLS, for an https:// proxy) connection to the proxy. */
function connectToProxy(proxy: ProxyEndpoint, deadline: Deadline): Promise<Socket> {
  const url = proxy.url;
  const https = url.protocol === "https:";
  const port = url.port !== "" ? Number(url.port) : https ? 443 : 80;
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return new Promise<Socket>((resolve, reject) => {
    const socket: Socket = https
      ? tlsConnect({ host: hostname, port, ...(isIP(hostname) === 0 ? { servername: hostname } : {}), ...proxy.tls })
      : netConnect({ host: hostname, port });
    deadline.watch(socket);
    socket.once(https ? "secureConnect" : "connect", () => {
      socket.off("error", onError);
      resolve(socket);
    });
    const onError = (error: NodeJS.ErrnoException) => reject(proxyUnreachable(proxy, error));
    socket.once("error", onError);
  });
}

/** Connects to the proxy and asks it for a tunnel to `target` (host:port). */
async function openTunnel(proxy: ProxyEndpoint, target: string, deadline: Deadline): Promise<Socket> {
  const socket = await connectToProxy(proxy, deadline);
  const authorization = proxyAuthorization(proxy.url);
  return new Promise<Socket>((resolve, reject) => {
    let received = Buffer.alloc(0);
    const cleanup = () => {
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("end", onEnd);
    };
    const fail = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(new NetworkError("ERR_NETWORK", `${target}: proxy ${redactProxyUrl(proxy.url)} failed during CONNECT (${error.code ?? error.message})`, { cause: error, systemCode: error.code ?? "" }));
    const onEnd = () => fail(new NetworkError("ERR_NETWORK", `${target}: proxy ${redactProxyUrl(proxy.url)} closed the connection during CONNECT`, { systemCode: "ECONNRESET" }));
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) {
        if (received.length > MAX_CONNECT_RESPONSE_BYTES) fail(new NetworkError("ERR_PROXY", `${target}: proxy ${redactProxyUrl(proxy.url)} sent an oversized answer to CONNECT`));
        return;
      }
      cleanup();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, Math.min(end, 64)).toString("latin1"))?.[1];
      if (status === "200") {
        // Bytes past the header belong to the tunnel (a proxy should send none before our ClientHello).
        const rest = received.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
        return;
      }
      socket.destroy();
      if (status === "407") reject(proxyAuthError(proxy, authorization !== undefined));
      else {
        // squid answers 503 when the target refuses and 500 when its name does not resolve; 403 is its access rules.
        const hint = status !== undefined && status.startsWith("5") ? "the proxy could not reach it (unknown name, or nothing listening there)" : "check that the proxy allows this host and port";
        reject(new NetworkError("ERR_PROXY", `the proxy ${redactProxyUrl(proxy.url)} refused CONNECT to ${target} (${status ?? "not HTTP"}); ${hint}`, { systemCode: `PROXY_${status ?? "BAD"}` }));
      }
    };
    socket.on("data", onData);
    socket.once("error", onError);
    socket.once("end", onEnd);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${authorization !== undefined ? `Proxy-Authorization: ${authorization}\r\n` : ""}\r\n`);
  });
}

function proxyUnreachable(proxy: ProxyEndpoint, error: NodeJS.ErrnoException): NetworkError {
  const code = error.code ?? "";
  if (proxy.url.protocol === "https:" && /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS_/.test(code)) {
    return new NetworkError(
      "ERR_TLS",
      `the https proxy ${redactProxyUrl(proxy.url)} could not be verified (${code}); trust its CA as a registry's: SSL_CERT_FILE, the OS store or /etc/containers/certs.d/${proxy.url.host}/ (${proxy.source})`,
      { cause: error, systemCode: code },
    );
  }
  const why =
    code === "ECONNREFUSED" ? "connection refused" : code === "ENOTFOUND" || code === "EAI_AGAIN" ? "host not found" : code === "ECONNRESET" ? "connection reset" : code || error.message;
  return new NetworkError("ERR_NETWORK", `proxy ${redactProxyUrl(proxy.url)} unreachable (${why}); check the proxy setting (${proxy.source})`, {
    cause: error,
    systemCode: code,
  });
}

function proxyAuthError(proxy: ProxyEndpoint, sentCredentials: boolean): NetworkError {
  const name = redactProxyUrl(proxy.url);
  return sentCredentials
    ? new NetworkError("ERR_PROXY", `proxy ${name} rejected the credentials (407 Proxy Authentication Required); check the user and password in ${proxy.source}`, { systemCode: "PROXY_407" })
    : new NetworkError("ERR_PROXY", `proxy ${name} requires proxy authentication (407); give the user and password in the proxy URL, http://USER:PASSWORD@HOST:PORT (${proxy.source})`, { systemCode: "PROXY_407" });
}
