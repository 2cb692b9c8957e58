/**
 * The bottom of the pipeline (pipeline.ts builds it for the client and the
 * prober): the HTTP transport with its routes (proxies, trust; issue 11)
 * under the echo guard (issue 10). Proxy credentials are learned from the
 * settings (the proxy agents add Proxy-Authorization below the capture), what
 * is traced is scrubbed, and `certDir` is limited to the registries at hand.
 */
import { pickNetworkOptions, proxySettingValues, type NetworkOptions } from "../network/types.js";
import { scrubTraceListener, SecretEchoes, withSecretCapture } from "./echo-guard.js";
import { createHttpTransport, type HttpOptions, type HttpTransport } from "./http.js";
import type { TraceListener } from "./trace.js";

export interface GuardedHttp extends HttpTransport {
  /** Every secret sent so far, to scrub errors and findings with. */
  readonly echoes: SecretEchoes;
  /** The caller's listener behind the scrubber, or undefined. */
  readonly onTrace: TraceListener | undefined;
  /** Hosts of the registries at hand and their token realms, as the caller learns them: `certDir` applies to these only. */
  readonly registryHosts: Set<string>;
}

/** `http` holds the transport's own options; the network keys come from `network`. */
export function createGuardedHttp(network: NetworkOptions, http: Omit<HttpOptions, "network" | "isRegistryHost" | "onNetworkTrace">, onTraceOption: TraceListener | undefined): GuardedHttp {
  const echoes = new SecretEchoes();
  for (const proxy of proxySettingValues(network, network.env ?? process.env)) echoes.rememberUrlUserinfo(proxy);
  const onTrace = onTraceOption === undefined ? undefined : scrubTraceListener(onTraceOption, echoes);
  const registryHosts = new Set<string>();
  const transport = createHttpTransport({
    ...http,
    network: pickNetworkOptions(network),
    isRegistryHost: (host) => registryHosts.has(host),
    ...(onTrace !== undefined ? { onNetworkTrace: (message: string) => onTrace({ type: "network", message }) } : {}),
  });
  return { send: withSecretCapture(transport.send, echoes), close: () => transport.close(), echoes, onTrace, registryHosts };
}
