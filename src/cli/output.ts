/**
 * Writing to stdout with back-pressure (a closed pipe, as with `| head`, ends
 * quietly), and rendering trace events on stderr for --debug. Warnings are
 * shown even without --debug. Events quote servers (headers, messages): each
 * of their strings is escaped before it is printed.
 */
import { escapeServerText, mapStrings, MESSAGE_LIMIT, TRACE_TEXT_LIMIT } from "../text/safe-text.js";
import type { TraceEvent, TraceListener } from "../transport/trace.js";
import { cliWording } from "./option-flags.js";

let stdoutClosed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") stdoutClosed = true;
  else throw error;
});

/**
 * Writes to stdout. When stdout is a terminal too, a progress line is
 * cleared first and drawn again below what was written, so tags and progress
 * never share a line.
 */
export async function writeOut(text: string): Promise<void> {
  if (stdoutClosed) return;
  const line = process.stdout.isTTY ? shownProgress : undefined;
  line?.clear();
  await new Promise<void>((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", resolve);
  });
  if (line !== undefined && shownProgress === undefined) line.redraw();
}

/** A one-line message on stderr, clearing the progress line first as writeOut does. */
function writeErrLine(text: string): void {
  const line = shownProgress;
  line?.clear();
  process.stderr.write(text);
  if (line !== undefined && shownProgress === undefined) line.redraw();
}

/** One event as --debug prints it (a response's headers on lines of their own); every quoted string escaped. */
export function formatTraceEvent(raw: TraceEvent): string | undefined {
  const event = mapStrings(raw, (text) => escapeServerText(text, TRACE_TEXT_LIMIT) /* the client already caps them; a listener of another origin may not */);
  switch (event.type) {
    case "request":
      return `→ ${event.method} ${event.url} [${event.purpose || "request"}] authorization: ${event.authorization}`;
    case "response": {
      const headers = Object.entries(event.headers).map(([name, value]) => `\n    ${name}: ${value}`).join("");
      return `← ${event.status} ${event.method} ${event.url} (${event.ms.toFixed(0)} ms)${headers}`;
    }
    case "error":
      return `✗ ${event.method} ${event.url} (${event.ms.toFixed(0)} ms): ${event.message}`;
    case "auth":
      return `auth: ${event.message}`;
    case "token":
      return `token: ${event.source === "cache" ? "reused cached" : "fetched"} token for ${event.scopes.join(" ") || "(no scope)"} from ${event.realm}${event.service ? ` service=${event.service}` : ""}, valid ${event.expiresInSeconds} s more`;
    case "retry":
      return `retry: ${event.method} ${event.url} after ${event.reason}, attempt ${event.attempt}, waiting ${event.waitMs} ms`;
    case "page":
      return `page: ${event.tags} tags (${event.newTags} new) from ${event.url}${event.next !== undefined ? `; next ${event.next}` : "; last page"}`;
    case "endpoint":
      return `endpoint: ${event.registry} → ${event.endpoint} (${event.reason})`;
    case "rate-limit":
      return `rate limit: ${event.remaining}${event.limit !== undefined ? ` of ${event.limit}` : ""} requests left${event.windowSeconds !== undefined ? ` (window ${event.windowSeconds} s)` : ""}${event.resetInSeconds !== undefined ? `, resets in ${event.resetInSeconds} s` : ""}${event.source !== undefined ? `, counted for ${event.source}` : ""} at ${event.url}`;
    case "network":
      return event.message;
    case "page-size":
      return `page size: ${event.message}`;
    case "warning":
      return undefined;
  }
}

/** Prints warnings always and everything else with --debug, to stderr. */
export function createTracePrinter(debug: boolean): TraceListener {
  return (event) => {
    if (event.type === "warning") {
      writeErrLine(`regtags: warning: ${escapeServerText(cliWording(event.message), MESSAGE_LIMIT)}\n`);
      return;
    }
    if (!debug) return;
    const line = formatTraceEvent(event);
    if (line !== undefined) writeErrLine(`regtags: ${cliWording(line)}\n`);
  };
}

export interface Progress {
  page(tags: number): void;
  done(): void;
}

/** The progress line now on the terminal, if any: whatever else is printed clears it first. */
let shownProgress: { clear(): void; redraw(): void } | undefined;

/** Erases the current terminal line and returns to its start (ECMA-48 EL, "erase in line"). */
const CLEAR_LINE = "\r\x1b[K";

/**
 * A one-line progress count on stderr for long listings, only when stderr is
 * a terminal (never when piped or logged) and not under --debug. writeOut and
 * warnings clear it before printing and draw it again after, so on a terminal
 * it always sits on the last line, alone.
 */
export function createProgress(debug: boolean, stream: Pick<NodeJS.WriteStream, "isTTY" | "write"> = process.stderr): Progress {
  if (!stream.isTTY || debug) return { page: () => undefined, done: () => undefined };
  let tags = 0;
  let pages = 0;
  const line = {
    clear() {
      if (shownProgress !== line) return;
      stream.write(CLEAR_LINE);
      shownProgress = undefined;
    },
    redraw() {
      if (pages < 2) return; // one-page listings need no progress
      stream.write(`${CLEAR_LINE}regtags: ${tags} tags, ${pages} pages…`);
      shownProgress = line;
    },
  };
  return {
    page(count) {
      tags += count;
      pages++;
      line.redraw();
    },
    done() {
      line.clear();
      pages = 0;
    },
  };
}
