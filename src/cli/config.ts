/**
 * The CLI's config file: `--config FILE`, else
 * `$XDG_CONFIG_HOME/regtags/config.json` (`~/.config/...`) when it exists.
 * A missing default file is fine; a named file that is missing, unreadable,
 * not a regular file, larger than 4 MiB or malformed is a one-line usage
 * error naming it (read by the library's readLocalFile, as credentials files
 * and saved profiles are). A JSON error names the line and column, never
 * the content: a config file may sit next to secrets or hold one.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { readLocalFile } from "../files/read-local-file.js";
import { describeJsonSyntaxError } from "../grammar/json-syntax.js";

export interface CliConfig {
  /** Registry name → base URL, as `--endpoint HOST=URL`. */
  endpoints: Record<string, string>;
  plainHttp?: boolean;
  tlsVerify?: boolean;
  /** As `--proxy URL`. */
  proxy?: string;
  /** As `--no-proxy LIST`. */
  noProxy?: string;
  /** As `--cert-dir DIR`. */
  certDir?: string;
}

/** The config file's endpoints with each `--endpoint HOST=URL` over them. @throws UsageError on a malformed entry. */
export function mergeEndpoints(flags: readonly string[] | undefined, config: CliConfig): Record<string, string> {
  const endpoints: Record<string, string> = { ...config.endpoints };
  for (const entry of flags ?? []) {
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
  return endpoints;
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CONFIG_HOME"] !== undefined && env["XDG_CONFIG_HOME"] !== "" ? env["XDG_CONFIG_HOME"] : join(homedir(), ".config");
  return join(base, "regtags", "config.json");
}

export function loadConfig(explicitPath: string | undefined, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const path = explicitPath ?? defaultConfigPath(env);
  const read = readLocalFile(path);
  if (read.status === "missing") {
    if (explicitPath === undefined) return { endpoints: {} };
    throw new UsageError(`cannot read config file ${path}: it does not exist; check the path given to --config`);
  }
  if (read.status === "refused") throw new UsageError(`cannot read config file ${path}: ${read.reason}; point --config at the JSON config file`);
  return parseConfig(read.text, path);
}

/** Pure: validates the config file's JSON. */
export function parseConfig(text: string, path: string): CliConfig {
  let parsed: unknown;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Never Node's message: it quotes the text around the error.
    const where = describeJsonSyntaxError(body) ?? "unparsable";
    throw new UsageError(`config file ${path} is not valid JSON (${where}); fix it there, or give another file with --config`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`config file ${path} must hold a JSON object`);
  const record = parsed as Record<string, unknown>;
  const config: CliConfig = { endpoints: {} };
  const endpoints = record["endpoints"];
  if (endpoints !== undefined) {
    if (typeof endpoints !== "object" || endpoints === null || Array.isArray(endpoints)) throw new UsageError(`config file ${path}: "endpoints" must map registry names to URLs`);
    for (const [host, url] of Object.entries(endpoints)) {
      if (typeof url !== "string") throw new UsageError(`config file ${path}: endpoints[${JSON.stringify(host)}] must be a URL string`);
      config.endpoints[host] = url;
    }
  }
  for (const key of ["plainHttp", "tlsVerify"] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== "boolean") throw new UsageError(`config file ${path}: "${key}" must be true or false`);
    config[key] = value;
  }
  for (const key of ["proxy", "noProxy", "certDir"] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new UsageError(`config file ${path}: "${key}" must be a string`);
    config[key] = value;
  }
  return config;
}
