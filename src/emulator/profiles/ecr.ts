/**
 * Amazon ECR (private): Basic auth whose challenge carries a `service`, pages of 100,
 * 405 UNSUPPORTED for `n` above 1000, absolute links with an opaque `last` and no `n`,
 * unsorted tags, and `text/plain` on JSON bodies.
 */
import type { EmulatorProfile } from "../profile.js";
import { BASIC, DISTRIBUTION_CATALOG, DISTRIBUTION_HEADERS, JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";

const MAX_RESULTS =
  "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'";

/** Built-in emulator profile "ecr"; the opening comment says what it models. */
export const ecr: EmulatorProfile = {
  id: "ecr",
  title: "Amazon ECR (private registry, Basic AWS:<password>)",
  source: [
    `${QUIRKS}: ECR (Basic with service param; default 100; n > 1000 → 405; absolute links ?last=<opaque> without n; unsorted; text/plain)`,
    "https://github.com/google/go-containerregistry/issues/681 (405 UNSUPPORTED maxResults message)",
    "https://github.com/deitch/docker_registry2/issues/34 (Content-Type text/plain, Link ?last=LONGSTRING without n)",
    "https://github.com/docker-archive/migrator/issues/96 (100 tags per response)",
  ],
  headers: DISTRIBUTION_HEADERS,
  auth: {
    kind: "basic",
    challenge: BASIC,
    realm: "{origin}/",
    params: { service: "ecr.amazonaws.com" },
    anonymousPublicReads: false,
  },
  ping: { anonymousStatus: 401 },
  tags: {
    paging: {
      ...SPEC_PAGING,
      defaultPageSize: 100,
      maxPageSize: 1000,
      overMax: { status: 405, code: "UNSUPPORTED", message: MAX_RESULTS },
      // Unverified: n=0 (maxResults 0) is taken as the default page.
      zeroN: "default",
      cursor: {
        kind: "opaque",
        param: "last",
        style: "base64url",
        // The link has no n, so later pages are the default 100 (a nextToken does not
        // carry maxResults in AWS APIs; unverified for the registry front end).
        keepsPageSize: false,
        invalid: { status: 405, code: "UNSUPPORTED", message: "Invalid parameter at 'nextToken' failed to satisfy constraint" },
      },
    },
    order: "shuffled",
    link: { form: "absolute", order: "cursor-first", n: "omit" },
    body: { ...JSON_BODY, contentType: "text/plain; charset=utf-8" },
  },
  catalog: DISTRIBUTION_CATALOG,
  errors: { nameUnknownCode: "NAME_UNKNOWN" },
};
