/**
 * What `regtags probe` reports about one registry: {@link ProbeFindings}.
 * Types only.
 *
 * The registry-behaviour part, {@link ProbeProfile}, uses the field names and
 * value vocabulary of the emulator's `EmulatorProfile` (src/emulator/profile.ts)
 * — `auth.kind`, `tags.paging.defaultPageSize`, `maxPageSize`, `overMax`,
 * `zeroN`, `cursor.kind`, `tags.link.form/order/n`, `tags.order`,
 * `auth.token.fields/expiresIn`, `anonymousReadsWithoutToken`, `catalog.kind` —
 * so a probe of an emulated registry can be compared with the profile that
 * drives it, field by field. It is declared here, not imported: the emulator
 * stays independent of the client side (code-style §4.1). Fields the probe
 * cannot observe in one short run are absent and listed in
 * {@link ProbeFindings.unobserved} with the reason.
 */
import type { ProbeStepId } from "./plan.js";

/** An error answer as seen: status and the first `errors[].code`, if any. */
export interface SeenErrorAnswer {
  readonly status: number;
  readonly code?: string;
}

/** How the challenge was written (emulator: `ChallengeFormat`). */
export interface SeenChallengeFormat {
  /** Scheme exactly as sent: `Bearer`, `bearer`, `BASIC`. */
  readonly scheme: string;
  /** Whether the realm was a quoted-string. */
  readonly quoted: boolean;
}

/** Token response fields (emulator: `TokenResponseProfile`). */
export interface ProbedToken {
  /** `token` only, `access_token` only, `both`, or a real `token` beside `access_token: ""` (Harbor). */
  readonly fields: "token" | "access_token" | "both" | "token-and-empty-access_token";
  /** `expires_in` as announced; absent when the response had none. */
  readonly expiresIn?: number;
  /** The response carried `issued_at`. */
  readonly issuedAt: boolean;
  /** The lifetime regtags applies: `expires_in`, else the spec's 60 s. */
  readonly appliedLifetimeSeconds: number;
}

/** Auth as seen (emulator: `AuthProfile`); `unknown` when a 401 carried no usable challenge. */
export type ProbedAuth =
  | { readonly kind: "none" }
  | { readonly kind: "unknown" }
  | {
      readonly kind: "basic";
      readonly challenge: SeenChallengeFormat;
      readonly realm: string;
      /** Parameters after the realm (ECR's `service`). */
      readonly params?: Readonly<Record<string, string>>;
      /** The repository was readable without credentials. */
      readonly anonymousPublicReads: boolean;
    }
  | {
      readonly kind: "bearer";
      readonly challenge: SeenChallengeFormat;
      /** Where the token endpoint lives: on the registry's origin or another one; `url` as announced. */
      readonly realm: { readonly server: "registry" | "separate"; readonly path: string; readonly url: string };
      readonly service?: string;
      /** `scope` on the ping challenge (ghcr's placeholder, Zot's `""`). */
      readonly pingScope?: string;
      /** The repository's challenge named `repository:<name>:pull` (only seen when anonymous reads are refused). */
      readonly repositoryScopeInChallenge?: boolean;
      /** `error=` on the challenge of the tokenless tags request (ACR: `invalid_token`). */
      readonly anonymousChallengeError?: string;
      /** Other schemes offered in the same header (Forgejo's Basic). */
      readonly otherSchemes?: readonly string[];
      /** Absent when no token could be obtained. */
      readonly token?: ProbedToken;
      /** The repository's tags were served with no Authorization at all. */
      readonly anonymousReadsWithoutToken: boolean;
    };

/** `GET /v2/` without credentials (emulator: `PingProfile`). */
export interface ProbedPing {
  readonly anonymousStatus: number;
  /** A 200 ping still carried a challenge (Zot). */
  readonly challengeOn200?: boolean;
  /** A 401 whose body is not the spec's JSON errors (quay: `true` as text/html). */
  readonly unauthorizedBody?: { readonly contentType: string; readonly body: string };
}

/** Cursor of the next page (emulator: `CursorProfile`). */
export type ProbedCursor =
  | { readonly kind: "last-entry" }
  | { readonly kind: "opaque"; readonly param: string; readonly style: "fernet" | "base64url" | "other" };

/** Paging (emulator: `PagingProfile`). */
export interface ProbedPaging {
  /** `n` is ignored: n=1 returned more than one entry and no link. */
  readonly ignoreParams: boolean;
  /** Entries on the first page without `n`, or `all` when that page did not link on. */
  readonly defaultPageSize: number | "all";
  /** The largest `n` honoured, when the probe found the limit exactly. */
  readonly maxPageSize?: number;
  /** How an `n` above the limit is answered; `not-seen` when no limit showed up to the largest `n` tried. */
  readonly overMax: "clamp" | SeenErrorAnswer | "not-seen";
  /** The largest `n` seen honoured (may be below an unknown limit); what a listing can ask for first. */
  readonly largestHonoured?: number;
  /** What `n=0` returns. */
  readonly zeroN: "empty" | "default" | "all" | SeenErrorAnswer;
  readonly cursor?: ProbedCursor;
}

/** The `Link` header (emulator: `LinkProfile`). */
export interface ProbedLink {
  readonly form: "none" | "relative" | "absolute";
  /** `n` before or after the cursor; absent when links carry no `n`. */
  readonly order?: "n-first" | "cursor-first";
  /**
   * `n` in links: `omit`, `as-requested-or-zero` (ghcr: `n=0` when none was sent), `zero` (`n=0` even after n=1),
   * `effective` (the clamped size), `as-requested` (echoed; also what `effective`
   * looks like while no request was clamped).
   */
  readonly n?: "as-requested" | "as-requested-or-zero" | "effective" | "omit" | "zero";
  /** Parameters besides `n` and the cursor (ACR's `orderby=`). */
  readonly extraParams?: ReadonlyArray<readonly [string, string]>;
}

/** Quirks of the tags/list body seen on the pages read (emulator: `TagsBodyProfile`). */
export interface ProbedBody {
  readonly contentType: string;
  /** JSON `null` entries seen (Nexus). */
  readonly nullEntries?: boolean;
  /** `sha256:…` entries seen among the tags (Artifactory). */
  readonly digestEntries?: boolean;
  /** Body fields besides `name` and `tags` (gcr.io: `child`, `manifest`). */
  readonly extraFields?: readonly string[];
}

/** tags/list (emulator: `TagsProfile`). `order` is `unsorted` for push order and filesystem order alike. */
export interface ProbedTags {
  readonly paging: ProbedPaging;
  readonly order: "lexical" | "unsorted" | "unknown";
  readonly link: ProbedLink;
  readonly body?: ProbedBody;
}

/** `_catalog` (emulator: `CatalogProfile`). */
export type ProbedCatalog =
  | { readonly kind: "paginated" }
  | { readonly kind: "refused"; readonly answer: "insufficient-scope" | SeenErrorAnswer };

/** What the probe learned of the registry's behaviour: the part `regtags probe --save` keeps. */
export interface ProbeProfile {
  /** Headers on registry responses that name the software (`docker-distribution-api-version`, `x-jfrog-version`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth: ProbedAuth;
  readonly ping: ProbedPing;
  /** Absent when no page of tags could be read (repository missing, credentials needed). */
  readonly tags?: ProbedTags;
  readonly catalog?: ProbedCatalog;
}

/** One HTTP exchange of the probe (redacted URL, no headers that carry secrets). */
export interface ProbeExchange {
  readonly step: ProbeStepId;
  readonly method: string;
  readonly url: string;
  /** Undefined when no response came (network or TLS failure). */
  readonly status?: number;
  readonly ms: number;
  readonly error?: string;
}

/** A page request as summarised for humans. */
export interface PageEvidence {
  readonly step: ProbeStepId;
  /** `n` sent, if any. */
  readonly n?: number;
  readonly status: number;
  /** Entries received (digest entries included, `null` entries not). */
  readonly received?: number;
  /** The next link as sent (query values outside the safe list redacted). */
  readonly link?: string;
  readonly errorCode?: string;
}

/** The raw material behind the profile, for the human table and --json. */
export interface ProbeEvidence {
  readonly ping?: {
    readonly status: number;
    /** WWW-Authenticate as sent. */
    readonly challenge?: string;
    readonly challenges: ReadonlyArray<{ readonly scheme: string; readonly params: Readonly<Record<string, string>> }>;
  };
  /** WWW-Authenticate of the anonymous tags request, when refused. */
  readonly tagsChallenge?: string;
  readonly token?: {
    readonly endpoint: string;
    readonly service: string;
    readonly scopes: readonly string[];
    readonly withCredentials: boolean;
    readonly status?: number;
    /** Names of the fields in the token response (values never kept). */
    readonly fieldsPresent?: readonly string[];
    readonly expiresIn?: number;
    readonly issuedAt?: boolean;
    readonly appliedLifetimeSeconds?: number;
    /** regtags renews the token this long before it expires. */
    readonly renewedBeforeSeconds?: number;
    readonly error?: string;
  };
  readonly pages: readonly PageEvidence[];
  readonly catalog?: { readonly status: number; readonly errorCode?: string; readonly challengeError?: string; readonly tokenError?: string };
  /** Rate-limit headers seen on any response (last value of each). */
  readonly rateLimitHeaders: Readonly<Record<string, string>>;
}

/** Everything `regtags probe` reports about one registry. */
export interface ProbeFindings {
  readonly registry: string;
  readonly repository: string;
  /** Origin contacted. */
  readonly endpoint: string;
  /** ISO 8601 time the probe started. */
  readonly probedAt: string;
  readonly profile: ProbeProfile;
  readonly evidence: ProbeEvidence;
  readonly requests: readonly ProbeExchange[];
  readonly totalMs: number;
  /** Profile fields this run could not observe, and why. */
  readonly unobserved: ReadonlyArray<{ readonly field: string; readonly why: string }>;
  /** Things worth knowing that fit no field (a step that failed, credentials not used…). */
  readonly notes: readonly string[];
}

/** A registry the probe could not reach at all (its column in the table says why). */
export interface ProbeFailure {
  readonly registry: string;
  readonly repository: string;
  readonly error: string;
  /** The RegtagsError code, when it was one. */
  readonly code?: string;
}
