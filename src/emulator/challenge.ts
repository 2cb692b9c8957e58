/**
 * Writing `WWW-Authenticate` challenges exactly as a profile's registry does: scheme
 * case, quoting, which parameters appear and in what order, and extra challenges in
 * the same header (RFC 9110 §11.6.1; distribution auth/token.md, "How to
 * authenticate"). Parameter order follows distribution: realm, service, scope, error.
 */
import type { BasicAuthProfile, BearerAuthProfile, ChallengeFormat } from "./profile.js";
import { expand, type Origins } from "./reply.js";

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** `scheme k=v,k=v`: quoted-strings, or raw values when the profile writes them so (Zot). */
export function formatChallenge(format: ChallengeFormat, params: ReadonlyArray<readonly [string, string]>): string {
  const parts = params.map(([key, value]) => `${key}=${format.quoted || value === "" ? quote(value) : value}`);
  return `${format.scheme} ${parts.join(",")}`;
}

/** The token endpoint's absolute URL (may carry a query the client must keep, TOK-3). */
export function realmUrl(auth: BearerAuthProfile, origins: Origins): string {
  return `${auth.realm.server === "separate" ? origins.authOrigin : origins.origin}${auth.realm.path}`;
}

/** Extra parameters of a Bearer challenge. */
export interface BearerExtras {
  readonly scope?: string | undefined;
  readonly error?: string | undefined;
}

/** A Bearer challenge, followed by the profile's extra challenge if any (Forgejo). */
export function bearerChallenge(auth: BearerAuthProfile, origins: Origins, extras: BearerExtras): string {
  const params: Array<readonly [string, string]> = [["realm", realmUrl(auth, origins)]];
  if (auth.service !== undefined) params.push(["service", expand(auth.service, origins)]);
  if (extras.scope !== undefined) params.push(["scope", extras.scope]);
  if (extras.error !== undefined) params.push(["error", extras.error]);
  const challenge = formatChallenge(auth.challenge, params);
  // Forgejo joins its two challenges with a bare comma (registry-quirks.md, Codeberg).
  return auth.extraChallenge === undefined ? challenge : `${challenge},${expand(auth.extraChallenge, origins)}`;
}

/** A Basic challenge with the profile's realm and extra parameters (ECR's `service`). */
export function basicChallenge(auth: BasicAuthProfile, origins: Origins): string {
  const params: Array<readonly [string, string]> = [["realm", expand(auth.realm, origins)]];
  for (const [key, value] of Object.entries(auth.params ?? {})) params.push([key, expand(value, origins)]);
  return formatChallenge(auth.challenge, params);
}
