/**
 * Entry points of the network layer for `regtags auth which` and the CLI's
 * flag checks. They import the proxy and trust code on call, so importing
 * them (index.ts does) costs nothing at start-up.
 */
import type { NetworkOptions } from "./types.js";

/** Which proxy and which trust a registry would get (`regtags auth which`). Never holds credentials or certificate contents. */
export interface NetworkReport {
  /** The URL decided for, e.g. `https://registry.corp:5000`. */
  readonly url: string;
  /** `via proxy http://host:port (HTTPS_PROXY)` or `direct (NO_PROXY entry x)`. */
  readonly route: string;
  /** The proxy URL without credentials, when one applies. */
  readonly proxy?: string;
  /** Trust sources in order: Node's roots, files; never contents. */
  readonly trust: readonly string[];
  /** The per-registry certificate directories consulted and whether each exists. */
  readonly certificateDirectories: readonly { readonly path: string; readonly exists: boolean }[];
  /** The client certificate's files, when one applies. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** Why a listing would fail before sending: an unusable proxy setting, trust that cannot be read (a certificate without its key, an unreadable file). */
  readonly error?: string;
}

/**
 * Explains how requests to a registry would go: `target` is the endpoint
 * contacted (`client.endpointFor(registry)`, which applies endpoints and
 * profiles: docker.io → https://registry-1.docker.io), or a host[:port]
 * reached over https.
 */
export async function explainNetwork(target: string | URL, options: NetworkOptions = {}): Promise<NetworkReport> {
  const { buildNetworkReport } = await import("./report.js");
  return buildNetworkReport(target, options);
}

/** The report as indented text lines. */
export async function formatNetworkReport(report: NetworkReport): Promise<string> {
  const { formatNetworkReportText } = await import("./report.js");
  return formatNetworkReportText(report);
}

/** Why a proxy URL cannot be used (never echoing it), or undefined when it can. */
export async function checkProxyUrl(text: string): Promise<string | undefined> {
  const { parseProxyUrl } = await import("./proxy-env.js");
  const parsed = parseProxyUrl(text);
  return typeof parsed === "string" ? parsed : undefined;
}
