/**
 * The network options (proxies, trust) shared by the client, the HTTP
 * transport and the lazily loaded network code, and a cheap check for
 * whether any proxy is configured: without one, no proxy code is loaded.
 */
import type { Agent } from "node:http";
import type { TlsMaterial } from "./trust.js";

export type { TlsMaterial };

export interface NetworkOptions {
  /** Proxy URL for every target, instead of the *_PROXY variables; "" = none. */
  readonly proxy?: string | undefined;
  /** NO_PROXY-syntax list replacing NO_PROXY / no_proxy. */
  readonly noProxy?: string | undefined;
  /** A certs.d-layout directory used for every host instead of the certs.d roots. */
  readonly certDir?: string | undefined;
  /** Roots searched for HOST[:PORT]/ subdirectories. */
  readonly certsDirectories?: readonly string[] | undefined;
  /** Extra TLS material per host[:port]. */
  readonly tlsFor?: ((host: string) => TlsMaterial | undefined) | undefined;
  /** The environment read for proxies, SSL_CERT_FILE/SSL_CERT_DIR and HOME. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** How one request goes: the agent to send it with. */
export interface Route {
  readonly agent: Agent;
  /** An error for a status that came from the proxy, not the target (a 407 to a forwarded request). */
  responseError?(status: number): Error | undefined;
}

export interface Router {
  /** @throws NetworkError when the proxy setting or a certificate file cannot be used. */
  route(url: URL): Promise<Route>;
  close(): void;
}

/** The proxy variables (any case as Go and curl read them). */
export const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] as const;

/** True when a proxy setting or variable is present. */
export function hasProxySetting(options: NetworkOptions, env: Readonly<Record<string, string | undefined>>): boolean {
  if (options.proxy !== undefined) return options.proxy.trim() !== "";
  return PROXY_VARIABLES.some((name) => (env[name] ?? "").trim() !== "");
}
