/**
 * Deterministic, realistic tag names for emulated repositories.
 *
 * Tags come out in "push order" (the order a registry that keeps push order would list
 * them) and mix the shapes seen in the wild: semver with and without `v`, linuxserver's
 * `1.9.3-ls56` and `amd64-version-1.8.1` (field report, ghcr), distro suffixes like
 * `3.19-alpine`, 40-hex commit SHAs and quay's `<sha>-<epoch>-<n>-1` (field report,
 * quay), dates like `2021.11.28`, pre-releases, and one `latest`. Every tag matches the
 * spec's tag grammar `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` (REF-2). No I/O, no clock.
 */

/** A small seeded PRNG (mulberry32): same seed, same sequence, on every platform. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stable 32-bit FNV-1a hash of a string, used to seed per-repository randomness. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

type Random = () => number;

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** 40 lowercase hex digits, like a git commit SHA. */
export function hexString(random: Random, length = 40): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

const ARCHES = ["amd64", "arm64v8", "arm32v7"] as const;
const DISTROS = ["alpine", "slim", "bookworm", "bullseye", "jammy", "alpine3.19", "slim-bookworm"] as const;
const PRE = ["rc", "beta", "alpha"] as const;

function semver(random: Random): string {
  return `${int(random, 0, 24)}.${int(random, 0, 40)}.${int(random, 0, 60)}`;
}

/** Shape families with their relative weights. */
const FAMILIES: ReadonlyArray<readonly [number, (random: Random) => string]> = [
  [14, semver],
  [10, (r) => `v${semver(r)}`],
  [12, (r) => `${semver(r)}-ls${int(r, 1, 400)}`],
  [8, (r) => `${pick(r, ARCHES)}-version-${semver(r)}`],
  [8, (r) => `${pick(r, ARCHES)}-${semver(r)}-ls${int(r, 1, 400)}`],
  [8, (r) => `${int(r, 1, 30)}.${int(r, 0, 40)}-${pick(r, DISTROS)}`],
  [6, (r) => `${semver(r)}-${pick(r, DISTROS)}`],
  [8, (r) => hexString(r)],
  [5, (r) => `${hexString(r)}-${int(r, 1400000000, 2100000000)}-${int(r, 1, 999)}-1`],
  [6, (r) => `${int(r, 2015, 2026)}.${int(r, 1, 12)}.${int(r, 1, 28)}`],
  [4, (r) => `${int(r, 2015, 2026)}${String(int(r, 1, 12)).padStart(2, "0")}${String(int(r, 1, 28)).padStart(2, "0")}`],
  [5, (r) => `${semver(r)}-${pick(r, PRE)}.${int(r, 1, 9)}`],
  [3, (r) => `v${int(r, 0, 9)}.${int(r, 0, 30)}.${int(r, 0, 9)}a${int(r, 1, 9)}`],
  [3, (r) => `sha-${hexString(r, 7)}`],
];

const TOTAL_WEIGHT = FAMILIES.reduce((sum, [weight]) => sum + weight, 0);

function oneTag(random: Random): string {
  let roll = random() * TOTAL_WEIGHT;
  for (const [weight, make] of FAMILIES) {
    roll -= weight;
    if (roll < 0) return make(random);
  }
  return semver(random);
}

/**
 * `count` unique, realistic tags in push order, the same for the same `count` and `seed`.
 * `latest` is the most recent push (the last entry) whenever `count >= 1`.
 *
 * @example generateTags(3, 1) // e.g. ["1.9.3-ls56", "v2.0.1", "latest"]
 */
export function generateTags(count: number, seed = 1): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (count === 0) return [];
  const random = createRandom(seed);
  const seen = new Set<string>(["latest"]);
  const tags: string[] = [];
  // The families' spaces are far larger than any sane count; the fallback only
  // guarantees termination.
  let attempts = 0;
  while (tags.length < count - 1) {
    const tag = attempts++ < count * 20 ? oneTag(random) : `build-${tags.length}`;
    if (seen.has(tag)) continue;
    seen.add(tag);
    tags.push(tag);
  }
  tags.push("latest");
  return tags;
}
