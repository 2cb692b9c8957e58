/**
 * Credential flags shared by `regtags ls` and `regtags auth`, and the
 * `regtags auth which REF` command, which says which source supplies the
 * credentials for REF's registry and why the others do not, never printing
 * a secret.
 */
import { parseArgs } from "node:util";
import type { CredentialResolver } from "../auth/credential.js";
import { createClient } from "../client.js";
import { formatCredentialReport, type CredentialReport } from "../credentials/report.js";
import { createCredentialResolver, explainCredentials, type ExplicitCredential } from "../credentials/resolve.js";
import { AbortedError, UsageError } from "../errors.js";
import { explainNetwork, formatNetworkReport } from "../network/explain.js";
import { parseReference } from "../reference/reference.js";
import { loadConfig, mergeEndpoints } from "./config.js";
import { EXIT_CODES } from "./exit-codes.js";
import { NETWORK_FLAGS, networkClientOptions } from "./network-flags.js";
import { writeOut } from "./output.js";
import { cliWording } from "./option-flags.js";

/** parseArgs options of the credential flags. */
export const CREDENTIAL_FLAGS = {
  creds: { type: "string" },
  "password-stdin": { type: "boolean" },
  "registry-token": { type: "string" },
  "no-creds": { type: "boolean" },
  authfile: { type: "string" },
} as const;

export interface CredentialFlagValues {
  creds?: string | undefined;
  "password-stdin"?: boolean | undefined;
  "registry-token"?: string | undefined;
  "no-creds"?: boolean | undefined;
  authfile?: string | undefined;
}

/**
 * The explicit credential the flags give, reading the password from stdin or
 * a terminal prompt when asked to.
 * @param needPassword false for `auth which`, which never asks for a password.
 * @throws UsageError on conflicting or incomplete flags.
 */
export async function readExplicitCredential(values: CredentialFlagValues, registry: string, needPassword = true): Promise<ExplicitCredential | undefined> {
  const given = [values.creds !== undefined && "--creds", values["registry-token"] !== undefined && "--registry-token", values["no-creds"] === true && "--no-creds"].filter(
    (flag): flag is string => flag !== false,
  );
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other; give one`);
  if (values["no-creds"] === true && values.authfile !== undefined) throw new UsageError("--no-creds and --authfile exclude each other; give one");
  if (values["password-stdin"] === true && values.creds === undefined) throw new UsageError("--password-stdin reads the password for --creds USER; give --creds USER too");
  if (values["no-creds"] === true) return { kind: "none", source: "--no-creds" };
  if (values["registry-token"] !== undefined) {
    if (values["registry-token"] === "") throw new UsageError("--registry-token wants a token");
    return { kind: "registry-token", token: values["registry-token"], source: "--registry-token" };
  }
  if (values.creds === undefined) return undefined;
  const colon = values.creds.indexOf(":");
  const username = colon < 0 ? values.creds : values.creds.slice(0, colon);
  if (username === "") throw new UsageError("--creds wants USER:PASS or USER");
  if (colon >= 0) {
    if (values["password-stdin"] === true) throw new UsageError("--creds USER:PASS and --password-stdin exclude each other; give --creds USER with --password-stdin");
    return { kind: "basic", username, password: values.creds.slice(colon + 1), source: "--creds" };
  }
  if (!needPassword) return { kind: "basic", username, password: "", source: "--creds" };
  if (values["password-stdin"] === true) return { kind: "basic", username, password: await readPasswordFromStdin(), source: "--creds" };
  if (process.stdin.isTTY !== true) throw new UsageError("--creds USER without a password needs a terminal to prompt on, or --password-stdin");
  return { kind: "basic", username, password: await promptPassword(`Password for ${username}@${registry}: `), source: "--creds" };
}

/**
 * The resolver `ls` gives the client: explicit flags for REF's registry, then
 * files, helpers and environment tokens; with --debug, prints each lookup's
 * report.
 */
export function createCliResolver(values: CredentialFlagValues, explicit: ExplicitCredential | undefined, registry: string, debug: boolean): CredentialResolver {
  return createCredentialResolver({
    explicit,
    explicitRegistry: registry,
    authFile: values.authfile,
    env: process.env,
    onReport: debug ? (report) => process.stderr.write(prefixLines(cliWording(formatCredentialReport(report)), "regtags: credentials: ")) : undefined,
  });
}

/** Exactly the options help-table.ts lists for auth which (test/cli/help.test.ts). */
export const AUTH_WHICH_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...NETWORK_FLAGS,
  endpoint: { type: "string", multiple: true },
  "plain-http": { type: "boolean" },
  config: { type: "string" },
  json: { type: "boolean" },
  debug: { type: "boolean" },
} as const;

/** `regtags auth which REF`. */
export async function runAuth(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== "which") throw new UsageError(`unknown auth command ${JSON.stringify(subcommand)}; use regtags auth which REF`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: AUTH_WHICH_FLAGS,
  });
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "auth which needs an image reference, e.g. regtags auth which ghcr.io/owner/image" : `auth which takes one reference, got ${positionals.length}`);
  }
  const reference = parseReference(positionals[0] as string);
  const explicit = await readExplicitCredential(values, reference.registry, false);
  const report: CredentialReport = await explainCredentials(reference.registry, reference.repository, {
    explicit,
    explicitRegistry: reference.registry,
    authFile: values.authfile,
    env: process.env,
  });
  const config = loadConfig(values.config);
  // The host actually contacted, by the client's own endpoint resolution (--endpoint, the config, profiles).
  const resolver = createClient({ endpoints: mergeEndpoints(values.endpoint, config), plainHttp: values["plain-http"] ?? config.plainHttp });
  const endpoint = resolver.endpointFor(reference.registry);
  await resolver.close();
  const network = await explainNetwork(endpoint, { ...(await networkClientOptions(values, config)), env: process.env });
  await writeOut(
    cliWording(values.json === true ? `${JSON.stringify({ ...report, network }, null, 2)}\n` : `${formatCredentialReport(report)}\n${await formatNetworkReport(network)}\n`),
  );
  if (network.error !== undefined) process.stderr.write(`regtags: ${cliWording(network.error)}\n`);
  if (report.error !== undefined) {
    process.stderr.write(`regtags: ${cliWording(report.error)}\n`);
    return EXIT_CODES.ERR_CREDENTIALS;
  }
  // What ls would fail with (a proxy setting it cannot use, a certificate without its key): a network error.
  return network.error !== undefined ? EXIT_CODES.ERR_NETWORK : 0;
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}\n`)
    .join("");
}

/** All of stdin, minus one trailing newline (docker login --password-stdin trims "\n" then "\r"). */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString("utf8").replace(/\n$/, "").replace(/\r$/, "");
  if (text === "") throw new UsageError("--password-stdin read an empty password");
  return text;
}

/** Reads a password on the terminal without echoing it. Ctrl-C aborts. */
function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows, so nothing typed after it can echo.
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    const cleanup = (): void => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          cleanup();
          resolve(value);
          return;
        }
        if (ch === "\u0003" || (ch === "\u0004" && value === "")) {
          cleanup();
          reject(new AbortedError());
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
