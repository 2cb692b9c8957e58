/**
 * JFrog Artifactory: Basic `realm="Artifactory Realm"` with anonymous access on,
 * manifest digests listed among the tags, and `n=0` returning everything.
 */
import type { EmulatorProfile } from "../profile.js";
import { BASIC, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, DISTRIBUTION_LINK, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

/** Built-in emulator profile "artifactory"; the opening comment says what it models. */
export const artifactory: EmulatorProfile = {
  id: "artifactory",
  title: "JFrog Artifactory (anonymous access enabled)",
  source: [
    `${QUIRKS}: Artifactory (Basic realm="Artifactory Realm", x-jfrog-version, n=0 returns all, digests listed as tags, RTFACT-18971 links drop the repo key)`,
    "https://github.com/open-component-model/ocm/pull/278 (Artifactory reports digests on tag list)",
  ],
  headers: { ...DISTRIBUTION_HEADERS, "x-jfrog-version": "Artifactory/7.77.5 77705900" },
  auth: { kind: "basic", challenge: BASIC, realm: "Artifactory Realm", anonymousPublicReads: true },
  // Unverified: with anonymous access on, the ping is taken to answer 200.
  ping: { anonymousStatus: 200 },
  tags: {
    paging: { ...SPEC_PAGING, zeroN: "all" },
    order: "lexical",
    link: DISTRIBUTION_LINK,
    body: { ...JSON_BODY, digestEntriesEvery: 25 },
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
