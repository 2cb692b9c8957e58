/**
 * The watch state file's schema (version 1) and its pure parser and
 * serialiser. The file records, per repository, the watched tags and their
 * digests as of the last pass whose events were delivered, and the
 * selection (filters, --digests) they were watched with: events are only
 * meaningful against a state recorded with the same selection.
 *
 * ```json
 * {"format":"regtags-watch-state","version":1,"savedAt":"2026-12-02T07:00:00.000Z","selection":{"digests":true,"include":["3\\..*"]},"repositories":{
 * "docker.io/library/alpine":{"tags":["3.19","3.20"],"sha256":"<64 hex digits of 3.19's digest><64 of 3.20's>"}
 * }}
 * ```
 *
 * Tags are an array, and their digests a parallel array (`digests`), or,
 * when every one is a sha256 digest (the usual case), their hex parts
 * joined into one string (`sha256`, 64 characters per tag), rather than one
 * object keyed by tag: V8 parses a 10,000-entry array about three times
 * faster than an object of 10,000 keys, and one long string far faster than
 * 10,000 short ones. That is what keeps a state of 100 repositories × 10,000
 * tags with digests (~80 MB) loading in about a second on a busy 2-core
 * machine. Without digests, neither field is written.
 *
 * Parsing checks every field, because a state that is read wrong turns into
 * invented events: anything unexpected refuses the whole file.
 */

import type { TagFilter } from "../tags/filter.js";
import type { VersionReading } from "../tags/reader.js";

export const WATCH_STATE_FORMAT = "regtags-watch-state";
export const WATCH_STATE_VERSION = 1;

/** What is watched: the filters of `ls` (no limit: a tag leaving a top N is no removal), how tags read as versions, and whether digests are tracked. The same selection always watches the same tags. */
export interface WatchSelection extends Omit<TagFilter, "limit">, VersionReading {
  readonly digests: boolean;
}

export interface WatchState {
  /** {@link canonicalSelection} of the selection the tags were recorded with; undefined for a new state. */
  readonly selection: string | undefined;
  /** Repository → tag → digest (null without --digests), in recording order. */
  readonly repositories: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
}

export type StateParse = { readonly status: "ok"; readonly state: WatchState } | { readonly status: "invalid"; readonly reason: string };

/** A new, empty state: every repository's first listing is its baseline. */
export function emptyWatchState(): WatchState {
  return { selection: undefined, repositories: new Map() };
}

/** The selection as one string with sorted keys and unset values left out, for comparison and storage. */
export function canonicalSelection(selection: WatchSelection): string {
  const entries = Object.entries(selection).filter(([, value]) => value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0));
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries([["digests", selection.digests], ...entries.filter(([key]) => key !== "digests")]));
}

// OCI distribution-spec v1.1.1 digest grammar (as listing/digests.ts checks it).
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const MAX_NAME_LENGTH = 512;
const SHA256_LENGTH = "sha256:".length + 64;
const HEX = /^[0-9a-f]*$/;

/** Parses a state file's text; never throws. `reason` fits after "cannot use STATE: ". */
export function parseWatchState(text: string): StateParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return invalid(text.trim() === "" ? "it is empty (a truncated write?)" : "it is not valid JSON (truncated or corrupt)");
  }
  if (!isObject(data) || data["format"] !== WATCH_STATE_FORMAT) return invalid(`it is not a regtags watch state (no "format": "${WATCH_STATE_FORMAT}")`);
  const version = data["version"];
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) return invalid(`its "version" is not a positive whole number`);
  if (version > WATCH_STATE_VERSION) return invalid(`it has version ${version}, written by a newer regtags (this one reads version ${WATCH_STATE_VERSION}); upgrade regtags`);
  const selection = data["selection"];
  if (!isObject(selection) || typeof selection["digests"] !== "boolean") return invalid(`its "selection" is missing or malformed`);
  const repositories = data["repositories"];
  if (!isObject(repositories)) return invalid(`its "repositories" is missing or not an object`);
  const parsed = new Map<string, ReadonlyMap<string, string | null>>();
  for (const name of Object.keys(repositories)) {
    const entry = repositories[name];
    const tags = isObject(entry) ? entry["tags"] : undefined;
    const digestOf = isObject(entry) && Array.isArray(tags) ? readDigests(entry, tags.length) : undefined;
    if (name === "" || name.length > MAX_NAME_LENGTH || !Array.isArray(tags) || digestOf === undefined) {
      return invalid(`repository ${JSON.stringify(name.slice(0, 100))} is malformed`);
    }
    const map = new Map<string, string | null>();
    for (let i = 0; i < tags.length; i++) {
      const tag: unknown = tags[i];
      const digest = digestOf(i);
      if (typeof tag !== "string" || tag === "" || tag.length > MAX_NAME_LENGTH || map.has(tag) || digest === undefined) {
        return invalid(`tag ${JSON.stringify(String(tag).slice(0, 100))} of ${name} is malformed`);
      }
      map.set(tag, digest);
    }
    parsed.set(name, map);
  }
  return { status: "ok", state: { selection: canonicalSelection(selection as unknown as WatchSelection), repositories: parsed } };
}

/** The digest of the i-th tag (null: not tracked; undefined: malformed), or undefined when the entry's digest fields are malformed. */
function readDigests(entry: Record<string, unknown>, count: number): ((i: number) => string | null | undefined) | undefined {
  const packed = entry["sha256"];
  const digests = entry["digests"];
  if (packed !== undefined && digests !== undefined) return undefined;
  if (typeof packed === "string") {
    if (packed.length !== count * 64 || !HEX.test(packed)) return undefined;
    return (i) => `sha256:${packed.slice(i * 64, i * 64 + 64)}`;
  }
  if (packed !== undefined) return undefined;
  if (digests === undefined) return () => null;
  if (!Array.isArray(digests) || digests.length !== count) return undefined;
  return (i) => {
    const digest: unknown = digests[i];
    return digest === null ? null : typeof digest === "string" && DIGEST.test(digest) ? digest : undefined;
  };
}

/** The state file's text (one repository per line, so a diff of two states stays readable). */
export function serializeWatchState(state: WatchState, savedAt: Date): string {
  const lines: string[] = [];
  for (const [name, tags] of state.repositories) {
    const digests = [...tags.values()];
    let field = "";
    // One check of the joined hex instead of a regex per digest (a million of them in a large state).
    const packed = digests.length > 0 && digests.every((digest) => digest !== null && digest.length === SHA256_LENGTH && digest.startsWith("sha256:")) ? digests.map((digest) => digest!.slice(7)).join("") : undefined;
    if (packed !== undefined && HEX.test(packed)) {
      field = `,"sha256":"${packed}"`;
    } else if (digests.some((digest) => digest !== null)) {
      field = `,"digests":${JSON.stringify(digests)}`;
    }
    lines.push(`${JSON.stringify(name)}:{"tags":${JSON.stringify([...tags.keys()])}${field}}`);
  }
  const head = `{"format":${JSON.stringify(WATCH_STATE_FORMAT)},"version":${WATCH_STATE_VERSION},"savedAt":${JSON.stringify(savedAt.toISOString())},"selection":${state.selection ?? '{"digests":false}'},"repositories":{`;
  return `${head}${lines.length > 0 ? "\n" : ""}${lines.join(",\n")}\n}}\n`;
}

function invalid(reason: string): StateParse {
  return { status: "invalid", reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
