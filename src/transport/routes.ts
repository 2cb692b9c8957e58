/**
 * Which agent each request goes with (issue 11), chosen without loading any
 * proxy or trust code in the common case:
 * - plain http without a proxy: the transport's keep-alive agent;
 * - https without a proxy, to a host with nothing beyond Node's default trust
 *   (no SSL_CERT_FILE/SSL_CERT_DIR, no certificate directory, no tlsFor; a
 *   few stat calls in network/cert-dirs.ts decide): a keep-alive agent with
 *   Node's default context (its roots and NODE_EXTRA_CA_CERTS);
 * - anything else: network/router.ts, loaded on first use, which applies the
 *   proxy settings and reads the trust sources.
 * When Node's roots do not verify a host (an unknown issuer), the host is
 * handed to the router, which adds the OS store, and the caller sends the
 * exchange once more ({@link RouteSelector.afterFailure}): the same trust as
 * the router's from the start, at no cost where Node's roots suffice.
 */
import { Agent as HttpAgent } from "node:http";
import { createRequire } from "node:module";
import { NetworkError } from "../errors.js";
import { hasExtraTrust } from "../network/cert-dirs.js";
import { hasProxySetting, type NetworkOptions, type Route, type Router } from "../network/types.js";

/**
 * node:https, and with it tls and crypto, is required at the first https
 * request, not at start-up: a listing over plain http never needs it, and
 * loading it costs about a tenth of node's own start (issue 13).
 */
const requireFromHere = createRequire(import.meta.url);
let httpsModule: typeof import("node:https") | undefined;
export const loadHttps = (): typeof import("node:https") => (httpsModule ??= requireFromHere("node:https") as typeof import("node:https"));

export interface RouteOptions {
  readonly network: NetworkOptions;
  readonly tlsVerify: boolean;
  readonly maxSockets: number;
  readonly connectTimeoutMs: number;
  /** Whether a host[:port] is the registry at hand or its token realm (`network.certDir` applies to these only). @default every host */
  readonly isRegistryHost?: ((host: string) => boolean) | undefined;
  /** One line per request route and per host's trust (--debug). */
  readonly onTrace?: ((message: string) => void) | undefined;
}

export interface RouteSelector {
  route(url: URL): Route | Promise<Route>;
  /** After `route` failed with `error`: the route to send the exchange again with (Node's roots did not verify the host), else undefined. */
  afterFailure(url: URL, route: Route | Promise<Route>, error: unknown): Promise<Route> | undefined;
  close(): Promise<void>;
}

/**
 * Verification failures that more CA certificates can cure: with Node's
 * default roots they mean "issuer unknown", and the OS store (a corporate CA
 * installed there) may know it.
 */
const UNKNOWN_ISSUER_CODES: ReadonlySet<string> = new Set(["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT"]);

export function createRouteSelector(options: RouteOptions): RouteSelector {
  const env = options.network.env ?? process.env;
  const proxied = hasProxySetting(options.network, env);
  const trace = options.onTrace;
  const directHttp: Route = { agent: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets }) };
  let directHttps: Route | undefined;
  const directHttpsRoute = (): Route => (directHttps ??= { agent: new (loadHttps().Agent)({ keepAlive: true, maxSockets: options.maxSockets, rejectUnauthorized: options.tlsVerify }) });
  /** host → whether it goes through the router's trust (extra trust configured, or Node's roots did not verify it). */
  const needsTrust = new Map<string, boolean>();
  const certDirSettings = { ...options.network, env, isRegistryHost: options.isRegistryHost };
  let router: Promise<Router> | undefined;

  const routed = (url: URL): Promise<Route> => {
    router ??= import("../network/router.js").then(({ createRouter }) =>
      createRouter({
        ...options.network,
        env,
        tlsVerify: options.tlsVerify,
        maxSockets: options.maxSockets,
        connectTimeoutMs: options.connectTimeoutMs,
        directHttpAgent: directHttp.agent,
        isRegistryHost: options.isRegistryHost,
        onTrace: trace,
      }),
    );
    return router.then((loaded) => loaded.route(url));
  };

  const hasDefaultTrust = (host: string): boolean => {
    let extra = needsTrust.get(host);
    if (extra === undefined) {
      extra = hasExtraTrust(host, certDirSettings);
      needsTrust.set(host, extra);
      if (!extra) {
        trace?.(
          options.tlsVerify
            ? `trust: ${host}: Node's default roots (nothing else configured for it; the OS store is added if they do not verify it)`
            : `trust: ${host}: certificate verification off (the tlsVerify option set to false)`,
        );
      }
    }
    return !extra;
  };

  return {
    route(url) {
      if (proxied || (url.protocol === "https:" && !hasDefaultTrust(url.host))) return routed(url);
      trace?.(`route: ${url.origin} direct (no proxy configured)`);
      return url.protocol === "https:" ? directHttpsRoute() : directHttp;
    },
    afterFailure(url, route, error) {
      if (route !== directHttps || !options.tlsVerify) return undefined;
      if (!(error instanceof NetworkError) || !UNKNOWN_ISSUER_CODES.has(error.systemCode ?? "")) return undefined;
      // Remembered per host: its later requests go with the OS store at once.
      if (needsTrust.get(url.host) !== true) {
        needsTrust.set(url.host, true);
        trace?.(`trust: ${url.host}: Node's roots did not verify it (${error.systemCode}); retrying with the OS store`);
      }
      return routed(url);
    },
    async close() {
      directHttp.agent.destroy();
      directHttps?.agent.destroy();
      await router?.then((loaded) => loaded.close(), () => undefined);
    },
  };
}
