/**
 * Which proxy, if any, a request to a URL goes through: explicit settings
 * first (`proxy`, `noProxy`), else the environment as Go's
 * golang.org/x/net/http/httpproxy and curl read it. Pure: the environment is
 * passed in, nothing is resolved through DNS.
 *
 * NO_PROXY semantics (documented in the README, "Corporate networks"):
 * - a comma-separated list; blanks ignored; case-insensitive;
 * - `*` alone: no proxy for any host;
 * - `name` matches the name and all its subdomains; `.name` and `*.name`
 *   do the same (curl's reading; Go's `.name` skips the name itself);
 * - an IP address matches that literal address; `a.b.c.d/n` and `v6::/n`
 *   CIDRs match literal addresses inside; nothing is resolved;
 * - any entry may end in `:port` (IPv6 as `[addr]:port`) and then matches
 *   that port only;
 * - loopback (localhost, *.localhost, 127.0.0.0/8, ::1) is never proxied,
 *   as Go's http.ProxyFromEnvironment.
 */
import { PROXY_VARIABLES } from "./proxy-variables.js";

/** The settings a decision is made from. */
export interface ProxySettings {
  /** Explicit proxy for every target (`--proxy`); "" means none. Overrides the *_PROXY variables. */
  readonly proxy?: string | undefined;
  /** Explicit NO_PROXY list (`--no-proxy`); replaces NO_PROXY/no_proxy. */
  readonly noProxy?: string | undefined;
  /** The environment (HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy, ALL_PROXY, all_proxy, NO_PROXY, no_proxy). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type ProxyDecision =
  | {
      readonly kind: "proxy";
      /** The proxy URL, userinfo included (for Proxy-Authorization): never print it, print {@link redactProxyUrl}. */
      readonly proxy: URL;
      /** Where it came from: `the proxy option` or the variable's name. */
      readonly source: string;
    }
  | {
      readonly kind: "direct";
      /** Why: `NO_PROXY entry registry.test`, `loopback`, `no proxy configured`, … */
      readonly reason: string;
    }
  | {
      /** A proxy is configured but its URL cannot be used. */
      readonly kind: "invalid";
      readonly source: string;
      readonly reason: string;
    };

const NO_PROXY_VARIABLES = ["no_proxy", "NO_PROXY"] as const;

/** Decides how a request to `target` goes. */
export function resolveProxy(target: URL, settings: ProxySettings): ProxyDecision {
  const host = normaliseHost(target.hostname);
  if (isLoopbackHost(host)) return { kind: "direct", reason: "loopback" };
  let raw: string | undefined;
  let source = "";
  if (settings.proxy !== undefined) {
    raw = settings.proxy;
    source = "the proxy option";
    if (raw === "") return { kind: "direct", reason: "the proxy setting is empty" };
  } else {
    const names = PROXY_VARIABLES[target.protocol === "https:" ? "https:" : "http:"];
    for (const name of names) {
      if (nonEmpty(settings.env[name])) {
        raw = settings.env[name];
        source = name;
        break;
      }
    }
    if (raw === undefined) return { kind: "direct", reason: "no proxy configured" };
  }
  const noProxy = settings.noProxy !== undefined ? { list: settings.noProxy, name: "the noProxy option" } : fromEnvNoProxy(settings.env);
  if (noProxy !== undefined) {
    const port = target.port !== "" ? Number(target.port) : target.protocol === "https:" ? 443 : 80;
    const entry = matchNoProxy(parseNoProxy(noProxy.list), host, port);
    if (entry !== undefined) return { kind: "direct", reason: `${noProxy.name === "the noProxy option" ? noProxy.name : "NO_PROXY"} entry ${entry}` };
  }
  const parsed = parseProxyUrl(raw);
  // ALL_PROXY is curl's and often holds a socks5:// proxy meant for other tools (Go never reads it): not ours to fail on.
  if (typeof parsed === "string" && /^all_proxy$/i.test(source)) return { kind: "direct", reason: `${source} ignored: ${parsed}` };
  if (typeof parsed === "string") return { kind: "invalid", source, reason: parsed };
  return { kind: "proxy", proxy: parsed, source };
}

function fromEnvNoProxy(env: ProxySettings["env"]): { list: string; name: string } | undefined {
  for (const name of NO_PROXY_VARIABLES) {
    const value = env[name];
    if (nonEmpty(value)) return { list: value, name };
  }
  return undefined;
}

/**
 * A proxy URL, `http://` added when it has no scheme (Go, curl). Returns the
 * reason as a string when it cannot be used (never echoing a password).
 */
export function parseProxyUrl(text: string): URL | string {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return "the proxy URL is not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `proxy scheme ${url.protocol.slice(0, -1)} is not supported (use http:// or https://)`;
  if (url.hostname === "") return "the proxy URL has no host";
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") return "the proxy URL must be scheme://[user:password@]host[:port] with no path";
  return url;
}

/** `http://host:port` of a proxy: no userinfo, the port always shown, fit for any output. */
export function redactProxyUrl(proxy: URL): string {
  const port = proxy.port !== "" ? proxy.port : proxy.protocol === "https:" ? "443" : "80";
  return `${proxy.protocol}//${proxy.hostname}:${port}`;
}

/** Basic credentials of a proxy URL's userinfo, percent-decoded (RFC 3986 §3.2.1), or undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === "" && proxy.password === "") return undefined;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString("base64")}`;
}

/** One parsed NO_PROXY entry. */
export type NoProxyEntry =
  | { readonly kind: "all"; readonly text: string }
  | { readonly kind: "name"; readonly name: string; readonly port: number | undefined; readonly text: string }
  | { readonly kind: "ip"; readonly bytes: readonly number[]; readonly prefix: number; readonly port: number | undefined; readonly text: string };

/** Parses a NO_PROXY list; entries that are none of the forms above are skipped (as Go and curl do). */
export function parseNoProxy(list: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = [];
  for (const part of list.split(",")) {
    const text = part.trim().toLowerCase();
    if (text === "") continue;
    if (text === "*") {
      entries.push({ kind: "all", text });
      continue;
    }
    const entry = parseEntry(text);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

function parseEntry(text: string): NoProxyEntry | undefined {
  // CIDR: v4 or v6 address, "/", prefix length.
  const slash = text.indexOf("/");
  if (slash >= 0) {
    const bytes = parseIp(text.slice(0, slash));
    const prefixText = text.slice(slash + 1);
    if (bytes === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
    const prefix = Number(prefixText);
    if (prefix > bytes.length * 8) return undefined;
    return { kind: "ip", bytes, prefix, port: undefined, text };
  }
  let hostPart = text;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed !== null) {
    hostPart = bracketed[1]!;
    port = bracketed[2] !== undefined ? Number(bracketed[2]) : undefined;
  } else if (text.split(":").length === 2) {
    const [name, portText] = text.split(":") as [string, string];
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    hostPart = name;
    port = Number(portText);
  }
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const bytes = parseIp(hostPart);
  if (bytes !== undefined) return { kind: "ip", bytes, prefix: bytes.length * 8, port, text };
  let name = hostPart.startsWith("*.") ? hostPart.slice(2) : hostPart.startsWith(".") ? hostPart.slice(1) : hostPart;
  name = name.replace(/\.$/, "");
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return undefined;
  return { kind: "name", name, port, text };
}

/** The first entry matching host (lowercase, no brackets) and port, as the user wrote it; undefined when none does. */
export function matchNoProxy(entries: readonly NoProxyEntry[], host: string, port: number): string | undefined {
  const ip = parseIp(host);
  for (const entry of entries) {
    if (entry.kind === "all") return entry.text;
    if (entry.port !== undefined && entry.port !== port) continue;
    if (entry.kind === "name") {
      if (ip === undefined && (host === entry.name || host.endsWith(`.${entry.name}`))) return entry.text;
    } else if (ip !== undefined && ip.length === entry.bytes.length && inPrefix(ip, entry.bytes, entry.prefix)) {
      return entry.text;
    }
  }
  return undefined;
}

/** localhost, *.localhost (RFC 6761 §6.3), 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = normaliseHost(hostname);
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const ip = parseIp(host);
  if (ip === undefined) return false;
  if (ip.length === 4) return ip[0] === 127;
  return ip.slice(0, 15).every((byte) => byte === 0) && ip[15] === 1;
}

function normaliseHost(hostname: string): string {
  const lower = hostname.toLowerCase().replace(/\.$/, "");
  return lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
}

function inPrefix(ip: readonly number[], network: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((ip[bit / 8]! ^ network[bit / 8]!) & mask) !== 0) return false;
  }
  return true;
}

/** IPv4 dotted quad → 4 bytes, IPv6 (with ::, an embedded v4 tail, no zone) → 16 bytes; otherwise undefined. */
export function parseIp(text: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const bytes = text.split(".").map(Number);
    return bytes.every((byte) => byte <= 255) ? bytes : undefined;
  }
  if (!text.includes(":") || !/^[0-9a-f:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (const [index, part] of parts.entries()) {
      if (part.includes(".") && index === parts.length - 1) {
        const v4 = parseIp(part);
        if (v4 === undefined || v4.length !== 4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}
