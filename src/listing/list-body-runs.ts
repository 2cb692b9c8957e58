/**
 * The fast path of the list-body parser (list-body-stream.ts): inside the
 * list array, a run of complete elements is decoded once and handed to
 * `JSON.parse`, instead of being scanned byte by byte with a buffer view and
 * a string per entry (issue 13: a million tags cost ~0.9 s that way). The
 * scanner stays the reference: whatever this path cannot vouch for (an element
 * that is not a string or null, a string longer than any entry kept, a run
 * `JSON.parse` refuses) is left to it, byte for byte. Pure: no I/O.
 */

import { isAscii } from "node:buffer";

const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/**
 * Longest run handed to `JSON.parse` at once, in bytes: a run's text, its
 * parse and the chunk are all held together, so this bounds the extra memory
 * whatever size the chunks come in. A single element longer than this goes
 * through the scanner (and its oversize path).
 */
export const MAX_RUN_BYTES = 256 * 1024;

/** Where a candidate run of complete elements starting at `start` ends. */
export interface RunExtent {
  /** Index of the `,` or `]` after the run's last element (exclusive end of the run). */
  readonly end: number;
  /** The run is ASCII: latin1 decodes it as UTF-8 would, and faster. */
  readonly ascii: boolean;
}

/**
 * A candidate end for a run at `start` (which lies between elements, after
 * `[` or `,`), within {@link MAX_RUN_BYTES}: the first `]`, where the list
 * normally ends, else the last comma. Found with native searches, not a byte
 * loop: whether the byte is really outside a string is for `JSON.parse` to
 * tell. It reads `[` + run + `]` from the run's first byte in the state the
 * scanner is in there (between elements), so when it accepts the run as
 * complete values, the tokenizer is outside any string at the run's end, as
 * the scanner would be; when the cut fell inside a string, it refuses the
 * run and the scanner reads those bytes.
 */
export function findRunEnd(chunk: Buffer, start: number): RunExtent | undefined {
  // Searched within the window only: a chunk of many megabytes costs each run its own bytes, not the rest of the chunk.
  const window = chunk.subarray(start, start + MAX_RUN_BYTES);
  let length = window.indexOf(CLOSE_BRACKET);
  if (length < 0) length = window.lastIndexOf(COMMA);
  return length > 0 ? { end: start + length, ascii: isAscii(window.subarray(0, length)) } : undefined;
}

/**
 * The elements of `chunk[start, run.end)` as `JSON.parse` reads them between
 * brackets, or undefined when it refuses them or finds none (a blank run, a
 * missing comma, a bad escape, a control character…): the scanner then finds
 * the same fault.
 * UTF-8 is decoded as the scanner decodes each string (Buffer's decoder, its
 * replacement characters included); a run always ends on an ASCII byte, so no
 * character is split.
 */
export function parseRun(chunk: Buffer, start: number, run: RunExtent): unknown[] | undefined {
  const text = chunk.toString(run.ascii ? "latin1" : "utf8", start, run.end);
  let values: unknown[];
  try {
    values = JSON.parse(`[${text}]`) as unknown[];
  } catch {
    return undefined;
  }
  // Blank between `,` and `]` is a trailing comma, the scanner's error to report.
  return values.length > 0 ? values : undefined;
}
