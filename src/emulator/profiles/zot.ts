/**
 * Zot in anonymous mode: a 200 ping that still carries a lower-case, unquoted
 * `bearer` challenge with `scope=""`, anonymous reads, `n`-first raw links, and an
 * empty-bodied 404 for an unknown `last`.
 */
import type { EmulatorProfile } from "../profile.js";
import { DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "zot"; the opening comment says what it models. */
export const zot: EmulatorProfile = {
  id: "zot",
  title: "Zot (anonymous mode)",
  source: [
    `${QUIRKS}: Zot (bearer realm=... lower-case unquoted on a 200 ping; empty scope=""; links n first, unescaped; unknown last → 404 empty body)`,
    "shared/notes/protocol-requirements.md CH fixture 9 (bearer realm=http://h/token)",
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "bearer",
    challenge: { scheme: "bearer", quoted: false },
    realm: { server: "registry", path: "/auth/token" },
    service: "zot",
    pingScope: "",
    repositoryScopeInChallenge: true,
    token: { fields: "token", expiresIn: 3600, issuedAt: true },
    anonymousReadsWithoutToken: true,
    missingRepository: "not-found",
    privateRepository: "insufficient-scope",
  },
  ping: { anonymousStatus: 200, challengeOn200: true },
  tags: {
    paging: { ...SPEC_PAGING, unknownLast: { status: 404, body: { contentType: "", body: "" } } },
    order: "lexical",
    link: { form: "relative", order: "n-first", n: "as-requested", escape: false },
    body: JSON_BODY,
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
