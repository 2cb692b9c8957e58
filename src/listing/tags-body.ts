/**
 * Pure parsers of list bodies: `tags/list` (OCI distribution-spec v1.1.1,
 * Listing Tags; PAG-1, PAG-2) and `_catalog` (CAT-1). Tolerates what real
 * registries send: `tags: null` or missing (ghcr, distribution 2.8 for an
 * empty repository), unknown fields (GCR's `manifest`, `child`), `null`
 * entries (Nexus) and digest-shaped entries (Artifactory), which are skipped
 * and counted so callers can warn. Tags outside the distribution spec's
 * grammar (tag-grammar.ts) and repository names longer than any registry
 * allows are dropped and counted the same way. Anything else that is not a
 * list of strings is a ProtocolError.
 */
import { ProtocolError } from "../errors.js";
import { MAX_DEPTH, MAX_REPOSITORY_LENGTH, nestsDeeperThan } from "./list-body-stream.js";
import { isTag } from "./tag-grammar.js";
import { quoteServerText } from "../text/safe-text.js";

export interface TagsBody {
  readonly name: string | undefined;
  readonly tags: string[];
  /** Entries that were `null`. */
  readonly nullEntries: number;
  /** Entries that look like digests (`sha256:…`), which no tag can be (REF-2). */
  readonly digestEntries: number;
  /** Entries that are not tags by the distribution spec's grammar (dropped). */
  readonly invalidEntries: number;
}

/** A `_catalog` body: `{"repositories": [...]}`, with the same tolerances. */
export interface CatalogBody {
  readonly repositories: string[];
  readonly nullEntries: number;
  readonly digestEntries: number;
  /** Names too long for any registry (dropped). */
  readonly invalidEntries: number;
}

export function parseTagsBody(text: string, where: string): TagsBody {
  const { record, entries, nullEntries, digestEntries, invalidEntries } = parseListBody(text, where, "tags", "tag list");
  return { name: typeof record["name"] === "string" ? record["name"] : undefined, tags: entries, nullEntries, digestEntries, invalidEntries };
}

export function parseCatalogBody(text: string, where: string): CatalogBody {
  const { entries, nullEntries, digestEntries, invalidEntries } = parseListBody(text, where, "repositories", "repository list");
  return { repositories: entries, nullEntries, digestEntries, invalidEntries };
}

function parseListBody(text: string, where: string, field: "tags" | "repositories", what: string) {
  if (nestsDeeperThan(text, MAX_DEPTH)) throw new ProtocolError(`${where}: the JSON nests deeper than ${MAX_DEPTH} levels, more than any ${what} needs`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const flat = quoteServerText(text.replace(/\s+/g, " ").trim(), 80);
    throw new ProtocolError(`${where}: the ${what} is not JSON (body starts ${flat}); the registry or a proxy in front of it answered something else`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError(`${where}: the ${what} is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const raw = record[field];
  const entries: string[] = [];
  let nullEntries = 0;
  let digestEntries = 0;
  let invalidEntries = 0;
  const isValid = field === "tags" ? isTag : (entry: string) => entry.length <= MAX_REPOSITORY_LENGTH;
  if (raw === null || raw === undefined) return { record, entries, nullEntries, digestEntries, invalidEntries };
  if (!Array.isArray(raw)) {
    throw new ProtocolError(`${where}: "${field}" is ${typeof raw}, not an array`);
  }
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    if (typeof entry === "string") {
      if (entry.includes(":")) digestEntries++;
      else if (!isValid(entry)) invalidEntries++;
    } else if (entry === null) {
      nullEntries++;
    } else {
      throw new ProtocolError(`${where}: "${field}"[${i}] is ${Array.isArray(entry) ? "an array" : typeof entry}, not a string`);
    }
  }
  // The common case keeps the parsed array itself: a million-tag page is not copied.
  if (nullEntries === 0 && digestEntries === 0 && invalidEntries === 0) return { record, entries: raw as string[], nullEntries, digestEntries, invalidEntries };
  for (const entry of raw) if (typeof entry === "string" && !entry.includes(":") && isValid(entry)) entries.push(entry);
  return { record, entries, nullEntries, digestEntries, invalidEntries };
}
