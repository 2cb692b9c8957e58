/**
 * CNCF distribution 3.1.1+ with token auth on its own host: sorted pages, all tags
 * without `n`, `n` clamped to 1000, and a Link after every full page, so an exactly
 * full last page is followed by an empty one.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "distribution-3"; the opening comment says what it models. */
export const distribution3: EmulatorProfile = {
  id: "distribution-3",
  title: "CNCF distribution 3.1.1+, token auth",
  source: [
    `${QUIRKS}: distribution 3.x (paginates; 3.1.1 clamps n to 1000 and links; exactly-full page → empty final page; sorted)`,
    "distribution/distribution registry/handlers/tags.go (no n → all; Link whenever the page is full; createLinkEntry sets n and last)",
    "shared/notes/real-registry.md: token auth challenges with scope and error=",
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/auth/token" },
    service: "distribution",
    repositoryScopeInChallenge: true,
    token: { fields: "token", expiresIn: 300, issuedAt: true },
    anonymousReadsWithoutToken: false,
    missingRepository: "not-found",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    paging: { ...SPEC_PAGING, maxPageSize: 1000, fullFinalPage: "link-to-empty-page" },
    order: "lexical",
    // The link carries the n actually used (the clamped limit).
    link: { form: "relative", order: "cursor-first", n: "effective" },
    body: JSON_BODY,
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
