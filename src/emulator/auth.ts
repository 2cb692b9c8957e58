/**
 * Registry-side authorization: may this request read this repository (or the
 * catalog), and if not, which 401/404 does the profile's registry send?
 *
 * Bearer profiles check the emulator's own opaque tokens: unknown or expired →
 * `error="invalid_token"`; valid but without the scope → `error="insufficient_scope"`
 * (distribution auth/token.md; TOK-2, TOK-8). Basic profiles check `users`. The token
 * endpoint itself is in `token-endpoint.ts`.
 */
import { basicChallenge, bearerChallenge } from "./challenge.js";
import { isKnownUser, parseAuthorization, type Call, type RegistryContext } from "./context.js";
import type { BasicAuthProfile, BearerAuthProfile } from "./profile.js";
import { codeReply, errorReply, jsonReply, rawReply, type Reply } from "./reply.js";
import type { StoredRepository } from "./store.js";
import { CATALOG_SCOPE, pullScope } from "./tokens.js";

/** Outcome of an authorization check. */
export type Decision =
  | { readonly allowed: true; readonly user: string | undefined }
  | { readonly allowed: false; readonly reply: Reply };

const anonymous: Decision = { allowed: true, user: undefined };

function unauthorized(challenge: string, detail: unknown = null): Decision {
  return { allowed: false, reply: codeReply(401, "UNAUTHORIZED", detail, { "www-authenticate": challenge }) };
}

/** What the caller asks for, for challenges and error details. */
interface Target {
  readonly scope: string;
  readonly detail: unknown;
  /** Readable with no credentials at all, if the profile allows anonymous reads. */
  readonly isPublic: boolean;
  /** The repository is private and the profile hides private repositories behind a 404. */
  readonly hiddenAs404: boolean;
}

function repositoryTarget(ctx: RegistryContext, name: string, repo: StoredRepository | undefined): Target {
  const auth = ctx.profile.auth;
  return {
    scope: pullScope(name),
    detail: [{ Type: "repository", Class: "", Name: name, Action: "pull" }],
    isPublic: repo !== undefined && !repo.isPrivate,
    hiddenAs404: auth.kind === "bearer" && repo?.isPrivate === true && auth.privateRepository === "not-found",
  };
}

const catalogTarget: Target = {
  scope: CATALOG_SCOPE,
  detail: [{ Type: "registry", Class: "", Name: "catalog", Action: "*" }],
  isPublic: true,
  hiddenAs404: false,
};

function decideBasic(ctx: RegistryContext, auth: BasicAuthProfile, call: Call, target: Target, missing: boolean): Decision {
  const credentials = parseAuthorization(call.authorization);
  const challenge = basicChallenge(auth, ctx);
  if (credentials.kind === "basic") {
    return isKnownUser(ctx.users, credentials.user, credentials.password) ? { allowed: true, user: credentials.user } : unauthorized(challenge);
  }
  // With anonymous access on, a missing repository is simply not found (Artifactory, Nexus).
  if (auth.anonymousPublicReads && (target.isPublic || missing)) return anonymous;
  return unauthorized(challenge);
}

function decideBearer(ctx: RegistryContext, auth: BearerAuthProfile, call: Call, target: Target, scopeInChallenge: boolean): Decision {
  const credentials = parseAuthorization(call.authorization);
  const scope = scopeInChallenge ? target.scope : undefined;
  if (credentials.kind === "basic" && auth.acceptsBasic === true) {
    if (isKnownUser(ctx.users, credentials.user, credentials.password)) return { allowed: true, user: credentials.user };
    return unauthorized(bearerChallenge(auth, ctx, { scope }));
  }
  if (credentials.kind === "bearer") {
    const check = ctx.tokens.check(credentials.token, ctx.now());
    if (check.state !== "valid") return unauthorized(bearerChallenge(auth, ctx, { scope, error: "invalid_token" }));
    if (check.scopes.has(target.scope)) return { allowed: true, user: check.user };
    if (target.hiddenAs404) return { allowed: false, reply: codeReply(404, ctx.profile.errors.nameUnknownCode) };
    // distribution always names the missing scope on insufficient_scope.
    return unauthorized(bearerChallenge(auth, ctx, { scope: target.scope, error: "insufficient_scope" }), target.detail);
  }
  if (auth.anonymousReadsWithoutToken && target.isPublic) return anonymous;
  return unauthorized(bearerChallenge(auth, ctx, { scope, error: auth.anonymousChallengeError }));
}

/** May this request pull `name`? `repo` is undefined when the repository does not exist. */
export function authorizePull(ctx: RegistryContext, call: Call, name: string, repo: StoredRepository | undefined): Decision {
  const auth = ctx.profile.auth;
  const target = repositoryTarget(ctx, name, repo);
  if (auth.kind === "none") return anonymous;
  if (auth.kind === "basic") return decideBasic(ctx, auth, call, target, repo === undefined);
  return decideBearer(ctx, auth, call, target, auth.repositoryScopeInChallenge);
}

/** May this request list the catalog? (Refusals that are not about auth are the catalog handler's.) */
export function authorizeCatalog(ctx: RegistryContext, call: Call): Decision {
  const auth = ctx.profile.auth;
  if (auth.kind === "none") return anonymous;
  if (auth.kind === "basic") return decideBasic(ctx, auth, call, catalogTarget, false);
  return decideBearer(ctx, auth, call, catalogTarget, true);
}

/** `GET /v2/`: 200 when authenticated or open, else the profile's challenge (TOK-1). */
export function answerPing(ctx: RegistryContext, call: Call): Reply {
  const { auth, ping } = ctx.profile;
  const ok = jsonReply(200, {});
  if (auth.kind === "none") return ok;
  const credentials = parseAuthorization(call.authorization);
  const acceptsBasic = auth.kind === "basic" || auth.acceptsBasic === true;
  if (credentials.kind === "basic" && acceptsBasic && isKnownUser(ctx.users, credentials.user, credentials.password)) return ok;
  if (credentials.kind === "bearer" && auth.kind === "bearer" && ctx.tokens.check(credentials.token, ctx.now()).state === "valid") return ok;
  const challenge = auth.kind === "basic" ? basicChallenge(auth, ctx) : bearerChallenge(auth, ctx, { scope: auth.pingScope });
  if (ping.anonymousStatus === 200) {
    return ping.challengeOn200 === true ? jsonReply(200, {}, { "www-authenticate": challenge }) : ok;
  }
  const headers = { "www-authenticate": challenge };
  if (ping.unauthorizedBody !== undefined) return rawReply(401, ping.unauthorizedBody, headers);
  return errorReply(401, "UNAUTHORIZED", "authentication required", null, headers);
}
