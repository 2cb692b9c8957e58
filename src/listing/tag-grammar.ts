/**
 * What a tag may be: OCI distribution-spec v1.1.1, "Pulling manifests":
 * `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` (REF-2). Entries of a tag list outside
 * it (escape sequences, CR/LF, NUL, C1 controls, bidi overrides, giant
 * strings) are dropped where tags enter — tags pages, concurrent ranges and
 * vendor APIs — and counted, so one warning per listing can say how many:
 * nothing a server sends outside the grammar reaches a terminal, a CSV cell
 * or a template. Pure.
 */

/** The longest tag the grammar allows, in characters. */
export const MAX_TAG_LENGTH = 128;

/** Linear: one class, then one bounded class; no backtracking. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Whether `text` is a tag by the distribution spec's grammar. */
export function isTag(text: string): boolean {
  return text.length <= MAX_TAG_LENGTH && TAG.test(text);
}

/** One warning per listing: where, how many, and that they are not shown (never the entries themselves). */
export function droppedTagsWarning(subject: string, source: string, dropped: number): string {
  return `${subject}: dropped ${dropped} ${dropped === 1 ? "entry" : "entries"} of ${source} that ${dropped === 1 ? "is not a tag" : "are not tags"} by the distribution spec's grammar ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}); they are not listed`;
}
