/**
 * The repositories every emulated server holds unless told otherwise.
 *
 * Names are full repository paths and are the same on every profile: a client asks
 * Docker Hub's emulator for `library/ubuntu` (what `ubuntu` normalises to, REF-3) and
 * every other emulator for `library/ubuntu` too; there is no per-profile renaming.
 * Tag lists are built once, deterministically, and shared (frozen).
 */
import type { RepositorySpec } from "./types.js";
import { createRandom, generateTags, hexString } from "./tag-generator.js";

let cache: Readonly<Record<string, RepositorySpec>> | undefined;

/**
 * The default repositories:
 * - `library/ubuntu`: ~120 tags like Hub's (`10.04`, `12.04.5`, `jammy-20230308`, `latest`);
 * - `linuxserver/hedgedoc`: ~450 tags in ghcr push order, including the field report's
 *   `amd64-1.7.0-ls1`, `amd64-version-1.8.1`, `arm32v7-1.9.1`, `1.9.3-ls56`, `1.9.5-ls73`;
 * - `ansible/creator-ee`: ~130 tags, starting with the field report's quay page;
 * - `empty/repo`: no tags; `private/repo`: 30 tags, private;
 * - `big/repo`: 10,000 generated tags ({@link generateTags} with seed 42).
 * Returns a new object each call (the tag arrays are shared and frozen).
 */
export function defaultRepositories(): Record<string, RepositorySpec> {
  cache ??= Object.freeze({
    "library/ubuntu": { tags: Object.freeze(ubuntuTags()) },
    "linuxserver/hedgedoc": { tags: Object.freeze(hedgedocTags()) },
    "ansible/creator-ee": { tags: Object.freeze(creatorEeTags()) },
    "empty/repo": { tags: Object.freeze([]) },
    "private/repo": { tags: Object.freeze(generateTags(30, 7)), private: true },
    "big/repo": { tags: Object.freeze(generateTags(10_000, 42)) },
  });
  return { ...cache };
}

const UBUNTU_CODENAMES: ReadonlyArray<readonly [string, string]> = [
  ["10.04", "lucid"], ["12.04", "precise"], ["14.04", "trusty"], ["16.04", "xenial"],
  ["18.04", "bionic"], ["20.04", "focal"], ["22.04", "jammy"], ["24.04", "noble"],
];

/** Hub's library/ubuntu shape: releases, LTS point releases, codenames, dated builds. */
function ubuntuTags(): string[] {
  const random = createRandom(2004);
  const tags: string[] = [];
  for (let year = 10; year <= 24; year++) {
    for (const month of ["04", "10"]) tags.push(`${year}.${month}`);
  }
  for (const [version, codename] of UBUNTU_CODENAMES) {
    tags.push(codename);
    for (let point = 1; point <= 5; point++) tags.push(`${version}.${point}`);
    for (let build = 0; build < 6; build++) {
      tags.push(`${codename}-20${int2(random, 16, 24)}${int2(random, 1, 12)}${int2(random, 1, 28)}`);
    }
  }
  tags.push("rolling", "devel", "latest");
  return [...new Set(tags)];
}

function int2(random: () => number, min: number, max: number): string {
  return String(min + Math.floor(random() * (max - min + 1))).padStart(2, "0");
}

const HEDGEDOC_VERSIONS = [
  "1.7.0", "1.7.1", "1.7.2", "1.8.0", "1.8.1", "1.8.2", "1.9.0", "1.9.1",
  "1.9.2", "1.9.3", "1.9.4", "1.9.5", "1.9.6", "1.9.7", "1.9.8", "1.9.9",
] as const;
// linuxserver's build counter runs across versions; these counts put ls56 in 1.9.3
// and ls73 in 1.9.5, as in the field report's ghcr links.
const HEDGEDOC_BUILDS = [5, 6, 6, 6, 6, 6, 6, 7, 7, 6, 6, 6, 2, 2, 2, 1] as const;
const ARCHES = ["amd64", "arm32v7", "arm64v8"] as const;

/** linuxserver/hedgedoc in ghcr push order (oldest first). */
function hedgedocTags(): string[] {
  const tags: string[] = [];
  let build = 0;
  HEDGEDOC_VERSIONS.forEach((version, index) => {
    for (let i = 0; i < (HEDGEDOC_BUILDS[index] ?? 1); i++) {
      build++;
      for (const arch of ARCHES) tags.push(`${arch}-${version}-ls${build}`);
      tags.push(`${version}-ls${build}`);
    }
    for (const arch of ARCHES) tags.push(`${arch}-version-${version}`, `${arch}-${version}`);
    tags.push(`version-${version}`, version);
  });
  for (const arch of ARCHES) tags.push(`${arch}-latest`);
  tags.push("latest");
  return tags;
}

/** quay.io/ansible/creator-ee: the field report's first page, then more of the same shape. */
function creatorEeTags(): string[] {
  const tags = [
    "8f2ef3e55d91258eca4eaef9222505bd401ff86d-1473632019-15-1",
    "v0.2.0a1",
    "8f2ef3e55d91258eca4eaef9222505bd401ff86d-1477382381-16-1",
    "8f2ef3e55d91258eca4eaef9222505bd401ff86d",
    "v0.2.0",
    "67b9e06a5462acd665a9260f5082f39f07fc2ef2-1968203497-17-1",
    "67b9e06a5462acd665a9260f5082f39f07fc2ef2",
    "v0.3.0",
    "52d2ac2718da1fe739a657e73a6094da18227ecb-2005081881-18-1",
    "52d2ac2718da1fe739a657e73a6094da18227ecb",
    "v0.3.1",
  ];
  const random = createRandom(1473);
  let minor = 4;
  let patch = 0;
  for (let build = 19; tags.length < 129; build++) {
    const sha = hexString(random);
    tags.push(`${sha}-${2005081881 + build * 9_000_000}-${build}-1`, sha);
    if (build % 2 === 0) {
      tags.push(`v0.${minor}.${patch}`);
      patch = (patch + 1) % 3;
      if (patch === 0) minor++;
    }
  }
  tags.push("latest");
  return tags;
}
