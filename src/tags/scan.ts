/**
 * The version grammar and its scanner: what a tag must look like to be a
 * version at all (the "any" scheme of `version.ts`). Pure and linear: the
 * scanner is hand-written, reads each character at most a few times and uses
 * no regular expression, so no tag can make it backtrack.
 *
 * The grammar:
 *
 * ```
 * tag        = ["v" | "V"] release ["_" build] [attached] *("-" segment) ["+" build]
 * release    = digits *("." digits)                  e.g. 3, 3.19, 1.2.3, 1.2.3.4
 * attached   = ["."] word-segment                    PEP 440 style: 0.2.0a1, 1.22rc1, 1.0.dev0
 * segment    = prerelease-segment | variant-segment
 * ```
 *
 * **Prerelease or variant?** A `-` segment is a prerelease when each of its
 * letter runs is a known prerelease word ({@link PRERELEASE_WORDS}: alpha,
 * beta, rc, pre, preview, dev, snapshot, nightly, canary, ea, and a/b for
 * alpha/beta) and it holds only letters, digits and dots: `rc.1`, `rc1`,
 * `beta`, `alpha.2`, `14` (purely numeric, as in semver: `1.0.0-14`). Only
 * the leading run of such segments is the prerelease; from the first other
 * segment on, everything is the variant: `17.2-alpine`, `21.0.5_11-jre`,
 * `3.19-alpine3.18`, `1.9.3-ls56`, `16.2.0-debian-12-r5`, `3.0.0-beta1-alpine`
 * (prerelease beta.1, variant alpine). So `1.0.0-alpine-rc1` is a release with
 * variant `alpine-rc1`: words after a variant are the variant's.
 *
 * **Not versions:** anything that does not start with a digit (after an
 * optional `v`): `latest`, `lts`, `amd64-version-1.8.1`, `arm32v7-1.9.1`;
 * git SHAs (a first segment of 7 to 64 lower-case hex characters with a
 * letter: `8f2ef3e…`, `8f2ef3e…-1473632019-15-1`); tags longer than 128
 * characters (OCI distribution-spec v1.1.1: a tag is at most 128
 * characters); numbers in the release or prerelease longer than 15 digits
 * (they would lose precision as JavaScript numbers).
 */

import type { ParsedVersion } from "./version.js";

/** OCI distribution-spec v1.1.1: a tag is at most 128 characters. Longer input is never a version. */
export const MAX_TAG_LENGTH = 128;
/** Numbers longer than this would not survive as JavaScript numbers (2^53 has 16 digits). */
const MAX_DIGITS = 15;

/**
 * Known prerelease words and their rank: in a comparison, a lower rank is an
 * earlier prerelease (dev builds before alpha before beta before rc). Words
 * of the same rank compare by spelling. `a` and `b` are read as alpha and beta
 * (PEP 440: `0.2.0a1`).
 */
export const PRERELEASE_WORDS: ReadonlyMap<string, number> = new Map([
  ["dev", 0],
  ["snapshot", 0],
  ["nightly", 0],
  ["canary", 0],
  ["alpha", 1],
  ["ea", 1],
  ["beta", 2],
  ["pre", 3],
  ["preview", 3],
  ["rc", 4],
]);
const WORD_ALIASES: ReadonlyMap<string, string> = new Map([
  ["a", "alpha"],
  ["b", "beta"],
]);

const DOT = 0x2e;
const DASH = 0x2d;
const PLUS = 0x2b;
const UNDERSCORE = 0x5f;

/**
 * Reads a tag by the grammar in this module's header; undefined when it is
 * not a version. Behind every scheme of `parseVersion`, which is the public
 * entry point. It works on char codes and builds numbers digit by digit, because
 * sorting 100k tags parses each of them.
 */
export function scanVersion(tag: string): ParsedVersion | undefined {
  const length = tag.length;
  if (length === 0 || length > MAX_TAG_LENGTH) return undefined;
  const first = tag.charCodeAt(0);
  let i = first === 0x76 /* v */ || first === 0x56 /* V */ ? 1 : 0;
  if (!isDigit(tag.charCodeAt(i))) return undefined;

  const release: number[] = [];
  for (;;) {
    const start = i;
    let value = 0;
    let code = tag.charCodeAt(i);
    while (isDigit(code)) {
      value = value * 10 + (code - 0x30);
      code = tag.charCodeAt(++i);
    }
    if (i === start || i - start > MAX_DIGITS) return undefined;
    release.push(value);
    if (code === DOT && isDigit(tag.charCodeAt(i + 1))) i++;
    else break;
  }

  let build = "";
  // Temurin writes Java's `21.0.5+11` as `21.0.5_11`, because a tag cannot hold `+`.
  if (tag.charCodeAt(i) === UNDERSCORE) {
    const start = ++i;
    while (isDigit(tag.charCodeAt(i)) || (i > start && tag.charCodeAt(i) === DOT && isDigit(tag.charCodeAt(i + 1)))) i++;
    if (i === start) return undefined;
    build = tag.slice(start, i);
  }

  const prerelease: (string | number)[] = [];
  // PEP 440 and Go write prereleases without a dash: 0.2.0a1, 1.22rc1, 1.0.dev0.
  if (build === "" && (isLetter(tag.charCodeAt(i)) || (tag.charCodeAt(i) === DOT && isLetter(tag.charCodeAt(i + 1))))) {
    if (tag.charCodeAt(i) === DOT) i++;
    const end = segmentEnd(tag, i);
    if (!readPrerelease(tag, i, end, prerelease)) return undefined;
    i = end;
  }

  let variant = "";
  if (tag.charCodeAt(i) === DASH) {
    let variantStart = -1;
    while (tag.charCodeAt(i) === DASH) {
      const start = ++i;
      const end = segmentEnd(tag, start);
      if (end === start) return undefined;
      if (variantStart === -1 && !readPrerelease(tag, start, end, prerelease)) variantStart = start;
      if (variantStart !== -1 && !isVariantSegment(tag, start, end)) return undefined;
      i = end;
    }
    if (variantStart !== -1) variant = tag.slice(variantStart, i);
  }

  if (tag.charCodeAt(i) === PLUS) {
    if (build !== "") return undefined;
    build = tag.slice(i + 1);
    if (!isBuild(build)) return undefined;
    i = length;
  }
  // Checked last: most SHAs already failed above, and a real version leaves this loop at its first dot.
  if (i !== length || looksLikeGitSha(tag)) return undefined;
  return { original: tag, release, prerelease, build, variant };
}

/** The end of a `-` segment: the next `-`, `+` or the end of the tag. */
function segmentEnd(tag: string, from: number): number {
  let i = from;
  for (let code = tag.charCodeAt(i); i < tag.length && code !== DASH && code !== PLUS; code = tag.charCodeAt(++i));
  return i;
}

/**
 * Appends the identifiers of `tag[start, end)` to `out` when it is a
 * prerelease segment (see the module header) and returns true; returns false
 * and leaves `out` as it was otherwise. Works in place: sorting 100k tags
 * tries every `-` segment, so slicing each would be most of the garbage.
 */
function readPrerelease(tag: string, start: number, end: number, out: (string | number)[]): boolean {
  // Letters, digits and dots, a dot only between two of the others.
  if (start === end || tag.charCodeAt(start) === DOT || tag.charCodeAt(end - 1) === DOT) return false;
  for (let i = start; i < end; i++) {
    const code = tag.charCodeAt(i);
    if (code === DOT) {
      if (tag.charCodeAt(i + 1) === DOT) return false;
    } else if (!isDigit(code) && !isLetter(code)) {
      return false;
    }
  }
  const before = out.length;
  if (splitIdentifiers(tag, start, end, out, true)) return true;
  out.length = before;
  return false;
}

/**
 * Splits prerelease text into identifiers: runs of digits become numbers,
 * runs of letters lower-cased words with `a`/`b` spelled `alpha`/`beta`; any
 * other character only separates (`rc.1`, `rc1`, `rc-1` → `["rc", 1]`).
 * Words need not be known prerelease words here. Returns undefined when a
 * number has more than 15 digits.
 */
export function splitPrerelease(text: string): (string | number)[] | undefined {
  const identifiers: (string | number)[] = [];
  return splitIdentifiers(text, 0, text.length, identifiers, false) ? identifiers : undefined;
}

/** Appends the identifiers of `text[start, end)` to `out`; false on a number over 15 digits, or (with `knownWordsOnly`) an unknown word. */
function splitIdentifiers(text: string, start: number, end: number, out: (string | number)[], knownWordsOnly: boolean): boolean {
  let i = start;
  while (i < end) {
    const runStart = i;
    let code = text.charCodeAt(i);
    if (isDigit(code)) {
      let value = 0;
      while (i < end && isDigit(code)) {
        value = value * 10 + (code - 0x30);
        code = text.charCodeAt(++i);
      }
      if (i - runStart > MAX_DIGITS) return false;
      out.push(value);
    } else if (isLetter(code)) {
      while (i < end && isLetter(text.charCodeAt(i))) i++;
      const word = text.slice(runStart, i).toLowerCase();
      const canonical = WORD_ALIASES.get(word) ?? word;
      if (knownWordsOnly && !PRERELEASE_WORDS.has(canonical)) return false;
      out.push(canonical);
    } else {
      i++;
    }
  }
  return true;
}

/** A variant segment holds letters, digits, `.` and `_`, and starts and ends with a letter or digit. */
function isVariantSegment(tag: string, start: number, end: number): boolean {
  if (!isAlphanumeric(tag.charCodeAt(start)) || !isAlphanumeric(tag.charCodeAt(end - 1))) return false;
  for (let i = start; i < end; i++) {
    const code = tag.charCodeAt(i);
    if (!isAlphanumeric(code) && code !== 0x2e /* . */ && code !== 0x5f /* _ */) return false;
  }
  return true;
}

/** semver.org §10: build metadata is dot-separated `[0-9A-Za-z-]` identifiers. */
function isBuild(text: string): boolean {
  if (text === "" || text.startsWith(".") || text.endsWith(".")) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e /* . */) {
      if (text[i + 1] === ".") return false;
    } else if (!isDigit(code) && !isLetter(code) && code !== 0x2d /* - */) {
      return false;
    }
  }
  return true;
}

/** A first `-` segment of 7 to 64 lower-case hex characters with a letter in it: a git commit, not a version. */
function looksLikeGitSha(tag: string): boolean {
  let i = 0;
  let hasLetter = false;
  for (let code = tag.charCodeAt(0); i < tag.length && code !== DASH; code = tag.charCodeAt(++i)) {
    if (code >= 0x61 && code <= 0x66) hasLetter = true;
    else if (!isDigit(code)) return false;
  }
  return hasLetter && i >= 7 && i <= 64;
}

/** An ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || isLetter(code);
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
