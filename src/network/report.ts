/** Builds and prints the {@link NetworkReport} of `regtags auth which`. */
import { describeDecision } from "./router.js";
import { redactProxyUrl, resolveProxy } from "./proxy-env.js";
import { hostCertDirectories, isDirectory } from "./cert-dirs.js";
import { TrustStore } from "./trust.js";
import type { NetworkReport } from "./explain.js";
import type { NetworkOptions } from "./types.js";

/** The report for `target`: an endpoint URL, or a registry host[:port] reached over https. */
export async function buildNetworkReport(target: string | URL, options: NetworkOptions): Promise<NetworkReport> {
  const env = options.env ?? process.env;
  const url = typeof target === "string" ? new URL(`https://${target}`) : target;
  const decision = resolveProxy(url, { proxy: options.proxy, noProxy: options.noProxy, env });
  const base = {
    url: url.origin,
    route: describeDecision(decision, redactProxyUrl),
    ...(decision.kind === "proxy" ? { proxy: redactProxyUrl(decision.proxy) } : {}),
  };
  // The router's own refusal, as a listing would meet it.
  const proxyError = decision.kind === "invalid" ? { error: `the proxy from ${decision.source} cannot be used: ${decision.reason}` } : {};
  if (url.protocol !== "https:") return { ...base, trust: ["none: plain http"], certificateDirectories: [], ...proxyError };
  const settings = { env, certDir: options.certDir, certsDirectories: options.certsDirectories, tlsFor: options.tlsFor };
  try {
    const trust = await new TrustStore(settings).forHost(url.host);
    return {
      ...base,
      trust: trust.sources,
      certificateDirectories: trust.directories,
      ...(trust.clientCertificate !== undefined ? { clientCertificate: trust.clientCertificate } : {}),
      ...proxyError,
    };
  } catch (error) {
    const directories = hostCertDirectories(url.host, settings).map((path) => ({ path, exists: isDirectory(path) }));
    return { ...base, trust: [], certificateDirectories: directories, error: (error as Error).message };
  }
}

export function formatNetworkReportText(report: NetworkReport): string {
  const lines = [`network: ${report.url} ${report.route}`];
  if (report.error !== undefined) lines.push(`  trust: failed: ${report.error}`);
  else lines.push(`  trust: ${report.trust.join(", ")}`);
  for (const dir of report.certificateDirectories) lines.push(`  ${(dir.exists ? "read" : "not present").padEnd(15)} ${dir.path}/`);
  lines.push(`  client certificate: ${report.clientCertificate !== undefined ? `${report.clientCertificate.cert} + ${report.clientCertificate.key}` : "none"}`);
  return lines.join("\n");
}
