/**
 * Saved probe profiles, pure part: the file's shape, its validation, its age,
 * and the hints a listing takes from it. A saved profile only ever changes
 * how a listing starts (the first `n`); pagination still follows the
 * registry's links, so a stale profile cannot make a list wrong, and the
 * client reports any contradiction so the file can be dropped. saved.ts
 * reads and writes the files.
 */
import type { ProbeFindings, ProbeProfile } from "./findings.js";

/** The file format's tag; a different one is ignored. */
export const SAVED_PROFILE_FORMAT = "regtags-probe-profile/1";

/** Saved profiles older than this are not used (7 days). */
export const SAVED_PROFILE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One saved profile: `<cache>/regtags/profiles/<host>.json`. */
export interface SavedProfile {
  readonly format: typeof SAVED_PROFILE_FORMAT;
  /** Registry name as the user writes it (`docker.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** The repository that was probed. */
  readonly repository: string;
  /** Origin that was contacted. */
  readonly endpoint: string;
  /** ISO 8601 time of the probe. */
  readonly probedAt: string;
  readonly profile: ProbeProfile;
}

/**
 * What a listing takes from a saved profile (structurally the client's
 * `LearnedHints`).
 */
export interface ProfileHints {
  /** `n` of the first request: the largest page honoured; null sends none (everything comes at once). */
  readonly pageSize?: number | null | undefined;
  /** The registry served tags with no token or credentials at all. */
  readonly anonymousWithoutToken?: boolean | undefined;
}

/** The saved form of a probe's findings. */
export function savedProfileOf(findings: ProbeFindings): SavedProfile {
  return {
    format: SAVED_PROFILE_FORMAT,
    registry: findings.registry,
    repository: findings.repository,
    endpoint: findings.endpoint,
    probedAt: findings.probedAt,
    profile: findings.profile,
  };
}

/** A file name for a registry name: `127.0.0.1:5000` → `127.0.0.1_5000.json`, `[::1]:5000` → `__1__5000.json`. */
export function savedProfileFileName(registry: string): string {
  return `${registry.toLowerCase().replace(/[^a-z0-9.-]/g, "_")}.json`;
}

export type ParsedSavedProfile = { readonly ok: true; readonly saved: SavedProfile } | { readonly ok: false; readonly reason: string };

/**
 * Validates a saved profile's text for `registry`. Anything unexpected is
 * refused with a reason, never thrown: a broken file must not break a listing.
 */
export function parseSavedProfile(text: string, registry: string): ParsedSavedProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { ok: false, reason: "not a JSON object" };
  const record = parsed as Record<string, unknown>;
  if (record["format"] !== SAVED_PROFILE_FORMAT) return { ok: false, reason: `format is not ${SAVED_PROFILE_FORMAT}` };
  if (record["registry"] !== registry) return { ok: false, reason: `it is for ${JSON.stringify(record["registry"])}, not ${registry}` };
  for (const key of ["repository", "endpoint", "probedAt"]) {
    if (typeof record[key] !== "string") return { ok: false, reason: `"${key}" is not a string` };
  }
  if (Number.isNaN(Date.parse(record["probedAt"] as string))) return { ok: false, reason: '"probedAt" is not a date' };
  const profile = record["profile"] as Record<string, unknown> | undefined;
  if (typeof profile !== "object" || profile === null) return { ok: false, reason: '"profile" is missing' };
  const auth = profile["auth"] as Record<string, unknown> | undefined;
  if (typeof auth !== "object" || auth === null || !["none", "unknown", "basic", "bearer"].includes(auth["kind"] as string)) return { ok: false, reason: '"profile.auth.kind" is invalid' };
  const tags = profile["tags"] as Record<string, unknown> | undefined;
  if (tags !== undefined) {
    const paging = tags["paging"] as Record<string, unknown> | undefined;
    if (typeof paging !== "object" || paging === null) return { ok: false, reason: '"profile.tags.paging" is missing' };
    const size = paging["defaultPageSize"];
    if (size !== "all" && !isPositiveInteger(size)) return { ok: false, reason: '"profile.tags.paging.defaultPageSize" is invalid' };
    for (const key of ["maxPageSize", "largestHonoured"]) {
      if (paging[key] !== undefined && !isPositiveInteger(paging[key])) return { ok: false, reason: `"profile.tags.paging.${key}" is invalid` };
    }
    if (typeof paging["ignoreParams"] !== "boolean") return { ok: false, reason: '"profile.tags.paging.ignoreParams" is invalid' };
  }
  return { ok: true, saved: parsed as SavedProfile };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 1_000_000;
}

/** Milliseconds since the probe. */
export function savedProfileAgeMs(saved: SavedProfile, now: number): number {
  return now - Date.parse(saved.probedAt);
}

/**
 * The hints for a listing: everything at once without `n` where the first page
 * had no link (or `n` is ignored); else the exact limit, else the largest `n`
 * seen honoured. Anonymous reads as seen.
 */
export function hintsFromProfile(profile: ProbeProfile): ProfileHints {
  const hints: { pageSize?: number | null; anonymousWithoutToken?: boolean } = {};
  const paging = profile.tags?.paging;
  if (paging !== undefined) {
    if (paging.ignoreParams || paging.defaultPageSize === "all") hints.pageSize = null;
    else if (paging.maxPageSize !== undefined) hints.pageSize = paging.maxPageSize;
    else if (paging.largestHonoured !== undefined) hints.pageSize = paging.largestHonoured;
  }
  const auth = profile.auth;
  if (auth.kind === "bearer") hints.anonymousWithoutToken = auth.anonymousReadsWithoutToken;
  else if (auth.kind === "basic") hints.anonymousWithoutToken = auth.anonymousPublicReads;
  else if (auth.kind === "none") hints.anonymousWithoutToken = true;
  return hints;
}

/** One line for humans: what the hints change. */
export function describeHints(hints: ProfileHints): string {
  const parts: string[] = [];
  if (hints.pageSize === null) parts.push("no n (everything in one response)");
  else if (hints.pageSize !== undefined) parts.push(`n=${hints.pageSize}`);
  if (hints.anonymousWithoutToken !== undefined) parts.push(hints.anonymousWithoutToken ? "anonymous reads" : "token needed");
  return parts.length === 0 ? "nothing" : parts.join(", ");
}
