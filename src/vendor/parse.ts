/**
 * Pure parsers of vendor tag APIs' JSON pages. Each returns the tags it
 * found and the next page; a body of the wrong shape is a ProtocolError.
 *
 * - Docker Hub `GET /v2/namespaces/{ns}/repositories/{repo}/tags?page_size=100`:
 *   `{count, next, previous, results[{name, last_updated, tag_last_pushed,
 *   digest, full_size, images[{architecture, variant, os, digest, size}]}]}`,
 *   follow `next` (registry-quirks.md, "Vendor APIs").
 * - Quay `GET /api/v1/repository/{ns}/{repo}/tag/?limit=100&page=N&onlyActiveTags=true`:
 *   `{tags[{name, manifest_digest, last_modified, start_ts, size}], page, has_additional}`.
 * - GitHub `GET /{orgs|users}/{owner}/packages/container/{pkg}/versions?per_page=100&page=N`:
 *   an array of versions `{name: digest, created_at, updated_at,
 *   metadata.container.tags[]}`; the next page comes from the Link header.
 *
 * Names outside the distribution spec's tag grammar are dropped and counted
 * (`dropped`), as on tags pages (listing/tag-grammar.ts); a next page from
 * https to http is refused.
 */
import { ProtocolError, withSubject } from "../errors.js";
import { refuseDowngrade } from "../listing/link.js";
import { MAX_DEPTH, nestsDeeperThan } from "../listing/list-body-stream.js";
import { isTag } from "../listing/tag-grammar.js";
import { quoteServerText } from "../text/safe-text.js";
import type { DetailsPage, TagDetails } from "./types.js";

function parseJson(text: string, where: string): unknown {
  // Vendor pages nest at most five deep (GitHub's metadata.container.tags).
  if (nestsDeeperThan(text, MAX_DEPTH)) throw new ProtocolError(`${where}: the JSON nests deeper than ${MAX_DEPTH} levels, more than any tags API page needs`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(`${where}: not JSON (${quoteServerText(text.replace(/\s+/g, " ").trim(), 80)})`);
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function date(value: unknown): Date | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Drops undefined fields so results compare and serialise cleanly. */
function details(fields: { [K in keyof TagDetails]: TagDetails[K] | undefined }): TagDetails {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as TagDetails;
}

export function parseDockerHubTagsPage(body: string, pageUrl: URL, where: string): DetailsPage {
  const page = asRecord(parseJson(body, where));
  const results = page?.["results"];
  if (page === undefined || !Array.isArray(results)) throw new ProtocolError(`${where}: expected {"results": [...]}`);
  const out: TagDetails[] = [];
  let dropped = 0;
  for (const entry of results) {
    const record = asRecord(entry);
    const name = text(record?.["name"]);
    if (record === undefined || name === undefined) continue;
    if (!isTag(name)) {
      dropped++;
      continue;
    }
    const images = Array.isArray(record["images"]) ? record["images"].map(asRecord).filter((i) => i !== undefined) : [];
    const platforms = images
      .map((i) => [text(i["os"]), text(i["architecture"]), text(i["variant"])].filter((p) => p !== undefined).join("/"))
      .filter((p) => p !== "" && p !== "unknown/unknown");
    out.push(
      details({
        tag: name,
        digest: text(record["digest"]),
        updatedAt: date(record["tag_last_pushed"]) ?? date(record["last_updated"]),
        size: number(record["full_size"]),
        platforms: platforms.length > 0 ? platforms : undefined,
      }),
    );
  }
  const next = text(page["next"]);
  return { details: out, next: next === undefined ? undefined : resolve(next, pageUrl, where), dropped };
}

export function parseQuayTagsPage(body: string, pageUrl: URL, where: string): DetailsPage {
  const page = asRecord(parseJson(body, where));
  const tags = page?.["tags"];
  if (page === undefined || !Array.isArray(tags)) throw new ProtocolError(`${where}: expected {"tags": [...]}`);
  const out: TagDetails[] = [];
  let dropped = 0;
  for (const entry of tags) {
    const record = asRecord(entry);
    const name = text(record?.["name"]);
    if (record === undefined || name === undefined) continue;
    if (!isTag(name)) {
      dropped++;
      continue;
    }
    const started = number(record["start_ts"]);
    out.push(
      details({
        tag: name,
        digest: text(record["manifest_digest"]),
        updatedAt: date(record["last_modified"]) ?? (started !== undefined ? new Date(started * 1000) : undefined),
        size: number(record["size"]),
      }),
    );
  }
  let next: URL | undefined;
  if (page["has_additional"] === true) {
    const current = number(page["page"]) ?? Number(pageUrl.searchParams.get("page") ?? "1");
    next = new URL(pageUrl);
    next.searchParams.set("page", String(current + 1));
  }
  return { details: out, next, dropped };
}

/** GitHub lists versions (digests) with their tags; one version may carry several tags. */
export function parseGitHubVersionsPage(body: string, nextLink: URL | undefined, where: string): DetailsPage {
  const versions = parseJson(body, where);
  if (!Array.isArray(versions)) throw new ProtocolError(`${where}: expected an array of package versions`);
  const out: TagDetails[] = [];
  let dropped = 0;
  for (const entry of versions) {
    const record = asRecord(entry);
    const container = asRecord(asRecord(record?.["metadata"])?.["container"]);
    const tags = Array.isArray(container?.["tags"]) ? (container["tags"] as unknown[]) : [];
    for (const tag of tags) {
      if (typeof tag !== "string" || tag === "") continue;
      if (!isTag(tag)) {
        dropped++;
        continue;
      }
      out.push(details({ tag, digest: text(record?.["name"]), createdAt: date(record?.["created_at"]), updatedAt: date(record?.["updated_at"]) }));
    }
  }
  return { details: out, next: nextLink, dropped };
}

function resolve(target: string, base: URL, where: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(target, base);
  } catch {
    // reported below
  }
  if (url?.protocol === "https:" || url?.protocol === "http:") {
    try {
      refuseDowngrade(base, url, "next page");
    } catch (error) {
      throw withSubject(error, where);
    }
    return url;
  }
  throw new ProtocolError(`${where}: invalid next page URL ${quoteServerText(target)}`);
}
