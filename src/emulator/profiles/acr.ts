/**
 * Azure Container Registry: `error="invalid_token"` on the very first (tokenless)
 * repository challenge, `{access_token}` only, `n` silently capped at 1000, and links
 * ending in an empty `orderby=`.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "acr"; the opening comment says what it models. */
export const acr: EmulatorProfile = {
  id: "acr",
  title: "Azure Container Registry",
  source: [`${QUIRKS}: ACR (realm /oauth2/token, service <registry host>, error="invalid_token" on first challenge, {access_token}, n capped at 1000, links ?last=x&n=1&orderby=)`],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/oauth2/token" },
    service: "{host}",
    repositoryScopeInChallenge: true,
    anonymousChallengeError: "invalid_token",
    token: { fields: "access_token", issuedAt: false },
    anonymousReadsWithoutToken: false,
    missingRepository: "not-found",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    // Unverified: ACR's page size without n is taken as 100.
    paging: { ...SPEC_PAGING, defaultPageSize: 100, maxPageSize: 1000 },
    order: "lexical",
    link: { ...DISTRIBUTION_LINK, extraParams: [["orderby", ""]] },
    body: JSON_BODY,
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
