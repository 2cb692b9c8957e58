/**
 * The network options (proxies, trust) shared by the client, the prober, the
 * HTTP transport and the lazily loaded network code, and cheap checks on
 * them: without a proxy, no proxy code is loaded.
 */
import type { Agent } from "node:http";
import type { TlsMaterial } from "./trust.js";

export { hasProxySetting, PROXY_VARIABLES, proxySettingValues } from "./proxy-variables.js";

export type { TlsMaterial };

/** Proxies and trust: the same keys in ClientOptions and ProbeOptions (issue 11). */
export interface NetworkOptions {
  /**
   * Proxy URL for every request, http and https targets alike, instead of
   * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (`http://` is assumed without a
   * scheme; `user:password@` is sent as Proxy-Authorization Basic). "" means
   * no proxy. Loopback targets never go through a proxy.
   * @default from the environment
   */
  proxy?: string | undefined;
  /** NO_PROXY-syntax list (names with their subdomains, `.name`, IPs, CIDRs, `:port`, `*`) replacing NO_PROXY / no_proxy. */
  noProxy?: string | undefined;
  /**
   * A directory in containers-certs.d(5) layout (skopeo's `--cert-dir`) used,
   * instead of the certs.d lookup, for the registry being listed (its endpoint
   * host) and its token realm only; other hosts (vendor APIs, redirect
   * targets) keep the certs.d lookup.
   */
  certDir?: string | undefined;
  /**
   * Roots searched for `HOST[:PORT]/` directories of `*.crt` CA certificates
   * and `NAME.cert` + `NAME.key` client certificates.
   * @default ["/etc/containers/certs.d", "$HOME/.config/containers/certs.d", "/etc/docker/certs.d"]
   */
  certsDirectories?: readonly string[] | undefined;
  /** Extra TLS material for a host[:port] (CA certificates added to the trust, a client certificate), e.g. from a secret store. */
  tlsFor?: ((host: string) => TlsMaterial | undefined) | undefined;
  /** The environment read for proxies, NO_PROXY, SSL_CERT_FILE, SSL_CERT_DIR and HOME. @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The network keys of any options object that extends {@link NetworkOptions}, for passing them on. */
export function pickNetworkOptions(options: NetworkOptions): NetworkOptions {
  const { proxy, noProxy, certDir, certsDirectories, tlsFor, env } = options;
  return { proxy, noProxy, certDir, certsDirectories, tlsFor, env };
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
