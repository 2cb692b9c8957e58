/** Builds and prints the {@link NetworkReport} of `regtags auth which`. */
import { describeDecision } from "./router.js";
import { redactProxyUrl, resolveProxy } from "./proxy-env.js";
import { hostCertDirectories, TrustStore } from "./trust.js";
import type { NetworkReport } from "./explain.js";
import type { NetworkOptions } from "./types.js";

export async function buildNetworkReport(registry: string, options: NetworkOptions): Promise<NetworkReport> {
  const env = options.env ?? process.env;
  const url = new URL(`https://${registry}`);
  const decision = resolveProxy(url, { proxy: options.proxy, noProxy: options.noProxy, env });
  const base = {
    url: url.origin,
    route: describeDecision(decision, redactProxyUrl),
    ...(decision.kind === "proxy" ? { proxy: redactProxyUrl(decision.proxy) } : {}),
  };
  try {
    const trust = await new TrustStore({ env, certDir: options.certDir, certsDirectories: options.certsDirectories, tlsFor: options.tlsFor }).forHost(url.host);
    return {
      ...base,
      trust: trust.sources,
      certificateDirectories: trust.directories,
      ...(trust.clientCertificate !== undefined ? { clientCertificate: trust.clientCertificate } : {}),
    };
  } catch (error) {
    const directories = hostCertDirectories(url.host, { env, certDir: options.certDir, certsDirectories: options.certsDirectories }).map((path) => ({ path, exists: false }));
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
