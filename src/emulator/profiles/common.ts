/**
 * Building blocks shared by the built-in profiles: the spec's defaults, so each
 * profile module only states where its registry differs. Data only.
 */
import type { CatalogProfile, ChallengeFormat, LinkProfile, PagingProfile, TagsBodyProfile } from "../profile.js";

/** Sent by distribution and most registries built on or after it. */
export const DISTRIBUTION_HEADERS = { "docker-distribution-api-version": "registry/2.0" } as const;

/** `Bearer` with quoted values, as most registries write it. */
export const BEARER: ChallengeFormat = { scheme: "Bearer", quoted: true };
/** `Basic` with quoted values. */
export const BASIC: ChallengeFormat = { scheme: "Basic", quoted: true };

/** Spec paging (OCI distribution-spec v1.1.1, Listing Tags): all without `n`, `last` cursor, `n=0` empty. */
export const SPEC_PAGING: PagingProfile = {
  ignoreParams: false,
  defaultPageSize: "all",
  overMax: "clamp",
  zeroN: "empty",
  cursor: { kind: "last-entry" },
  fullFinalPage: "no-link",
  unknownLast: "continue",
};

/** distribution's link: relative, Go's sorted `url.Values` puts `last` before `n`, echoing `n`. */
export const DISTRIBUTION_LINK: LinkProfile = { form: "relative", order: "cursor-first", n: "as-requested" };

/** A plain JSON tags body: `application/json`, `[]` for an empty repository. */
export const JSON_BODY: TagsBodyProfile = { contentType: "application/json", emptyRepository: "empty-array" };

/**
 * distribution's catalog: default 100, `n` over 1000 → 400 PAGINATION_NUMBER_INVALID
 * (CAT-1; real-registry.md), linked like tags.
 */
export const DISTRIBUTION_CATALOG: CatalogProfile = {
  kind: "paginated",
  paging: {
    ...SPEC_PAGING,
    defaultPageSize: 100,
    maxPageSize: 1000,
    overMax: { status: 400, code: "PAGINATION_NUMBER_INVALID" },
  },
  link: DISTRIBUTION_LINK,
};

/** The field report, relative to the notes. */
export const FIELD_REPORT = "field report: shared/seeds/registry-api-v2-tag-listing-field-report.ja.txt (2023-03 curl traces)";
/** The project's notes on registry behaviour. */
export const QUIRKS = "shared/notes/registry-quirks.md";
