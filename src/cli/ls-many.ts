/**
 * `regtags ls REF REF…`, `ls --from-file FILE|-` and `ls --all REGISTRY`:
 * many repositories with one client (one token cache, one connection pool),
 * a bounded number at a time, printed as NDJSON objects as each finishes.
 * A repository that fails is reported in its own object and on stderr and
 * does not stop the rest; a summary line ends the run, and the exit code is
 * the first failure's (0 when all succeeded). A catalog name that is not a
 * valid repository name is that repository's error (exit 5, the registry
 * broke the grammar), not a usage error: the user did not type it.
 */
import { readFileSync } from "node:fs";
import { createClient, type RegtagsClient } from "../client.js";
import { isRegtagsError, ProtocolError, UsageError, type RegtagsError } from "../errors.js";
import { parseReference, parseRegistryName, type Reference } from "../reference/reference.js";
import { escapeJsonText, escapeServerText, MESSAGE_LIMIT, quoteServerText } from "../text/safe-text.js";
import { catalogReference } from "./catalog-names.js";
import { buildClientOptions, parsePositiveInt, type ClientFlagValues } from "./client-flags.js";
import { EXIT_CODES, EXIT_INTERNAL } from "./exit-codes.js";
import { selectTags, type Plan } from "./ls.js";
import { writeOut } from "./output.js";

interface ManyValues extends ClientFlagValues {
  "from-file"?: string;
  all?: string;
  concurrency?: string;
}

export async function runMany(positionals: readonly string[], values: ManyValues, plan: Plan, command: string): Promise<number> {
  if (plan.digests || plan.details || plan.groupByDigest) throw new UsageError(`${command} with several repositories lists tags only; ask for digests or details one repository at a time`);
  const names = [...positionals];
  // One at a time, never push(...list): a list of ~120k names overflows the stack (issue 10, item 6).
  if (values["from-file"] !== undefined) for (const name of readReferenceFile(values["from-file"])) names.push(name);
  const catalogRegistry = values.all === undefined ? undefined : parseRegistryName(values.all);
  if (names.length === 0 && catalogRegistry === undefined) {
    throw new UsageError(`${command} needs an image reference, e.g. regtags ${command} ubuntu (or --from-file FILE, or --all REGISTRY)`);
  }
  const references = names.map((name) => parseReference(name));
  const registries = new Set(references.map((r) => r.registry));
  if (catalogRegistry !== undefined) registries.add(catalogRegistry);
  if (registries.size > 1 && (values.creds !== undefined || values["registry-token"] !== undefined)) {
    throw new UsageError("--creds and --registry-token belong to one registry, but the references span several; use a credentials file instead");
  }
  const options = await buildClientOptions(values, [...registries][0]!);
  const client = createClient(options);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  const concurrency = values.concurrency === undefined ? 8 : parsePositiveInt("--concurrency", values.concurrency, 64);
  try {
    const targets: Target[] = references.map((reference) => ({ name: reference.name, reference }));
    if (catalogRegistry !== undefined) {
      for await (const page of client.listRepositoryPages(catalogRegistry, { signal: controller.signal })) {
        for (const repository of page) targets.push(catalogTarget(catalogRegistry, repository));
      }
    }
    return await listAll(client, targets, plan, concurrency, controller.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
    await client.close();
  }
}

/** One repository of the run: its reference, or the error its name earned before any request. */
type Target = { readonly name: string; readonly reference: Reference } | { readonly name: string; readonly error: RegtagsError };

/** A catalog entry as a target: its reference, or, for a name outside the grammar, a ProtocolError of its own. */
function catalogTarget(registry: string, repository: string): Target {
  const reference = catalogReference(registry, repository);
  if (reference !== undefined) return { name: reference.name, reference };
  return {
    name: `${registry}/${escapeServerText(repository)}`,
    error: new ProtocolError(`${registry}: its catalog lists ${quoteServerText(repository)}, which is not a valid repository name (lowercase letters, digits and . _ - / only); skipped, the other repositories are listed`),
  };
}

/** One reference per line; blank lines and `#` comments are skipped. `-` reads stdin. */
function readReferenceFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --from-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

async function listAll(client: RegtagsClient, references: readonly Target[], plan: Plan, concurrency: number, signal: AbortSignal): Promise<number> {
  const progress = process.stderr.isTTY ? (done: number) => process.stderr.write(`\rregtags: ${done}/${references.length} repositories…`) : undefined;
  let next = 0;
  let done = 0;
  let failed = 0;
  let firstExit = 0;
  const worker = async () => {
    while (next < references.length) {
      const target = references[next++]!;
      let line: string;
      try {
        if ("error" in target) throw target.error;
        const { reference } = target;
        const list = await client.listTags(reference, { signal });
        const tags = selectTags(list.tags, plan, new Map(), reference);
        line = escapeJsonText(JSON.stringify({ Repository: list.repository, Tags: tags }));
      } catch (error) {
        if (isRegtagsError(error) && error.code === "ERR_ABORTED") throw error;
        failed++;
        const code = isRegtagsError(error) ? EXIT_CODES[error.code] : EXIT_INTERNAL;
        if (firstExit === 0) firstExit = code;
        const message = escapeServerText((error as Error).message, MESSAGE_LIMIT);
        process.stderr.write(`${progress !== undefined ? "\r\x1b[K" : ""}regtags: ${message}\n`);
        line = escapeJsonText(JSON.stringify({ Repository: target.name, Error: message, Code: isRegtagsError(error) ? error.code : "ERR_INTERNAL", ExitCode: code }));
      }
      done++;
      await writeOut(`${line}\n`);
      progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(references.length, 1)) }, worker));
  if (progress !== undefined) process.stderr.write("\r\x1b[K");
  process.stderr.write(`regtags: ${references.length - failed} of ${references.length} repositories listed${failed > 0 ? `, ${failed} failed` : ""}\n`);
  return firstExit;
}
