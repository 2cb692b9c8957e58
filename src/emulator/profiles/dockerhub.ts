/**
 * Docker Hub as the field report saw it in 2023: registry-1.docker.io with its token
 * server on a separate host (auth.docker.io); all tags without `n`, relative
 * `last`-first links with `n`; 401 insufficient_scope instead of 404.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, FIELD_REPORT, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "dockerhub"; the opening comment says what it models. */
export const dockerhub: EmulatorProfile = {
  id: "dockerhub",
  title: "Docker Hub (registry-1.docker.io, tokens from auth.docker.io), 2023",
  source: [
    `${QUIRKS}: Vendor APIs (Docker Hub /v2/namespaces/{ns}/repositories/{repo}/tags, page_size max 100, next URLs)`,
    `${FIELD_REPORT}: DockerHub section (ping challenge, token response, Link </v2/library/ubuntu/tags/list?last=12.04&n=2>)`,
    `${QUIRKS}: Docker Hub (missing/private → 401 insufficient_scope; _catalog refused)`,
    "shared/notes/protocol-requirements.md RL-3 (anti-abuse 429 is text/plain with Retry-After)",
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "separate", path: "/token" },
    service: "registry.docker.io",
    repositoryScopeInChallenge: true,
    token: { fields: "both", expiresIn: 300, issuedAt: true },
    anonymousReadsWithoutToken: false,
    missingRepository: "insufficient-scope",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    // Hub's maximum n is not documented; n=0 is assumed to follow the spec (unverified).
    paging: SPEC_PAGING,
    order: "lexical",
    link: DISTRIBUTION_LINK,
    body: JSON_BODY,
  },
  catalog: { kind: "refused", answer: "insufficient-scope" },
  errors: {
    nameUnknownCode: "NAME_UNKNOWN",
    tooManyRequests: { status: 429, body: { contentType: "text/plain; charset=utf-8", body: "Too Many Requests (HAP429).\n" } },
  },
  // hub.docker.com tags API, page_size max 100, follow `next`.
  vendorApi: { kind: "dockerhub", maxPageSize: 100 },
};
