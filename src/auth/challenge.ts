/**
 * WWW-Authenticate parsing (RFC 9110 §11.6.1, CH-1..CH-11). This module is
 * pure: it turns header text into {@link Challenge} values and picks the one
 * to answer; fetching tokens is `token.ts`'s job. Unlike the Go reference
 * parsers it reads every challenge of every header line (CH-2). The tokenizer
 * is hand-written and runs in one pass, so hostile headers cost linear time.
 */

import { HeaderScanner, isTchar, isWhitespace } from "../grammar/header-scanner.js";

/** One authentication challenge. */
export interface Challenge {
  /** Lower-case scheme, e.g. "bearer", "basic". */
  readonly scheme: string;
  /** Parameter names lower-cased, values verbatim (quoted-string unescaped). First occurrence wins (CH-6). */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

/**
 * Parses all challenges of a WWW-Authenticate header.
 *
 * An array stands for repeated header lines, which RFC 9110 §5.3 lets us join
 * with ", " (CH-2). Absent, empty and blank headers give `[]`. Unquoted
 * parameter values are read up to the next comma or space, so Zot's
 * `bearer realm=http://h/token` works although `:` and `/` are not tchars.
 *
 * @throws ProtocolError naming the problem and quoting an excerpt of the
 *   header (e.g. an unterminated quoted-string); never anything else (CH-11).
 * @example
 * parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"');
 * // [{ scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io" } }]
 */
export function parseChallenges(header: string | readonly string[] | undefined | null): Challenge[] {
  if (header === undefined || header === null) return [];
  const text = typeof header === "string" ? header : header.join(", ");
  return new ChallengeScanner(text).parse();
}

/** {@link parseChallenges}, with `[]` for a malformed header: for reports that describe what a server sent. */
export function parseChallengesLeniently(header: string | readonly string[] | undefined | null): Challenge[] {
  try {
    return parseChallenges(header);
  } catch {
    return [];
  }
}

/**
 * Chooses the challenge to answer: the first `bearer`, else the first `basic`,
 * else `undefined` (CH-10).
 */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
}

/** RFC 9110 §11.2 token68 characters (before the trailing '='s). */
const TOKEN68_CHAR = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

const isToken68Char = (c: string | undefined): boolean => c !== undefined && TOKEN68_CHAR.has(c);

class ChallengeScanner extends HeaderScanner {
  constructor(text: string) {
    super(text, "WWW-Authenticate");
  }

  parse(): Challenge[] {
    const challenges: Challenge[] = [];
    for (;;) {
      this.skipSeparators(); // CH-5: empty list elements
      if (this.pos >= this.text.length) return challenges;
      challenges.push(this.challenge());
    }
  }

  /** challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ] */
  private challenge(): Challenge {
    const scheme = this.token("an auth-scheme").toLowerCase(); // CH-3
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    const c = this.text[this.pos];
    if (c !== undefined && c !== "," && !isWhitespace(c)) {
      this.fail(`expected a space after the scheme ${JSON.stringify(scheme)}`);
    }
    this.skipWhitespace();
    if (this.atEnd() || this.text[this.pos] === ",") return { scheme, params };

    const token68 = this.tryToken68();
    if (token68 !== undefined) return { scheme, params, token68 };

    this.param(params);
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) break;
      if (this.text[this.pos] !== ",") this.fail("expected ',' between parameters");
      // Another parameter follows only if its token is followed by '=';
      // otherwise the token is the scheme of the next challenge (CH-2).
      this.skipSeparators();
      if (this.atEnd() || !this.nextIsParam()) break;
      this.param(params);
    }
    return { scheme, params };
  }

  /** auth-param = token BWS "=" BWS ( token / quoted-string ) */
  private param(params: Record<string, string>): void {
    const name = this.token("a parameter name").toLowerCase(); // CH-3
    this.skipWhitespace(); // BWS, CH-5
    if (this.text[this.pos] !== "=") this.fail(`expected '=' after the parameter ${JSON.stringify(name)}`);
    this.pos++;
    this.skipWhitespace();
    // Read leniently up to the next comma or space (Zot sends URLs unquoted).
    const value = this.text[this.pos] === "\"" ? this.quotedString() : this.bareValue(",", `the parameter ${JSON.stringify(name)} has no value`);
    // CH-6: first occurrence wins. The null-prototype object makes
    // "__proto__" an ordinary key.
    if (!Object.hasOwn(params, name)) params[name] = value;
  }

  /** Looks ahead: token BWS "=" means an auth-param. */
  private nextIsParam(): boolean {
    let i = this.pos;
    while (isTchar(this.text[i])) i++;
    if (i === this.pos) return false;
    while (isWhitespace(this.text[i])) i++;
    return this.text[i] === "=";
  }

  /**
   * token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=",
   * taken only when the list element ends right after it; otherwise the text
   * is an auth-param and the position is left unchanged.
   */
  private tryToken68(): string | undefined {
    let i = this.pos;
    while (isToken68Char(this.text[i])) i++;
    if (i === this.pos) return undefined;
    while (this.text[i] === "=") i++;
    let j = i;
    while (isWhitespace(this.text[j])) j++;
    if (j < this.text.length && this.text[j] !== ",") return undefined;
    const token68 = this.text.slice(this.pos, i);
    this.pos = i;
    this.skipWhitespace();
    return token68;
  }
}
