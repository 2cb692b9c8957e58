/**
 * The lexical pieces HTTP header grammars share (RFC 9110 §5.6): tokens,
 * quoted-strings with quoted-pairs, optional whitespace and empty list
 * elements. WWW-Authenticate (auth/challenge.ts) and Link
 * (listing/link.ts) parsers extend this scanner. Pure and linear: every
 * loop moves forward, no regular expressions.
 */
import { ProtocolError } from "../errors.js";
import { quoteServerText } from "../text/safe-text.js";

/** tchar (RFC 9110 §5.6.2). */
const TCHAR = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~");

export const isTchar = (c: string | undefined): boolean => c !== undefined && TCHAR.has(c);
/** OWS / BWS characters. */
export const isWhitespace = (c: string | undefined): boolean => c === " " || c === "\t";

export abstract class HeaderScanner {
  protected pos = 0;

  /** @param header the header's name, for messages, e.g. "Link". */
  constructor(
    protected readonly text: string,
    private readonly header: string,
  ) {}

  protected atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  protected skipWhitespace(): void {
    while (isWhitespace(this.text[this.pos])) this.pos++;
  }

  /** Commas and whitespace: RFC 9110 §5.6.1 allows empty list elements. */
  protected skipSeparators(): void {
    while (this.text[this.pos] === "," || isWhitespace(this.text[this.pos])) this.pos++;
  }

  /** A token, or a ProtocolError naming `what` was expected. */
  protected token(what: string): string {
    const start = this.pos;
    while (isTchar(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`expected ${what}`);
    return this.text.slice(start, this.pos);
  }

  /** quoted-string (RFC 9110 §5.6.4) with quoted-pairs unescaped; `pos` is at the opening quote. */
  protected quotedString(): string {
    const start = this.pos;
    let value = "";
    let run = ++this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        value += this.text.slice(run, this.pos);
        this.pos++;
        return value;
      }
      if (c === "\\") {
        if (this.pos + 1 >= this.text.length) break;
        value += this.text.slice(run, this.pos) + this.text[this.pos + 1];
        this.pos += 2;
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    this.pos = start;
    return this.fail("unterminated quoted-string");
  }

  /**
   * An unquoted value read leniently up to a delimiter in `stops`, a quote or
   * whitespace: registries send URLs unquoted (Zot's `realm=http://h/token`).
   */
  protected bareValue(stops: string, missing: string): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (stops.includes(c) || c === '"' || isWhitespace(c)) break;
      this.pos++;
    }
    if (this.pos === start) this.fail(missing);
    return this.text.slice(start, this.pos);
  }

  /** A ProtocolError quoting at most 120 characters around the position. */
  protected fail(problem: string): never {
    const start = Math.max(0, this.pos - 60);
    const end = Math.min(this.text.length, this.pos + 60);
    const shown = `${start > 0 ? "…" : ""}${quoteServerText(this.text.slice(start, end), 120)}${end < this.text.length ? "…" : ""}`;
    throw new ProtocolError(`malformed ${this.header} header: ${problem} at offset ${this.pos} in ${shown}`);
  }
}
