/**
 * How many entries to ask for per page (`n`, PAG-7): pure decisions, made
 * from what the pages answered, and what was learned of each host.
 *
 * - A registry regtags has no profile for is first asked for
 *   {@link FIRST_PAGE_SIZE}. That is one page for most repositories wherever
 *   `n` is honoured (ghcr reportedly up to 10000; Hub pages by the `n` asked and
 *   sends everything without it) or clamped and linked on (distribution 3.1.1 and ACR clamp to 1000,
 *   quay to 100); the registries that refuse it (ECR 405 over 1000,
 *   distribution 3.1.0 400 PAGINATION_NUMBER_INVALID, quay for a week in
 *   2024 413; registry-quirks.md) cost one request, once per host.
 * - A full page with a next link invites a larger `n` ({@link GROWTH} times),
 *   unless the host refused or clamped before: Hub-like registries that return
 *   everything without `n` then need one more page, not `size / n`.
 * - A refusal ({@link isPageSizeRefusal}) steps down to the largest size the
 *   host honoured, else down {@link SMALLER_PAGE_SIZES}, and is remembered for
 *   the host for the client's life ({@link PageSizeMemory}).
 * - A followed link that says `n=0` (ghcr: "server default") or no `n` (ECR)
 *   is asked with our `n` where the cursor is a plain `last=` ({@link linkToFollow}):
 *   same `last`, so the page starts where the registry's own link would, only
 *   longer. Opaque cursors (quay's `next_page`, anything not `last`) are
 *   followed as given (PAG-3), and so is every link of a host that refused a
 *   rewritten one (ECR Public answers a rebuilt link with 405).
 * - Never a skipped entry: every cursor is the registry's own `last` or the
 *   last entry received, never one computed from `n`.
 */

/** `n` of the first request on a registry with no profile, no hint and no `--page-size`. */
export const FIRST_PAGE_SIZE = 10_000;

/** A full page with a next link: the next `n` is this many times larger. */
export const GROWTH = 10;

/** Never ask for more than this per page (a page of a million short tags is ~20 MB, parsed as it arrives). */
export const MAX_PAGE_SIZE = 1_000_000;

/** Smaller page sizes tried, in order, when a registry refuses `n` (PAG-7): the common limits. */
export const SMALLER_PAGE_SIZES: readonly number[] = [1000, 100, 50];

/**
 * Page lengths registries are known to cap at (quay 50 then 100; ECR, ACR,
 * distribution 3.1 1000): a page this long, shorter than asked and without
 * a link, may have been clamped silently rather than be the whole list.
 */
const COMMON_LIMITS: ReadonlySet<number> = new Set([50, 100, 1000]);

/**
 * What a link with `n=0` or no `n` gets: the server's default page, 100 on
 * ghcr and ECR (registry-quirks.md). Asking such a link for this or less gains
 * nothing, so it is followed as given.
 */
const LINK_DEFAULT_PAGE = 100;

/** Error codes that name the page size (or say nothing else) on a 400. */
const PAGE_SIZE_CODES: ReadonlySet<string> = new Set(["PAGINATION_NUMBER_INVALID", "UNSUPPORTED"]);

/**
 * Does this answer refuse the page size (PAG-7)? The one rule for the lister
 * (step down) and the probe (the largest `n` it saves), so the probe never
 * saves a limit the lister would not step down to.
 * - 405 (ECR UNSUPPORTED maxResults), 413 (quay TOO_MANY_TAGS_REQUESTED),
 *   416 and 422 (a number out of range, as some servers word it): always.
 * - 400: PAGINATION_NUMBER_INVALID (distribution 3.1.0), UNSUPPORTED, or no
 *   code at all; a 400 naming something else (NAME_INVALID) is not about `n`.
 */
export function isPageSizeRefusal(status: number, codes: readonly string[] = []): boolean {
  if (status === 405 || status === 413 || status === 416 || status === 422) return true;
  return status === 400 && (codes.length === 0 || codes.some((code) => PAGE_SIZE_CODES.has(code)));
}

/** What the pages of one host have shown so far. */
export interface HostPageSizes {
  /** Smallest `n` refused. */
  readonly refused?: number;
  /** Largest `n` answered with a full page. */
  readonly honoured?: number;
  /** The host serves at most this many per page whatever `n` (a shorter page with a next link). */
  readonly clamp?: number;
  /** A rewritten link was refused: this host's links are followed as given. */
  readonly verbatimLinks?: boolean;
  /** The host has sent a next link: it links whenever more remain, so a page without one is the last. */
  readonly links?: boolean;
}

/** What was learned per host, for the life of one client (the probe's saved profile is the on-disk counterpart). */
export class PageSizeMemory {
  readonly #hosts = new Map<string, HostPageSizes>();

  get(host: string): HostPageSizes {
    return this.#hosts.get(host) ?? {};
  }

  /** Applies `change` to what is known now (listings of one host may run at once). */
  update(host: string, change: (known: HostPageSizes) => HostPageSizes): HostPageSizes {
    const next = change(this.get(host));
    this.#hosts.set(host, next);
    return next;
  }
}

/** `n` of a listing's first request when nothing decided it: below any refusal, else the largest honoured, at least {@link FIRST_PAGE_SIZE}. */
export function firstPageSize(known: HostPageSizes): number | undefined {
  if (known.refused !== undefined) return stepDown(known.refused, known);
  return Math.max(FIRST_PAGE_SIZE, known.honoured ?? 0);
}

/** The `n` to try after `refusedN` was refused: the largest honoured below it, else the next common limit, else undefined (send no `n`). */
export function stepDown(refusedN: number, known: HostPageSizes): number | undefined {
  if (known.honoured !== undefined && known.honoured < refusedN) return known.honoured;
  return SMALLER_PAGE_SIZES.find((size) => size < refusedN);
}

/** Records a refusal of `n`. */
export function afterRefusal(known: HostPageSizes, n: number): HostPageSizes {
  return { ...known, refused: Math.min(n, known.refused ?? n) };
}

/** One page as it came: `asked` is the `n` sent (undefined: none, or `n=0`). */
export interface PageOutcome {
  readonly asked: number | undefined;
  /** Entries on the page, invalid and digest-shaped ones included. */
  readonly received: number;
  readonly hasNext: boolean;
}

/** Records what a page showed: honoured in full, or clamped (shorter, with a link). */
export function afterPage(known: HostPageSizes, page: PageOutcome): HostPageSizes {
  if (page.hasNext && known.links !== true) known = { ...known, links: true };
  if (page.asked === undefined) return known;
  if (page.received >= page.asked) return page.asked > (known.honoured ?? 0) ? { ...known, honoured: page.asked } : known;
  if (page.hasNext && page.received > 0 && page.received !== known.clamp) return { ...known, clamp: page.received };
  return known;
}

/**
 * The `n` to ask for next, given the one just asked and what the host showed.
 * With `grow`, a full page with a next link asks for {@link GROWTH} times
 * more, unless that was refused before or the host clamps; a clamped size
 * is not asked above its clamp (the same entries either way, but links that
 * echo it then need no rewriting).
 */
export function nextPageSize(current: number | undefined, page: PageOutcome, known: HostPageSizes, grow: boolean): number | undefined {
  if (current === undefined) return undefined;
  if (known.clamp !== undefined && known.clamp < current) return known.clamp;
  if (!grow || !page.hasNext || page.asked === undefined || page.received < page.asked || known.clamp !== undefined) return current;
  const larger = Math.min(MAX_PAGE_SIZE, current * GROWTH);
  return known.refused !== undefined && larger >= known.refused ? current : larger;
}

/** The `n` a URL asks for: a positive integer, else undefined (none, `n=0` or garbage: the server decides). */
export function askedPageSize(url: URL): number | undefined {
  const raw = url.searchParams.get("n");
  if (raw === null || !/^[1-9][0-9]{0,8}$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * The URL to request for a registry's next link: the link itself, or, when
 * its cursor is a plain `last=` (no other parameter but `n`) and its `n` is
 * missing, `0` or smaller than `wanted` (and `wanted` is above the usual
 * default page of {@link LINK_DEFAULT_PAGE}), the same link asking for `wanted`.
 * The `last` value is kept byte for byte, opaque or not (ECR), so the page
 * starts where the registry's own link would. Other cursors (quay's
 * `next_page`) and extra parameters (ACR's `orderby`) are never rewritten.
 */
export function linkToFollow(link: URL, wanted: number | undefined, known: HostPageSizes): URL {
  if (wanted === undefined || wanted <= LINK_DEFAULT_PAGE || known.verbatimLinks === true) return link;
  // Read and edited as text: re-serialising the query would re-encode the cursor.
  const parts = link.search.slice(1).split("&");
  const keys = parts.map((part) => part.split("=")[0]);
  const count = (key: string) => keys.filter((k) => k === key).length;
  const plainLast = count("last") === 1 && count("n") <= 1 && keys.length === count("last") + count("n") && link.searchParams.get("last") !== "";
  if (!plainLast) return link;
  const linkN = askedPageSize(link);
  if (linkN !== undefined && linkN >= wanted) return link;
  const at = keys.indexOf("n");
  if (at >= 0) parts[at] = `n=${wanted}`;
  else parts.push(`n=${wanted}`);
  const rewritten = new URL(link);
  rewritten.search = `?${parts.join("&")}`;
  return rewritten;
}

/**
 * May a page without a next link have more after it (PAG-6)? Not on a host
 * that has linked before; otherwise when it holds exactly the `n` asked, or,
 * asked for more, exactly a common limit (a registry that clamps silently and
 * never links): asking once more after its last entry tells, and costs a
 * request only on such registries.
 */
export function mayContinueWithoutLink(page: PageOutcome, known: HostPageSizes): boolean {
  if (page.asked === undefined || page.hasNext || known.links === true) return false;
  return page.received === page.asked || (page.received < page.asked && COMMON_LIMITS.has(page.received));
}
