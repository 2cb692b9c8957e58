/**
 * The entries a paged listing has admitted, for de-duplication across pages
 * (PAG-8) and for the partial list an IncompleteListError carries. While
 * entries arrive strictly ascending (by UTF-16 code unit, as a `last` cursor
 * compares; distribution, quay and most registries sort by name) none can
 * repeat an earlier one, so no Set is built: the admitted pages are kept as
 * they are, and a page is admitted without a copy. The first entry out of
 * order builds the Set from them, and from then on every entry is looked up
 * (issue 13: at a million tags the Set and the per-page copies cost 30% of the
 * CPU and 57 MB). Pure.
 */
export class SeenEntries {
  /** The admitted pages in order while they ascend; undefined once the Set is built. */
  #pages: (readonly string[])[] | undefined = [];
  #count = 0;
  /** The last entry admitted while ascending. */
  #last: string | undefined;
  #set: Set<string> | undefined;

  /** Distinct entries admitted. */
  get size(): number {
    return this.#set?.size ?? this.#count;
  }

  has(entry: string): boolean {
    if (this.#set !== undefined) return this.#set.has(entry);
    const pages = this.#pages!;
    // Ascending throughout: the first page whose last entry is not below `entry`, then within it.
    let lo = 0;
    let hi = pages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const page = pages[mid]!;
      if (page[page.length - 1]! < entry) lo = mid + 1;
      else hi = mid;
    }
    const page = pages[lo];
    if (page === undefined) return false;
    let first = 0;
    let last = page.length - 1;
    while (first <= last) {
      const mid = (first + last) >>> 1;
      const at = page[mid]!;
      if (at === entry) return true;
      if (at < entry) first = mid + 1;
      else last = mid - 1;
    }
    return false;
  }

  /** Every entry admitted, in the order admitted: the partial list. */
  list(): string[] {
    return this.#set !== undefined ? [...this.#set] : this.#pages!.flat();
  }

  /**
   * Admits the entries of a page not admitted before, in the page's order, if
   * `holds` allows the size that makes. Returns them (the page itself when all
   * are new and ascending), or undefined, admitting none, when it does not.
   */
  admit(entries: readonly string[], holds: (size: number) => boolean): readonly string[] | undefined {
    if (this.#set === undefined) {
      if (this.#ascendsFromLast(entries)) {
        if (!holds(this.#count + entries.length)) return undefined;
        if (entries.length > 0) {
          this.#pages!.push(entries);
          this.#count += entries.length;
          this.#last = entries[entries.length - 1];
        }
        return entries;
      }
      // The first entry out of order: from here on, look every entry up.
      this.#set = new Set();
      for (const page of this.#pages!) for (const entry of page) this.#set.add(entry);
      this.#pages = undefined;
    }
    const seen = this.#set;
    const fresh: string[] = [];
    for (const entry of entries) {
      if (seen.has(entry)) continue;
      seen.add(entry);
      fresh.push(entry);
    }
    if (!holds(seen.size)) {
      for (const entry of fresh) seen.delete(entry);
      return undefined;
    }
    return fresh;
  }

  #ascendsFromLast(entries: readonly string[]): boolean {
    let previous = this.#last;
    for (const entry of entries) {
      if (previous !== undefined && !(previous < entry)) return false;
      previous = entry;
    }
    return true;
  }
}
