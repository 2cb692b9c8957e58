/**
 * Saved probe profiles on disk: `$XDG_CACHE_HOME/regtags/profiles/<host>.json`,
 * else `~/.cache/regtags/profiles/<host>.json`. The directory can be injected
 * (tests never touch the user's cache). Reading never throws: a missing,
 * stale or broken file just means "no hints".
 */
import { rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { readLocalFile } from "../files/read-local-file.js";
import { writePrivateFile } from "../files/write-private-file.js";
import type { ProbeFindings } from "./findings.js";
import { parseSavedProfile, SAVED_PROFILE_MAX_AGE_MS, savedProfileAgeMs, savedProfileFileName, savedProfileOf, type SavedProfile } from "./saved-profile.js";

export interface SavedProfileLocation {
  /** The profiles directory itself; overrides env and home. */
  readonly dir?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default os.homedir() */
  readonly homeDir?: string;
}

/** The profiles directory: `dir`, else `$XDG_CACHE_HOME/regtags/profiles`, else `~/.cache/regtags/profiles`. */
export function savedProfilesDir(location: SavedProfileLocation = {}): string {
  if (location.dir !== undefined) return location.dir;
  const env = location.env ?? process.env;
  const cache = env["XDG_CACHE_HOME"];
  const base = cache !== undefined && cache !== "" ? cache : join(location.homeDir ?? env["HOME"] ?? homedir(), ".cache");
  return join(base, "regtags", "profiles");
}

/** The file of a registry's saved profile. */
export function savedProfilePath(registry: string, location: SavedProfileLocation = {}): string {
  return join(savedProfilesDir(location), savedProfileFileName(registry));
}

/** What reading found. */
export type SavedProfileLookup =
  | { readonly status: "ok"; readonly saved: SavedProfile; readonly path: string; readonly ageMs: number }
  | { readonly status: "missing"; readonly path: string }
  | { readonly status: "stale"; readonly saved: SavedProfile; readonly path: string; readonly ageMs: number }
  | { readonly status: "invalid"; readonly path: string; readonly reason: string };

export type ReadSavedOptions = SavedProfileLocation & { maxAgeMs?: number; now?: number };

/**
 * Reads a registry's saved profile; `stale` past `maxAgeMs` (default 7 days). Never throws.
 * Only a regular file within the size cap is read (files/read-local-file.ts).
 */
export async function readSavedProfile(registry: string, options: ReadSavedOptions = {}): Promise<SavedProfileLookup> {
  return readSavedProfileSync(registry, options);
}

/** {@link readSavedProfile}, synchronously (for the client's synchronous `learned` hook). */
export function readSavedProfileSync(registry: string, options: ReadSavedOptions = {}): SavedProfileLookup {
  const path = savedProfilePath(registry, options);
  const read = readLocalFile(path);
  if (read.status === "missing") return { status: "missing", path };
  if (read.status === "refused") return { status: "invalid", path, reason: read.reason };
  return lookup(read.text, registry, path, options);
}

function lookup(text: string, registry: string, path: string, options: ReadSavedOptions): SavedProfileLookup {
  const parsed = parseSavedProfile(text, registry);
  if (!parsed.ok) return { status: "invalid", path, reason: parsed.reason };
  const ageMs = savedProfileAgeMs(parsed.saved, options.now ?? Date.now());
  if (ageMs > (options.maxAgeMs ?? SAVED_PROFILE_MAX_AGE_MS) || ageMs < -60_000) return { status: "stale", saved: parsed.saved, path, ageMs };
  return { status: "ok", saved: parsed.saved, path, ageMs };
}

/**
 * Saves a probe's profile for its registry, atomically, as a 0600 file in a
 * directory created 0700 (files/write-private-file.ts). Returns the path.
 */
export async function writeSavedProfile(findings: ProbeFindings, location: SavedProfileLocation = {}): Promise<string> {
  const path = savedProfilePath(findings.registry, location);
  await writePrivateFile(path, `${JSON.stringify(savedProfileOf(findings), null, 2)}\n`);
  return path;
}

/** Removes a registry's saved profile; true when there was one. */
export async function removeSavedProfile(registry: string, location: SavedProfileLocation = {}): Promise<boolean> {
  const path = savedProfilePath(registry, location);
  try {
    await rm(path);
    return true;
  } catch {
    return false;
  }
}
