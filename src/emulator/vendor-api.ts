/**
 * Vendor tag APIs beside the registry API, for profiles that name one
 * (`profile.vendorApi`): Docker Hub's tags API, Quay's `/api/v1` tag API and
 * GitHub's packages API, each with its documented pagination
 * (registry-quirks.md, "Vendor APIs with richer tag data"):
 * - Hub: `GET /v2/namespaces/{ns}/repositories/{repo}/tags?page_size=&page=`,
 *   `{count, next, previous, results[…]}`, `page_size` max 100, newest first;
 * - Quay: `GET /api/v1/repository/{ns}/{repo}/tag/?limit=&page=&onlyActiveTags=true`,
 *   `{tags[…], page, has_additional}`, newest first;
 * - GitHub: `GET /{orgs|users}/{owner}/packages/container/{pkg}/versions?per_page=&page=`,
 *   a JSON array and a Link header, a token required even for public packages.
 * Dates are synthetic but deterministic: tag i of a repository was pushed
 * i hours after 2023-01-01, so newest-first equals reverse push order.
 */
import type { Call, RegistryContext } from "./context.js";
import { parseAuthorization } from "./context.js";
import { errorReply, jsonReply, type Reply } from "./reply.js";
import { digestOf } from "./store.js";

const EPOCH = Date.parse("2023-01-01T00:00:00Z");
const HOUR = 3_600_000;

const HUB = /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/?$/;
const QUAY = /^\/api\/v1\/repository\/([^/]+)\/([^/]+)\/tag\/?$/;
const GITHUB = /^\/(orgs|users)\/([^/]+)\/packages\/container\/([^/]+)\/versions$/;

interface Entry {
  tag: string;
  digest: string;
  pushedAt: Date;
  size: number;
}

/** The repository's tags, newest first, with their synthetic metadata. */
function entries(ctx: RegistryContext, name: string): Entry[] | undefined {
  const repo = ctx.repositories.get(name);
  if (repo === undefined || repo.isPrivate) return undefined;
  return repo.tags
    .map((tag, index) => ({ tag, digest: digestOf(name, tag), pushedAt: new Date(EPOCH + index * HOUR), size: 1_000_000 + index * 4096 }))
    .reverse();
}

function pageOf(call: Call, sizeParam: string, max: number): { page: number; size: number } | undefined {
  const page = Number(call.query.get("page") ?? "1");
  const size = Number(call.query.get(sizeParam) ?? String(max));
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) return undefined;
  return { page, size: Math.min(size, max) };
}

/** The vendor API's answer, or undefined when the call is not for it. */
export function answerVendorApi(ctx: RegistryContext, call: Call): Reply | undefined {
  const api = ctx.profile.vendorApi;
  if (api === undefined || call.method !== "GET") return undefined;
  const pattern = api.kind === "dockerhub" ? HUB : api.kind === "quay" ? QUAY : GITHUB;
  const match = pattern.exec(call.path);
  if (match === null) return undefined;
  if (api.refuse !== undefined) return errorReply(api.refuse.status, api.refuse.code ?? "DENIED", api.refuse.message ?? "refused");
  const max = api.maxPageSize;

  if (api.kind === "github") {
    const credentials = parseAuthorization(call.authorization);
    const known = credentials.kind === "bearer" && Object.values(ctx.users).includes(credentials.token);
    if (!known) return jsonReply(401, { message: "Requires authentication", documentation_url: "https://docs.github.com/rest" });
    if (match[1] !== "users") return jsonReply(404, { message: "Not Found" }); // owners here are users, not organisations
    const list = entries(ctx, `${match[2]}/${decodeURIComponent(match[3] ?? "")}`);
    const paging = pageOf(call, "per_page", max);
    if (list === undefined) return jsonReply(404, { message: "Package not found." });
    if (paging === undefined) return jsonReply(400, { message: "Invalid page" });
    const slice = list.slice((paging.page - 1) * paging.size, paging.page * paging.size);
    const hasMore = paging.page * paging.size < list.length;
    const next = `${ctx.origin}${call.path}?per_page=${paging.size}&page=${paging.page + 1}`;
    const body = slice.map((e, i) => ({
      id: i + 1,
      name: e.digest,
      created_at: e.pushedAt.toISOString(),
      updated_at: e.pushedAt.toISOString(),
      metadata: { package_type: "container", container: { tags: [e.tag] } },
    }));
    return jsonReply(200, body, hasMore ? { link: `<${next}>; rel="next"` } : {});
  }

  const list = entries(ctx, `${match[1]}/${match[2]}`);
  if (list === undefined) return jsonReply(404, api.kind === "dockerhub" ? { message: "object not found", errinfo: {} } : { error_message: "Not Found" });
  const paging = pageOf(call, api.kind === "dockerhub" ? "page_size" : "limit", max);
  if (paging === undefined) return jsonReply(400, { message: "invalid page" });
  const slice = list.slice((paging.page - 1) * paging.size, paging.page * paging.size);
  const hasMore = paging.page * paging.size < list.length;
  if (api.kind === "dockerhub") {
    const link = (page: number) => `${ctx.origin}${call.path}?page=${page}&page_size=${paging.size}`;
    return jsonReply(200, {
      count: list.length,
      next: hasMore ? link(paging.page + 1) : null,
      previous: paging.page > 1 ? link(paging.page - 1) : null,
      results: slice.map((e) => ({
        name: e.tag,
        last_updated: e.pushedAt.toISOString(),
        tag_last_pushed: e.pushedAt.toISOString(),
        digest: e.digest,
        full_size: e.size,
        images: [{ architecture: "amd64", os: "linux", digest: e.digest, size: e.size }],
      })),
    });
  }
  return jsonReply(200, {
    tags: slice.map((e) => ({
      name: e.tag,
      manifest_digest: e.digest,
      last_modified: e.pushedAt.toUTCString().replace("GMT", "-0000"),
      start_ts: Math.floor(e.pushedAt.getTime() / 1000),
      size: e.size,
      is_manifest_list: false,
    })),
    page: paging.page,
    has_additional: hasMore,
  });
}
