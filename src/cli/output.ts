/**
 * Writing to stdout with back-pressure (a closed pipe, as with `| head`, ends
 * quietly), and rendering trace events on stderr for --debug. Warnings are
 * shown even without --debug. Events quote servers (headers, messages): each
 * of their strings is escaped before it is printed.
 */
import { escapeServerText, mapStrings, MESSAGE_LIMIT, TRACE_TEXT_LIMIT, type TraceEvent, type TraceListener } from "../index.js";

let stdoutClosed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") stdoutClosed = true;
  else throw error;
});

export function writeOut(text: string): Promise<void> {
  if (stdoutClosed) return Promise.resolve();
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", resolve);
  });
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
      process.stderr.write(`regtags: warning: ${escapeServerText(event.message, MESSAGE_LIMIT)}\n`);
      return;
    }
    if (!debug) return;
    const line = formatTraceEvent(event);
    if (line !== undefined) process.stderr.write(`regtags: ${line}\n`);
  };
}

export interface Progress {
  page(tags: number): void;
  done(): void;
}

/**
 * A one-line progress count on stderr for long listings, only when stderr is
 * a terminal (never when piped or logged) and not under --debug.
 */
export function createProgress(debug: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || debug) return { page: () => undefined, done: () => undefined };
  let tags = 0;
  let pages = 0;
  let shown = false;
  return {
    page(count) {
      tags += count;
      pages++;
      if (pages < 2) return; // one-page listings need no progress
      stream.write(`\rregtags: ${tags} tags, ${pages} pages…`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
