/**
 * An incremental parser of list bodies (`tags/list`, `_catalog`; PAG-2,
 * CAT-1) fed chunk by chunk as they arrive. It materialises only what is
 * needed — the entries of the top-level list field and the top-level
 * `name` — and validates the JSON grammar (RFC 8259) for the rest, so a page
 * of a million tags costs the tags themselves, not the body, its string and
 * a parse tree besides. Results and errors match parseTagsBody /
 * parseCatalogBody on the same bytes. Pure: no I/O.
 */
import { ProtocolError } from "../errors.js";
import { quoteServerText } from "../text/safe-text.js";

export interface StreamedListBody {
  readonly name: string | undefined;
  readonly entries: string[];
  readonly nullEntries: number;
  readonly digestEntries: number;
}

type Frame =
  | { kind: "object"; state: "key-or-end" | "key" | "colon" | "value" | "comma-or-end"; key: string | undefined }
  | { kind: "array"; state: "value-or-end" | "value" | "comma-or-end"; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SCALAR_CHAR = /^[-+.0-9a-zA-Z]$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export class ListBodyParser {
  readonly #field: "tags" | "repositories";
  readonly #what: string;
  readonly #where: string;
  readonly #stack: Frame[] = [];
  #done = false; // the top-level value is complete
  #started = false;
  #offset = 0;
  #head = ""; // first bytes, for error excerpts
  /** Pieces of the string being read, or undefined outside strings. */
  #string: Buffer[] | undefined;
  #stringEscaped = false;
  #pendingBackslash = false;
  /** Characters of the number or literal being read. */
  #scalar = "";
  #name: string | undefined;
  #entries: string[] = [];
  #nullEntries = 0;
  #digestEntries = 0;

  constructor(field: "tags" | "repositories", where: string) {
    this.#field = field;
    this.#what = field === "tags" ? "tag list" : "repository list";
    this.#where = where;
  }

  push(chunk: Buffer): void {
    if (this.#head.length < 80) this.#head += chunk.subarray(0, 80).toString("latin1");
    let i = 0;
    while (i < chunk.length) {
      if (this.#string !== undefined) {
        i = this.#readString(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      const char = String.fromCharCode(byte);
      if (SCALAR_CHAR.test(char)) {
        this.#scalar += char;
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
    }
    this.#offset += chunk.length;
  }

  end(): StreamedListBody {
    if (this.#string !== undefined) this.#fail("the body ends inside a string");
    if (this.#scalar !== "") this.#endScalar();
    if (!this.#done) this.#fail(this.#started ? "the body ends before the JSON does" : "the body is empty");
    return { name: this.#name, entries: this.#entries, nullEntries: this.#nullEntries, digestEntries: this.#digestEntries };
  }

  /** Scans a string body from `start`; returns where to go on. */
  #readString(chunk: Buffer, start: number): number {
    let i = start;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      if (this.#pendingBackslash) {
        this.#pendingBackslash = false;
      } else if (byte === BACKSLASH) {
        this.#pendingBackslash = true;
        this.#stringEscaped = true;
      } else if (byte === QUOTE) {
        this.#string!.push(chunk.subarray(start, i));
        this.#endString();
        return i + 1;
      } else if (byte < 0x20) {
        this.#fail("a control character inside a string");
      }
      i++;
    }
    this.#string!.push(Buffer.from(chunk.subarray(start))); // copy: the chunk's memory may be reused
    return i;
  }

  #endString(): void {
    const pieces = this.#string!;
    this.#string = undefined;
    const raw = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    const wanted = this.#wantsValue();
    let value = "";
    if (wanted !== "skip") {
      const text = raw.toString("utf8");
      if (this.#stringEscaped) {
        try {
          value = JSON.parse(`"${text}"`) as string;
        } catch {
          this.#fail("an invalid escape in a string");
        }
      } else value = text;
    } else if (this.#stringEscaped) {
      try {
        JSON.parse(`"${raw.toString("utf8")}"`);
      } catch {
        this.#fail("an invalid escape in a string");
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

  /** What the string about to complete is: a top-level key, a needed value, or skipped. */
  #wantsValue(): "key" | "keep" | "skip" {
    const frame = this.#stack.at(-1);
    const depth = this.#stack.length;
    if (depth === 1 && frame?.kind === "object" && (frame.state === "key-or-end" || frame.state === "key")) return "key";
    if (depth === 1 && frame?.kind === "object" && frame.state === "value" && (frame.key === "name" || frame.key === this.#field)) return "keep";
    if (depth === 2 && frame?.kind === "array" && this.#inField()) return "keep";
    return "skip";
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
        this.#string = [];
        return;
      case 0x7b: // {
      case 0x5b: // [
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
      this.#entries = [];
      this.#nullEntries = 0;
      this.#digestEntries = 0;
    }
  }

  /** A complete value of `kind` in the current frame. */
  #value(kind: "string" | "null" | "boolean" | "number" | "object" | "array", text: string): void {
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
      if (kind === "string") {
        if (text.includes(":")) this.#digestEntries++;
        else this.#entries.push(text);
      } else if (kind === "null") this.#nullEntries++;
      else this.#fail(`"${this.#field}"[${index}] is ${kind === "boolean" ? "boolean" : kind}, not a string`, true);
    }
  }

  #topLevelField(key: string | undefined, kind: string, text: string): void {
    if (key === "name" && kind === "string") this.#name ??= text;
    if (key !== this.#field) return;
    // JSON.parse keeps the last duplicate key; the grammar allows them, registries do not send them.
    if (kind === "null") {
      this.#entries = [];
      this.#nullEntries = 0;
      this.#digestEntries = 0;
    } else if (kind !== "array") this.#fail(`"${this.#field}" is ${kind}, not an array`, true);
  }

  #fail(reason: string, plain = false): never {
    const excerpt = quoteServerText(this.#head.replace(/\s+/g, " ").trim(), 80);
    if (plain) throw new ProtocolError(`${this.#where}: ${reason}`);
    throw new ProtocolError(`${this.#where}: the ${this.#what} is not JSON (body starts ${excerpt}); the registry or a proxy in front of it answered something else (${reason})`);
  }
}
