/**
 * Pure parser of a `tags/list` body (OCI distribution-spec v1.1.1, Listing
 * Tags; PAG-1, PAG-2). Tolerates what real registries send: `tags: null` or
 * missing (ghcr, distribution 2.8 for an empty repository), unknown fields
 * (GCR's `manifest`, `child`), `null` entries (Nexus) and digest-shaped
 * entries (Artifactory), which are skipped and counted so callers can warn.
 * Anything else that is not a list of strings is a ProtocolError.
 */
import { ProtocolError, truncate } from "../errors.js";

export interface TagsBody {
  readonly name: string | undefined;
  readonly tags: string[];
  /** Entries that were `null`. */
  readonly nullEntries: number;
  /** Entries that look like digests (`sha256:…`), which no tag can be (REF-2). */
  readonly digestEntries: number;
}

export function parseTagsBody(text: string, where: string): TagsBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const flat = truncate(text.replace(/\s+/g, " ").trim(), 80);
    throw new ProtocolError(`${where}: the tag list is not JSON (body starts ${JSON.stringify(flat)}); the registry or a proxy in front of it answered something else`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError(`${where}: the tag list is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const name = typeof record["name"] === "string" ? record["name"] : undefined;
  const raw = record["tags"];
  if (raw === null || raw === undefined) return { name, tags: [], nullEntries: 0, digestEntries: 0 };
  if (!Array.isArray(raw)) {
    throw new ProtocolError(`${where}: "tags" is ${typeof raw}, not an array`);
  }
  const tags: string[] = [];
  let nullEntries = 0;
  let digestEntries = 0;
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    if (typeof entry === "string") {
      if (entry.includes(":")) digestEntries++;
      else tags.push(entry);
    } else if (entry === null) {
      nullEntries++;
    } else {
      throw new ProtocolError(`${where}: "tags"[${i}] is ${Array.isArray(entry) ? "an array" : typeof entry}, not a string`);
    }
  }
  return { name, tags, nullEntries, digestEntries };
}
