/**
 * `regtags catalog REGISTRY`: every repository the registry's `/v2/_catalog`
 * lists, one per line as pages arrive, or `{"Registry", "Repositories"}`
 * with --json. A registry that does not offer a catalog (Docker Hub,
 * ghcr.io) is one clear line, not a loop. Entries that are not valid
 * repository names (escape sequences, bidi controls, uppercase) are left
 * out with one warning saying how many and showing the first escaped:
 * nothing the registry sends reaches the terminal raw.
 */
import { parseArgs } from "node:util";
import { createClient } from "../client.js";
import { isRegtagsError, RegtagsError, UsageError } from "../errors.js";
import { parseRegistryName } from "../reference/reference.js";
import { escapeJsonText, quoteServerText } from "../text/safe-text.js";
import { catalogReference } from "./catalog-names.js";
import { buildClientOptions, CLIENT_FLAGS, normaliseBooleanFlags } from "./client-flags.js";
import { writeOut } from "./output.js";
import type { CommandRun } from "./exit-codes.js";
import { renderNameLines } from "./render.js";

/** Exactly the options help-table.ts lists for catalog (test/cli/help.test.ts). */
export const CATALOG_FLAGS = { ...CLIENT_FLAGS, json: { type: "boolean" } } as const;

export async function runCatalog(argv: string[], run: CommandRun): Promise<number> {
  const { values, positionals } = parseArgs({
    args: normaliseBooleanFlags(argv),
    allowPositionals: true,
    strict: true,
    options: CATALOG_FLAGS,
  });
  if (positionals.length !== 1) throw new UsageError("catalog takes one registry name, e.g. regtags catalog registry.example.com:5000");
  const registry = parseRegistryName(positionals[0]!);
  const client = createClient(await buildClientOptions(values, registry, run));
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const all: string[] = [];
    let invalid = 0;
    let firstInvalid: string | undefined;
    for await (const page of client.listRepositoryPages(registry, { signal: controller.signal })) {
      // One entry at a time: push(...page) overflows the stack on a page of ~120k names (issue 10, item 6).
      const valid: string[] = [];
      for (const name of page) {
        if (catalogReference(registry, name) !== undefined) valid.push(name);
        else if (invalid++ === 0) firstInvalid = name;
      }
      if (values.json) for (const name of valid) all.push(name);
      else if (valid.length > 0) await writeOut(renderNameLines(valid));
    }
    if (values.json) await writeOut(`${escapeJsonText(JSON.stringify({ Registry: registry, Repositories: all }, null, 4))}\n`);
    if (firstInvalid !== undefined) {
      process.stderr.write(`regtags: warning: ${registry}: left out ${invalid} catalog ${invalid === 1 ? "entry that is not a valid repository name" : "entries that are not valid repository names"}, the first ${quoteServerText(firstInvalid)}\n`);
    }
    return 0;
  } catch (error) {
    throw explainRefusal(error, registry);
  } finally {
    process.removeListener("SIGINT", onSigint);
    await client.close();
  }
}

/** A refused catalog reads as "no catalog offered", keeping the error's code and exit code. */
function explainRefusal(error: unknown, registry: string): unknown {
  if (!isRegtagsError(error) || !["ERR_AUTH", "ERR_NOT_FOUND"].includes(error.code)) return error;
  const status = (error as { status?: number }).status;
  const refusal = new RegtagsError(
    error.code,
    `${registry} does not offer a catalog to you (/v2/_catalog answered ${status ?? "with a refusal"}); Docker Hub and ghcr.io never do, other registries may with credentials that have catalog access`,
    { cause: error },
  );
  return refusal;
}
