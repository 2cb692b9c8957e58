/**
 * quay.io as the field report saw it in 2023: ping body `true` as text/html, `{token}`
 * only, public repositories readable with no token at all, 50 tags per page whatever
 * `n`, and opaque Fernet `next_page` cursors in `n`-first links.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_HEADERS, DISTRIBUTION_CATALOG, FIELD_REPORT, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "quay-2023"; the opening comment says what it models. */
export const quay2023: EmulatorProfile = {
  id: "quay-2023",
  title: "quay.io, 2023 (50 per page, opaque next_page)",
  source: [
    `${QUIRKS}: Vendor APIs (Quay /api/v1/repository/{ns}/{repo}/tag/?limit=100&page=N&onlyActiveTags=true, has_additional)`,
    `${FIELD_REPORT}: Quay.io section (ping 401 'true' text/html, {token}, 50 per page, ?n=50&next_page=gAAAA...%3D, no token needed)`,
    `${QUIRKS}: quay.io 2023 (JWT valid 3600 s)`,
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/v2/auth" },
    service: "quay.io",
    repositoryScopeInChallenge: true,
    token: { fields: "token", issuedAt: false, lifetimeSeconds: 3600 },
    anonymousReadsWithoutToken: true,
    missingRepository: "insufficient-scope",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 401, unauthorizedBody: { contentType: "text/html; charset=utf-8", body: "true" } },
  tags: {
    paging: {
      ...SPEC_PAGING,
      defaultPageSize: 50,
      maxPageSize: 50,
      cursor: {
        kind: "opaque",
        param: "next_page",
        style: "fernet",
        keepsPageSize: false,
        // Unverified: what quay said to a tampered next_page.
        invalid: { status: 400, code: "UNSUPPORTED", message: "invalid next_page token" },
      },
    },
    order: "push",
    link: { form: "relative", order: "n-first", n: "effective" },
    body: JSON_BODY,
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
  // /api/v1/repository/{ns}/{repo}/tag/, limit 100, `page` + `has_additional`.
  vendorApi: { kind: "quay", maxPageSize: 100 },
};
