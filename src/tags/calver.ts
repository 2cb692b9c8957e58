/**
 * The calver scheme: tags whose first number is a date or a year, read as
 * calendar numbers so that `20230308`, `2023.03.08`, `2023-03-08` and
 * (two-digit years) `23.03.08` compare by date. See `VersionScheme` in
 * `version.ts` for what qualifies.
 */

import { isDigit, scanVersion } from "./scan.js";
import type { ParsedVersion } from "./version.js";

const CALVER_MIN_YEAR = 1970;
const CALVER_MAX_YEAR = 2199;

/** Reads a tag under the calver scheme; undefined when it does not qualify. */
export function parseCalver(tag: string): ParsedVersion | undefined {
  const text = rewriteDashedDate(tag);
  const version = scanVersion(text);
  if (version === undefined) return undefined;
  const firstDigits = leadingDigits(text);
  const rest = version.release.slice(1);
  let head: number[] | undefined;
  if (firstDigits.length === 8 || firstDigits.length === 12 || firstDigits.length === 14) {
    head = splitCompactDate(firstDigits);
  } else if (firstDigits.length === 4 && rest.length > 0) {
    const year = version.release[0]!;
    if (year >= CALVER_MIN_YEAR && year <= CALVER_MAX_YEAR) head = [year];
  } else if (firstDigits.length === 2 && rest.length > 0) {
    head = [2000 + version.release[0]!];
  }
  if (head === undefined) return undefined;
  return { ...version, original: tag, release: [...head, ...rest] };
}

/** `YYYY-MM-DD…` → `YYYY.MM.DD…`, so the scanner reads the date as three numbers. Anything else is returned unchanged. */
function rewriteDashedDate(tag: string): string {
  const offset = tag.startsWith("v") || tag.startsWith("V") ? 1 : 0;
  const digitsAt = (from: number, count: number): boolean => {
    for (let i = from; i < from + count; i++) if (!isDigit(tag.charCodeAt(i))) return false;
    return true;
  };
  // v?DDDD-DD-DD, not followed by a digit.
  if (
    digitsAt(offset, 4) &&
    tag[offset + 4] === "-" &&
    digitsAt(offset + 5, 2) &&
    tag[offset + 7] === "-" &&
    digitsAt(offset + 8, 2) &&
    !isDigit(tag.charCodeAt(offset + 10))
  ) {
    return `${tag.slice(0, offset + 4)}.${tag.slice(offset + 5, offset + 7)}.${tag.slice(offset + 8)}`;
  }
  return tag;
}

/** The first release number as written: `"20230308"` for `v20230308-abc`. */
function leadingDigits(text: string): string {
  const start = text.startsWith("v") || text.startsWith("V") ? 1 : 0;
  let end = start;
  while (isDigit(text.charCodeAt(end))) end++;
  return text.slice(start, end);
}

/** `YYYYMMDD[hhmm[ss]]` → its numbers, or undefined when they are not a plausible date and time. */
function splitCompactDate(digits: string): number[] | undefined {
  const parts = [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8), digits.slice(8, 10), digits.slice(10, 12), digits.slice(12, 14)]
    .filter((part) => part !== "")
    .map(Number);
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts as [number, number, number, number?, number?, number?];
  const valid =
    year >= CALVER_MIN_YEAR && year <= CALVER_MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60;
  return valid ? parts : undefined;
}
