/**
 * The one clock of a client or prober: the time, waiting, and chance. Every
 * decision that depends on time goes through it: retry backoff, jitter and
 * Retry-After (transport/retry.ts), rate-limit pacing (transport/rate-limit.ts),
 * token expiry (auth/token-cache.ts, auth/authenticate.ts). A test passes a
 * virtual clock (`VirtualClock` of `regtags/emulator`) and never waits for real
 * backoff or token lifetimes.
 *
 * Socket-level timers (connect, idle and whole-request deadlines in
 * transport/http.ts and transport/deadline.ts) stay real timers: they bound
 * real I/O on real sockets, which a virtual clock cannot speed up.
 */
import { AbortedError } from "./errors.js";

export interface Clock {
  /** Epoch milliseconds, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms`; rejects (with anything) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1), as `Math.random()` (backoff jitter). */
  random(): number;
}

/** Sleep that an AbortSignal cuts short with an AbortedError. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError({ cause: signal.reason }));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `Date.now`, timers, `Math.random`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: abortableSleep,
  random: () => Math.random(),
};

/**
 * A clock's functions, detached (safe to pass as `{ now, sleep, random }`),
 * with a sleep cut short by its signal always failing as an AbortedError,
 * whatever the clock rejects with.
 */
export function clockFunctions(clock: Clock): Clock {
  return {
    now: () => clock.now(),
    random: () => clock.random(),
    sleep: (ms, signal) =>
      clock.sleep(ms, signal).catch((error: unknown) => {
        throw signal?.aborted === true ? new AbortedError({ cause: signal.reason }) : error;
      }),
  };
}
