/**
 * Tokens cached by realm + service + sorted scopes (TOK-7), refreshed a
 * little before they expire, with one fetch at a time per key however many
 * requests wait for it.
 */
import type { TokenGrant } from "./token-response.js";

export interface TokenKey {
  readonly realm: string;
  readonly service: string;
  readonly scopes: readonly string[];
  /**
   * Whose credentials obtained the token: the registry name they belong to, or ""
   * for an anonymous token. Part of the key so that a token bought with credentials is
   * never handed to another origin that names the same realm (TOK-10).
   */
  readonly principal?: string;
}

export function tokenCacheKey(key: TokenKey): string {
  return JSON.stringify([key.realm, key.service, [...key.scopes].sort(), key.principal ?? ""]);
}

/** Renew this long before expiry: a tenth of the lifetime, at most 30 s. */
export function refreshMarginMs(lifetimeSeconds: number): number {
  return Math.min(30_000, lifetimeSeconds * 100);
}

export class TokenCache {
  readonly #entries = new Map<string, TokenGrant>();
  readonly #inflight = new Map<string, Promise<TokenGrant>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A cached token still comfortably valid, or undefined. */
  peek(key: TokenKey): TokenGrant | undefined {
    const grant = this.#entries.get(tokenCacheKey(key));
    if (grant === undefined) return undefined;
    if (this.#now() >= grant.expiresAt - refreshMarginMs(grant.lifetimeSeconds)) return undefined;
    return grant;
  }

  /** Returns the cached token or runs `fetch` once for all concurrent callers. */
  async get(key: TokenKey, fetch: () => Promise<TokenGrant>): Promise<{ grant: TokenGrant; fetched: boolean }> {
    const cached = this.peek(key);
    if (cached !== undefined) return { grant: cached, fetched: false };
    const id = tokenCacheKey(key);
    let pending = this.#inflight.get(id);
    const fetched = pending === undefined;
    if (pending === undefined) {
      pending = fetch().then(
        (grant) => {
          this.#entries.set(id, grant);
          this.#inflight.delete(id);
          return grant;
        },
        (error: unknown) => {
          this.#inflight.delete(id);
          throw error;
        },
      );
      this.#inflight.set(id, pending);
    }
    return { grant: await pending, fetched };
  }

  /** Forgets `token` if it is still the cached one (after an invalid_token 401). */
  invalidate(key: TokenKey, token: string): void {
    const id = tokenCacheKey(key);
    if (this.#entries.get(id)?.token === token) this.#entries.delete(id);
  }
}
