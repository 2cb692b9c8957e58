/**
 * `regtags probe [--json] [--save] REF [REF...]`: a short, bounded sequence
 * of requests per registry (the README's "Probe" section) and a side-by-side
 * table of what each registry does; `--json` gives the same as data; `--save`
 * keeps each registry's profile in the cache directory, where later listings
 * take hints from it.
 */
import { parseArgs } from "node:util";
import { isRegtagsError, UsageError } from "../errors.js";
import type { ProbeFailure, ProbeFindings } from "../probe/findings.js";
import { createProber } from "../probe/probe.js";
import { renderProbeTable } from "../probe/render.js";
import { writeSavedProfile } from "../probe/saved.js";
import { parseReference } from "../reference/reference.js";
import { escapeJsonText, escapeServerText, MESSAGE_LIMIT } from "../text/safe-text.js";
import { buildClientOptions, CONNECTION_FLAGS, normaliseBooleanFlags, parsePositiveInt } from "./client-flags.js";
import { EXIT_CODES, EXIT_INTERNAL } from "./exit-codes.js";
import { writeOut } from "./output.js";
import { cliWording, formatErrorForCli } from "./option-flags.js";

/** Exactly the options help-table.ts lists for probe (test/cli/help.test.ts). */
export const PROBE_FLAGS = {
  // A probe lists no repository: the paging and budget flags would do nothing.
  ...CONNECTION_FLAGS,
  json: { type: "boolean" },
  save: { type: "boolean" },
  "large-n": { type: "string" },
} as const;

export async function runProbe(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: normaliseBooleanFlags(argv), allowPositionals: true, strict: true, options: PROBE_FLAGS });
  if (positionals.length === 0) throw new UsageError("probe needs at least one image reference, e.g. regtags probe ubuntu ghcr.io/OWNER/IMAGE quay.io/NS/REPO");
  const references = positionals.map((text) => parseReference(text));
  const largeN = values["large-n"] === undefined ? undefined : parsePositiveInt("--large-n", values["large-n"], 1_000_000);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  const columns: Array<ProbeFindings | ProbeFailure> = [];
  let exitCode = 0;
  try {
    for (const reference of references) {
      const options = await buildClientOptions(values, reference.registry);
      // ProbeOptions shares ClientOptions' keys (network ones included); what the prober does not use is ignored.
      const prober = createProber({ ...options, ...(largeN !== undefined ? { largeN } : {}) });
      try {
        const findings = await prober.probe(reference, { signal: controller.signal });
        columns.push(findings);
        if (values.save === true) {
          const path = await writeSavedProfile(findings);
          process.stderr.write(`regtags: saved the profile of ${findings.registry} to ${path}\n`);
        }
      } catch (error) {
        if (isRegtagsError(error) && error.code === "ERR_ABORTED") throw error;
        const message = escapeServerText(formatErrorForCli(error), MESSAGE_LIMIT);
        columns.push({ registry: reference.registry, repository: reference.repository, error: message, ...(isRegtagsError(error) ? { code: error.code } : {}) });
        process.stderr.write(`regtags: ${reference.registry}: ${message}\n`);
        if (exitCode === 0) exitCode = isRegtagsError(error) ? EXIT_CODES[error.code] : EXIT_INTERNAL;
      } finally {
        await prober.close();
      }
    }
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  // The findings quote the registry (bodies, realms, headers): escaped line by line.
  await writeOut(values.json === true ? `${escapeJsonText(JSON.stringify(columns, null, 2))}\n` : renderProbeTable(columns).split("\n").map((line) => escapeServerText(cliWording(line), Infinity)).join("\n"));
  return exitCode;
}
