/**
 * Link header parsing (RFC 8288 §3) and resolution of the `next` page URL
 * (RFC 3986 §5, PAG-3). This module is pure: it never rebuilds `n` or `last`
 * and never fetches; `paginate.ts` decides what to do with the URL. Targets
 * are kept exactly as the server wrote them, because quay's `next_page` and
 * ECR's `last` are opaque. The scanner is hand-written and linear.
 */

import { ProtocolError } from "../errors.js";
import { HeaderScanner, isWhitespace } from "../grammar/header-scanner.js";
import { quoteServerText } from "../text/safe-text.js";

/** One link-value of a Link header. */
export interface LinkValue {
  /** The URI-Reference between `<` and `>`, verbatim (may be relative). */
  readonly target: string;
  /** Relation types, lower-cased and split on whitespace; `[]` without `rel`. */
  readonly rel: readonly string[];
  /** Parameters by lower-cased name, values verbatim; first occurrence wins. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a Link header into its link-values. An array stands for repeated
 * header lines (joined with ", "). Commas inside `<...>` and inside quoted
 * strings do not split links. Absent or blank headers give `[]`.
 *
 * @throws ProtocolError on malformed input, such as a missing `<` or `>`,
 *   quoting a bounded excerpt of the header.
 * @example
 * parseLinkHeader('</v2/test/tags/list?last=asj9e&n=2>; rel="next"');
 * // [{ target: "/v2/test/tags/list?last=asj9e&n=2", rel: ["next"], params: { rel: "next" } }]
 */
export function parseLinkHeader(header: string | readonly string[] | undefined | null): LinkValue[] {
  if (header === undefined || header === null) return [];
  const text = typeof header === "string" ? header : header.join(", ");
  return new LinkScanner(text).parse();
}

/**
 * The URL of the next page: the first link whose `rel` includes "next",
 * resolved against `base` (the URL of the response that carried the header)
 * per RFC 3986 §5.2 with `new URL(target, base)`. Percent-escapes such as
 * quay's `%3D` stay as sent (PAG-3). `undefined` when there is no next link
 * (PAG-4).
 *
 * @throws ProtocolError when the header is malformed, the target does not
 *   resolve to an http(s) URL, or it leads from https to http (a downgrade,
 *   refused as the same redirect is: transport/redirect.ts).
 * @example
 * findNextLink('</v2/test/tags/list?last=asj9e&n=2>; rel="next"', "https://r.example/v2/test/tags/list?n=2")?.href;
 * // "https://r.example/v2/test/tags/list?last=asj9e&n=2"
 */
export function findNextLink(header: string | readonly string[] | undefined | null, base: string | URL): URL | undefined {
  const next = parseLinkHeader(header).find((link) => link.rel.includes("next"));
  if (next === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(next.target, base);
  } catch (cause) {
    throw new ProtocolError(`the Link rel="next" target ${quote(next.target)} cannot be resolved against ${quote(String(base))}`, { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ProtocolError(`the Link rel="next" target ${quote(next.target)} is not an http(s) URL`);
  }
  refuseDowngrade(new URL(base), url, "Link rel=\"next\"");
  return url;
}

/**
 * A next page over http after an https page would expose the listing (and
 * invite a man in the middle to end it early), so it is refused like an
 * https → http redirect. `what` names where the URL came from.
 *
 * @throws ProtocolError naming both URLs' origins.
 */
export function refuseDowngrade(from: URL, to: URL, what: string): void {
  if (from.protocol === "https:" && to.protocol !== "https:") {
    throw new ProtocolError(`refusing the ${what} from https to ${to.protocol.replace(/:$/, "")} (${quote(to.origin)}); the next page must stay on https`);
  }
}

function quote(text: string): string {
  return quoteServerText(text, 120);
}

class LinkScanner extends HeaderScanner {
  constructor(text: string) {
    super(text, "Link");
  }

  parse(): LinkValue[] {
    const links: LinkValue[] = [];
    for (;;) {
      // RFC 9110 §5.6.1: empty list elements are allowed.
      while (this.text[this.pos] === "," || isWhitespace(this.text[this.pos])) this.pos++;
      if (this.pos >= this.text.length) return links;
      links.push(this.linkValue());
      this.skipWhitespace();
      if (this.pos < this.text.length && this.text[this.pos] !== ",") {
        this.fail("expected ',' or ';' after a link");
      }
    }
  }

  /** link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ) */
  private linkValue(): LinkValue {
    if (this.text[this.pos] !== "<") this.fail("expected '<' to start a link target");
    const close = this.text.indexOf(">", this.pos + 1);
    if (close === -1) this.fail("the link target has no closing '>'");
    const target = this.text.slice(this.pos + 1, close);
    this.pos = close + 1;

    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== ";") break;
      this.pos++;
      this.skipWhitespace();
      if (this.pos >= this.text.length || this.text[this.pos] === "," || this.text[this.pos] === ";") continue; // empty param
      this.param(params);
    }
    // RFC 8288 §3.3: relation types are compared case-insensitively and a
    // rel value may hold several, separated by whitespace.
    const relText = params["rel"];
    const rel = relText === undefined ? [] : relText.toLowerCase().split(/[ \t]+/).filter((r) => r !== "");
    return { target, rel, params };
  }

  /** link-param = token BWS [ "=" BWS ( token / quoted-string ) ] */
  private param(params: Record<string, string>): void {
    const name = this.token("a parameter name after ';'").toLowerCase(); // RFC 8288 §3: names are case-insensitive
    this.skipWhitespace();
    let value = "";
    if (this.text[this.pos] === "=") {
      this.pos++;
      this.skipWhitespace();
      value = this.text[this.pos] === "\"" ? this.quotedString() : this.bareValue(",;", "a parameter has '=' but no value");
    }
    // RFC 8288 §3.3: occurrences of rel after the first MUST be ignored; we
    // treat every parameter that way. The null prototype makes "__proto__" a plain key.
    if (!Object.hasOwn(params, name)) params[name] = value;
  }
}
