/**
 * CNCF distribution 2.8 (Debian's `docker-registry` 2.8.2) without auth: tags/list
 * ignores `n` and `last`, sends no Link, lists in filesystem order (unsorted), and says
 * `tags: null` for an empty repository.
 */
import type { EmulatorProfile } from "../profile.js";
import { DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "distribution-2.8"; the opening comment says what it models. */
export const distribution28: EmulatorProfile = {
  id: "distribution-2.8",
  title: "CNCF distribution 2.8 (docker-registry 2.8.2), no auth",
  source: [
    `${QUIRKS}: distribution 2.8 (ignores n and last, no Link, unsorted, tags: null, 404 NAME_UNKNOWN)`,
    "shared/notes/real-registry.md: Behaviour of 2.8 worth knowing",
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: { kind: "none" },
  ping: { anonymousStatus: 200 },
  tags: {
    paging: { ...SPEC_PAGING, ignoreParams: true },
    order: "shuffled",
    link: { ...DISTRIBUTION_LINK, form: "none" },
    body: { ...JSON_BODY, emptyRepository: "null" },
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
