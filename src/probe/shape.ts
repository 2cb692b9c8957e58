/**
 * Pure shaping of what the probe saw into {@link ProbeProfile} and evidence:
 * which challenge, which token fields, which page size, link form, cursor,
 * order. No I/O: probe.ts records {@link Observations}, this module reads them,
 * so every rule here is unit-tested with plain data.
 */
import { parseChallengesLeniently, pickChallenge } from "../auth/challenge.js";
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from "../auth/token-response.js";
import { parseLinkHeader } from "../listing/link.js";
import type {
  PageEvidence,
  ProbeProfile,
  ProbedAuth,
  ProbedBody,
  ProbedCatalog,
  ProbedCursor,
  ProbedLink,
  ProbedPaging,
  ProbedTags,
  ProbedToken,
  SeenErrorAnswer,
} from "./findings.js";
import { isPageSizeRefusal } from "../listing/page-size.js";
import type { ProbeStepId, SearchOutcome } from "./plan.js";

/** One response as recorded by the probe. */
export interface SeenResponse {
  readonly status: number;
  readonly contentType?: string;
  /** WWW-Authenticate lines joined with ", ". */
  readonly challenge?: string;
  /** First `errors[].code` of a JSON error body. */
  readonly errorCode?: string;
  /** A body that is not JSON, first 64 characters. */
  readonly bodyExcerpt?: string;
}

/** One tags/list (or catalog) response. */
export interface SeenPage extends SeenResponse {
  readonly step: ProbeStepId;
  /** `n` sent, if any. */
  readonly n?: number;
  /** Link header as sent. */
  readonly link?: string;
  /** The tags of a 200 (digest and null entries left out). */
  readonly entries?: readonly string[];
  /**
   * Entries received, digest entries included (they page like tags, Artifactory);
   * `null` entries are not counted (Nexus appends one to every page, outside `n`).
   */
  readonly received?: number;
  readonly nullEntries?: number;
  readonly digestEntries?: number;
  /** Body fields besides `name` and `tags`. */
  readonly extraFields?: readonly string[];
  /** Why a 200 body could not be read as a tag list. */
  readonly bodyError?: string;
}

/** Field names and non-secret values of a token response (the token itself is never kept). */
export interface TokenShape {
  readonly fieldsPresent: readonly string[];
  readonly fields: ProbedToken["fields"] | undefined;
  readonly expiresIn?: number;
  readonly issuedAt: boolean;
}

export interface SeenToken {
  readonly realm: string;
  readonly service: string;
  readonly scopes: readonly string[];
  readonly withCredentials: boolean;
  readonly status?: number;
  readonly shape?: TokenShape;
  readonly appliedLifetimeSeconds?: number;
  readonly renewedBeforeSeconds?: number;
  readonly error?: string;
}

/** Everything probe.ts saw, in plan order. */
export interface Observations {
  /** Origin contacted. */
  readonly endpoint: string;
  readonly ping?: SeenResponse & { readonly headers?: Readonly<Record<string, string>> };
  readonly anonymous?: SeenPage;
  readonly token?: SeenToken;
  /** The first page without `n` that answered 200 (the anonymous one, or the authenticated retry). */
  readonly defaultPage?: SeenPage;
  readonly n1?: SeenPage;
  /** The page after n=1: followed from its link, or built as `n=1&last=<tag>`. */
  readonly next?: SeenPage & { readonly built: boolean };
  readonly zero?: SeenPage;
  readonly large?: SeenPage;
  readonly search: readonly SeenPage[];
  readonly catalogToken?: SeenToken;
  readonly catalog?: SeenResponse;
  readonly rateLimitHeaders: Readonly<Record<string, string>>;
}

/** Reads the shape of a token response body; never returns token values. */
export function parseTokenShape(body: string): TokenShape | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const nonEmpty = (value: unknown) => typeof value === "string" && value !== "";
  const hasToken = nonEmpty(record["token"]);
  const hasAccess = nonEmpty(record["access_token"]);
  const emptyAccess = record["access_token"] === "";
  const fields: ProbedToken["fields"] | undefined = hasToken && hasAccess ? "both" : hasToken && emptyAccess ? "token-and-empty-access_token" : hasToken ? "token" : hasAccess ? "access_token" : undefined;
  const expiresIn = record["expires_in"];
  return {
    fieldsPresent: Object.keys(record),
    fields,
    ...(typeof expiresIn === "number" && Number.isFinite(expiresIn) ? { expiresIn } : {}),
    issuedAt: typeof record["issued_at"] === "string",
  };
}

/** The raw `rel="next"` target of a Link header, or undefined (also for a malformed header). */
export function nextTarget(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  try {
    return parseLinkHeader(link).find((value) => value.rel.includes("next"))?.target;
  } catch {
    return undefined;
  }
}

/** How a page request for `n` came out, for the search (plan.ts). */
export function pageOutcome(page: SeenPage): SearchOutcome["outcome"] {
  // The lister's own rule (page-size.ts), so the probe never saves a limit the lister would not step down to.
  if (page.status !== 200) return isPageSizeRefusal(page.status, page.errorCode === undefined ? [] : [page.errorCode]) ? "refused" : "other";
  if (page.received === undefined) return "other"; // a 200 whose body is no tag list
  const received = page.received;
  const n = page.n ?? 0;
  if (received >= n) return "honoured";
  return nextTarget(page.link) !== undefined ? "clamped" : "honoured"; // fewer without a link: the whole repository
}

/** The scheme as written in the raw header (`bearer`, `BASIC`), for the challenge chosen. */
function writtenScheme(raw: string, scheme: string): string {
  const escaped = scheme.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`(?:^|[\\s,])(${escaped})(?=\\s)`, "i").exec(raw);
  return match?.[1] ?? scheme;
}

function errorAnswer(seen: SeenResponse): SeenErrorAnswer {
  return seen.errorCode === undefined ? { status: seen.status } : { status: seen.status, code: seen.errorCode };
}

function isSorted(entries: readonly string[]): boolean {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]! < entries[i]!)) return false;
  return true;
}

/** Query parameters of a link target in the order written (values decoded). */
function queryOf(target: string): Array<[string, string]> {
  const q = target.indexOf("?");
  if (q < 0) return [];
  return [...new URLSearchParams(target.slice(q + 1))];
}

/** The shaped result: profile, evidence pages, and what could not be observed. */
export interface Shaped {
  readonly profile: ProbeProfile;
  readonly pages: readonly PageEvidence[];
  readonly unobserved: Array<{ field: string; why: string }>;
}

/**
 * Shapes observations into a profile. `redactLink` makes a Link header fit
 * for output (probe.ts passes the transport's redaction).
 */
export function shapeFindings(obs: Observations, redactLink: (link: string) => string = (link) => link): Shaped {
  const unobserved: Array<{ field: string; why: string }> = [];
  const auth = shapeAuth(obs, unobserved);
  const ping = obs.ping;
  const profile: ProbeProfile = {
    ...(ping?.headers !== undefined && Object.keys(ping.headers).length > 0 ? { headers: ping.headers } : {}),
    auth,
    ping: {
      anonymousStatus: ping?.status ?? 0,
      ...(ping?.status === 200 && ping.challenge !== undefined ? { challengeOn200: true } : {}),
      ...(ping?.status === 401 && ping.bodyExcerpt !== undefined ? { unauthorizedBody: { contentType: ping.contentType ?? "", body: ping.bodyExcerpt } } : {}),
    },
  };
  const tags = shapeTags(obs, unobserved);
  const catalog = shapeCatalog(obs, unobserved);
  const pages: PageEvidence[] = [];
  for (const page of [obs.anonymous, obs.defaultPage === obs.anonymous ? undefined : obs.defaultPage, obs.n1, obs.next, obs.zero, obs.large, ...obs.search]) {
    if (page === undefined) continue;
    pages.push({
      step: page.step,
      ...(page.n !== undefined ? { n: page.n } : {}),
      status: page.status,
      ...(page.received !== undefined ? { received: page.received } : {}),
      ...(page.link !== undefined ? { link: redactLink(page.link) } : {}),
      ...(page.errorCode !== undefined ? { errorCode: page.errorCode } : {}),
    });
  }
  return {
    profile: { ...profile, ...(tags !== undefined ? { tags } : {}), ...(catalog !== undefined ? { catalog } : {}) },
    pages,
    unobserved,
  };
}

function shapeAuth(obs: Observations, unobserved: Array<{ field: string; why: string }>): ProbedAuth {
  const pingChallenges = parseChallengesLeniently(obs.ping?.challenge);
  const tagsChallenges = obs.anonymous?.status === 401 ? parseChallengesLeniently(obs.anonymous.challenge) : [];
  const fromTags = pickChallenge(tagsChallenges);
  const chosen = fromTags ?? pickChallenge(pingChallenges);
  const raw = fromTags !== undefined ? obs.anonymous?.challenge ?? "" : obs.ping?.challenge ?? "";
  const anonymousOk = obs.anonymous?.status === 200;
  if (chosen === undefined) {
    if (obs.anonymous?.status === 401 || obs.ping?.status === 401) return { kind: "unknown" };
    return { kind: "none" };
  }
  const challenge = { scheme: writtenScheme(raw, chosen.scheme), quoted: /realm\s*=\s*"/i.test(raw) };
  const others = [...new Set((fromTags !== undefined ? tagsChallenges : pingChallenges).map((c) => c.scheme).filter((s) => s !== chosen.scheme))];
  if (chosen.scheme === "basic") {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(chosen.params)) if (key !== "realm") params[key] = value;
    return {
      kind: "basic",
      challenge,
      realm: chosen.params["realm"] ?? "",
      ...(Object.keys(params).length > 0 ? { params } : {}),
      anonymousPublicReads: anonymousOk,
    };
  }
  const realmText = chosen.params["realm"] ?? "";
  let realm: { server: "registry" | "separate"; path: string; url: string };
  try {
    const url = new URL(realmText);
    realm = { server: url.origin === obs.endpoint ? "registry" : "separate", path: `${url.pathname}${url.search}`, url: realmText };
  } catch {
    realm = { server: "registry", path: realmText, url: realmText };
  }
  const pingBearer = pingChallenges.find((c) => c.scheme === "bearer");
  const tagsBearer = tagsChallenges.find((c) => c.scheme === "bearer");
  if (tagsBearer === undefined) {
    unobserved.push({ field: "auth.repositoryScopeInChallenge", why: "the tags request was not refused, so it carried no challenge" });
  }
  const token = shapeToken(obs, unobserved);
  return {
    kind: "bearer",
    challenge,
    realm,
    ...(chosen.params["service"] !== undefined ? { service: chosen.params["service"] } : {}),
    ...(pingBearer?.params["scope"] !== undefined ? { pingScope: pingBearer.params["scope"] } : {}),
    ...(tagsBearer !== undefined ? { repositoryScopeInChallenge: (tagsBearer.params["scope"] ?? "") !== "" } : {}),
    ...(tagsBearer?.params["error"] !== undefined ? { anonymousChallengeError: tagsBearer.params["error"] } : {}),
    ...(others.length > 0 ? { otherSchemes: others } : {}),
    ...(token !== undefined ? { token } : {}),
    anonymousReadsWithoutToken: anonymousOk,
  };
}

function shapeToken(obs: Observations, unobserved: Array<{ field: string; why: string }>): ProbedToken | undefined {
  const seen = obs.token;
  if (seen?.shape?.fields === undefined) {
    unobserved.push({ field: "auth.token", why: seen === undefined ? "no token was requested" : `the token request failed${seen.error !== undefined ? ` (${seen.error})` : ""}` });
    return undefined;
  }
  return {
    fields: seen.shape.fields,
    ...(seen.shape.expiresIn !== undefined ? { expiresIn: seen.shape.expiresIn } : {}),
    issuedAt: seen.shape.issuedAt,
    appliedLifetimeSeconds: seen.appliedLifetimeSeconds ?? seen.shape.expiresIn ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
  };
}

function shapeTags(obs: Observations, unobserved: Array<{ field: string; why: string }>): ProbedTags | undefined {
  const dp = obs.defaultPage;
  if (dp === undefined || dp.entries === undefined) {
    const why = obs.anonymous === undefined ? "the tags request was not made" : dp !== undefined ? `the tag list could not be read (${dp.bodyError ?? dp.status})` : `no page of tags could be read (anonymous request: ${obs.anonymous.status}${obs.anonymous.errorCode !== undefined ? ` ${obs.anonymous.errorCode}` : ""})`;
    unobserved.push({ field: "tags", why });
    return undefined;
  }
  const dpLink = nextTarget(dp.link);
  const dpCount = dp.received ?? dp.entries.length;
  const defaultPageSize: number | "all" = dpLink !== undefined ? dpCount : "all";
  const n1 = obs.n1;
  const n1Link = nextTarget(n1?.link);
  const n1Count = n1?.received ?? 0;
  const ignoreParams = n1 !== undefined && n1.status === 200 && n1Count > 1 && n1Link === undefined;

  // Largest n: the large request, then the search.
  let maxPageSize: number | undefined;
  let overMax: ProbedPaging["overMax"] = "not-seen";
  let largestHonoured: number | undefined;
  let clampLink: { target: string; n: number; received: number } | undefined;
  const sized = [obs.large, ...obs.search].filter((p): p is SeenPage => p !== undefined);
  for (const page of sized) {
    const outcome = pageOutcome(page);
    if (outcome === "honoured") largestHonoured = Math.max(largestHonoured ?? 0, page.n ?? 0);
    if (outcome === "clamped") {
      maxPageSize = page.received ?? 0;
      largestHonoured = Math.max(largestHonoured ?? 0, maxPageSize);
      overMax = "clamp";
      const target = nextTarget(page.link);
      if (target !== undefined) clampLink = { target, n: page.n ?? 0, received: page.received ?? 0 };
    }
  }
  const refused = sized.filter((p) => pageOutcome(p) === "refused");
  if (refused.length > 0 && overMax === "not-seen") {
    overMax = errorAnswer(refused[0]!);
    const smallestRefused = refused.reduce((smallest, p) => Math.min(smallest, p.n ?? 0), Infinity);
    if (largestHonoured !== undefined && largestHonoured + 1 === smallestRefused) maxPageSize = largestHonoured;
    else unobserved.push({ field: "tags.paging.maxPageSize", why: `n=${largestHonoured ?? "?"} honoured, n=${smallestRefused} refused; the search stopped in between` });
  } else if (overMax === "not-seen") {
    if (ignoreParams) unobserved.push({ field: "tags.paging.maxPageSize", why: "n is ignored" });
    else if (obs.large === undefined) unobserved.push({ field: "tags.paging.maxPageSize", why: "the large n was not requested" });
    else if (obs.large.status === 200 && (obs.large.received ?? 0) < (obs.large.n ?? 0)) {
      unobserved.push({ field: "tags.paging.maxPageSize", why: `n=${obs.large.n} returned the whole repository (${obs.large.received} entries); any limit is above that` });
    } else if (obs.large.status !== 200) {
      unobserved.push({ field: "tags.paging.maxPageSize", why: `n=${obs.large.n} answered ${obs.large.status}, which is not a page-size refusal` });
    }
  }
  if (ignoreParams) largestHonoured = undefined;

  // n=0.
  let zeroN: ProbedPaging["zeroN"] = "empty";
  const zero = obs.zero;
  if (zero === undefined) unobserved.push({ field: "tags.paging.zeroN", why: "n=0 was not requested" });
  else if (zero.status !== 200) zeroN = errorAnswer(zero);
  else if ((zero.received ?? 0) === 0) zeroN = "empty";
  else if (nextTarget(zero.link) !== undefined) zeroN = "default";
  else zeroN = "all";

  const link = shapeLink(obs, { dpLink, n1Link, ignoreParams, clampLink }, unobserved);
  const cursor = shapeCursor(obs, n1Link, ignoreParams, unobserved);

  // Order: within the default page, and across the n=1 page and the next.
  let order: ProbedTags["order"] = "unknown";
  const within = dp.entries.length >= 2 ? isSorted(dp.entries) : undefined;
  const first = n1?.entries?.at(-1);
  const after = obs.next?.status === 200 ? obs.next.entries : undefined;
  const across = first !== undefined && after !== undefined && after.length > 0 ? first < after[0]! && isSorted(after) : undefined;
  if (within === false || across === false) order = "unsorted";
  else if (within === true) order = "lexical";
  else unobserved.push({ field: "tags.order", why: "fewer than two tags seen" });

  const bodyPages = [dp, n1, obs.next, obs.zero, obs.large, ...obs.search].filter((p): p is SeenPage => p !== undefined && p.status === 200);
  const body: ProbedBody = {
    contentType: dp.contentType ?? "",
    ...(bodyPages.some((p) => (p.nullEntries ?? 0) > 0) ? { nullEntries: true } : {}),
    ...(bodyPages.some((p) => (p.digestEntries ?? 0) > 0) ? { digestEntries: true } : {}),
    ...(dp.extraFields !== undefined && dp.extraFields.length > 0 ? { extraFields: dp.extraFields } : {}),
  };
  const paging: ProbedPaging = {
    ignoreParams,
    defaultPageSize,
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
    overMax,
    ...(largestHonoured !== undefined ? { largestHonoured } : {}),
    zeroN,
    ...(cursor !== undefined ? { cursor } : {}),
  };
  return { paging, order, link, body };
}

function shapeLink(
  obs: Observations,
  seen: { dpLink: string | undefined; n1Link: string | undefined; ignoreParams: boolean; clampLink: { target: string; n: number; received: number } | undefined },
  unobserved: Array<{ field: string; why: string }>,
): ProbedLink {
  const target = seen.n1Link ?? seen.dpLink;
  if (target === undefined) {
    const n1 = obs.n1;
    if (n1 === undefined || n1.status !== 200) {
      unobserved.push({ field: "tags.link", why: "n=1 was not answered with a page" });
      return { form: "none" };
    }
    if (!seen.ignoreParams && (obs.defaultPage?.received ?? 0) <= 1) unobserved.push({ field: "tags.link", why: "the repository has at most one tag" });
    return { form: "none" };
  }
  const form = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) ? "absolute" : "relative";
  const params = queryOf(target);
  const keys = params.map(([key]) => key);
  const cursorParam = keys.includes("last") ? "last" : params.find(([key, value]) => key !== "n" && value !== "")?.[0];
  const extraParams = params.filter(([key]) => key !== "n" && key !== cursorParam);
  const nAt = keys.indexOf("n");
  const cursorAt = cursorParam === undefined ? -1 : keys.indexOf(cursorParam);
  let n: ProbedLink["n"];
  if (nAt < 0) n = "omit";
  else if (seen.n1Link !== undefined && queryOf(seen.n1Link).find(([key]) => key === "n")?.[1] === "0") n = "zero";
  else if (seen.dpLink !== undefined && queryOf(seen.dpLink).find(([key]) => key === "n")?.[1] === "0") n = "as-requested-or-zero";
  else if (seen.clampLink !== undefined) {
    const linked = queryOf(seen.clampLink.target).find(([key]) => key === "n")?.[1];
    n = linked === String(seen.clampLink.received) ? "effective" : "as-requested";
  } else {
    n = "as-requested";
    unobserved.push({ field: "tags.link.n", why: "no request was clamped, and then as-requested and effective look the same" });
  }
  return {
    form,
    ...(nAt >= 0 && cursorAt >= 0 ? { order: nAt < cursorAt ? "n-first" : "cursor-first" } : {}),
    n,
    ...(extraParams.length > 0 ? { extraParams } : {}),
  };
}

function shapeCursor(obs: Observations, n1Link: string | undefined, ignoreParams: boolean, unobserved: Array<{ field: string; why: string }>): ProbedCursor | undefined {
  if (ignoreParams) {
    unobserved.push({ field: "tags.paging.cursor", why: "n is ignored and there are no links" });
    return undefined;
  }
  const last = obs.n1?.entries?.at(-1);
  if (n1Link !== undefined) {
    const params = queryOf(n1Link);
    const lastParam = params.find(([key]) => key === "last");
    if (lastParam !== undefined && lastParam[1] === last) return { kind: "last-entry" };
    const opaque = lastParam ?? params.find(([key, value]) => key !== "n" && value !== "");
    if (opaque === undefined) {
      unobserved.push({ field: "tags.paging.cursor", why: "the link names no cursor" });
      return undefined;
    }
    const style = /^gAAAAA/.test(opaque[1]) ? "fernet" : /^[A-Za-z0-9_-]+=*$/.test(opaque[1]) ? "base64url" : "other";
    return { kind: "opaque", param: opaque[0], style };
  }
  // No link: a built `n=1&last=<tag>` that brought the next tag shows an unlinked last-entry cursor (old Nexus).
  const next = obs.next;
  if (next?.built === true && next.status === 200 && next.entries !== undefined && next.entries.length > 0 && next.entries[0] !== last) return { kind: "last-entry" };
  unobserved.push({ field: "tags.paging.cursor", why: "no next page was seen" });
  return undefined;
}

function shapeCatalog(obs: Observations, unobserved: Array<{ field: string; why: string }>): ProbedCatalog | undefined {
  const catalog = obs.catalog;
  if (catalog === undefined) {
    unobserved.push({ field: "catalog", why: "_catalog was not requested" });
    return undefined;
  }
  if (catalog.status === 200) return { kind: "paginated" };
  if (catalog.status === 401) {
    const challenge = pickChallenge(parseChallengesLeniently(catalog.challenge));
    if (challenge?.params["error"] === "insufficient_scope") return { kind: "refused", answer: "insufficient-scope" };
  }
  return { kind: "refused", answer: errorAnswer(catalog) };
}
