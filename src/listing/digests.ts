/**
 * Manifest digests of tags (DIG-1): `HEAD /v2/<name>/manifests/<tag>` with an
 * Accept header naming the OCI index and manifest and Docker's list and v2
 * manifest, so the digest is the one `docker pull` resolves (without Accept a
 * registry may convert and answer another digest). HEAD does not count as a
 * Docker Hub pull; GET does, so GET is only the fallback for a registry that
 * leaves Docker-Content-Digest out of its HEAD answer.
 */
import { forEachConcurrently } from "../concurrency.js";
import { ProtocolError } from "../errors.js";
import { errorFromResponse } from "../transport/registry-error.js";
import { redactUrl } from "../transport/trace.js";
import { quoteServerText } from "../text/safe-text.js";
import type { Transport, TransportRequest } from "../transport/types.js";

export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** Manifests are small; oras-go caps them at 4 MiB. */
export const MANIFEST_BODY_LIMIT = 4 * 1024 * 1024;

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export interface TagDigest {
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string | undefined;
}

export interface DigestParams {
  readonly endpoint: URL;
  readonly repository: string;
  readonly subject: string;
  readonly signal?: AbortSignal | undefined;
  /** The client's clock, for messages that say when a limit resets. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** The digest one tag points at. */
export async function fetchTagDigest(send: Transport, params: DigestParams, tag: string): Promise<TagDigest> {
  const url = new URL(`${params.endpoint.href.replace(/\/+$/, "")}/v2/${params.repository}/manifests/${encodeURIComponent(tag)}`);
  const head: TransportRequest = {
    method: "HEAD",
    url,
    headers: { accept: MANIFEST_ACCEPT },
    signal: params.signal,
    auth: { scopes: [`repository:${params.repository}:pull`] },
    purpose: "manifest",
  };
  const res = await send(head);
  if (res.status !== 200) throw await errorFromResponse(head, res, { subject: `${params.subject}:${tag}`, now: params.now });
  await res.discard();
  const mediaType = res.headers.get("content-type")?.split(";")[0]?.trim();
  const digest = res.headers.get("docker-content-digest")?.trim();
  if (digest !== undefined && digest !== "") {
    if (!DIGEST.test(digest)) throw new ProtocolError(`${params.subject}:${tag}: HEAD ${redactUrl(url)} answered an invalid Docker-Content-Digest ${quoteServerText(digest, 100)}`);
    return { tag, digest, mediaType };
  }
  // No header: hash the manifest itself (one GET, which Docker Hub counts as a pull).
  const get: TransportRequest = { ...head, method: "GET" };
  const full = await send(get);
  if (full.status !== 200) throw await errorFromResponse(get, full, { subject: `${params.subject}:${tag}`, now: params.now });
  const body = await full.text(MANIFEST_BODY_LIMIT);
  const { createHash } = await import("node:crypto"); // here, not at start-up: rarely needed (issue 13)
  return { tag, digest: `sha256:${createHash("sha256").update(body, "utf8").digest("hex")}`, mediaType };
}

/**
 * Digests of many tags, at most `concurrency` in flight, in the order of
 * `tags`. The first failure rejects (and stops starting new lookups).
 */
export async function fetchTagDigests(send: Transport, params: DigestParams, tags: readonly string[], concurrency: number): Promise<TagDigest[]> {
  const results: TagDigest[] = new Array(tags.length);
  await forEachConcurrently(tags.length, concurrency, async (index) => {
    results[index] = await fetchTagDigest(send, params, tags[index]!);
  });
  return results;
}
