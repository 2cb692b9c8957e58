/**
 * Pure normalisation of a token endpoint's answer (distribution
 * auth/token.md, "Token Response Fields"; TOK-4): `token` and/or
 * `access_token`, where an empty string counts as absent (Harbor sends
 * `access_token: ""` beside a real `token`); `expires_in` defaults to 60 s;
 * `issued_at` (RFC 3339) defaults to the time of receipt.
 */
import { ProtocolError } from "../errors.js";
import { quoteServerText } from "../text/safe-text.js";

export interface TokenGrant {
  readonly token: string;
  /** Lifetime the server announced, or the spec's default of 60 s. */
  readonly lifetimeSeconds: number;
  /** Whether the lifetime came from the response (false = defaulted). */
  readonly lifetimeAnnounced: boolean;
  /** Epoch ms after which the token must not be used. */
  readonly expiresAt: number;
  /** OAuth2 refresh token, when the server rotates one (auth/oauth.md). */
  readonly refreshToken?: string;
}

/** The spec's minimum and default lifetime (auth/token.md). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;

/** Parses a token response body received at `receivedAt` (epoch ms). Throws ProtocolError. */
export function parseTokenResponse(body: string, receivedAt: number, where: string): TokenGrant {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ProtocolError(`${where}: token response is not JSON (${quoteServerText(body.trim(), 80)})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError(`${where}: token response is not a JSON object`);
  }
  const fields = parsed as Record<string, unknown>;
  const nonEmpty = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const token = nonEmpty(fields["token"]) ?? nonEmpty(fields["access_token"]);
  if (token === undefined) {
    throw new ProtocolError(`${where}: token response has neither "token" nor "access_token"`);
  }
  // The token goes into an Authorization header as is (RFC 6750 §2.1, b64token): a
  // CR/LF would split the header, so one outside visible ASCII is refused, unquoted.
  const bad = /[^\x21-\x7e]/.exec(token);
  if (bad !== null) {
    throw new ProtocolError(`${where}: the token holds ${describeChar(bad[0])} at offset ${bad.index}, which an HTTP header cannot carry; the token service is broken`);
  }
  const expiresIn = fields["expires_in"];
  const announced = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0;
  const lifetimeSeconds = announced ? expiresIn : DEFAULT_TOKEN_LIFETIME_SECONDS;
  const issuedAtText = fields["issued_at"];
  let issuedAt = receivedAt;
  if (typeof issuedAtText === "string") {
    const at = Date.parse(issuedAtText);
    // A server clock ahead of ours must not stretch the lifetime past what we saw;
    // one so far behind that the token would be dead on arrival is a clock that
    // disagrees, not a dead token (else every request would fetch a new one).
    if (!Number.isNaN(at) && at < receivedAt && receivedAt - at < lifetimeSeconds * 1000) issuedAt = at;
  }
  const refreshToken = nonEmpty(fields["refresh_token"]);
  return {
    token,
    lifetimeSeconds,
    lifetimeAnnounced: announced,
    expiresAt: issuedAt + lifetimeSeconds * 1000,
    ...(refreshToken !== undefined ? { refreshToken } : {}),
  };
}

/** "a line feed (LF)", "a space", "U+00E9": names a character without printing it. */
function describeChar(char: string): string {
  const names: Record<string, string> = { "\r": "a carriage return (CR)", "\n": "a line feed (LF)", " ": "a space", "\t": "a tab", "\0": "a NUL" };
  return names[char] ?? `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
