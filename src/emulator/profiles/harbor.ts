/**
 * Harbor 2.x: token service on the same host (`/service/token`), a token response
 * with a real `token` beside an empty `access_token`, all tags without `n`, sorted,
 * and 404 NOT_FOUND (not NAME_UNKNOWN) for a missing repository.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "harbor"; the opening comment says what it models. */
export const harbor: EmulatorProfile = {
  id: "harbor",
  title: "Harbor 2.x",
  source: [`${QUIRKS}: Harbor 2.x (realm /service/token, service harbor-registry, {token, access_token: "", expires_in: 1800, issued_at}, links ?last=&n=, sorted, 404 NOT_FOUND)`],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/service/token" },
    service: "harbor-registry",
    repositoryScopeInChallenge: true,
    token: { fields: "token-and-empty-access_token", expiresIn: 1800, issuedAt: true },
    anonymousReadsWithoutToken: false,
    missingRepository: "not-found",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401 },
  tags: { paging: SPEC_PAGING, order: "lexical", link: DISTRIBUTION_LINK, body: JSON_BODY },
  // Unverified: Harbor's catalog needs a system admin; anonymous callers never get the scope.
  catalog: { kind: "refused", answer: "insufficient-scope" },
  errors: { nameUnknownCode: "NOT_FOUND" },
};
