/**
 * `regtags watch --state FILE [options] REF [REF...]`: one pass (or, with
 * --interval, a pass, a jittered sleep, another pass…) that lists each
 * repository, diffs it against the state file and prints the changes as
 * NDJSON. A pass is committed in this order: webhook delivery (if asked),
 * then the state file, then stdout; a pass that fails at delivery leaves the
 * state as it was, so the next pass reports the same events again (at least
 * once). SIGINT/SIGTERM end the run after the current pass has saved its
 * state; a second one abandons the pass (the state stays as recorded).
 */
import { parseArgs } from "node:util";
import { createClient, type RegtagsClient } from "../client.js";
import { isRegtagsError, UsageError } from "../errors.js";
import { parseReference, type Reference } from "../reference/reference.js";
import { escapeJsonText, escapeServerText, MESSAGE_LIMIT } from "../text/safe-text.js";
import { jitteredDelay, parseDuration } from "../watch/duration.js";
import type { WatchEvent } from "../watch/events.js";
import { runWatchPass } from "../watch/pass.js";
import { lockWatchState, readWatchState, writeWatchState } from "../watch/state-file.js";
import { canonicalSelection, type WatchSelection, type WatchState } from "../watch/state.js";
import { buildClientOptions, CLIENT_FLAGS, normaliseBooleanFlags, parsePositiveInt } from "./client-flags.js";
import { FILTER_FLAGS, readFilterFlags } from "./filter-flags.js";
import { EXIT_CHANGES, EXIT_CODES, EXIT_INTERNAL, EXIT_UNDELIVERED } from "./exit-codes.js";
import { writeOut } from "./output.js";

const WATCH_FLAGS = {
  ...CLIENT_FLAGS,
  state: { type: "string" },
  digests: { type: "boolean" },
  ...FILTER_FLAGS,
  concurrency: { type: "string" },
  interval: { type: "string" },
  webhook: { type: "string" },
  "exit-code": { type: "boolean" },
  "emit-baseline": { type: "boolean" },
} as const;

interface WatchRun {
  readonly statePath: string;
  readonly references: readonly Reference[];
  readonly selection: WatchSelection;
  readonly concurrency: number;
  readonly webhook: URL | undefined;
  readonly exitCode: boolean;
  readonly emitBaseline: boolean;
}

export async function runWatch(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: normaliseBooleanFlags(argv), allowPositionals: true, strict: true, options: WATCH_FLAGS });
  const statePath = values.state;
  if (statePath === undefined || statePath === "") throw new UsageError("watch needs --state FILE: where the tags seen by the last pass are recorded, e.g. regtags watch --state tags.state alpine");
  if (positionals.length === 0) throw new UsageError("watch needs an image reference, e.g. regtags watch --state tags.state alpine");
  // A partial listing would report every tag it missed as removed.
  if (values["allow-partial"] === true) throw new UsageError("watch refuses --allow-partial: an incomplete listing would report the tags it missed as removed");
  const { filter, reading } = readFilterFlags(values);
  const selection: WatchSelection = { digests: values.digests === true, ...filter, ...reading };
  const interval = values.interval === undefined ? undefined : parseDuration("--interval", values.interval);
  const webhook = values.webhook === undefined ? undefined : parseWebhook(values.webhook);
  const byName = new Map<string, Reference>();
  for (const text of positionals) {
    const reference = parseReference(text);
    byName.set(reference.name, reference);
  }
  const references = [...byName.values()];
  const registries = new Set(references.map((r) => r.registry));
  if (registries.size > 1 && (values.creds !== undefined || values["registry-token"] !== undefined)) {
    throw new UsageError("--creds and --registry-token belong to one registry, but the references span several; use a credentials file instead");
  }
  const run: WatchRun = {
    statePath,
    references,
    selection,
    concurrency: values.concurrency === undefined ? 4 : parsePositiveInt("--concurrency", values.concurrency, 64),
    webhook,
    exitCode: values["exit-code"] === true,
    emitBaseline: values["emit-baseline"] === true,
  };
  const options = await buildClientOptions(values, references[0]!.registry);

  const lock = lockWatchState(statePath, (message) => process.stderr.write(`regtags: ${message}\n`));
  const client = createClient(options);
  const stop = listenForStop();
  try {
    let state = readWatchState(statePath);
    const wanted = canonicalSelection(selection);
    if (state.selection !== undefined && state.selection !== wanted) {
      throw new UsageError(`watch state ${statePath} was recorded with other options (${state.selection}), this run asks for ${wanted}: events would compare different sets of tags; use the same --digests and filters, or another --state file`);
    }
    for (;;) {
      const pass = await runPass(client, run, state, stop.passSignal);
      state = pass.state;
      if (interval === undefined || stop.requested()) return pass.code;
      await stop.sleep(jitteredDelay(interval, Math.random));
      if (stop.requested()) return pass.code;
    }
  } finally {
    stop.dispose();
    await client.close();
    lock.release();
  }
}

/** One pass, committed (delivered, saved, printed) or not at all; returns the state now recorded and the pass's exit code. */
async function runPass(client: RegtagsClient, run: WatchRun, recorded: WatchState, signal: AbortSignal): Promise<{ state: WatchState; code: number }> {
  const result = await runWatchPass(client, run.references, recorded, { selection: run.selection, concurrency: run.concurrency, emitBaseline: run.emitBaseline, signal });
  let code = 0;
  for (const failure of result.failures) {
    const known = isRegtagsError(failure.error);
    if (code === 0) code = known ? EXIT_CODES[(failure.error as { code: keyof typeof EXIT_CODES }).code] : EXIT_INTERNAL;
    const message = escapeServerText((failure.error as Error)?.message ?? String(failure.error), MESSAGE_LIMIT);
    process.stderr.write(`regtags: ${known ? "" : "internal error: "}${message}; no events for ${failure.repository} this pass, its recorded tags are kept\n`);
  }
  if (result.events.length > 0 && run.webhook !== undefined) {
    try {
      await client.deliver(run.webhook, webhookDocument(result.events), { signal });
    } catch (error) {
      if (isRegtagsError(error) && error.code === "ERR_ABORTED") throw error;
      const message = escapeServerText((error as Error)?.message ?? String(error), MESSAGE_LIMIT);
      process.stderr.write(`regtags: ${message}; ${result.events.length} event(s) not delivered: the state was not advanced, so the next pass reports them again\n`);
      return { state: recorded, code: EXIT_UNDELIVERED };
    }
  }
  if (result.changed) await writeWatchState(run.statePath, result.state, new Date());
  if (result.events.length > 0) await writeOut(result.events.map((event) => `${escapeJsonText(JSON.stringify(event))}\n`).join(""));
  if (result.baselines.length > 0) {
    const tags = result.baselines.reduce((sum, name) => sum + (result.state.repositories.get(name)?.tags.length ?? 0), 0);
    process.stderr.write(`regtags: recorded the baseline of ${result.baselines.length} repositor${result.baselines.length === 1 ? "y" : "ies"} (${tags} tags) in ${run.statePath}; later passes report changes against it\n`);
  }
  if (code === 0 && run.exitCode && result.events.length > 0) code = EXIT_CHANGES;
  return { state: result.state, code };
}

/** The webhook's JSON document: one per pass with events. */
function webhookDocument(events: readonly WatchEvent[]): string {
  return escapeJsonText(JSON.stringify({ source: "regtags", type: "regtags.watch.events", time: new Date().toISOString(), events }));
}

function parseWebhook(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError("--webhook takes an http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--webhook takes an http or https URL, got a ${url.protocol} URL`);
  return url;
}

/**
 * SIGINT/SIGTERM: the first ends the run after the current pass (at once
 * when sleeping between passes); the second abandons the pass.
 */
function listenForStop() {
  const pass = new AbortController();
  let requested = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    if (requested) {
      pass.abort(new Error("interrupted"));
      return;
    }
    requested = true;
    if (wake !== undefined) wake();
    else process.stderr.write("regtags: stopping after this pass (signal again to abandon it; the state then stays as recorded)\n");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    passSignal: pass.signal,
    requested: () => requested,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    dispose: () => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    },
  };
}
