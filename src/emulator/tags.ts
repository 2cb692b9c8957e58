/**
 * `GET /v2/<name>/tags/list` (OCI distribution-spec v1.1.1, Listing Tags; PAG-1..9):
 * faults that come before the registry logic (a front proxy's 307 or 429), then auth,
 * then the page, its body quirks and its Link.
 */
import { authorizePull } from "./auth.js";
import { bearerChallenge } from "./challenge.js";
import { parseAuthorization, type Call, type RegistryContext } from "./context.js";
import { createCursorCodec } from "./cursor.js";
import { linkHeader, nextUrl } from "./link.js";
import { cutPage, type NextPage } from "./paging.js";
import { answerReply, codeReply, jsonReply, rawReply, type Reply } from "./reply.js";
import { digestOf, type StoredRepository } from "./store.js";
import { pullScope } from "./tokens.js";

/** Per-registry counters the faults need; reset with the registry's counts. */
export interface FaultState {
  tagsRequests: number;
  /** Requests counted by the `quota` fault in the current window. */
  quotaUsed: number;
  /** When the `quota` fault's current window started (epoch ms), once a request opened it. */
  quotaWindowStart: number | undefined;
}

/** A fresh {@link FaultState}. */
export function newFaultState(): FaultState {
  return { tagsRequests: 0, quotaUsed: 0, quotaWindowStart: undefined };
}

/** Is the current tags request the k-th, or one of the `times` after it? */
function isFaulted(state: FaultState, from: number, times: number | undefined): boolean {
  return state.tagsRequests >= from && (times === undefined || state.tagsRequests < from + times);
}

/** A front proxy's answer for a status burst: JSON UNAVAILABLE for 503, else a proxy's HTML page. */
function burstReply(status: number, retryAfterSeconds: number | undefined): Reply {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  if (status === 503) return answerReply({ status, code: "UNAVAILABLE", message: "service unavailable" }, headers);
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  return rawReply(status, { contentType: "text/html", body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n` }, headers);
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 408: "Request Timeout", 500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Time-out" };

/** gcr.io's extra `manifest` map and `child` list (registry-quirks.md, gcr.io). */
function gcrExtras(repo: StoredRepository, entries: readonly string[]): Record<string, unknown> {
  const manifest: Record<string, unknown> = {};
  for (const tag of entries) {
    const digest = digestOf(repo.name, tag);
    const seed = parseInt(digest.slice(7, 15), 16);
    const created = 1_500_000_000_000 + (seed % 200_000_000) * 1000;
    manifest[digest] = {
      imageSizeBytes: String(1_000_000 + (seed % 50_000_000)),
      layerId: "",
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      tag: [tag],
      timeCreatedMs: String(created),
      timeUploadedMs: String(created + 60_000),
    };
  }
  return { child: [], manifest };
}

function body(ctx: RegistryContext, repo: StoredRepository, start: number, entries: readonly string[]): Record<string, unknown> {
  const quirks = ctx.profile.tags.body;
  const result: Record<string, unknown> = { name: repo.name };
  if (repo.listing().length === 0) {
    if (quirks.emptyRepository === "null") result["tags"] = null;
    else if (quirks.emptyRepository === "empty-array") result["tags"] = [];
  } else {
    const tags: Array<string | null> = [...entries];
    const previous = repo.listing()[start - 1];
    if (quirks.repeatPreviousLast === true && start > 0 && previous !== undefined) tags.unshift(previous);
    if (quirks.nullEntryPerPage === true && tags.length > 0) tags.push(null);
    result["tags"] = tags;
  }
  return quirks.gcrExtras === true ? { ...result, ...gcrExtras(repo, entries) } : result;
}

/** The Link value for this response, faults included, or undefined. */
function linkFor(ctx: RegistryContext, call: Call, name: string, page: { next: NextPage | undefined; start: number; listing: readonly string[] }): string | undefined {
  const { link, paging } = ctx.profile.tags;
  const faults = ctx.profile.faults ?? {};
  const cursorParam = paging.cursor.kind === "opaque" ? paging.cursor.param : "last";
  const isLaterPage = (call.query.get(cursorParam) ?? "") !== "";
  let next = page.next;
  if (faults.cursorBackwards === true && isLaterPage && next !== undefined && paging.cursor.kind === "last-entry" && page.start >= 2) {
    // A cursor that goes backwards: the entry two before this page's first one.
    next = { ...next, cursor: page.listing[page.start - 2] as string };
  }
  if (faults.linkLoop === true && isLaterPage) {
    // PAG-9: a server whose next link is the page itself.
    const self = `${call.path}?${call.rawQuery}`;
    return linkHeader(link, link.form === "absolute" ? `${ctx.origin}${self}` : self);
  }
  if (next === undefined) return undefined;
  const path = `/v2/${faults.linkDropsFirstComponent === true ? name.split("/").slice(1).join("/") : name}/tags/list`;
  if (faults.foreignLink === true && ctx.foreignOrigin !== undefined) {
    const url = nextUrl({ ...link, form: "absolute" }, { path, origin: ctx.foreignOrigin }, next);
    return url === undefined ? undefined : linkHeader(link, url);
  }
  const url = nextUrl(link, { path, origin: ctx.origin }, next);
  return url === undefined ? undefined : linkHeader(link, url);
}

/** Front-proxy faults: the registry.k8s.io-style 307 and the k-th request 429; tokens refused from the k-th request. */
function faultReply(ctx: RegistryContext, call: Call, name: string, state: FaultState): Reply | undefined {
  const faults = ctx.profile.faults ?? {};
  if (faults.redirectTagsDroppingQuery === true && call.listener === "registry" && ctx.foreignOrigin !== undefined) {
    return { status: 307, headers: { location: `${ctx.foreignOrigin}/v2/${name}/tags/list` }, body: "" };
  }
  const limit = faults.rateLimit;
  if (limit !== undefined && isFaulted(state, limit.onTagsRequest, limit.times ?? 1)) {
    const answer = ctx.profile.errors.tooManyRequests ?? { status: 429, code: "TOOMANYREQUESTS" };
    const retryAfter =
      limit.retryAfterForm === "http-date" ? new Date(ctx.now() + limit.retryAfterSeconds * 1000).toUTCString() : String(limit.retryAfterSeconds);
    return answerReply(answer, { "retry-after": retryAfter });
  }
  const burst = faults.statusBurst;
  if (burst !== undefined && isFaulted(state, burst.onTagsRequest, burst.times)) return burstReply(burst.status, burst.retryAfterSeconds);
  const auth = ctx.profile.auth;
  const rejectFrom = faults.rejectTokensFromTagsRequest;
  if (rejectFrom !== undefined && state.tagsRequests >= rejectFrom && auth.kind === "bearer" && parseAuthorization(call.authorization).kind === "bearer") {
    const scope = auth.repositoryScopeInChallenge ? pullScope(name) : undefined;
    return codeReply(401, "UNAUTHORIZED", null, { "www-authenticate": bearerChallenge(auth, ctx, { scope, error: "invalid_token" }) });
  }
  return undefined;
}

/** Answers a tags/list request for `name`. `state.tagsRequests` must already count this request. */
export function answerTags(ctx: RegistryContext, call: Call, name: string, state: FaultState): Reply {
  if (call.method !== "GET") return codeReply(405, "UNSUPPORTED");
  const fault = faultReply(ctx, call, name, state);
  if (fault !== undefined) return fault;
  const repo = ctx.repositories.get(name);
  const decision = authorizePull(ctx, call, name, repo);
  if (!decision.allowed) return decision.reply;
  const replacement = ctx.profile.faults?.tagsBody;
  if (replacement !== undefined) return rawReply(200, replacement);
  if (repo === undefined) return codeReply(404, ctx.profile.errors.nameUnknownCode, { name });

  const { paging, order } = ctx.profile.tags;
  const codec = paging.cursor.kind === "opaque" ? createCursorCodec(paging.cursor.style, ctx.cursorKey, name, ctx.now) : undefined;
  const page = cutPage({
    listing: repo.listing(),
    position: (entry) => repo.position(entry),
    lexical: order === "lexical",
    query: call.query,
    paging,
    codec,
  });
  if (page.kind === "error") return answerReply(page.answer);
  const link = linkFor(ctx, call, name, { next: page.next, start: page.start, listing: repo.listing() });
  const reply = jsonReply(200, body(ctx, repo, page.start, page.entries), link === undefined ? {} : { link }, ctx.profile.tags.body.contentType);
  const delivery = ctx.profile.faults?.delivery;
  return delivery !== undefined && isFaulted(state, delivery.onTagsRequest, delivery.times) ? { ...reply, delivery: delivery.fault } : reply;
}
