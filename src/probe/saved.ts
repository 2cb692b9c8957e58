/**
 * Saved probe profiles on disk: `$XDG_CACHE_HOME/regtags/profiles/<host>.json`,
 * else `~/.cache/regtags/profiles/<host>.json`. The directory can be injected
 * (tests never touch the user's cache). Reading never throws: a missing,
 * stale or broken file just means "no hints".
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
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

/** Reads a registry's saved profile; `stale` past `maxAgeMs` (default 7 days). Never throws. */
export async function readSavedProfile(registry: string, options: ReadSavedOptions = {}): Promise<SavedProfileLookup> {
  const path = savedProfilePath(registry, options);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return unreadable(error, path);
  }
  return lookup(text, registry, path, options);
}

/** {@link readSavedProfile}, synchronously (for the client's synchronous `learned` hook). */
export function readSavedProfileSync(registry: string, options: ReadSavedOptions = {}): SavedProfileLookup {
  const path = savedProfilePath(registry, options);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return unreadable(error, path);
  }
  return lookup(text, registry, path, options);
}

function unreadable(error: unknown, path: string): SavedProfileLookup {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing", path };
  return { status: "invalid", path, reason: (error as Error).message };
}

function lookup(text: string, registry: string, path: string, options: ReadSavedOptions): SavedProfileLookup {
  const parsed = parseSavedProfile(text, registry);
  if (!parsed.ok) return { status: "invalid", path, reason: parsed.reason };
  const ageMs = savedProfileAgeMs(parsed.saved, options.now ?? Date.now());
  if (ageMs > (options.maxAgeMs ?? SAVED_PROFILE_MAX_AGE_MS) || ageMs < -60_000) return { status: "stale", saved: parsed.saved, path, ageMs };
  return { status: "ok", saved: parsed.saved, path, ageMs };
}

/** Saves a probe's profile for its registry (atomically: a temp file, then rename). Returns the path. */
export async function writeSavedProfile(findings: ProbeFindings, location: SavedProfileLocation = {}): Promise<string> {
  const dir = savedProfilesDir(location);
  await mkdir(dir, { recursive: true });
  const path = savedProfilePath(findings.registry, location);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(savedProfileOf(findings), null, 2)}\n`, { mode: 0o644 });
  await rename(temp, path);
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
