/**
 * One emulated registry's repositories, with each listing in the order its profile
 * serves it and the deterministic digests of its tags.
 *
 * Listings are computed once per repository on first use: tag order (lexical, push,
 * or a fixed shuffle standing in for distribution 2.8's filesystem order) and, for
 * Artifactory-like profiles, digest entries mixed in as if they were tags.
 */
import { createHash } from "node:crypto";
import type { TagsProfile } from "./profile.js";
import type { RepositorySpec } from "./types.js";
import { createRandom, hashString } from "./tag-generator.js";

/** A repository as one registry serves it. */
export interface StoredRepository {
  readonly name: string;
  readonly isPrivate: boolean;
  /** Tags, unique, in push order. */
  readonly tags: readonly string[];
  /** What tags/list walks through, in served order (may hold digest entries). */
  listing(): readonly string[];
  /** Position of each listing entry. */
  position(entry: string): number | undefined;
  /** Tag of a manifest digest, if it is one of this repository's. */
  tagOfDigest(digest: string): string | undefined;
}

/** `sha256:<hex of sha256("<name>:<tag>")>`: the emulator's deterministic manifest digest. */
export function digestOf(name: string, tag: string): string {
  return `sha256:${createHash("sha256").update(`${name}:${tag}`).digest("hex")}`;
}

/** Code-unit order, which for the ASCII tag alphabet is Go's byte order (distribution's sort). */
export function compareLexically(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function order(entries: string[], how: TagsProfile["order"], name: string): string[] {
  if (how === "lexical") return entries.sort(compareLexically);
  if (how === "shuffled") {
    // Fisher-Yates seeded by the name: unsorted, but the same on every request and run.
    const random = createRandom(hashString(name));
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const a = entries[i] as string;
      entries[i] = entries[j] as string;
      entries[j] = a;
    }
  }
  return entries;
}

function storeOne(name: string, spec: RepositorySpec, tagsProfile: TagsProfile): StoredRepository {
  const tags = [...new Set(spec.tags)];
  let listing: string[] | undefined;
  let positions: Map<string, number> | undefined;
  let digests: Map<string, string> | undefined;
  const build = (): string[] => {
    if (listing !== undefined) return listing;
    const every = tagsProfile.body.digestEntriesEvery;
    const entries: string[] = [];
    tags.forEach((tag, i) => {
      entries.push(tag);
      if (every !== undefined && every > 0 && (i + 1) % every === 0) entries.push(digestOf(name, tag));
    });
    listing = order(entries, tagsProfile.order, name);
    positions = new Map(listing.map((entry, i) => [entry, i]));
    return listing;
  };
  return {
    name,
    isPrivate: spec.private === true,
    tags,
    listing: build,
    position(entry) {
      build();
      return positions?.get(entry);
    },
    tagOfDigest(digest) {
      digests ??= new Map(tags.map((tag) => [digestOf(name, tag), tag]));
      return digests.get(digest);
    },
  };
}

/** The repositories of one registry, by name. */
export function createStore(repositories: Readonly<Record<string, RepositorySpec>>, tagsProfile: TagsProfile): ReadonlyMap<string, StoredRepository> {
  const store = new Map<string, StoredRepository>();
  for (const [name, spec] of Object.entries(repositories)) store.set(name, storeOne(name, spec, tagsProfile));
  return store;
}
