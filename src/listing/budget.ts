/**
 * What one whole listing may take in, across all its pages (issue 10,
 * "Bounded memory"). The page cap bounds requests and the body cap bounds one
 * page, but a server whose pages never end, each with new entries, would grow
 * the set of entries seen until the heap gives out; the budget stops it first,
 * as an incomplete list (exit 7, or 10 with --allow-partial), never a crash.
 */
import { DEFAULTS } from "../defaults.js";
import { IncompleteListError } from "../errors.js";
import { formatBytes } from "../text/format-bytes.js";

export interface ListingBudget {
  /** Distinct entries kept (and dropped ones remembered) across the listing. */
  readonly maxEntries: number;
  /** Body bytes received across the listing's pages. */
  readonly maxBytes: number;
}

/** The budget of a listing whose caller set none (DEFAULTS.maxTags and maxListBytes give the measurements behind it). */
export const DEFAULT_LISTING_BUDGET: ListingBudget = { maxEntries: DEFAULTS.maxTags, maxBytes: DEFAULTS.maxListBytes };

/** Counts a listing against its budget; throws IncompleteListError (with the partial list) when it is spent. */
export class BudgetMeter {
  #bytes = 0;
  constructor(
    private readonly budget: ListingBudget,
    private readonly subject: string,
    /** Plural noun of the entries: "tags" or "repositories". */
    private readonly noun: string,
    private readonly partial: () => readonly string[],
  ) {}

  addBytes(count: number): void {
    this.#bytes += count;
    if (this.#bytes > this.budget.maxBytes) {
      const listed = this.partial();
      throw new IncompleteListError(
        `${this.subject}: stopped after ${formatBytes(this.budget.maxBytes)} of pages, the listing's byte budget, with ${listed.length} ${this.noun} listed; raise the maxListBytes option to go on`,
        listed,
      );
    }
  }

  /** Whether the budget allows holding `entries`. */
  holds(entries: number): boolean {
    return entries <= this.budget.maxEntries;
  }

  /** `entries` is what the listing would hold after the page at hand. */
  checkEntries(entries: number): void {
    if (!this.holds(entries)) {
      const listed = this.partial();
      throw new IncompleteListError(
        `${this.subject}: stopped at the listing's budget of ${this.budget.maxEntries} ${this.noun} with ${listed.length} listed; the next page would pass it; raise the maxTags option to go on`,
        listed,
      );
    }
  }
}
