/**
 * The proxy and trust flags (`--proxy`, `--no-proxy`, `--cert-dir`), shared
 * by every command that talks to a registry and by `regtags auth which`.
 * Flags win over the config file's "proxy" / "noProxy" / "certDir", which win
 * over the environment (HTTPS_PROXY, NO_PROXY, …).
 */
import { statSync } from "node:fs";
import type { ClientOptions } from "../client.js";
import { UsageError } from "../errors.js";
import { checkProxyUrl } from "../network/explain.js";
import type { CliConfig } from "./config.js";

export const NETWORK_FLAGS = {
  proxy: { type: "string" },
  "no-proxy": { type: "string" },
  "cert-dir": { type: "string" },
} as const;

export interface NetworkFlagValues {
  proxy?: string | undefined;
  "no-proxy"?: string | undefined;
  "cert-dir"?: string | undefined;
}

export const NETWORK_FLAGS_HELP = `  --proxy URL            proxy for http and https requests, instead of HTTPS_PROXY/HTTP_PROXY/ALL_PROXY
                         (http://[USER:PASSWORD@]HOST:PORT; "" for none)
  --no-proxy LIST        hosts reached directly, replacing NO_PROXY (names with subdomains, .name,
                         IPs, CIDRs, :port, *)
  --cert-dir DIR         CA certificates (*.crt) and client certificate (NAME.cert + NAME.key) for the
                         registry, instead of /etc/containers/certs.d/HOST:PORT/ and the like`;

/** The network part of ClientOptions. @throws UsageError on a bad proxy URL (never echoed: it may hold a password) or a missing --cert-dir. */
export async function networkClientOptions(values: NetworkFlagValues, config: CliConfig): Promise<Pick<ClientOptions, "proxy" | "noProxy" | "certDir">> {
  const options: Pick<ClientOptions, "proxy" | "noProxy" | "certDir"> = {};
  const proxy = values.proxy ?? config.proxy;
  if (proxy !== undefined) {
    const problem = proxy === "" ? undefined : await checkProxyUrl(proxy);
    if (problem !== undefined) throw new UsageError(`${values.proxy !== undefined ? "--proxy" : 'the config file\'s "proxy"'}: ${problem}; e.g. http://proxy.corp:3128`);
    options.proxy = proxy;
  }
  const noProxy = values["no-proxy"] ?? config.noProxy;
  if (noProxy !== undefined) options.noProxy = noProxy;
  const certDir = values["cert-dir"] ?? config.certDir;
  if (certDir !== undefined) {
    let isDirectory = false;
    try {
      isDirectory = statSync(certDir).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) throw new UsageError(`${values["cert-dir"] !== undefined ? "--cert-dir" : 'the config file\'s "certDir"'} ${JSON.stringify(certDir)} is not a directory; it should hold the registry's CA as NAME.crt (and NAME.cert + NAME.key for a client certificate)`);
    options.certDir = certDir;
  }
  return options;
}
