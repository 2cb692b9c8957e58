/**
 * Forgejo / Gitea (e.g. Codeberg): two challenges in one header value, a Bearer one
 * with `scope="*"` and a Basic one, joined by a bare comma; Basic credentials are also
 * accepted directly; links put `n` first.
 */
import type { EmulatorProfile } from "../profile.js";
import { BEARER, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "forgejo"; the opening comment says what it models. */
export const forgejo: EmulatorProfile = {
  id: "forgejo",
  title: "Forgejo / Gitea container registry (Codeberg)",
  source: [`${QUIRKS}: Codeberg/Forgejo (Bearer realm=...,service="container_registry",scope="*",Basic realm=... in one header)`],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: BEARER,
    realm: { server: "registry", path: "/v2/token" },
    service: "container_registry",
    pingScope: "*",
    repositoryScopeInChallenge: false,
    extraChallenge: 'Basic realm="{origin}/v2/token"',
    acceptsBasic: true,
    token: { fields: "token", expiresIn: 86400, issuedAt: false },
    anonymousReadsWithoutToken: false,
    missingRepository: "not-found",
    privateRepository: "not-found",
  },
  ping: { anonymousStatus: 401 },
  tags: {
    paging: SPEC_PAGING,
    order: "lexical",
    link: { form: "relative", order: "n-first", n: "as-requested" },
    body: JSON_BODY,
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
