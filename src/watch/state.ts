/**
 * The watch state file's schema (version 2; version 1 files still load) and
 * its pure parser and serialiser. The file records, per repository, the
 * watched tags and their digests as of the last pass whose events were
 * delivered, and the selection (filters, --digests) they were watched with:
 * events are only meaningful against a state recorded with the same
 * selection.
 *
 * ```json
 * {"format":"regtags-watch-state","version":2,"savedAt":"2026-12-02T07:00:00.000Z","selection":{"digests":true,"include":["3\\..*"]},"repositories":{
 * "docker.io/library/alpine":{"tags":["3.19","3.20"],"sha256":"<base64 of 3.19's 32 digest bytes then 3.20's>"}
 * }}
 * ```
 *
 * Tags are an array, and their digests, when every one is a sha256 digest
 * (the usual case), the raw 32 bytes of each in tag order as one base64
 * string (`sha256`); otherwise a parallel array of digests or null
 * (`digests`). Without a known digest, neither field is written. Version 1
 * wrote the hex digits instead of base64 (a third larger). One long string
 * parses far faster than a million short ones, and the digests stay packed
 * in memory ({@link RecordedTags}) instead of becoming a million
 * `sha256:…` strings: that is what keeps a state of 100 repositories ×
 * 10,000 tags with digests (~60 MB) loading and saving in a few hundred
 * milliseconds.
 *
 * Parsing checks every field, because a state that is read wrong turns into
 * invented events: anything unexpected refuses the whole file.
 */

import type { TagFilter } from "../tags/filter.js";
import type { VersionReading } from "../tags/reader.js";

export const WATCH_STATE_FORMAT = "regtags-watch-state";
/** The version written; every version from 1 up to it is read. */
export const WATCH_STATE_VERSION = 2;

/** What is watched: the filters of `ls` (no limit: a tag leaving a top N is no removal), how tags read as versions, and whether digests are tracked. The same selection always watches the same tags. */
export interface WatchSelection extends Omit<TagFilter, "limit">, VersionReading {
  readonly digests: boolean;
}

/** The watched tags of one repository, in the registry's order, with their digests kept packed (see {@link packDigests}). */
export interface RecordedTags {
  readonly tags: readonly string[];
  /**
   * sha256 digests as 32 raw bytes per tag, in tag order (when every tag has
   * one); each tag's digest or null (unknown) otherwise; undefined when no
   * digest is known (digests not tracked). Read one with {@link digestAt}.
   */
  readonly digests: Uint8Array | readonly (string | null)[] | undefined;
}

export interface WatchState {
  /** {@link canonicalSelection} of the selection the tags were recorded with; undefined for a new state. */
  readonly selection: string | undefined;
  /** Repository → its watched tags and their digests, in recording order. */
  readonly repositories: ReadonlyMap<string, RecordedTags>;
}

const SHA256_PREFIX = "sha256:";
const SHA256_BYTES = 32;
const SHA256_LENGTH = SHA256_PREFIX.length + 2 * SHA256_BYTES;
const LOWER_HEX = /^[0-9a-f]*$/;

/**
 * Tags and their digests (null: unknown) as {@link RecordedTags}: packed
 * bytes when every digest is a lowercase sha256 one, no digests when none
 * is known, the digests as they are otherwise.
 */
export function recordTags(tags: readonly string[], digests: readonly (string | null)[] | undefined): RecordedTags {
  if (digests === undefined || !digests.some((digest) => digest !== null)) return { tags, digests: undefined };
  if (digests.length !== tags.length) throw new RangeError(`${tags.length} tags but ${digests.length} digests`);
  const packed = Buffer.alloc(digests.length * SHA256_BYTES);
  for (let i = 0; i < digests.length; i++) {
    const digest = digests[i]!;
    const hex = digest !== null && digest.length === SHA256_LENGTH && digest.startsWith(SHA256_PREFIX) ? digest.slice(SHA256_PREFIX.length) : undefined;
    if (hex === undefined || !LOWER_HEX.test(hex)) return { tags, digests: [...digests] };
    packed.write(hex, i * SHA256_BYTES, "hex");
  }
  return { tags, digests: packed };
}

/** The digest of the `index`-th tag of `recorded`, or null when it is not known. */
export function digestAt(recorded: RecordedTags, index: number): string | null {
  const { digests } = recorded;
  if (digests === undefined) return null;
  if (digests instanceof Uint8Array) return SHA256_PREFIX + Buffer.from(digests.buffer, digests.byteOffset + index * SHA256_BYTES, SHA256_BYTES).toString("hex");
  return digests[index] ?? null;
}

/** Whether the `i`-th tag of `a` and the `j`-th of `b` both have a known digest, and the digests differ. */
export function digestsDiffer(a: RecordedTags, i: number, b: RecordedTags, j: number): boolean {
  if (a.digests instanceof Uint8Array && b.digests instanceof Uint8Array) {
    const x = a.digests;
    const y = b.digests;
    for (let k = 0; k < SHA256_BYTES; k++) if (x[i * SHA256_BYTES + k] !== y[j * SHA256_BYTES + k]) return true;
    return false;
  }
  const before = digestAt(a, i);
  const after = digestAt(b, j);
  return before !== null && after !== null && before !== after;
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

/** Parses a state file's text (any version up to {@link WATCH_STATE_VERSION}); never throws. `reason` fits after "cannot use STATE: ". */
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
  const parsed = new Map<string, RecordedTags>();
  for (const name of Object.keys(repositories)) {
    const entry = repositories[name];
    const tags = isObject(entry) ? entry["tags"] : undefined;
    const digests = isObject(entry) && Array.isArray(tags) ? readDigests(entry, tags.length, version) : "malformed";
    if (name === "" || name.length > MAX_NAME_LENGTH || !Array.isArray(tags) || digests === "malformed") {
      return invalid(`repository ${JSON.stringify(name.slice(0, 100))} is malformed`);
    }
    for (let i = 0; i < tags.length; i++) {
      const tag: unknown = tags[i];
      const digest: unknown = Array.isArray(digests) ? digests[i] : null;
      if (typeof tag !== "string" || tag === "" || tag.length > MAX_NAME_LENGTH || !(digest === null || (typeof digest === "string" && DIGEST.test(digest)))) {
        return invalid(`tag ${JSON.stringify(String(tag).slice(0, 100))} of ${name} is malformed`);
      }
    }
    // Strictly increasing tags (distribution lists them sorted) cannot repeat; otherwise one Set built at once,
    // about twice as fast as a has() and an add() per tag. The duplicate is looked for only when there is one.
    if (!isStrictlyIncreasing(tags as string[]) && new Set(tags).size !== tags.length) {
      const duplicate = (tags as string[]).find((tag, i) => tags.indexOf(tag) !== i);
      return invalid(`tag ${JSON.stringify(String(duplicate).slice(0, 100))} of ${name} is malformed`);
    }
    parsed.set(name, Array.isArray(digests) ? recordTags(tags as string[], digests as (string | null)[]) : { tags: tags as string[], digests });
  }
  return { status: "ok", state: { selection: canonicalSelection(selection as unknown as WatchSelection), repositories: parsed } };
}

/**
 * An entry's digests: packed sha256 bytes (`sha256`: base64 in version 2,
 * hex in version 1), the `digests` array as it is (its items are checked
 * with their tags), or undefined when it has neither.
 */
function readDigests(entry: Record<string, unknown>, count: number, version: number): Uint8Array | unknown[] | undefined | "malformed" {
  const packed = entry["sha256"];
  const digests = entry["digests"];
  if (packed !== undefined && digests !== undefined) return "malformed";
  if (packed !== undefined) {
    if (typeof packed !== "string" || count === 0) return "malformed";
    const encoding = version === 1 ? "hex" : "base64";
    const length = version === 1 ? count * SHA256_BYTES * 2 : Math.ceil((count * SHA256_BYTES) / 3) * 4;
    if (packed.length !== length || (version === 1 && !LOWER_HEX.test(packed))) return "malformed";
    const bytes = Buffer.from(packed, encoding);
    // Node's decoder skips what is not base64 and stops at "=": with the length exact, any such character leaves
    // the bytes short, which is all a regex over the text would catch (at 3× the cost of the decoding).
    return bytes.length === count * SHA256_BYTES ? bytes : "malformed";
  }
  if (digests === undefined) return undefined;
  if (!Array.isArray(digests) || digests.length !== count) return "malformed";
  return digests;
}

/** The state file's text (one repository per line, so a diff of two states stays readable). */
export function serializeWatchState(state: WatchState, savedAt: Date): string {
  return encodeWatchState(state, savedAt).toString("utf8");
}

/**
 * The state file's bytes, as {@link serializeWatchState} gives its text.
 * Written into one buffer rather than joined into one string: the base64
 * digests (two thirds of a large state) are copied once, as they are,
 * instead of becoming part of a 60 MB string that is then encoded again.
 */
export function encodeWatchState(state: WatchState, savedAt: Date): Buffer {
  // [text, whether it is base64 (ASCII: copied byte for byte)]
  const pieces: Array<[string, boolean]> = [[`{"format":${JSON.stringify(WATCH_STATE_FORMAT)},"version":${WATCH_STATE_VERSION},"savedAt":${JSON.stringify(savedAt.toISOString())},"selection":${state.selection ?? '{"digests":false}'},"repositories":{`, false]];
  let separator = "\n";
  for (const [name, recorded] of state.repositories) {
    // Never write a state that would be refused when read back (a caller still passing version 1's tag → digest Maps).
    if (!Array.isArray(recorded.tags)) throw new TypeError(`the tags of ${name} are not an array (RecordedTags: see recordTags)`);
    const { digests } = recorded;
    let line = `${separator}${JSON.stringify(name)}:{"tags":${JSON.stringify(recorded.tags)}`;
    separator = ",\n";
    if (digests instanceof Uint8Array) {
      pieces.push([`${line},"sha256":"`, false], [Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength).toString("base64"), true]);
      line = '"';
    } else if (digests !== undefined && digests.some((digest) => digest !== null)) {
      line += `,"digests":${JSON.stringify(digests)}`;
    }
    pieces.push([`${line}}`, false]);
  }
  pieces.push(["\n}}\n", false]);
  const bytes = Buffer.allocUnsafe(pieces.reduce((sum, [text, ascii]) => sum + (ascii ? text.length : Buffer.byteLength(text, "utf8")), 0));
  let offset = 0;
  for (const [text, ascii] of pieces) offset += bytes.write(text, offset, ascii ? "latin1" : "utf8");
  // Every byte was written (allocUnsafe leaves old memory otherwise).
  if (offset !== bytes.length) throw new Error(`state encoding wrote ${offset} of ${bytes.length} bytes`);
  return bytes;
}

function isStrictlyIncreasing(tags: readonly string[]): boolean {
  for (let i = 1; i < tags.length; i++) if (!(tags[i - 1]! < tags[i]!)) return false;
  return true;
}

function invalid(reason: string): StateParse {
  return { status: "invalid", reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
