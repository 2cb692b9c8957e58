/**
 * "Did you mean": the closest known word to a mistyped command, option or
 * config key. Hand-written (twenty lines) rather than a dependency: the
 * optimal-string-alignment distance (Levenshtein plus swapping two neighbours,
 * as git's and cargo's suggestions count) between short words.
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`; stops counting past `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known word closest to `typed`: within 1 edit for words of up to 3
 * letters, 2 otherwise; else the one word `typed` is a prefix of (2 letters
 * at least). Undefined when nothing is that close or a prefix is ambiguous.
 */
export function closestWord(typed: string, known: readonly string[]): string | undefined {
  const bare = (word: string) => word.replace(/^-+/, "").toLowerCase();
  const wanted = bare(typed);
  if (wanted === "") return undefined;
  const limit = wanted.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const word of known) {
    const distance = editDistance(wanted, bare(word), limit);
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const prefixed = wanted.length >= 2 ? known.filter((word) => bare(word).startsWith(wanted)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
