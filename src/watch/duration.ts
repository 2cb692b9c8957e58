/**
 * Durations for `regtags watch --interval`: a whole number with a unit,
 * `ms`, `s`, `m` or `h` (`200ms`, `30s`, `5m`, `1h`), or several in a row
 * as Go's time.ParseDuration writes them (`1h30m`). Pure.
 */
import { UsageError } from "../errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A week: longer waits are a typo (a cron job fits them better). */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** Milliseconds of `text`; a UsageError naming `flag` when it is not a duration of 1 ms to 7 days. */
export function parseDuration(flag: string, text: string): number {
  const parts = /^(?:\d{1,9}(?:ms|s|m|h))+$/.test(text) ? [...text.matchAll(/(\d{1,9})(ms|s|m|h)/g)] : [];
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || ms < 1 || ms > MAX_DURATION_MS) {
    throw new UsageError(`${flag} takes a duration such as 200ms, 30s, 5m or 1h (at most 7 days), got ${JSON.stringify(text)}`);
  }
  return ms;
}

/**
 * The wait before the next pass: `interval` ± 10 %, so that many watchers
 * started together (a fleet of CI runners, diun's cron jitter) do not poll
 * a registry in step.
 */
export function jitteredDelay(intervalMs: number, random: () => number): number {
  return Math.max(1, Math.round(intervalMs * (0.9 + 0.2 * random())));
}
