/**
 * Sonatype Nexus 3 (older versions): upper-case `BASIC` challenge, `n` and `last`
 * honoured but no Link at all (clients must continue from the last tag, PAG-6), and
 * JSON `null` entries among the tags.
 */
import type { EmulatorProfile } from "../profile.js";
import { DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "nexus"; the opening comment says what it models. */
export const nexus: EmulatorProfile = {
  id: "nexus",
  title: "Sonatype Nexus Repository 3 (older versions)",
  source: [`${QUIRKS}: Nexus 3 (BASIC realm upper-case; old versions: no Link at all; JSON null entries in tags)`],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "basic",
    challenge: { scheme: "BASIC", quoted: true },
    realm: "Sonatype Nexus Repository Manager",
    anonymousPublicReads: true,
  },
  ping: { anonymousStatus: 401 },
  tags: {
    paging: SPEC_PAGING,
    order: "lexical",
    link: { ...DISTRIBUTION_LINK, form: "none" },
    body: { ...JSON_BODY, nullEntryPerPage: true },
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
