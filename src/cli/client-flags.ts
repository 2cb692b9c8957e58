/**
 * The flags every command that talks to a registry shares (endpoints, TLS,
 * credentials, paging, tracing), and their translation into ClientOptions.
 * One place, so `ls`, `latest` and later commands agree.
 */
import type { ClientOptions } from "../index.js";
import { UsageError } from "../index.js";
import { CREDENTIAL_FLAGS, createCliResolver, readExplicitCredential, type CredentialFlagValues } from "./auth.js";
import { loadConfig } from "./config.js";
import { createTracePrinter } from "./output.js";

export const CLIENT_FLAGS = {
  ...CREDENTIAL_FLAGS,
  "plain-http": { type: "boolean" },
  "tls-verify": { type: "string" },
  "allow-insecure-realm": { type: "boolean" },
  endpoint: { type: "string", multiple: true },
  config: { type: "string" },
  "page-size": { type: "string" },
  "max-pages": { type: "string" },
  parallel: { type: "string" },
  debug: { type: "boolean" },
} as const;

export interface ClientFlagValues extends CredentialFlagValues {
  "plain-http"?: boolean;
  "tls-verify"?: string;
  "allow-insecure-realm"?: boolean;
  endpoint?: string[];
  config?: string;
  "page-size"?: string;
  "max-pages"?: string;
  parallel?: string;
  debug?: boolean;
}

/** `--tls-verify` alone means true; parseArgs needs it spelt `--tls-verify=true`. */
export function normaliseBooleanFlags(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === "--tls-verify" ? "--tls-verify=true" : arg));
}

/**
 * ClientOptions from the shared flags, the config file and credential
 * discovery. Explicit credentials (--creds, --registry-token) belong to
 * `registry`, the registry of the command's reference.
 */
export async function buildClientOptions(values: ClientFlagValues, registry: string): Promise<ClientOptions> {
  const config = loadConfig(values.config);
  const endpoints: Record<string, string> = { ...config.endpoints };
  for (const entry of values.endpoint ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) throw new UsageError(`--endpoint wants HOST=URL, got ${JSON.stringify(entry)}`);
    const url = entry.slice(at + 1);
    try {
      new URL(url.includes("://") ? url : `https://${url}`);
    } catch {
      throw new UsageError(`--endpoint ${JSON.stringify(entry)}: ${JSON.stringify(url)} is not a URL`);
    }
    endpoints[entry.slice(0, at)] = url;
  }
  const options: ClientOptions = {
    endpoints,
    plainHttp: values["plain-http"] ?? config.plainHttp ?? false,
    tlsVerify: parseBooleanFlag("--tls-verify", values["tls-verify"]) ?? config.tlsVerify ?? true,
    allowInsecureRealm: values["allow-insecure-realm"] ?? false,
    onTrace: createTracePrinter(values.debug === true),
  };
  // Explicit flags, then --authfile / REGISTRY_AUTH_FILE, then the default files, helpers and CI tokens.
  const explicit = await readExplicitCredential(values, registry);
  options.credentials = createCliResolver(values, explicit, registry, values.debug === true);
  if (values["page-size"] !== undefined) options.pageSize = values["page-size"] === "none" ? null : parsePositiveInt("--page-size", values["page-size"]);
  if (values["max-pages"] !== undefined) options.maxPages = parsePositiveInt("--max-pages", values["max-pages"]);
  if (values.parallel !== undefined) options.parallel = parsePositiveInt("--parallel", values.parallel, 64);
  return options;
}

export function parseBooleanFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`${name} takes true or false, got ${JSON.stringify(value)}`);
}

export function parsePositiveInt(name: string, value: string, max = 999_999_999): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new UsageError(`${name} takes a positive whole number, got ${JSON.stringify(value)}`);
  if (Number(value) > max) throw new UsageError(`${name} takes at most ${max}, got ${value}`);
  return Number(value);
}
