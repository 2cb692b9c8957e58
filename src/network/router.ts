/**
 * Chooses the agent of each request: direct or through which proxy (from
 * proxy-env.ts), with which trust (from trust.ts). Agents are created lazily,
 * one per proxy and trust, and pooled (keep-alive) like the transport's own;
 * close() destroys them. Loaded with import() by transport/http.ts only when
 * a proxy is configured or a host needs more than Node's default trust
 * (network/cert-dirs.ts decides), so a run without either never loads it.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { NetworkError } from "../errors.js";
import type { ForwardAgent, ProxyEndpoint, TunnelAgent } from "./proxy-agent.js";
import type { ProxyDecision } from "./proxy-env.js";
import { TrustStore } from "./trust.js";
import { hasProxySetting, type NetworkOptions, type Router } from "./types.js";

/** The proxy modules, loaded only when a proxy is configured (https without one needs only trust.ts). */
type ProxyCode = typeof import("./proxy-env.js") & typeof import("./proxy-agent.js");

export interface RouterOptions extends NetworkOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly tlsVerify: boolean;
  readonly maxSockets: number;
  readonly connectTimeoutMs: number;
  /** The transport's own agent for direct http requests. */
  readonly directHttpAgent: HttpAgent;
  /** Whether a host is the registry at hand or its token realm (`certDir` applies to these only). @default every host */
  readonly isRegistryHost?: ((host: string) => boolean) | undefined;
  /** One line per request route and per host trust (for --debug). */
  readonly onTrace?: ((message: string) => void) | undefined;
}

export function createRouter(options: RouterOptions): Router {
  const trust = new TrustStore({
    env: options.env,
    certDir: options.certDir,
    certsDirectories: options.certsDirectories,
    isRegistryHost: options.isRegistryHost,
    tlsFor: options.tlsFor,
    verify: options.tlsVerify,
  });
  const agents = new Map<string, HttpAgent>();
  const announced = new Set<string>();
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  let proxyCode: Promise<ProxyCode> | undefined;
  const loadProxyCode = () => (proxyCode ??= Promise.all([import("./proxy-env.js"), import("./proxy-agent.js")]).then(([env, agents]) => ({ ...env, ...agents })));
  const noProxy: ProxyDecision = { kind: "direct", reason: "no proxy configured" };

  const agent = <T extends HttpAgent>(key: string, create: () => T): T => {
    let found = agents.get(key) as T | undefined;
    if (found === undefined) {
      found = create();
      agents.set(key, found);
    }
    return found;
  };

  const trustFor = async (host: string) => {
    const found = await trust.forHost(host);
    if (!announced.has(host)) {
      announced.add(host);
      options.onTrace?.(`trust: ${host}: ${found.sources.join(", ")}${describeDirectories(found.directories)}`);
    }
    return found;
  };
  /** An https:// proxy is verified with the same trust as registries: the global sources and the certs.d directories of its own host. */
  const proxyTls = async (proxy: URL): Promise<Pick<ProxyEndpoint, "tls">> => {
    if (proxy.protocol !== "https:") return {};
    return { tls: { secureContext: (await trustFor(proxy.host)).secureContext, rejectUnauthorized: options.tlsVerify } };
  };

  return {
    async route(url) {
      const code = hasProxySetting(options, options.env) ? await loadProxyCode() : undefined;
      const decision = code === undefined ? noProxy : code.resolveProxy(url, { proxy: options.proxy, noProxy: options.noProxy, env: options.env });
      if (decision.kind === "invalid") {
        throw new NetworkError("ERR_PROXY", `the proxy from ${decision.source} cannot be used: ${decision.reason}`, { systemCode: "PROXY_INVALID" });
      }
      options.onTrace?.(`route: ${url.origin} ${describeDecision(decision, code?.redactProxyUrl)}`);
      const proxy: ProxyEndpoint | undefined = decision.kind === "proxy" ? { url: decision.proxy, source: decision.source, ...(await proxyTls(decision.proxy)) } : undefined;
      if (url.protocol !== "https:") {
        if (proxy === undefined) return { agent: options.directHttpAgent };
        const forward = agent<ForwardAgent>(`forward ${proxy.url.href}`, () => new code!.ForwardAgent(proxy, agentOptions, options.connectTimeoutMs));
        return { agent: forward, responseError: (status) => forward.responseError(status) };
      }
      const hostTrust = await trustFor(url.host);
      const trustKey = hostTrust.hostSpecific ? url.host : "";
      const tls = { ...agentOptions, rejectUnauthorized: options.tlsVerify, secureContext: hostTrust.secureContext };
      if (proxy === undefined) return { agent: agent(`direct|${trustKey}`, () => new HttpsAgent(tls)) };
      return { agent: agent<TunnelAgent>(`tunnel ${proxy.url.href}|${trustKey}`, () => new code!.TunnelAgent(proxy, tls, options.connectTimeoutMs)) };
    },
    close() {
      for (const found of agents.values()) found.destroy();
      agents.clear();
    },
  };
}

/** "via proxy http://host:port (HTTPS_PROXY)" or "direct (NO_PROXY entry x)"; never credentials. */
export function describeDecision(decision: ProxyDecision, redact: ((proxy: URL) => string) | undefined): string {
  switch (decision.kind) {
    case "proxy":
      return `via proxy ${redact?.(decision.proxy) ?? "<proxy>"} (${decision.source})`;
    case "direct":
      return `direct (${decision.reason})`;
    case "invalid":
      return `unusable proxy from ${decision.source}: ${decision.reason}`;
  }
}

function describeDirectories(directories: readonly { path: string; exists: boolean }[]): string {
  const missing = directories.filter((dir) => !dir.exists).map((dir) => dir.path);
  return missing.length > 0 ? `; not present: ${missing.join(", ")}` : "";
}
