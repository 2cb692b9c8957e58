/**
 * Server-sent text made safe to show (issue 10, items 3 and 4). Pure: no I/O.
 *
 * A registry chooses every byte of its error bodies, headers and tag names.
 * Shown raw on a terminal, an ESC sequence (`\x1b]52;…`, `\x1b[2J`) is
 * interpreted, a CR or newline forges a line of our output, a bidi override
 * (U+202E) reverses what follows it (Trojan Source, CVE-2021-42574), and a
 * 10 MB message floods the screen. Here every such character is shown as an
 * escape (`\x1b`, `\r`, `\u202e`) and long text is cut, saying how much was
 * left out. Plain printable text passes through unchanged, and so does a
 * backslash: already-escaped text can be escaped again without change.
 */

/**
 * Characters never shown raw: controls (Cc: C0, DEL, C1), format characters
 * (Cf: bidi marks, embeddings, overrides and isolates U+202A–U+202E and
 * U+2066–U+2069, zero-width characters, the BOM, tag characters), unassigned
 * code points (Cn: a later Unicode version may make them format characters,
 * as U+2065 sits among the isolates), the line and paragraph separators (Zl,
 * Zp: newlines to some terminals and to JavaScript) and lone surrogates (Cs:
 * not text at all).
 */
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Cn}\p{Zl}\p{Zp}\p{Cs}]/u;
/**
 * What JSON.stringify leaves raw of the above: DEL, C1, Cf, Cn, Zl, Zp. It escapes
 * C0 inside strings itself, so a raw C0 character in its output is the
 * indentation's whitespace, and lone surrogates since ES2019.
 */
const RAW_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Cn}\p{Zl}\p{Zp}]/u;
const RAW_IN_JSON_ALL = /[\u007f-\u009f\p{Cf}\p{Cn}\p{Zl}\p{Zp}]/gu;
/** In quotes, `"` and `\` are escaped too, so the quote's end is unambiguous. */
const UNSAFE_IN_QUOTES = /[\p{Cc}\p{Cf}\p{Cn}\p{Zl}\p{Zp}\p{Cs}"\\]/u;

/** The cap of one quoted server value in a message (a header, a body excerpt, an errors[].message). */
export const SERVER_TEXT_LIMIT = 200;
/** The cap of a whole message: it quotes at most a few capped server values. */
export const MESSAGE_LIMIT = 2000;
/** The cap of one string field of a trace event (a URL with a long cursor, a Link header). */
export const TRACE_TEXT_LIMIT = 1000;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\" };

/** `\x1b`, `\u202e`, `\u{e0001}`: the code point, visible and inert. */
function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named !== undefined) return named;
  const codePoint = character.codePointAt(0)!;
  const hex = codePoint.toString(16);
  if (codePoint <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (codePoint <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\u{${hex}}`;
}

/** The escaped prefix of `text` that fits in `maxLength` characters, and where it stopped. */
function escapeUpTo(text: string, maxLength: number, unsafe: RegExp): { shown: string; end: number } {
  let shown = "";
  let end = 0;
  while (end < text.length) {
    const codePoint = text.codePointAt(end)!;
    const character = text.slice(end, end + (codePoint > 0xffff ? 2 : 1));
    const piece = unsafe.test(character) ? escapeCharacter(character) : character;
    if (shown.length + piece.length > maxLength) break;
    shown += piece;
    end += character.length;
  }
  return { shown, end };
}

/** `…(N more bytes)`: N counts the UTF-8 bytes not shown, as a server would have sent them. */
function omitted(text: string, from: number): string {
  return `…(${Buffer.byteLength(text.slice(from), "utf8")} more bytes)`;
}

/**
 * `text` with every control, format, separator and lone-surrogate character
 * escaped (`\x1b`, `\r`, `\u202e`), cut to at most `maxLength` characters plus
 * a `…(N more bytes)` marker. Printable text shorter than the cap, backslashes
 * included, is returned as it is.
 *
 * @example escapeServerText("bad\x1b[2Jtag") === "bad\\x1b[2Jtag"
 */
export function escapeServerText(text: string, maxLength: number = SERVER_TEXT_LIMIT): string {
  if (text.length <= maxLength && !UNSAFE_CHARACTER.test(text)) return text;
  const { shown, end } = escapeUpTo(text, maxLength, UNSAFE_CHARACTER);
  return end < text.length ? `${shown}${omitted(text, end)}` : shown;
}

/**
 * `text` in double quotes for a message, escaped as {@link escapeServerText}
 * plus `"` and `\`, so where the server's text ends is never in doubt. The
 * marker of a cut follows the closing quote: it is ours, not the server's.
 *
 * @example quoteServerText('a"b\n') === '"a\\"b\\n"'
 */
export function quoteServerText(text: string, maxLength: number = SERVER_TEXT_LIMIT): string {
  if (text.length <= maxLength && !UNSAFE_IN_QUOTES.test(text)) return `"${text}"`;
  const { shown, end } = escapeUpTo(text, maxLength, UNSAFE_IN_QUOTES);
  return `"${shown}"${end < text.length ? omitted(text, end) : ""}`;
}

/** True when `text` has no character {@link escapeServerText} would escape. */
export function isPlainServerText(text: string): boolean {
  return !UNSAFE_CHARACTER.test(text);
}

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1 controls,
 * bidi and other format characters, U+2028/U+2029) written as `\uXXXX`
 * escapes: the same JSON value, but nothing on a terminal reorders or breaks
 * the output. (JSON.stringify already escapes C0 controls and, since ES2019,
 * lone surrogates.)
 */
export function escapeJsonText(json: string): string {
  if (!RAW_IN_JSON.test(json)) return json;
  return json.replace(RAW_IN_JSON_ALL, (character) => {
    let escaped = "";
    for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return escaped;
  });
}

/** `value` with every string in it (object values and array items, at any depth) passed through `map`: for escaping whole trace events. */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  const walk = (inner: unknown): unknown => {
    if (typeof inner === "string") return map(inner);
    if (Array.isArray(inner)) return inner.map(walk);
    if (typeof inner === "object" && inner !== null) return Object.fromEntries(Object.entries(inner).map(([key, item]) => [key, walk(item)]));
    return inner;
  };
  return walk(value) as T;
}
