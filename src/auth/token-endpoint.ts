/**
 * Fetches a token from a Bearer realm (distribution auth/token.md,
 * "Requesting a Token"; TOK-3, TOK-5): GET keeping any query the realm
 * already has, `service` verbatim, one `scope` parameter per scope, Basic
 * credentials when we have them (with `account`, as the reference clients
 * send). An identity token is exchanged by the OAuth2 POST form
 * (auth/oauth.md), falling back to GET on 404.
 */
import { AuthError, ProtocolError, RegistryError } from "../errors.js";
import { redactUrl } from "../transport/trace.js";
import { quoteServerText } from "../text/safe-text.js";
import type { Transport, TransportResponse } from "../transport/types.js";
import type { Credential } from "./credential.js";
import type { TokenKey } from "./token-cache.js";
import { parseTokenResponse, type TokenGrant } from "./token-response.js";

/** Token bodies are small; oras-go derives 128 KiB from header size limits. */
export const TOKEN_BODY_LIMIT = 128 * 1024;

export async function fetchToken(
  send: Transport,
  key: TokenKey,
  credential: Credential | undefined,
  context: { now: () => number; signal: AbortSignal | undefined; clientId?: string },
): Promise<TokenGrant> {
  let realm: URL;
  try {
    realm = new URL(key.realm);
  } catch {
    throw new ProtocolError(`the registry's Bearer realm ${quoteServerText(key.realm)} is not a URL`);
  }
  if (realm.protocol !== "https:" && realm.protocol !== "http:") {
    throw new ProtocolError(`the registry's Bearer realm ${redactUrl(realm)} is not an http(s) URL`);
  }
  const where = `token service ${redactUrl(realm)}`;
  const clientId = context.clientId ?? "regtags";

  if (credential?.kind === "identity-token") {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: credential.token, client_id: clientId });
    if (key.service !== "") form.set("service", key.service);
    if (key.scopes.length > 0) form.set("scope", key.scopes.join(" "));
    const res = await send({
      method: "POST",
      url: realm,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      signal: context.signal,
      purpose: "token",
    });
    if (res.status !== 404) return readGrant(res, where, credential, context.now);
    await res.discard();
  }

  const url = new URL(realm);
  if (key.service !== "") url.searchParams.set("service", key.service);
  for (const scope of key.scopes) url.searchParams.append("scope", scope);
  const headers: Record<string, string> = {};
  if (credential?.kind === "basic") {
    url.searchParams.set("account", credential.username);
    headers["authorization"] = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
  }
  const res = await send({ method: "GET", url, headers, signal: context.signal, purpose: "token" });
  return readGrant(res, where, credential, context.now);
}

async function readGrant(res: TransportResponse, where: string, credential: Credential | undefined, now: () => number): Promise<TokenGrant> {
  if (res.status === 200) return parseTokenResponse(await res.text(TOKEN_BODY_LIMIT), now(), where);
  const body = await res.text(TOKEN_BODY_LIMIT).catch(() => "");
  const excerpt = body.replace(/\s+/g, " ").trim();
  if (res.status === 401 || res.status === 403) {
    const message =
      credential !== undefined
        ? `authentication failed at ${where} (credentials from ${credential.source}): ${res.status}; check the user name and password or token`
        : `${where} refused an anonymous token (${res.status}); the repository is private or does not exist: log in (docker login) or pass the credentials option`;
    throw new AuthError(message, { status: res.status, rejected: credential !== undefined });
  }
  throw new RegistryError(
    res.status === 429 ? "ERR_RATE_LIMITED" : "ERR_REGISTRY",
    `${where} answered ${res.status}${excerpt !== "" ? ` (${quoteServerText(excerpt, 120)})` : ""}`,
    { status: res.status, method: "GET", url: redactUrl(res.url) },
  );
}
