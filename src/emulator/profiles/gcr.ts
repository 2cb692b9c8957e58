/**
 * gcr.io (Google Container Registry): every tag at once with `n` and `last` ignored,
 * and extra `manifest` and `child` fields in the body.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "gcr"; the opening comment says what it models. */
export const gcr: EmulatorProfile = {
  id: "gcr",
  title: "gcr.io (Google Container Registry)",
  source: [`${QUIRKS}: gcr.io / Artifact Registry (realm https://gcr.io/v2/token, service gcr.io; all tags, n/last ignored; manifest{...} and child[] extras)`],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/v2/token" },
    service: "gcr.io",
    repositoryScopeInChallenge: true,
    // Unverified: gcr's token lifetime; the fields follow the token spec's usual set.
    token: { fields: "token", expiresIn: 3600, issuedAt: true },
    anonymousReadsWithoutToken: false,
    missingRepository: "not-found",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    paging: { ...SPEC_PAGING, ignoreParams: true },
    order: "lexical",
    link: { ...DISTRIBUTION_LINK, form: "none" },
    body: { ...JSON_BODY, gcrExtras: true },
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
