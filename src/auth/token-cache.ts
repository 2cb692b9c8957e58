/**
 * Tokens cached by realm + service + sorted scopes (TOK-7), refreshed a
 * little before they expire, with one fetch at a time per key however many
 * requests wait for it.
 *
 * A token may arrive with much less life left than its lifetime: JWT `exp`
 * is in whole seconds, so a 1 s token issued at .95 lives 50 ms. The margin
 * is then at most half of what was left on arrival, and a renewal that
 * expires no later than the token it replaces is used to its end: at most
 * two token requests per lifetime, never one per request (the real
 * distribution registry with 1 s tokens cost 72 token requests in 3.6 s
 * before these rules).
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

interface Entry {
  readonly grant: TokenGrant;
  /** When to stop handing the token out and renew it. */
  readonly staleAt: number;
}

export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<TokenGrant>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A cached token still comfortably valid, or undefined. */
  peek(key: TokenKey): TokenGrant | undefined {
    const entry = this.#entries.get(tokenCacheKey(key));
    if (entry === undefined || this.#now() >= entry.staleAt) return undefined;
    return entry.grant;
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
          const leftOnArrival = Math.max(0, grant.expiresAt - this.#now());
          // A renewal that expires no later than the token it replaces gained nothing
          // (the server's clock has not reached the next whole second): use it to the end.
          const previous = this.#entries.get(id);
          const gained = previous === undefined || grant.expiresAt > previous.grant.expiresAt;
          const margin = gained ? Math.min(refreshMarginMs(grant.lifetimeSeconds), leftOnArrival / 2) : 0;
          this.#entries.set(id, { grant, staleAt: grant.expiresAt - margin });
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
    if (this.#entries.get(id)?.grant.token === token) this.#entries.delete(id);
  }
}
