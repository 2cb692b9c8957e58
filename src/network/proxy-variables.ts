/**
 * The proxy variables and whether any proxy is configured. Pure and tiny:
 * the transport asks this before it loads any proxy code.
 */
import type { NetworkOptions } from "./types.js";

/** The proxy variables per target scheme, in lookup order; lowercase wins where both are set (Go, curl). */
export const PROXY_VARIABLES: Readonly<Record<"https:" | "http:", readonly string[]>> = {
  "https:": ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
  "http:": ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"],
};

/** Every proxy setting that may apply: `proxy` when given, else each proxy variable's value. */
export function proxySettingValues(options: NetworkOptions, env: Readonly<Record<string, string | undefined>>): string[] {
  if (options.proxy !== undefined) return options.proxy.trim() === "" ? [] : [options.proxy];
  const names = new Set([...PROXY_VARIABLES["https:"], ...PROXY_VARIABLES["http:"]]);
  return [...names].map((name) => env[name] ?? "").filter((value) => value.trim() !== "");
}

/** True when a proxy setting or variable is present. */
export function hasProxySetting(options: NetworkOptions, env: Readonly<Record<string, string | undefined>>): boolean {
  return proxySettingValues(options, env).length > 0;
}
