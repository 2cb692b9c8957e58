/**
 * Pure parser of the Retry-After header (RFC 9110 §10.2.3): either
 * delay-seconds or an HTTP-date. Returns the wait in milliseconds, or
 * undefined when the value is absent, invalid or already past, in which case
 * the caller uses its own backoff (RL-2).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  // HTTP-date: IMF-fixdate, or the obsolete RFC 850 / asctime forms, which Date.parse accepts.
  if (text.length > 64 || !/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const wait = at - nowMs;
  return wait > 0 ? wait : undefined;
}
