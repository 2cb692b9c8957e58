/**
 * The token endpoint of Bearer profiles (distribution auth/token.md, "Requesting a
 * Token"): `GET <realm>?service=...&scope=...`, optionally with Basic credentials.
 *
 * It grants exactly the requested scopes the caller may have and nothing else: pull on
 * public repositories to anyone, on private ones to known users only; catalog access
 * only where the profile serves a catalog. Refused scopes are left out of the token,
 * or fail the whole request with 401 where the profile says so (ghcr). Bad credentials
 * are a 401; a wrong `service`, or a realm query the client dropped, a 400 (TOK-3).
 * OAuth2 POST is not offered: POST answers 404, on which clients fall back to GET (TOK-5).
 */
import { isKnownUser, parseAuthorization, type Call, type RegistryContext } from "./context.js";
import type { BearerAuthProfile } from "./profile.js";
import { errorReply, expand, jsonReply, type Reply } from "./reply.js";
import { CATALOG_SCOPE, parseScope, pullScope } from "./tokens.js";

/** Whether `path` is this profile's token endpoint (the realm's path, without its query). */
export function isRealmPath(auth: BearerAuthProfile, path: string): boolean {
  return path === auth.realm.path.split("?")[0];
}

/** Checks what the client must echo back: the challenge's `service` and the realm's own query. */
function checkRequest(ctx: RegistryContext, auth: BearerAuthProfile, call: Call): Reply | undefined {
  if (auth.service !== undefined) {
    const expected = expand(auth.service, ctx);
    const sent = call.query.get("service");
    if (sent !== expected) {
      return errorReply(400, "UNSUPPORTED", `invalid service: expected ${JSON.stringify(expected)}, got ${JSON.stringify(sent)}`);
    }
  }
  const realmQuery = new URLSearchParams(auth.realm.path.split("?")[1] ?? "");
  for (const [key, value] of realmQuery) {
    if (!call.query.getAll(key).includes(value)) {
      return errorReply(400, "UNSUPPORTED", `the realm's query parameter ${key}=${value} was dropped`);
    }
  }
  return undefined;
}

type Grant = { readonly scopes: string[] } | { readonly denied: string };

/** Decides each requested scope. */
function grantScopes(ctx: RegistryContext, auth: BearerAuthProfile, call: Call, user: string | undefined): Grant {
  const requested = call.query.getAll("scope").flatMap((value) => value.split(" ")).filter((s) => s !== "");
  const scopes: string[] = [];
  for (const text of requested) {
    const scope = parseScope(text);
    if (scope === undefined) continue;
    const wantsPull = scope.actions.includes("pull") || scope.actions.includes("*");
    if (scope.type === "repository" && wantsPull) {
      const repo = ctx.repositories.get(scope.name);
      if (repo !== undefined && (!repo.isPrivate || user !== undefined)) {
        scopes.push(pullScope(scope.name));
        continue;
      }
      const answer = repo === undefined ? auth.missingRepository : auth.privateRepository;
      if (answer === "token-endpoint-401") return { denied: scope.name };
      // Granting pull on a missing repository lets the registry answer 404 NAME_UNKNOWN.
      if (answer === "not-found" && repo === undefined) scopes.push(pullScope(scope.name));
    } else if (scope.type === "registry" && scope.name === "catalog" && ctx.profile.catalog.kind === "paginated") {
      scopes.push(CATALOG_SCOPE);
    }
  }
  return { scopes };
}

/** The token response body with the profile's fields. */
function tokenBody(auth: BearerAuthProfile, token: string, issuedAt: number): Record<string, unknown> {
  const { fields, expiresIn } = auth.token;
  const body: Record<string, unknown> = {};
  if (fields === "token" || fields === "both" || fields === "token-and-empty-access_token") body["token"] = token;
  if (fields === "access_token" || fields === "both") body["access_token"] = token;
  // Harbor sends a real token beside an empty access_token (registry-quirks.md; TOK-4).
  if (fields === "token-and-empty-access_token") body["access_token"] = "";
  if (expiresIn !== undefined) body["expires_in"] = expiresIn;
  if (auth.token.issuedAt) body["issued_at"] = new Date(issuedAt).toISOString();
  return body;
}

/** Answers a request to the realm. */
export function answerTokenRequest(ctx: RegistryContext, auth: BearerAuthProfile, call: Call): Reply {
  if (call.method !== "GET") return errorReply(404, "UNSUPPORTED", "OAuth2 POST is not offered; use GET");
  const credentials = parseAuthorization(call.authorization);
  let user: string | undefined;
  if (credentials.kind === "basic") {
    if (!isKnownUser(ctx.users, credentials.user, credentials.password)) {
      return errorReply(401, "UNAUTHORIZED", "incorrect username or password");
    }
    user = credentials.user;
  }
  const invalid = checkRequest(ctx, auth, call);
  if (invalid !== undefined) return invalid;
  const grant = grantScopes(ctx, auth, call, user);
  if ("denied" in grant) {
    return errorReply(401, "DENIED", `requested access to ${grant.denied} is denied`);
  }
  const now = ctx.now();
  const lifetimeSeconds = auth.token.lifetimeSeconds ?? auth.token.expiresIn ?? 60;
  const token = ctx.tokens.issue(grant.scopes, user, lifetimeSeconds * 1000, now);
  return jsonReply(200, tokenBody(auth, token, now), { "cache-control": "no-store" });
}
