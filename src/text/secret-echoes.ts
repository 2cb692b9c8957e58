/**
 * Redaction of secrets a server echoes back (issue 10, item 4). Pure: no I/O.
 *
 * A registry or token service may copy what it received into its answer: a
 * 401 body quoting the Authorization header, a `WWW-Authenticate`
 * error_description holding the refresh token, a debug page listing request
 * headers. regtags quotes such text in messages and --debug lines, so every
 * secret it sent is remembered here and replaced wherever it shows up,
 * including the first characters of one cut short by a length cap.
 */
import { escapeServerText } from "./safe-text.js";

/** What a redacted secret reads as. */
export const REDACTED = "<redacted>";

/**
 * Shorter secrets are not searched for: replacing every "abc" in a message
 * would garble it while hiding little. Cut-off prefixes of longer secrets
 * are redacted from this length on.
 */
export const MIN_SECRET_LENGTH = 4;

/** Form fields of token requests that hold a secret (distribution auth/oauth.md; RFC 6749 §4.3, §6). */
const SECRET_FORM_FIELDS = ["refresh_token", "password", "client_secret", "access_token", "token"];

/** The ellipsis length caps end with (ours, `truncate`'s). */
const CUT_MARK = "…";

/** The secrets regtags has sent, and the forms an echo of them may take. */
export class SecretEchoes {
  /** Longest first, so `user:password` is replaced before `password`. */
  #secrets: string[] = [];

  /** Remembers the secret in an Authorization value: Bearer's token, Basic's base64, `user:password` and the password. */
  rememberAuthorization(value: string): void {
    const space = value.indexOf(" ");
    const scheme = space === -1 ? "" : value.slice(0, space).toLowerCase();
    const credentials = space === -1 ? value : value.slice(space + 1).trim();
    this.rememberSecret(credentials);
    if (scheme !== "basic") return;
    const pair = Buffer.from(credentials, "base64").toString("utf8");
    const colon = pair.indexOf(":");
    if (colon === -1) return;
    this.rememberSecret(pair);
    this.rememberSecret(pair.slice(colon + 1));
  }

  /** Remembers the secret fields of an `application/x-www-form-urlencoded` request body (a refresh token, a password). */
  rememberFormBody(body: string): void {
    const form = new URLSearchParams(body);
    for (const field of SECRET_FORM_FIELDS) for (const value of form.getAll(field)) this.rememberSecret(value);
  }

  /**
   * Remembers the userinfo of a URL such as a proxy setting
   * (`http://user:password@proxy:3128`, the scheme optional): as written, as
   * its percent-decoded `user:password` and password, and as the Basic
   * Proxy-Authorization value sent for it.
   */
  rememberUrlUserinfo(text: string): void {
    const trimmed = text.trim();
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
    } catch {
      return;
    }
    if (url.username === "" && url.password === "") return;
    const decode = (part: string): string => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    };
    this.rememberSecret(`${url.username}:${url.password}`);
    this.rememberSecret(url.password);
    this.rememberAuthorization(`Basic ${Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString("base64")}`);
  }

  /** Remembers one secret in the forms an echo may take: as is, URL-encoded, JSON-escaped, and as we would show it escaped. */
  rememberSecret(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), escapeServerText(secret, Infinity)];
    let added = false;
    for (const form of forms) {
      if (form.length < MIN_SECRET_LENGTH || this.#secrets.includes(form)) continue;
      this.#secrets.push(form);
      added = true;
    }
    if (added) this.#secrets.sort((a, b) => b.length - a.length);
  }

  /**
   * `text` fit for a message or a --debug line: secrets redacted, controls
   * escaped and the length capped (then redacted again, in case the cap cut
   * one short).
   */
  scrub(text: string, maxLength: number): string {
    return this.redact(escapeServerText(this.redact(text), maxLength));
  }

  /** `text` with every remembered secret, and any cut-off start of one before an ellipsis, replaced by {@link REDACTED}. */
  redact(text: string): string {
    if (this.#secrets.length === 0) return text;
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out.includes(CUT_MARK) ? this.#redactCutPrefixes(out) : out;
  }

  /** A quote capped in the middle of a secret ends with its first characters: `"Bearer eyJhbGci"…(812 more bytes)`. */
  #redactCutPrefixes(text: string): string {
    let out = "";
    let from = 0;
    for (let cut = text.indexOf(CUT_MARK); cut !== -1; cut = text.indexOf(CUT_MARK, cut + 1)) {
      let before = text.slice(from, cut);
      // quoteServerText puts the closing quote before its marker.
      const quote = before.endsWith('"') ? '"' : "";
      if (quote !== "") before = before.slice(0, -1);
      const prefix = this.#longestSecretPrefixAtEnd(before);
      out += `${prefix === 0 ? before : `${before.slice(0, before.length - prefix)}${REDACTED}`}${quote}`;
      from = cut;
    }
    return out + text.slice(from);
  }

  #longestSecretPrefixAtEnd(text: string): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length >= MIN_SECRET_LENGTH && length > longest; length--) {
        if (text.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
