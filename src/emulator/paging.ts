/**
 * Cutting one page out of a listing by a profile's paging rules: reading `n` and the
 * cursor, clamping or refusing large `n`, the meaning of `n=0`, where the next page
 * starts, and whether there is one. Shared by tags/list and _catalog; pure.
 *
 * Spec behaviour (OCI distribution-spec v1.1.1, Listing Tags): `n` limits the page,
 * `last` resumes after an entry, `n=0` is an empty list. Deviations are profile data.
 */
import type { CursorCodec } from "./cursor.js";
import type { ErrorAnswer, PagingProfile } from "./profile.js";
import { compareLexically } from "./store.js";

/** What a page request needs to know about the listing. */
export interface PageInput {
  /** Entries in served order. */
  readonly listing: readonly string[];
  readonly position: (entry: string) => number | undefined;
  /** The listing is in lexical order (an unknown `last` then resumes after where it would sort). */
  readonly lexical: boolean;
  readonly query: URLSearchParams;
  readonly paging: PagingProfile;
  /** Required when the profile's cursor is opaque. */
  readonly codec: CursorCodec | undefined;
}

/** The next page, for building a Link. */
export interface NextPage {
  /** Query parameter carrying the cursor: `last` or the opaque parameter. */
  readonly cursorParam: string;
  readonly cursor: string;
  /** `n` as the client sent it, if it did. */
  readonly requestedN: string | undefined;
  /** Page size used for this page. */
  readonly effectiveN: number;
}

/** A page (and where the next one starts), or the error the profile answers instead. */
export type PageResult =
  | { readonly kind: "error"; readonly answer: ErrorAnswer }
  | { readonly kind: "page"; readonly start: number; readonly entries: readonly string[]; readonly next: NextPage | undefined };

const INVALID_N: ErrorAnswer = { status: 400, code: "PAGINATION_NUMBER_INVALID" };

/** Index of the first entry sorting after `last` in a lexical listing. */
function firstAfter(listing: readonly string[], last: string): number {
  let low = 0;
  let high = listing.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareLexically(listing[mid] as string, last) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

type Size = { readonly size: number | "all" } | { readonly result: PageResult };

function pageSize(paging: PagingProfile, rawN: string | null): Size {
  if (rawN === null || rawN === "") return { size: paging.defaultPageSize };
  // distribution: unparseable or negative n → 400 PAGINATION_NUMBER_INVALID (tags.go).
  if (!/^\d+$/.test(rawN)) return { result: { kind: "error", answer: INVALID_N } };
  let n = Number(rawN);
  if (paging.maxPageSize !== undefined && n > paging.maxPageSize) {
    if (paging.overMax !== "clamp") return { result: { kind: "error", answer: paging.overMax } };
    n = paging.maxPageSize;
  }
  if (n > 0) return { size: n };
  if (paging.zeroN === "empty") return { result: { kind: "page", start: 0, entries: [], next: undefined } };
  return { size: paging.zeroN === "all" ? "all" : paging.defaultPageSize };
}

/** Cuts the requested page, or says which error the profile answers. */
export function cutPage(input: PageInput): PageResult {
  const { listing, paging, query } = input;
  if (paging.ignoreParams) return { kind: "page", start: 0, entries: listing, next: undefined };
  const rawN = query.get("n");
  const sized = pageSize(paging, rawN);
  if ("result" in sized) return sized.result;
  let size = sized.size;

  let start = 0;
  let cursorParam = "last";
  const cursor = paging.cursor;
  if (cursor.kind === "last-entry") {
    const last = query.get("last");
    if (last !== null && last !== "") {
      const at = input.position(last);
      if (at !== undefined) start = at + 1;
      else if (paging.unknownLast !== "continue") return { kind: "error", answer: paging.unknownLast };
      else start = input.lexical ? firstAfter(listing, last) : listing.length;
    }
  } else {
    cursorParam = cursor.param;
    const value = query.get(cursor.param);
    if (value !== null && value !== "") {
      const state = input.codec?.decode(value);
      if (state === undefined) return { kind: "error", answer: cursor.invalid };
      start = Math.min(state.offset, listing.length);
      if (cursor.keepsPageSize && state.size !== undefined && (rawN === null || rawN === "")) size = state.size;
    }
  }

  const end = size === "all" ? listing.length : Math.min(listing.length, start + size);
  const entries = listing.slice(start, end);
  if (size === "all") return { kind: "page", start, entries, next: undefined };
  const hasMore = end < listing.length;
  // distribution 3.x links whenever the page is full, so an exactly-full last page is
  // followed by an empty one (PAG-5).
  const linkAnyway = paging.fullFinalPage === "link-to-empty-page" && entries.length === size;
  if (!(hasMore || linkAnyway) || entries.length === 0) return { kind: "page", start, entries, next: undefined };
  const cursorValue =
    cursor.kind === "last-entry"
      ? (entries[entries.length - 1] as string)
      : (input.codec?.encode({ offset: end, size: cursor.keepsPageSize ? size : undefined }) ?? "");
  return {
    kind: "page",
    start,
    entries,
    next: { cursorParam, cursor: cursorValue, requestedN: rawN === null || rawN === "" ? undefined : rawN, effectiveN: size },
  };
}
