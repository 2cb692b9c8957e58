/**
 * Tokens the emulator's token endpoint issues and its registry checks.
 *
 * Tokens are opaque random strings the emulator remembers with what they grant and
 * when they expire, so a token is only as good as the server says: an expired or
 * unknown token gets `error="invalid_token"`, and a token used outside its scopes gets
 * `error="insufficient_scope"` (distribution auth/token.md). Real registries use JWTs;
 * clients must treat tokens as opaque anyway (TOK-4), which is what this checks.
 */
import { randomBytes } from "node:crypto";

/** A parsed scope `type[(class)]:name:actions` (CH-8). */
export interface Scope {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/**
 * Parses one scope. The type ends at the first `:` and the actions start after the
 * last one, so names with a port (`localhost:5000/foo`) survive (CH-8). `undefined` if malformed.
 */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first <= 0 || last === first || last === text.length - 1) return undefined;
  const type = text.slice(0, first).replace(/\(.*\)$/, "");
  const name = text.slice(first + 1, last);
  if (name === "") return undefined;
  return { type, name, actions: text.slice(last + 1).split(",").filter((a) => a !== "") };
}

/** The granted-scope key for pulling a repository. */
export function pullScope(name: string): string {
  return `repository:${name}:pull`;
}

/** The granted-scope key for the catalog (REF-10). */
export const CATALOG_SCOPE = "registry:catalog:*";

interface TokenRecord {
  readonly scopes: ReadonlySet<string>;
  readonly user: string | undefined;
  readonly expiresAt: number;
}

/** Outcome of checking a presented token. */
export type TokenCheck =
  | { readonly state: "valid"; readonly scopes: ReadonlySet<string>; readonly user: string | undefined }
  | { readonly state: "expired" | "unknown" };

/** Issued tokens of one emulated registry. */
export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>();

  /** Issues a new opaque token granting exactly `scopes`, valid for `lifetimeMs` from `now`. */
  issue(scopes: Iterable<string>, user: string | undefined, lifetimeMs: number, now: number): string {
    const token = randomBytes(24).toString("base64url");
    this.#tokens.set(token, { scopes: new Set(scopes), user, expiresAt: now + lifetimeMs });
    return token;
  }

  /** Looks a token up; expired tokens are reported as such (and kept, so they stay recognisable). */
  check(token: string, now: number): TokenCheck {
    const record = this.#tokens.get(token);
    if (record === undefined) return { state: "unknown" };
    if (now >= record.expiresAt) return { state: "expired" };
    return { state: "valid", scopes: record.scopes, user: record.user };
  }
}
