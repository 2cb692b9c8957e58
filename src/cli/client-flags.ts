/**
 * The flags every command that talks to a registry shares (endpoints, TLS,
 * credentials, paging, tracing), and their translation into ClientOptions.
 * One place, so `ls`, `latest` and later commands agree.
 */
import { rmSync } from "node:fs";
import type { ClientOptions, LearnedHints } from "../client.js";
import { UsageError } from "../errors.js";
import { describeHints, hintsFromProfile } from "../probe/saved-profile.js";
import { readSavedProfileSync } from "../probe/saved.js";
import { CREDENTIAL_FLAGS, createCliResolver, readExplicitCredential, type CredentialFlagValues } from "./auth.js";
import { loadConfig, mergeEndpoints } from "./config.js";
import { NETWORK_FLAGS, networkClientOptions, type NetworkFlagValues } from "./network-flags.js";
import type { CommandRun } from "./exit-codes.js";
import { createTracePrinter } from "./output.js";

/** How to reach a registry and how long to try: every command that talks to one (probe included). */
export const CONNECTION_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...NETWORK_FLAGS,
  "plain-http": { type: "boolean" },
  "tls-verify": { type: "string" },
  "allow-insecure-realm": { type: "boolean" },
  endpoint: { type: "string", multiple: true },
  config: { type: "string" },
  "retry-attempts": { type: "string" },
  "retry-max-wait": { type: "string" },
  "connect-timeout": { type: "string" },
  "idle-timeout": { type: "string" },
  timeout: { type: "string" },
  debug: { type: "boolean" },
} as const;

/** The connection flags and how a listing pages and where it stops (ls, latest, catalog, watch). */
export const CLIENT_FLAGS = {
  ...CONNECTION_FLAGS,
  "page-size": { type: "string" },
  "max-pages": { type: "string" },
  parallel: { type: "string" },
  "allow-partial": { type: "boolean" },
  "max-tags": { type: "string" },
  "max-bytes": { type: "string" },
  "no-saved-profile": { type: "boolean" },
} as const;

export interface ClientFlagValues extends CredentialFlagValues, NetworkFlagValues {
  "plain-http"?: boolean;
  "tls-verify"?: string;
  "allow-insecure-realm"?: boolean;
  endpoint?: string[];
  config?: string;
  "page-size"?: string;
  "max-pages"?: string;
  parallel?: string;
  "allow-partial"?: boolean;
  "max-tags"?: string;
  "max-bytes"?: string;
  "retry-attempts"?: string;
  "retry-max-wait"?: string;
  "connect-timeout"?: string;
  "idle-timeout"?: string;
  timeout?: string;
  "no-saved-profile"?: boolean;
  debug?: boolean;
}

/**
 * `--tls-verify` as skopeo and podman take it: `--tls-verify=BOOL`,
 * `--tls-verify BOOL` (BOOL true or false, so `--tls-verify false ubuntu`
 * never lists a repository named "false") and a bare `--tls-verify` (true).
 * parseArgs needs it spelt `--tls-verify=BOOL`. Nothing after `--` changes.
 */
export function normaliseBooleanFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg !== "--tls-verify") out.push(arg);
    else if (argv[i + 1] === "true" || argv[i + 1] === "false") out.push(`--tls-verify=${argv[++i]}`);
    else out.push("--tls-verify=true");
  }
  return out;
}

/**
 * ClientOptions from the shared flags, the config file and credential
 * discovery. Explicit credentials (--creds, --registry-token) belong to
 * `registry`, the registry of the command's reference.
 * @param run where an incomplete listing under --allow-partial is recorded
 *   (exit 10); a command without one refuses --allow-partial.
 */
export async function buildClientOptions(values: ClientFlagValues, registry: string, run?: CommandRun): Promise<ClientOptions> {
  const config = loadConfig(values.config);
  const endpoints = mergeEndpoints(values.endpoint, config);
  // Unset flags stay undefined: the client applies its defaults (src/defaults.ts).
  const options: ClientOptions = {
    endpoints,
    plainHttp: values["plain-http"] ?? config.plainHttp,
    tlsVerify: parseBooleanFlag("--tls-verify", values["tls-verify"]) ?? config.tlsVerify,
    allowInsecureRealm: values["allow-insecure-realm"],
    onTrace: createTracePrinter(values.debug === true),
    ...(await networkClientOptions(values, config)),
  };
  // Explicit flags, then --authfile / REGISTRY_AUTH_FILE, then the default files, helpers and CI tokens.
  const explicit = await readExplicitCredential(values, registry);
  options.credentials = createCliResolver(values, explicit, registry, values.debug === true);
  if (values["page-size"] !== undefined) options.pageSize = values["page-size"] === "none" ? null : parsePositiveInt("--page-size", values["page-size"]);
  if (values["max-pages"] !== undefined) options.maxPages = parsePositiveInt("--max-pages", values["max-pages"]);
  if (values.parallel !== undefined) options.parallel = parsePositiveInt("--parallel", values.parallel, 64);
  // The listing budget (issue 10): past either, an incomplete list (exit 7, or 10 with --allow-partial).
  if (values["max-tags"] !== undefined) options.maxTags = parsePositiveInt("--max-tags", values["max-tags"]);
  if (values["max-bytes"] !== undefined) options.maxListBytes = parseSize("--max-bytes", values["max-bytes"]);
  applyReliabilityFlags(options, values, run);
  if (values["no-saved-profile"] !== true) useSavedProfiles(options, values.debug === true);
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

const SIZE_UNITS: Readonly<Record<string, number>> = { "": 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tib: 1024 ** 4 };

/** Bytes, or a whole number of KiB, MiB, GiB or TiB (`512MiB`, `2GiB`, `2G`), at most 1 PiB. */
export function parseSize(name: string, value: string): number {
  const match = /^([1-9]\d{0,15})\s*([a-zA-Z]{0,3})$/.exec(value);
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? "?"];
  const bytes = match !== null && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes) || bytes > 1024 ** 5) {
    throw new UsageError(`${name} takes a size in bytes or with a unit (KiB, MiB, GiB, TiB), e.g. 512MiB or 2GiB, got ${JSON.stringify(value)}`);
  }
  return bytes;
}

/**
 * Listings take hints from profiles saved by `regtags probe --save` (younger
 * than 7 days; --no-saved-profile ignores them). A listing that contradicts
 * its profile removes the file, says so, and stays exact: the client follows
 * the registry's links whatever the hints said.
 */
function useSavedProfiles(options: ClientOptions, debug: boolean): void {
  const loaded = new Map<string, { hints: LearnedHints; path: string; repository: string } | undefined>();
  options.learned = (registry) => {
    if (!loaded.has(registry)) {
      const found = readSavedProfileSync(registry);
      let entry: { hints: LearnedHints; path: string; repository: string } | undefined;
      if (found.status === "ok") {
        entry = { hints: hintsFromProfile(found.saved.profile), path: found.path, repository: found.saved.repository };
        if (debug) process.stderr.write(`regtags: saved profile ${found.path} (probed ${formatAge(found.ageMs)} ago): ${describeHints(entry.hints)}\n`);
      } else if (debug && found.status === "stale") {
        process.stderr.write(`regtags: ignoring saved profile ${found.path}: probed ${formatAge(found.ageMs)} ago, older than 7 days\n`);
      } else if (debug && found.status === "invalid") {
        process.stderr.write(`regtags: ignoring saved profile ${found.path}: ${found.reason}\n`);
      }
      loaded.set(registry, entry);
    }
    return loaded.get(registry)?.hints;
  };
  options.onLearnedSurprise = (registry, surprise) => {
    const entry = loaded.get(registry);
    if (entry === undefined) return;
    // A private repository needs a token where the probed public one did not: no news about the registry.
    if (surprise.kind === "anonymous" && surprise.repository !== entry.repository) return;
    loaded.set(registry, undefined);
    try {
      rmSync(entry.path, { force: true });
    } catch {
      // Unremovable: it is ignored once it is older than 7 days.
    }
    process.stderr.write(`regtags: the saved profile of ${registry} no longer fits (${surprise.reason}); removed ${entry.path}; the listing goes on without it (regtags probe --save learns it again)\n`);
  };
}

function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/**
 * Retries, timeouts and --allow-partial. A listing cut short under
 * --allow-partial prints what it got and the process exits with
 * EXIT_PARTIAL (10), never 0.
 */
function applyReliabilityFlags(options: ClientOptions, values: ClientFlagValues, run: CommandRun | undefined): void {
  const retry: NonNullable<ClientOptions["retry"]> = {};
  if (values["retry-attempts"] !== undefined) retry.attempts = parsePositiveInt("--retry-attempts", values["retry-attempts"], 100);
  if (values["retry-max-wait"] !== undefined) retry.maxDelayMs = parseSeconds("--retry-max-wait", values["retry-max-wait"]);
  if (Object.keys(retry).length > 0) options.retry = retry;
  if (values["connect-timeout"] !== undefined) options.connectTimeoutMs = parseSeconds("--connect-timeout", values["connect-timeout"]);
  if (values["idle-timeout"] !== undefined) options.idleTimeoutMs = parseSeconds("--idle-timeout", values["idle-timeout"]);
  if (values.timeout !== undefined) options.requestTimeoutMs = parseSeconds("--timeout", values.timeout);
  if (values["allow-partial"] === true) {
    if (run === undefined) throw new UsageError("--allow-partial applies to listings (ls, latest, catalog) only");
    options.allowPartial = true;
    options.onIncomplete = () => {
      run.partialList = true;
    };
  }
}

/** Seconds (decimals allowed, e.g. 0.5) → milliseconds; at most a day. */
export function parseSeconds(name: string, value: string): number {
  if (!/^\d{1,5}(?:\.\d{1,3})?$/.test(value) || Number(value) <= 0 || Number(value) > 86_400) {
    throw new UsageError(`${name} takes a number of seconds above 0 and at most 86400, e.g. 2.5, got ${JSON.stringify(value)}`);
  }
  return Math.round(Number(value) * 1000);
}
