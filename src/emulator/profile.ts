/**
 * The emulator's profile type: one registry, in one era, described as data.
 *
 * A profile says how a server answers (challenges, token responses, pages, links,
 * bodies, errors); the server code in this folder only reads these fields and never
 * tests a profile's id. Profiles here describe SERVER behaviour and are deliberately
 * separate from the client's own profiles in `src/profiles/` (code-style §4.1): if
 * both sides shared code, one bug would sit on both sides and tests would still pass.
 *
 * String fields marked {@link Template} may contain placeholders filled in when the
 * server is listening: `{origin}` (e.g. `http://127.0.0.1:34567`), `{host}`
 * (`127.0.0.1:34567`) and `{authOrigin}` (origin of the separate auth server, or the
 * registry's origin when there is none).
 */

/** A string in which `{origin}`, `{host}` and `{authOrigin}` are replaced at run time. */
export type Template = string;

/** A body sent verbatim instead of the spec's JSON error shape. */
export interface RawBody {
  /** Content-Type header; `""` sends no Content-Type at all. */
  readonly contentType: string;
  readonly body: string;
}

/**
 * An error answer. Without `body`, the body is the spec's JSON shape
 * `{"errors":[{"code","message","detail"}]}` (OCI distribution-spec v1.1.1, Error Codes).
 */
export interface ErrorAnswer {
  readonly status: number;
  /** Error code for the JSON body, e.g. `UNSUPPORTED`. */
  readonly code?: string;
  readonly message?: string;
  /** Replaces the JSON body (Hub's text/plain 429, Zot's empty 404). */
  readonly body?: RawBody;
}

/** How a `WWW-Authenticate` challenge is written. */
export interface ChallengeFormat {
  /** Scheme exactly as sent: `Bearer`, `bearer` (Zot), `Basic`, `BASIC` (Nexus). */
  readonly scheme: string;
  /**
   * `true`: every value is a quoted-string (RFC 9110 §11.2). `false`: values are
   * written raw even when they are not tokens, as Zot does (`realm=http://h/token`);
   * an empty value is still written `""`.
   */
  readonly quoted: boolean;
}

/** The server never asks for credentials; `private` repositories are readable by anyone. */
export interface NoAuthProfile {
  readonly kind: "none";
}

/** HTTP Basic on the registry itself (htpasswd, ECR, Artifactory, Nexus). */
export interface BasicAuthProfile {
  readonly kind: "basic";
  readonly challenge: ChallengeFormat;
  /** Realm value, e.g. `Artifactory Realm` or `{origin}/` (ECR). */
  readonly realm: Template;
  /** Extra challenge parameters after the realm, in order (ECR's `service`). */
  readonly params?: Readonly<Record<string, Template>>;
  /** Public repositories can be read without credentials (anonymous access enabled). */
  readonly anonymousPublicReads: boolean;
}

/**
 * How a pull of a repository the caller may not read is refused, for a missing
 * repository and for a private one without credentials:
 * - `not-found`: 404 with {@link ErrorsProfile.nameUnknownCode} (the token endpoint
 *   grants pull on missing repositories, so the registry gets to say 404);
 * - `insufficient-scope`: the token endpoint leaves the scope out of the token, and the
 *   registry answers 401 with `error="insufficient_scope"` (Docker Hub);
 * - `token-endpoint-401`: the token endpoint itself answers 401 (ghcr).
 */
export type DeniedAnswer = "not-found" | "insufficient-scope" | "token-endpoint-401";

/** Fields of the token endpoint's JSON response (distribution auth/token.md, Token Response Fields). */
export interface TokenResponseProfile {
  /**
   * `token` only (ghcr, quay), `access_token` only (ACR), `both` with the same value
   * (Hub), or `token-and-empty-access_token`: a real `token` beside `access_token: ""` (Harbor).
   */
  readonly fields: "token" | "access_token" | "both" | "token-and-empty-access_token";
  /** `expires_in` sent in seconds; absent: the field is left out (ghcr, quay). */
  readonly expiresIn?: number;
  /** Send `issued_at` (RFC 3339). */
  readonly issuedAt: boolean;
  /**
   * Lifetime the server enforces, in seconds (fractions allowed). Default: `expiresIn`,
   * else 60 (TOK-4's default). May differ from `expiresIn` to make tokens expire mid-listing.
   */
  readonly lifetimeSeconds?: number;
}

/** Token auth (distribution auth/token.md): 401 challenge, token endpoint, Bearer requests. */
export interface BearerAuthProfile {
  readonly kind: "bearer";
  readonly challenge: ChallengeFormat;
  /**
   * Where the token endpoint lives: on the registry's own port, or on a separate auth
   * server with its own port (Hub's auth.docker.io). `path` may carry a query, which
   * clients must keep (TOK-3).
   */
  readonly realm: { readonly server: "registry" | "separate"; readonly path: string };
  /** `service` challenge parameter, also required back at the token endpoint; absent: not sent (nvcr.io, AR). */
  readonly service?: Template;
  /** `scope` on the ping challenge: absent: none; `""`: `scope=""` (Zot); else verbatim (ghcr's placeholder). */
  readonly pingScope?: string;
  /** Repository endpoints' challenges carry `scope="repository:<name>:pull"`. */
  readonly repositoryScopeInChallenge: boolean;
  /** `error=` on the challenge of a request that sent no token (ACR: `invalid_token`). */
  readonly anonymousChallengeError?: string;
  /** A second challenge appended to the same header after a comma (Forgejo: `Basic realm="..."`). */
  readonly extraChallenge?: Template;
  /** The registry also accepts Basic credentials of the emulator's `users` directly (Forgejo). */
  readonly acceptsBasic?: boolean;
  readonly token: TokenResponseProfile;
  /** Public repositories can be read with no Authorization at all (quay, Zot anonymous mode). */
  readonly anonymousReadsWithoutToken: boolean;
  readonly missingRepository: DeniedAnswer;
  readonly privateRepository: DeniedAnswer;
}

/** How the registry authenticates: not at all, HTTP Basic, or token auth. */
export type AuthProfile = NoAuthProfile | BasicAuthProfile | BearerAuthProfile;

/** `GET /v2/`. An authenticated ping always answers 200 `{}`. */
export interface PingProfile {
  /** Status of an anonymous ping when the profile has auth: 401 with a challenge, or 200 (Zot anonymous mode). */
  readonly anonymousStatus: 200 | 401;
  /** Also send the challenge on an anonymous 200 ping (Zot). */
  readonly challengeOn200?: boolean;
  /** Body of the anonymous 401 instead of JSON `UNAUTHORIZED` (quay: `true` as text/html). */
  readonly unauthorizedBody?: RawBody;
}

/** Paging rules shared by tags/list and _catalog. */
export interface PagingProfile {
  /** `n` and `last` are ignored: everything in one response, no Link (distribution 2.8, gcr.io). */
  readonly ignoreParams: boolean;
  /** Page size when no `n` is sent: a number, or `all`. */
  readonly defaultPageSize: number | "all";
  /** Largest `n` honoured; absent: no limit. */
  readonly maxPageSize?: number;
  /** Above `maxPageSize`: clamp silently, or answer this error (400 / 405 / 413). */
  readonly overMax: "clamp" | ErrorAnswer;
  /** `n=0`: empty list (spec, PAG-7), the server default (ghcr), or everything (Artifactory). */
  readonly zeroN: "empty" | "default" | "all";
  readonly cursor: CursorProfile;
  /**
   * After a page that ends the list exactly full: no Link, or a Link to an empty last
   * page (distribution 3.x: it links whenever the page is full, tags.go).
   */
  readonly fullFinalPage: "no-link" | "link-to-empty-page";
  /** `last` naming an entry that does not exist: carry on (lexically, or empty list), or this error (Zot: 404, empty body). */
  readonly unknownLast: "continue" | ErrorAnswer;
}

/**
 * Cursor of the next page: the last entry (`last=<tag>`, the spec's way), or an opaque
 * token in `param` (quay-2023 `next_page`, ECR's opaque `last`).
 */
export type CursorProfile =
  | { readonly kind: "last-entry" }
  | {
      readonly kind: "opaque";
      readonly param: string;
      /** `fernet`: `gAAAAAB...=` like quay's (the `=` shows as `%3D` in links); `base64url`: plain. */
      readonly style: "fernet" | "base64url";
      /** The token remembers the page size, so pages after the first keep it although the link has no `n`. */
      readonly keepsPageSize: boolean;
      /** Answer for a cursor that does not decode (a client that rebuilt the link). */
      readonly invalid: ErrorAnswer;
    };

/** The `Link: <...>; rel="next"` header (RFC 8288 §3). */
export interface LinkProfile {
  /** `none`: never sent (distribution 2.8, old Nexus); `relative`: `</v2/...>`; `absolute`: `<http://host/v2/...>`. */
  readonly form: "none" | "relative" | "absolute";
  /** `n` before the cursor (quay, Zot) or after it (Go's sorted `url.Values`: Hub, ghcr, distribution). */
  readonly order: "n-first" | "cursor-first";
  /**
   * `n` written into the link: the request's `n` verbatim, or the page size used when
   * none was sent (`as-requested`); the request's, or `0` when none was sent
   * (`as-requested-or-zero`, ghcr); the page size actually used (`effective`); none (`omit`, ECR);
   * always `0`, whatever was sent (`zero`, the other reading of ghcr's trace).
   */
  readonly n: "as-requested" | "as-requested-or-zero" | "effective" | "omit" | "zero";
  /** Parameters appended after `n` and the cursor (ACR's `orderby=`). */
  readonly extraParams?: ReadonlyArray<readonly [string, string]>;
  /** Percent-encode values (default true); `false` writes them raw (Zot). */
  readonly escape?: boolean;
  /** Wrap the URL in `<>` (default true); `false` produces the malformed `Link: /v2/...; rel="next"`. */
  readonly angleBrackets?: boolean;
}

/** Quirks of the tags/list body. */
export interface TagsBodyProfile {
  /** Content-Type of a 200 (ECR: `text/plain; charset=utf-8`). */
  readonly contentType: string;
  /** `tags` of a repository with no tags at all: `null` (distribution 2.8, ghcr), `[]`, or left out. */
  readonly emptyRepository: "null" | "empty-array" | "omit";
  /** Append a JSON `null` to every non-empty page (Nexus). */
  readonly nullEntryPerPage?: boolean;
  /** Start every page after the first with the previous page's last entry again (duplicates across pages). */
  readonly repeatPreviousLast?: boolean;
  /** After every k-th tag, list `sha256:<digest of that tag>` as if it were a tag (Artifactory); it pages like a tag. */
  readonly digestEntriesEvery?: number;
  /** Add gcr.io's `manifest` map and `child` array. */
  readonly gcrExtras?: boolean;
}

/** `GET /v2/<name>/tags/list`. */
export interface TagsProfile {
  readonly paging: PagingProfile;
  /** Order of the listing: lexical (spec), push order (oldest first), or a fixed per-repository shuffle (filesystem order). */
  readonly order: "lexical" | "push" | "shuffled";
  readonly link: LinkProfile;
  readonly body: TagsBodyProfile;
}

/** `GET /v2/_catalog` (CAT-1): paginated like tags (lexical, `last`), or refused. */
export type CatalogProfile =
  | { readonly kind: "paginated"; readonly paging: PagingProfile; readonly link: LinkProfile }
  | {
      readonly kind: "refused";
      /** `insufficient-scope`: 401 forever, the token endpoint never grants `registry:catalog:*` (Hub). */
      readonly answer: "insufficient-scope" | ErrorAnswer;
    };

/** Error codes and bodies that differ between registries. */
export interface ErrorsProfile {
  /** Code of the 404 for a missing repository: `NAME_UNKNOWN` (spec), `NOT_FOUND` (Harbor). */
  readonly nameUnknownCode: string;
  /** Answer of a rate-limited request (the {@link FaultProfile.rateLimit} fault); default JSON `TOOMANYREQUESTS`. */
  readonly tooManyRequests?: ErrorAnswer;
}

/** Faults for fault tests; every one is off unless set. */
export interface FaultProfile {
  /** Pages after the first carry a next link to their own URL, forever (PAG-9). */
  readonly linkLoop?: boolean;
  /**
   * 429 with `Retry-After` on the k-th tags request (1-based, counted since start or `resetCounts()`), `times` in a row (default 1).
   * `retryAfterForm`: delay-seconds (default) or an HTTP-date that many seconds ahead (RFC 9110 §10.2.3).
   */
  readonly rateLimit?: { readonly onTagsRequest: number; readonly times?: number; readonly retryAfterSeconds: number; readonly retryAfterForm?: "seconds" | "http-date" };
  /**
   * Another status on the k-th tags request, `times` in a row (a 503 burst, 502/504 from a
   * front proxy, 408), with the JSON error body `UNAVAILABLE` and an optional `Retry-After`.
   */
  readonly statusBurst?: { readonly onTagsRequest: number; readonly times: number; readonly status: number; readonly retryAfterSeconds?: number };
  /** How tags responses are written to the socket, from the k-th tags request, `times` in a row (default: every one from k). */
  readonly delivery?: { readonly onTagsRequest: number; readonly times?: number; readonly fault: DeliveryFault };
  /**
   * A fixed-window request quota with rate-limit headers on every tags and manifest answer
   * (RL-1): `dockerhub` sends `ratelimit-limit: L;w=W`, `ratelimit-remaining: R;w=W` and
   * `docker-ratelimit-source` and counts tags requests and manifest GETs (a HEAD is no
   * pull); `x-ratelimit` sends `x-ratelimit-limit`, `-remaining` and `-reset` (epoch
   * seconds) and counts every request. Past the quota: 429 until the window ends (Hub's
   * pull-limit body for `dockerhub`).
   */
  readonly quota?: { readonly limit: number; readonly windowSeconds: number; readonly style: "dockerhub" | "x-ratelimit" };
  /**
   * Later pages' next links point back: `last` names the entry two before the current
   * page's start, so the cursor goes backwards (a hostile or broken server).
   */
  readonly cursorBackwards?: boolean;
  /**
   * Tags requests on the registry's port get `307` to the same path on another origin
   * (a second port), with the query string dropped (registry.k8s.io → Artifact Registry).
   */
  readonly redirectTagsDroppingQuery?: boolean;
  /** Next links are absolute and point at another origin (a second port serving the same data). */
  readonly foreignLink?: boolean;
  /** Next links lose the first path component of the name (Artifactory RTFACT-18971: the virtual repo key). */
  readonly linkDropsFirstComponent?: boolean;
  /**
   * Every tags request that passes auth gets 200 with this body instead of the tag list
   * (a proxy's HTML page with 200, `"tags"` that is not an array, non-string entries;
   * ERR-3, PAG-2).
   */
  readonly tagsBody?: RawBody;
  /**
   * From the k-th tags request on (1-based, counted like `rateLimit`), every Bearer token
   * is refused with `error="invalid_token"`, however fresh: renewing cannot help (TOK-8).
   */
  readonly rejectTokensFromTagsRequest?: number;
}

/**
 * Socket-level faults of a response:
 * - `reset-mid-body`: the headers (with the full Content-Length) and half the body, then the connection is destroyed;
 * - `stall`: accept and never answer (`headers`), or stop after half the body (`body`), keeping the connection open;
 * - `trickle`: the body in chunks of `bytesPerChunk` every `intervalMs` (a slow body that never goes idle);
 * - `endless-body`: a 200 whose JSON body never ends (chunked), to check the client's body cap.
 */
export type DeliveryFault =
  | { readonly kind: "reset-mid-body" }
  | { readonly kind: "stall"; readonly phase: "headers" | "body" }
  | { readonly kind: "trickle"; readonly bytesPerChunk: number; readonly intervalMs: number }
  | { readonly kind: "endless-body" };

/** One registry in one era, as data. */
export interface EmulatorProfile {
  /** `vendor[-era]`, e.g. `quay-2023`; the key of this registry in `Emulator.registries`. */
  readonly id: string;
  /** One line for humans. */
  readonly title: string;
  /** Where the behaviour comes from: field report, vendor docs, issue URLs. */
  readonly source: readonly string[];
  /** Headers on every registry response (`Docker-Distribution-API-Version`, `x-jfrog-version`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth: AuthProfile;
  readonly ping: PingProfile;
  readonly tags: TagsProfile;
  readonly catalog: CatalogProfile;
  readonly errors: ErrorsProfile;
  readonly faults?: FaultProfile;
  /** A vendor tag API served beside the registry API (vendor-api.ts); absent: none. */
  readonly vendorApi?: VendorApiProfile;
}

/**
 * A vendor's own tag API with dates and digests (registry-quirks.md, "Vendor
 * APIs with richer tag data"): Docker Hub's tags API, Quay's `/api/v1` tag API,
 * GitHub's packages API (which wants a token even for public packages).
 */
export interface VendorApiProfile {
  readonly kind: "dockerhub" | "quay" | "github";
  /** Largest page the API serves (Hub `page_size`, Quay `limit`, GitHub `per_page`: 100). */
  readonly maxPageSize: number;
  /** Fault: answer every vendor request with this error, to exercise the client's fallback. */
  readonly refuse?: ErrorAnswer;
}
