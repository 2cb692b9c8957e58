/**
 * GitHub Container Registry (ghcr.io) as the field report saw it in 2023: a
 * placeholder scope on the ping challenge, `{token}` only, pages of 100 in push order
 * with links that say `n=0`, and private or missing packages refused by the token
 * endpoint itself.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_HEADERS, FIELD_REPORT, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "ghcr"; the opening comment says what it models. */
export const ghcr: EmulatorProfile = {
  id: "ghcr",
  title: "GitHub Container Registry (ghcr.io), 2023",
  source: [
    `${QUIRKS}: Vendor APIs (GitHub /{orgs|users}/{owner}/packages/container/{pkg}/versions, per_page 100, needs read:packages)`,
    `${FIELD_REPORT}: GitHub Container Registry section (scope="repository:user/image:pull", {token}, 100 per page, links ?last=<tag>&n=0)`,
    `${QUIRKS}: ghcr.io (n=10000 reportedly returns everything; push order; token endpoint 401; tags: null)`,
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/token" },
    service: "ghcr.io",
    pingScope: "repository:user/image:pull",
    repositoryScopeInChallenge: true,
    // No expires_in: clients fall back to 60 s (skopeo "Increasing token expiration to: 60 seconds").
    token: { fields: "token", issuedAt: false },
    anonymousReadsWithoutToken: false,
    missingRepository: "token-endpoint-401",
    privateRepository: "token-endpoint-401",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    // Chosen: n honoured up to 10000 (reports of n=10000 returning all), clamped above.
    // The link echoes the request's n, or n=0 when none was sent, as in the trace.
    paging: { ...SPEC_PAGING, defaultPageSize: 100, maxPageSize: 10_000, zeroN: "default" },
    order: "push",
    link: { form: "relative", order: "cursor-first", n: "as-requested-or-zero" },
    body: { ...JSON_BODY, emptyRepository: "null" },
  },
  // Unverified: ghcr refuses the catalog; the exact status is a guess.
  catalog: { kind: "refused", answer: { status: 404, code: "NOT_FOUND", message: "catalog is not supported" } },
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
  // api.github.com packages API: token required even for public packages, Link pagination.
  vendorApi: { kind: "github", maxPageSize: 100 },
};
