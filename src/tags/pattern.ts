/**
 * User-supplied regular expressions (`include`, `exclude`, the version regex):
 * validated once, anchored, and only ever run on bounded input.
 *
 * **Anchoring.** Like regctl's tag filters (regclient#469), a pattern must
 * match the whole tag: `alpine` matches only the tag `alpine`; write
 * `.*-alpine` for a suffix. The pattern is first compiled alone, so an
 * unbalanced `)` is rejected instead of escaping the `^(?:…)$` wrapper. It
 * uses JavaScript syntax without flags (no `u`, so `\-` is accepted).
 *
 * **Backtracking.** JavaScript regexes backtrack and cannot be interrupted,
 * so a pattern such as `(a+)+$` can run for minutes on a 30-character tag.
 * What bounds the cost here: patterns longer than {@link MAX_PATTERN_LENGTH}
 * are refused, and a pattern is only run on tags of at most
 * {@link MAX_TAG_LENGTH} characters (the OCI limit; a longer "tag" is not a
 * valid tag and never matches), which keeps any polynomial blow-up small. An
 * exponential pattern (a quantified group that contains an ambiguous
 * quantifier) can still be slow: patterns are the caller's own input and are
 * trusted; a library user must not pass patterns from untrusted sources.
 */

import { InvalidArgumentError, truncate } from "../errors.js";
import { MAX_TAG_LENGTH } from "./scan.js";

/** Longest user regex accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * Compiles a user regex that must match a whole tag.
 *
 * @param role what the pattern is for, named in error messages (`"include"`).
 * @returns a predicate; false for tags longer than {@link MAX_TAG_LENGTH}.
 * @throws InvalidArgumentError when the pattern is too long or not a valid regex.
 * @example
 * const isAlpine = compileTagPattern(".*-alpine", "include");
 * isAlpine("3.19-alpine"); // true
 * isAlpine("3.19-alpine3.18"); // false: the whole tag must match
 */
export function compileTagPattern(source: string, role: string): (tag: string) => boolean {
  const regex = compileAnchored(source, role);
  return (tag) => tag.length <= MAX_TAG_LENGTH && regex.test(tag);
}

/**
 * Compiles a version regex: it must match the whole tag, and its group named
 * `version`, or else its first capturing group, holds the version text.
 *
 * @returns a function giving the captured text, or undefined when the tag
 *   does not match, the group did not take part, or it captured nothing.
 * @throws InvalidArgumentError when the pattern is too long, invalid or has no capturing group.
 * @example
 * compileVersionPattern("amd64-version-(.+)")("amd64-version-1.8.1"); // "1.8.1"
 */
export function compileVersionPattern(source: string): (tag: string) => string | undefined {
  const role = "version";
  const regex = compileAnchored(source, role);
  // Counts the groups: the empty alternative always matches, with every group undefined.
  const groups = new RegExp(`${source}|`).exec("")!.length - 1;
  if (groups === 0) {
    throw new InvalidArgumentError(`${role} regex ${quote(source)} has no capturing group: put the version part in ( ), e.g. "amd64-version-(.+)"`);
  }
  return (tag) => {
    if (tag.length > MAX_TAG_LENGTH) return undefined;
    const match = regex.exec(tag);
    if (match === null) return undefined;
    const captured = match.groups?.["version"] ?? match[1];
    return captured === undefined || captured === "" ? undefined : captured;
  };
}

function compileAnchored(source: string, role: string): RegExp {
  if (typeof source !== "string") throw new InvalidArgumentError(`${role} regex must be a string`);
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new InvalidArgumentError(`${role} regex is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
  }
  try {
    new RegExp(source);
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new InvalidArgumentError(`invalid ${role} regex ${quote(source)}: ${reason(error, source)}`);
  }
}

/** V8 says "Invalid regular expression: /<source>/: <reason>"; keep the reason only, on one line. */
function reason(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `Invalid regular expression: /${source}/: `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return truncate(text.replace(/\s+/g, " "), 200);
}

function quote(source: string): string {
  return JSON.stringify(truncate(source, 100));
}
