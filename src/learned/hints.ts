/**
 * Learned hints (`regtags probe --save`, then `ClientOptions.learned`): the
 * page size they feed to a tags listing, and the check that reports when a
 * listing contradicts them. Hints never decide what is listed (pages still
 * follow the registry's links, a rejected `n` still steps down); this module
 * only chooses the first `n` and watches the first page.
 */
import type { RegtagsError } from "../errors.js";
import type { TagPage } from "../listing/list-tags.js";
import { askedPageSize } from "../listing/page-size.js";
import type { TraceEvent } from "../transport/trace.js";
import type { TransportRequest, TransportResponse } from "../transport/types.js";

/** Hints learned by probing a registry (see `ClientOptions.learned`). */
export interface LearnedHints {
  /** `n` of the first tags request: the largest page the registry honoured; null sends none (everything at once). */
  readonly pageSize?: number | null | undefined;
  /** The registry served tags without any token or credentials. */
  readonly anonymousWithoutToken?: boolean | undefined;
}

/** How a listing contradicted learned hints (see `ClientOptions.onLearnedSurprise`). */
export interface LearnedSurprise {
  /** `page-size`: n rejected or clamped, or pages where one response was expected; `anonymous`: a 401 where anonymous reads were expected; `failure`: the first request failed. */
  readonly kind: "page-size" | "anonymous" | "failure";
  /** One line for humans. */
  readonly reason: string;
  /** The repository being listed (anonymous reads may differ per repository). */
  readonly repository: string;
}

/** The first tags request's `n` and where it came from. */
export interface PageSizeChoice {
  /** null: send no `n`; undefined: nothing chose it, so it is learned per host (listing/page-size.ts). */
  readonly pageSize: number | null | undefined;
  /** Whether the learned hints chose it (so a rejection of it is a surprise). */
  readonly hinted: boolean;
}

/**
 * `n` of the first tags request: the caller's (a listing's, else the
 * client's), else the learned one, else the profile's, else undefined (the
 * lister learns it per host). `null` anywhere is a choice ("send no n");
 * only `undefined` passes on.
 */
export function choosePageSize(given: number | null | undefined, hints: LearnedHints | undefined, profilePageSize: number | null | undefined): PageSizeChoice {
  if (given !== undefined) return { pageSize: given, hinted: false };
  if (hints?.pageSize !== undefined) return { pageSize: hints.pageSize, hinted: true };
  return { pageSize: profilePageSize, hinted: false };
}

/** `; learned: n=50, anonymous reads` for the endpoint trace event, or "" without hints. */
export function describeLearned(hints: LearnedHints | undefined, choice: PageSizeChoice): string {
  if (hints === undefined) return "";
  const size = choice.hinted ? (choice.pageSize === null ? "no n" : `n=${choice.pageSize}`) : "page size given";
  const anonymous = hints.anonymousWithoutToken === undefined ? "" : `, ${hints.anonymousWithoutToken ? "anonymous reads" : "token needed"}`;
  return `; learned: ${size}${anonymous}`;
}

/**
 * 401s to tags requests per registry. It must see responses below the auth
 * layer (which answers 401s, so nothing above it ever sees one); a listing
 * whose hints say "anonymous" compares the count before and after its first page.
 */
export class TagsChallengeCounts {
  readonly #counts = new Map<string, number>();

  /** Counts `res` when it is a 401 to a tags request of `registry` (undefined: not a registry regtags chose). */
  observe(req: TransportRequest, res: TransportResponse, registry: string | undefined): void {
    if (registry === undefined || res.status !== 401 || req.purpose !== "tags") return;
    this.#counts.set(registry, this.of(registry) + 1);
  }

  of(registry: string): number {
    return this.#counts.get(registry) ?? 0;
  }
}

export type LearnedCheck = ReturnType<typeof learnedCheck>;

/**
 * Compares a listing's first page with learned hints: a rejected or clamped
 * `n`, a next link where one response was expected, a 401 where anonymous
 * reads were expected. `pageSize` is the hinted `n` (undefined when the
 * caller gave one, so its fate says nothing about the hints).
 */
export function learnedCheck(hints: LearnedHints, pageSize: number | null | undefined, challenges: () => number) {
  const before = challenges();
  let first: { url: string; tags: number; next: string | undefined } | undefined;
  return {
    observe(event: TraceEvent): void {
      if (event.type === "page" && first === undefined) first = { url: event.url, tags: event.tags, next: event.next };
    },
    /** The first contradiction once the first page is in, or undefined. */
    afterFirstPage(): [LearnedSurprise["kind"], string] | undefined {
      if (hints.anonymousWithoutToken === true && challenges() > before) return ["anonymous", "anonymous reads were expected, but the registry asked for a token"];
      const reason = pageSurprise();
      return reason === undefined ? undefined : ["page-size", reason];
    },
  };
  function pageSurprise(): string | undefined {
    if (first === undefined || pageSize === undefined) return undefined;
    if (pageSize === null) return first.next !== undefined ? `one response with every tag was expected, but the registry sent ${first.tags} and a next link` : undefined;
    let sent: number | undefined;
    try {
      sent = askedPageSize(new URL(first.url));
    } catch {
      sent = undefined;
    }
    if (sent !== pageSize) return `the registry rejected n=${pageSize}`;
    if (first.tags < pageSize && first.next !== undefined) return `n=${pageSize} was clamped to ${first.tags}`;
    return undefined;
  }
}

/** Passes pages through, reporting the first contradiction of the learned hints (or a failure before any page). */
export async function* checkedPages(pages: AsyncGenerator<TagPage, void, undefined>, check: LearnedCheck, report: (kind: LearnedSurprise["kind"], reason: string) => void): AsyncGenerator<TagPage, void, undefined> {
  let first = true;
  try {
    for await (const page of pages) {
      if (first) {
        first = false;
        const surprise = check.afterFirstPage();
        if (surprise !== undefined) report(...surprise);
      }
      yield page;
    }
  } catch (error) {
    const code = (error as RegtagsError).code;
    if (first && (code === "ERR_REGISTRY" || code === "ERR_PROTOCOL")) report("failure", `the listing failed before its first page (${code})`);
    throw error;
  }
}
