/**
 * The CLI's config file: `--config FILE`, else
 * `$XDG_CONFIG_HOME/regtags/config.json` (`~/.config/...`) when it exists.
 * A missing default file is fine; a named file that is missing, unreadable
 * or malformed is a one-line usage error naming it.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../index.js";

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

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CONFIG_HOME"] !== undefined && env["XDG_CONFIG_HOME"] !== "" ? env["XDG_CONFIG_HOME"] : join(homedir(), ".config");
  return join(base, "regtags", "config.json");
}

export function loadConfig(explicitPath: string | undefined, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const path = explicitPath ?? defaultConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (explicitPath === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return { endpoints: {} };
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Pure: validates the config file's JSON. */
export function parseConfig(text: string, path: string): CliConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
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
