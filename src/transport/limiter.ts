/**
 * Bounds the requests in flight per origin (RL-4: per-host concurrency saves
 * rate limit and keeps a burst of digest lookups from hammering one host).
 * Requests past the bound wait in order; the slot is held until the caller
 * has read or discarded the body.
 */
import type { Transport, TransportResponse } from "./types.js";

export function withOriginLimit(next: Transport, maxInFlight: number): Transport {
  const slots = new Map<string, { active: number; waiting: Array<() => void> }>();

  const acquire = async (origin: string) => {
    let slot = slots.get(origin);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      slots.set(origin, slot);
    }
    if (slot.active >= maxInFlight) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    const held = slot;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const wake = held.waiting.shift();
      if (wake !== undefined) wake(); // hand the slot over
      else held.active--;
    };
  };

  return async (req) => {
    const release = await acquire(req.url.origin);
    let res: TransportResponse;
    try {
      res = await next(req);
    } catch (error) {
      release();
      throw error;
    }
    if (req.method === "HEAD") {
      release(); // no body to wait for
      return res;
    }
    return {
      ...res,
      text: (limit) => res.text(limit).finally(release),
      stream: (limit, onChunk) => res.stream(limit, onChunk).finally(release),
      discard: () => res.discard().finally(release),
    };
  };
}
