/**
 * `regtags ls REF`: streams the tags as lines as pages arrive, or prints
 * skopeo's `{"Repository", "Tags"}` JSON shape with --json.
 */
import { parseArgs } from "node:util";
import { createClient, parseReference, UsageError, type ClientOptions } from "../index.js";
import { CREDENTIAL_FLAGS, createCliResolver, readExplicitCredential } from "./auth.js";
import { loadConfig } from "./config.js";
import { createTracePrinter, writeOut } from "./output.js";

export async function runLs(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: normaliseBooleanFlags(argv),
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      ...CREDENTIAL_FLAGS,
      "plain-http": { type: "boolean" },
      "tls-verify": { type: "string" },
      endpoint: { type: "string", multiple: true },
      config: { type: "string" },
      "page-size": { type: "string" },
      "max-pages": { type: "string" },
      debug: { type: "boolean" },
    },
  });
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "ls needs an image reference, e.g. regtags ls ubuntu" : `ls takes one reference, got ${positionals.length}`);
  }
  const reference = parseReference(positionals[0] as string);
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
    onTrace: createTracePrinter(values.debug === true),
  };
  // Explicit flags, then --authfile / REGISTRY_AUTH_FILE, then the default files, helpers and CI tokens.
  const explicit = await readExplicitCredential(values, reference.registry);
  options.credentials = createCliResolver(values, explicit, reference.registry, values.debug === true);
  const pageSize = parsePageSize(values["page-size"]);
  if (pageSize !== undefined) options.pageSize = pageSize;
  if (values["max-pages"] !== undefined) options.maxPages = parsePositiveInt("--max-pages", values["max-pages"]);

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  const client = createClient(options);
  try {
    if (values.json) {
      const list = await client.listTags(reference, { signal: controller.signal });
      await writeOut(`${JSON.stringify({ Repository: list.repository, Tags: list.tags }, null, 4)}\n`);
    } else {
      for await (const page of client.listTagPages(reference, { signal: controller.signal })) {
        if (page.tags.length > 0) await writeOut(`${page.tags.join("\n")}\n`);
      }
    }
    return 0;
  } finally {
    process.removeListener("SIGINT", onSigint);
    await client.close();
  }
}

/** `--tls-verify` alone means true; parseArgs needs it spelt `--tls-verify=true`. */
function normaliseBooleanFlags(argv: string[]): string[] {
  return argv.map((arg) => (arg === "--tls-verify" ? "--tls-verify=true" : arg));
}

function parseBooleanFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`${name} takes true or false, got ${JSON.stringify(value)}`);
}

function parsePageSize(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === "none") return null;
  return parsePositiveInt("--page-size", value);
}

function parsePositiveInt(name: string, value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new UsageError(`${name} takes a positive whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}
