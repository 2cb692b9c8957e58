/**
 * An incremental parser of list bodies (`tags/list`, `_catalog`; PAG-2,
 * CAT-1) fed chunk by chunk as they arrive. It materialises only what is
 * needed — the entries of the top-level list field and the top-level
 * `name` — and validates the JSON grammar (RFC 8259) for the rest, so a page
 * of a million tags costs the tags themselves, not the body, its string and
 * a parse tree besides. Results and errors match parseTagsBody /
 * parseCatalogBody on the same bytes. Pure: no I/O.
 *
 * Memory is bounded whatever the body's shape, within the page's byte cap
 * (issue 10, "Bounded memory"): nesting deeper than {@link MAX_DEPTH} is a
 * ProtocolError, and a string is only materialised when it is wanted and short
 * enough to be what it must be (a top-level key, the `name`, an entry); a
 * 250 MB string is scanned and counted, never built. Escapes are validated as
 * the bytes pass, so skipped strings cost nothing either.
 */
import { ProtocolError } from "../errors.js";
import { MAX_TAG_LENGTH, isTag } from "./tag-grammar.js";
import { quoteServerText } from "../text/safe-text.js";
import { findRunEnd, parseRun } from "./list-body-runs.js";

export interface StreamedListBody {
  readonly name: string | undefined;
  /** The entries kept, in the body's order. */
  readonly entries: string[];
  readonly nullEntries: number;
  readonly digestEntries: number;
  /**
   * Entries dropped as invalid that were short enough to read (tags outside
   * the grammar), so a walker can tell a repeated one from a new one.
   */
  readonly invalidEntries: string[];
  /** Entries dropped unread: longer than any valid entry can be. */
  readonly oversizeEntries: number;
  /**
   * The last string entry exactly as sent, kept or not: the `last` cursor a
   * server sorting by name expects (a dropped tag still holds its place).
   * Undefined when there is none or it was oversize.
   */
  readonly lastEntry: string | undefined;
}

/**
 * Tag and catalog bodies nest at most four deep (GCR's
 * `{"manifest": {"sha256:…": {"tag": [...]}}}`); four times that leaves room
 * for members we do not know, and stops `[[[[…` from growing a frame per byte
 * until the heap gives out.
 */
export const MAX_DEPTH = 16;

/**
 * Longest repository name kept from a catalog, in characters. distribution's
 * reference grammar caps a name at 255; this leaves room for registries that
 * allow more, and drops what no registry names.
 */
export const MAX_REPOSITORY_LENGTH = 4096;

/**
 * Whether JSON text nests deeper than `max` (strings skipped), for parsers that
 * hand a capped body to JSON.parse: 16 MiB of `[` costs it about 700 MB.
 * Linear; says nothing about whether the text is JSON.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/** A JSON escape takes at most 6 bytes (`\uXXXX`) per UTF-16 code unit: past this many raw bytes a string is longer than `chars`. */
const rawBytesFor = (chars: number) => chars * 6;
/** Longest wanted key: "repositories". */
const MAX_KEY_BYTES = rawBytesFor(12);
const MAX_NAME_BYTES = rawBytesFor(MAX_REPOSITORY_LENGTH);

/** What a string being read is: a top-level key, the top-level `name`, an entry of the list, or nothing we keep. */
type StringRole = "key" | "name" | "entry" | "skip";

interface OpenString {
  readonly role: StringRole;
  /** Pieces read so far, or undefined when the string is skipped or past `limit`. */
  pieces: Buffer[] | undefined;
  bytes: number;
  readonly limit: number;
}

type Frame =
  | { kind: "object"; state: "key-or-end" | "key" | "colon" | "value" | "comma-or-end"; key: string | undefined }
  | { kind: "array"; state: "value-or-end" | "value" | "comma-or-end"; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes of numbers and literals: `[-+.0-9a-zA-Z]`. */
const SCALAR_BYTES = new Uint8Array(256);
for (const char of "-+.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") SCALAR_BYTES[char.charCodeAt(0)] = 1;
/** RFC 8259 §7: the characters that may follow a backslash. */
const ESCAPES = new Set([...'"\\/bfnrtu'].map((c) => c.charCodeAt(0)));
const isHexDigit = (byte: number) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export interface ListBodyParserOptions {
  /** Reads every byte with the scanner, never the fast path: the reference the fast path is tested against. @default false */
  readonly scanOnly?: boolean;
}

export class ListBodyParser {
  readonly #field: "tags" | "repositories";
  readonly #fast: boolean;
  /** In the chunk being pushed, the fast path waits until here: the scanner reads a run the fast path gave back. */
  #fastFrom = 0;
  readonly #what: string;
  readonly #where: string;
  readonly #stack: Frame[] = [];
  #done = false; // the top-level value is complete
  #started = false;
  #offset = 0;
  #head = ""; // first bytes, for error excerpts
  /** The string being read, or undefined outside strings. */
  #string: OpenString | undefined;
  #stringEscaped = false;
  #pendingBackslash = false;
  /** Hex digits still due in a `\uXXXX` escape. */
  #hexLeft = 0;
  readonly #maxEntryBytes: number;
  /** Longest entry kept, in UTF-16 code units; a longer one is dropped, as invalid or oversize. */
  readonly #maxEntryChars: number;
  /** Characters of the number or literal being read. */
  #scalar = "";
  #name: string | undefined;
  #entries: string[] = [];
  #nullEntries = 0;
  #digestEntries = 0;
  #invalidEntries: string[] = [];
  #oversizeEntries = 0;
  #lastEntry: string | undefined;

  constructor(field: "tags" | "repositories", where: string, options: ListBodyParserOptions = {}) {
    this.#field = field;
    this.#fast = options.scanOnly !== true;
    this.#maxEntryChars = field === "tags" ? MAX_TAG_LENGTH : MAX_REPOSITORY_LENGTH;
    this.#maxEntryBytes = rawBytesFor(this.#maxEntryChars);
    this.#what = field === "tags" ? "tag list" : "repository list";
    this.#where = where;
  }

  push(chunk: Buffer): void {
    if (this.#head.length < 80) this.#head += chunk.subarray(0, 80).toString("latin1");
    this.#fastFrom = 0;
    let i = this.#string === undefined && this.#scalar === "" ? this.#takeRun(chunk, 0) : 0;
    while (i < chunk.length) {
      if (this.#string !== undefined) {
        i = this.#readString(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (SCALAR_BYTES[byte] === 1) {
        this.#scalar += String.fromCharCode(byte);
        if (this.#scalar.length > 400) this.#fail("a number or literal is too long");
        i++;
        continue;
      }
      if (this.#scalar !== "") this.#endScalar();
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) {
        i++;
        continue;
      }
      this.#structural(byte);
      i++;
      // After the list's `[` or a comma in it, the next elements may come as a run.
      if (byte === 0x2c || byte === 0x5b) i = this.#takeRun(chunk, i);
    }
    this.#offset += chunk.length;
  }

  /**
   * Reads the run of complete elements at `start` in one go when the list
   * expects an element there and `JSON.parse` vouches for the run; returns
   * where the scanner goes on (`start` when it is to read the run itself).
   */
  #takeRun(chunk: Buffer, start: number): number {
    if (!this.#fast || start < this.#fastFrom || start >= chunk.length) return start;
    const frame = this.#stack.at(-1);
    if (frame?.kind !== "array" || frame.state === "comma-or-end" || !this.#inField()) return start;
    const run = findRunEnd(chunk, start);
    if (run === undefined) return start;
    const values = parseRun(chunk, start, run);
    if (values === undefined || !this.#vouchesFor(values)) {
      this.#fastFrom = run.end; // the scanner reads this run (and reports its fault, if any)
      return start;
    }
    frame.index += values.length;
    frame.state = "comma-or-end";
    for (const value of values) {
      if (value === null) this.#nullEntries++;
      else this.#entry(value as string);
    }
    return run.end;
  }

  /**
   * Strings and nulls, none longer than an entry kept: what the scanner would
   * read the same way. A longer string is the scanner's to class as invalid or
   * oversize (by its raw bytes), and any other value its error to report.
   */
  #vouchesFor(values: readonly unknown[]): boolean {
    for (const value of values) {
      if (value === null) continue;
      if (typeof value !== "string" || value.length > this.#maxEntryChars) return false;
    }
    return true;
  }

  end(): StreamedListBody {
    if (this.#string !== undefined) this.#fail("the body ends inside a string");
    if (this.#scalar !== "") this.#endScalar();
    if (!this.#done) this.#fail(this.#started ? "the body ends before the JSON does" : "the body is empty");
    return {
      name: this.#name,
      entries: this.#entries,
      nullEntries: this.#nullEntries,
      digestEntries: this.#digestEntries,
      invalidEntries: this.#invalidEntries,
      oversizeEntries: this.#oversizeEntries,
      lastEntry: this.#lastEntry,
    };
  }

  /** Scans a string body from `start`; returns where to go on. */
  #readString(chunk: Buffer, start: number): number {
    let i = start;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      if (this.#hexLeft > 0) {
        if (!isHexDigit(byte)) this.#fail("an invalid escape in a string");
        this.#hexLeft--;
      } else if (this.#pendingBackslash) {
        this.#pendingBackslash = false;
        if (!ESCAPES.has(byte)) this.#fail("an invalid escape in a string");
        if (byte === 0x75) this.#hexLeft = 4; // u
      } else if (byte === BACKSLASH) {
        this.#pendingBackslash = true;
        this.#stringEscaped = true;
      } else if (byte === QUOTE) {
        this.#keep(chunk.subarray(start, i), false);
        this.#endString();
        return i + 1;
      } else if (byte < 0x20) {
        this.#fail("a control character inside a string");
      }
      i++;
    }
    this.#keep(chunk.subarray(start), true);
    return i;
  }

  /** Keeps a piece of a wanted string, until it grows past what it can be. */
  #keep(piece: Buffer, copy: boolean): void {
    const open = this.#string!;
    if (open.pieces === undefined || piece.length === 0) return;
    open.bytes += piece.length;
    if (open.bytes > open.limit) open.pieces = undefined; // too long to be what it must be: counted, never built
    else open.pieces.push(copy ? Buffer.from(piece) : piece); // copy: the chunk's memory may be reused
  }

  #endString(): void {
    const open = this.#string!;
    this.#string = undefined;
    let value: string | undefined; // undefined: skipped or oversize, never materialised
    if (open.pieces !== undefined) {
      const raw = open.pieces.length === 1 ? open.pieces[0]! : Buffer.concat(open.pieces);
      const text = raw.toString("utf8");
      value = text;
      if (this.#stringEscaped) {
        try {
          value = JSON.parse(`"${text}"`) as string;
        } catch {
          this.#fail("an invalid escape in a string");
        }
      }
    }
    this.#stringEscaped = false;
    const frame = this.#stack.at(-1);
    if (frame?.kind === "object" && (frame.state === "key-or-end" || frame.state === "key")) {
      frame.key = value;
      frame.state = "colon";
      return;
    }
    this.#value("string", value);
  }

  /** What the string about to start is, and how many raw bytes of it are worth keeping. */
  #openString(): OpenString {
    const frame = this.#stack.at(-1);
    const depth = this.#stack.length;
    let role: StringRole = "skip";
    if (depth === 1 && frame?.kind === "object" && (frame.state === "key-or-end" || frame.state === "key")) role = "key";
    else if (depth === 1 && frame?.kind === "object" && frame.state === "value" && frame.key === "name") role = "name";
    else if (depth === 2 && frame?.kind === "array" && this.#inField()) role = "entry";
    const limit = role === "key" ? MAX_KEY_BYTES : role === "name" ? MAX_NAME_BYTES : role === "entry" ? this.#maxEntryBytes : 0;
    return { role, pieces: role === "skip" ? undefined : [], bytes: 0, limit };
  }

  #inField(): boolean {
    const top = this.#stack[0];
    return this.#stack.length === 2 && top?.kind === "object" && top.key === this.#field;
  }

  #endScalar(): void {
    const text = this.#scalar;
    this.#scalar = "";
    if (text === "null" || text === "true" || text === "false") this.#value(text === "null" ? "null" : "boolean", "");
    else if (NUMBER.test(text)) this.#value("number", "");
    else this.#fail(`unexpected ${quoteServerText(text, 20)}`);
  }

  #structural(byte: number): void {
    const frame = this.#stack.at(-1);
    switch (byte) {
      case QUOTE:
        if (frame?.kind === "object" && frame.state !== "key-or-end" && frame.state !== "key" && frame.state !== "value") this.#fail("a misplaced string");
        if (frame?.kind === "array" && frame.state === "comma-or-end") this.#fail("a missing comma");
        if (frame === undefined) this.#beginTopLevel();
        this.#string = this.#openString();
        return;
      case 0x7b: // {
      case 0x5b: // [
        if (this.#stack.length >= MAX_DEPTH) this.#fail(`the JSON nests deeper than ${MAX_DEPTH} levels, more than any ${this.#what} needs`, true);
        this.#beginContainer(byte === 0x7b ? "object" : "array");
        this.#stack.push(byte === 0x7b ? { kind: "object", state: "key-or-end", key: undefined } : { kind: "array", state: "value-or-end", index: 0 });
        return;
      case 0x7d: // }
      case 0x5d: {
        // ]
        const closes = byte === 0x7d ? "object" : "array";
        if (frame?.kind !== closes || !(frame.state === "key-or-end" || frame.state === "value-or-end" || frame.state === "comma-or-end")) this.#fail(`a misplaced ${String.fromCharCode(byte)}`);
        this.#stack.pop();
        this.#value(closes, "");
        return;
      }
      case 0x3a: // :
        if (frame?.kind !== "object" || frame.state !== "colon") this.#fail("a misplaced colon");
        frame.state = "value";
        return;
      case 0x2c: // ,
        if (frame === undefined || frame.state !== "comma-or-end") this.#fail("a misplaced comma");
        frame.state = frame.kind === "object" ? "key" : "value";
        return;
      default:
        this.#fail(`unexpected byte 0x${byte.toString(16).padStart(2, "0")}`);
    }
  }

  #beginTopLevel(): void {
    if (this.#done) this.#fail("more JSON after the end");
    this.#started = true;
  }

  /** An object or array is starting: check the grammar allows a value here. */
  #beginContainer(kind: "object" | "array"): void {
    const frame = this.#stack.at(-1);
    if (frame === undefined) {
      this.#beginTopLevel();
      return;
    }
    if (frame.kind === "object" && frame.state !== "value") this.#fail("a value where a key belongs");
    if (frame.kind === "array" && frame.state === "comma-or-end") this.#fail("a missing comma");
    if (this.#inField()) {
      const index = (frame as { index: number }).index;
      this.#fail(`"${this.#field}"[${index}] is ${kind === "array" ? "an array" : "object"}, not a string`, true);
    }
    if (kind === "array" && this.#stack.length === 1 && frame.kind === "object" && frame.key === this.#field) {
      // The list itself begins (a repeated key replaces it, as JSON.parse does).
      this.#resetList();
    }
  }

  /** A complete value of `kind` in the current frame. */
  #value(kind: "string" | "null" | "boolean" | "number" | "object" | "array", text: string | undefined): void {
    const frame = this.#stack.at(-1);
    if (frame === undefined) {
      // The top-level value ended.
      if (kind !== "object") {
        if (!this.#started && kind !== "array") this.#beginTopLevel();
        this.#fail(`the ${this.#what} is not a JSON object`, true);
      }
      this.#done = true;
      return;
    }
    if (frame.kind === "object") {
      if (frame.state !== "value") this.#fail("a value where a key belongs");
      frame.state = "comma-or-end";
      if (this.#stack.length === 1) this.#topLevelField(frame.key, kind, text);
      return;
    }
    if (frame.state === "comma-or-end") this.#fail("a missing comma");
    const index = frame.index++;
    frame.state = "comma-or-end";
    if (this.#stack.length === 2 && this.#inField()) {
      if (kind === "string") this.#entry(text);
      else if (kind === "null") this.#nullEntries++;
      else this.#fail(`"${this.#field}"[${index}] is ${kind === "boolean" ? "boolean" : kind}, not a string`, true);
    }
  }

  /** One string entry of the list: kept, or counted as null, digest-shaped, invalid or oversize. */
  #entry(text: string | undefined): void {
    this.#lastEntry = text;
    if (text === undefined) this.#oversizeEntries++;
    else if (text.includes(":")) this.#digestEntries++;
    else if (this.#field === "tags" ? !isTag(text) : text.length > MAX_REPOSITORY_LENGTH) this.#invalidEntries.push(text);
    else this.#entries.push(text);
  }

  #resetList(): void {
    this.#entries = [];
    this.#nullEntries = 0;
    this.#digestEntries = 0;
    this.#invalidEntries = [];
    this.#oversizeEntries = 0;
    this.#lastEntry = undefined;
  }

  #topLevelField(key: string | undefined, kind: string, text: string | undefined): void {
    if (key === "name" && kind === "string" && text !== undefined) this.#name ??= text;
    if (key !== this.#field) return;
    // JSON.parse keeps the last duplicate key; the grammar allows them, registries do not send them.
    if (kind === "null") {
      this.#resetList();
    } else if (kind !== "array") this.#fail(`"${this.#field}" is ${kind}, not an array`, true);
  }

  #fail(reason: string, plain = false): never {
    const excerpt = quoteServerText(this.#head.replace(/\s+/g, " ").trim(), 80);
    if (plain) throw new ProtocolError(`${this.#where}: ${reason}`);
    throw new ProtocolError(`${this.#where}: the ${this.#what} is not JSON (body starts ${excerpt}); the registry or a proxy in front of it answered something else (${reason})`);
  }
}
