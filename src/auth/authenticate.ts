/**
 * The auth decorator: wraps a Transport so registry requests authenticate
 * themselves. It never pings first (TOK-1 is only a fallback): the real
 * request goes out, and a 401 is answered from the challenge on that very
 * response (containers/image#2754). Once an origin's challenge is known,
 * later requests carry the token up front, so a listing costs one 401 and
 * one token request however many pages it has.
 *
 * Steps for each request:
 *  1. Attach what the origin's known challenge asks for: a cached or fetched
 *     Bearer token for exactly the request's scopes, or Basic credentials.
 *  2. Send. Anything but 401 is returned to the caller.
 *  3. On 401, parse every challenge (CH-2), prefer Bearer then Basic (CH-10),
 *     reuse the last known challenge if the 401 has none (CH-9).
 *  4. Retry once with a fresh token (after `invalid_token` the cached one is
 *     dropped). A 401 after a fresh token or after Basic credentials is final:
 *     never a loop (TOK-8).
 *  5. A 401 from another origin, reached by a redirect, is answered by asking
 *     that origin directly, anonymously unless it is a registry with
 *     credentials of its own (TOK-10).
 */
import { AuthError, CredentialsError, withSubject } from "../errors.js";
import { isLoopbackRegistry } from "../reference/reference.js";
import { redactUrl, type TraceListener } from "../transport/trace.js";
import { escapeServerText } from "../text/safe-text.js";
import type { Transport, TransportRequest, TransportResponse } from "../transport/types.js";
import { parseChallenges, pickChallenge, type Challenge } from "./challenge.js";
import type { Credential, CredentialResolver } from "./credential.js";
import { parseScope, parseScopeList, formatScope } from "./scope.js";
import { fetchToken } from "./token-endpoint.js";
import { TokenCache, type TokenKey } from "./token-cache.js";

export interface AuthOptions {
  /** Credentials per registry name. Absent = anonymous everywhere. */
  readonly credentials?: CredentialResolver | undefined;
  /**
   * Maps a request origin to the registry name its credentials belong to.
   * Origins it does not know (a cross-origin Link, a redirect target) get no
   * credentials at all.
   */
  readonly registryForOrigin: (origin: string) => string | undefined;
  readonly cache?: TokenCache;
  readonly now?: () => number;
  readonly onTrace?: TraceListener | undefined;
  /** Allow sending Basic credentials to a plain-http token realm on a non-loopback host. @default false */
  readonly allowInsecureRealm?: boolean;
  /** Told each token realm before it is contacted, with the origin whose challenge named it. */
  readonly onRealm?: ((realm: URL, origin: string) => void) | undefined;
}

interface Attached {
  readonly headers: Record<string, string>;
  /** True when what we sent cannot get better by retrying (fresh token, Basic, registry token). */
  readonly final: boolean;
  readonly tokenKey?: TokenKey;
  readonly token?: string;
  /** When the attached token expires (epoch ms). */
  readonly expiresAt?: number;
  readonly credential?: Credential | undefined;
}

export function withAuth(next: Transport, options: AuthOptions): Transport {
  const cache = options.cache ?? new TokenCache(options.now);
  const trace = options.onTrace;
  const knownChallenges = new Map<string, Challenge>();
  const credentialCache = new Map<string, Promise<Credential | undefined>>();

  const credentialFor = (origin: string, repository: string | undefined): Promise<Credential | undefined> => {
    const registry = options.registryForOrigin(origin);
    if (registry === undefined || options.credentials === undefined) return Promise.resolve(undefined);
    const id = `${registry}\n${repository ?? ""}`;
    let pending = credentialCache.get(id);
    if (pending === undefined) {
      pending = options.credentials(registry, repository);
      credentialCache.set(id, pending);
    }
    return pending;
  };

  const attach = async (req: TransportRequest): Promise<Attached> => {
    const origin = req.url.origin;
    const repository = repositoryOf(req);
    const challenge = knownChallenges.get(origin);
    let credential: Credential | undefined;
    try {
      credential = await credentialFor(origin, repository);
    } catch (error) {
      // A broken credentials file matters only once the registry asks for
      // credentials: a registry that reads anonymously is listed anyway.
      // Its message names the file or helper (credentials/ words it; left as it is).
      if (challenge !== undefined) throw error;
      return { headers: {}, final: false, credential: undefined };
    }
    if (credential?.kind === "registry-token") {
      return { headers: { authorization: `Bearer ${credential.token}` }, final: true, credential };
    }
    if (challenge === undefined) return { headers: {}, final: false, credential };
    if (challenge.scheme === "basic") {
      if (credential?.kind !== "basic") return { headers: {}, final: true, credential };
      const basic = Buffer.from(`${credential.username}:${credential.password}`).toString("base64");
      return { headers: { authorization: `Basic ${basic}` }, final: true, credential };
    }
    // TOK-10: a token obtained with a registry's credentials stays with that registry.
    const key = { ...tokenKeyFor(challenge, req), principal: credential === undefined ? "" : (options.registryForOrigin(origin) ?? "") };
    // A refresh token is worth as much as a password: neither goes to a plain-http realm elsewhere than loopback.
    if ((credential?.kind === "basic" || credential?.kind === "identity-token") && !options.allowInsecureRealm) assertRealmSafe(key.realm, subjectOf(origin, req));
    if (options.onRealm !== undefined && URL.canParse(key.realm)) options.onRealm(new URL(key.realm), origin);
    let got;
    try {
      got = await cache.get(key, () => fetchToken(next, key, credential, { now: options.now ?? Date.now, signal: req.signal }));
    } catch (error) {
      // Name what was being opened: the token service alone does not tell the user
      // which registry and repository (a 101, a bad body, a reset at the realm alike).
      throw withSubject(error, subjectOf(origin, req));
    }
    const { grant, fetched } = got;
    trace?.({
      type: "token",
      realm: redactUrl(key.realm),
      service: key.service,
      scopes: key.scopes,
      source: fetched ? "fetched" : "cache",
      expiresInSeconds: Math.round((grant.expiresAt - (options.now ?? Date.now)()) / 1000),
    });
    return { headers: { authorization: `Bearer ${grant.token}` }, final: fetched, tokenKey: key, token: grant.token, expiresAt: grant.expiresAt, credential };
  };

  /** "docker.io/library/ubuntu": the registry name the user knows, and the repository. */
  const subjectOf = (origin: string, req: TransportRequest): string => {
    const registry = options.registryForOrigin(origin) ?? req.url.host;
    const repository = repositoryOf(req);
    return repository === undefined ? registry : `${registry}/${repository}`;
  };

  const tokenKeyFor = (challenge: Challenge, req: TransportRequest): TokenKey => {
    const realm = challenge.params["realm"];
    if (realm === undefined || realm === "") {
      throw new AuthError(`${subjectOf(req.url.origin, req)}: Bearer challenge without a realm from ${req.url.host}; the registry's WWW-Authenticate header is unusable`);
    }
    const needed = req.auth?.scopes ?? [];
    return { realm, service: challenge.params["service"] ?? "", scopes: mergeScopes(needed, challenge, trace, req.url.host) };
  };

  return async (first) => {
    // A request that brings its own Authorization (a vendor API's token) is sent as is (oras-go does the same).
    if (Object.keys(first.headers ?? {}).some((name) => name.toLowerCase() === "authorization")) return next(first);
    let req = first;
    let moved = false;
    for (let attempt = 0; ; attempt++) {
      const attached = await attach(req);
      const res = await next({ ...req, headers: { ...req.headers, ...attached.headers } });
      if (res.status !== 401) return res;

      if (res.url.origin !== req.url.origin && !moved) {
        // TOK-10: a redirect (followed below this layer) reached another origin, which
        // asks for credentials of its own (registry.k8s.io → Artifact Registry). Ask it
        // directly, as itself: none of this registry's credentials, nor a token bought
        // with them, is ever offered to it or to a realm it names.
        moved = true;
        const theirs = pickChallenge(parseChallenges(res.headers.getAll("www-authenticate")));
        await res.discard();
        if (theirs !== undefined) knownChallenges.set(res.url.origin, theirs);
        trace?.({ type: "auth", message: `${req.url.host} redirected to ${res.url.host}, which wants ${theirs?.scheme ?? "credentials"}; asking it directly, without ${req.url.host}'s credentials` });
        req = { ...req, url: res.url };
        continue;
      }

      const origin = req.url.origin;
      const parsed = parseChallenges(res.headers.getAll("www-authenticate"));
      const challenge = pickChallenge(parsed) ?? knownChallenges.get(origin);
      await res.discard();
      if (challenge === undefined) {
        throw new AuthError(`${subjectOf(origin, req)}: 401 Unauthorized without a usable WWW-Authenticate challenge at ${redactUrl(req.url)}`, { status: 401 });
      }
      const learnt = knownChallenges.get(origin) === undefined;
      knownChallenges.set(origin, challenge);
      const challengeError = challenge.params["error"];
      trace?.({
        type: "auth",
        message: `${req.url.host} wants ${challenge.scheme}${challenge.params["realm"] !== undefined ? ` realm=${redactUrl(challenge.params["realm"])}` : ""}${challenge.params["service"] !== undefined ? ` service=${challenge.params["service"]}` : ""}${challengeError !== undefined ? ` error=${challengeError}` : ""}`,
      });
      // A fresh token that expired before the 401 came was not refused: the retry layer
      // below waited (a long Retry-After) and resent it late. Renew it, once.
      const outlived = attached.expiresAt !== undefined && (options.now ?? Date.now)() >= attached.expiresAt;
      const retryable = attempt < 2 && (!attached.final || outlived || (learnt && attached.headers["authorization"] === undefined));
      if (!retryable) throw authFailure(subjectOf(origin, req), res, challenge, attached);
      if (attached.token !== undefined && attached.tokenKey !== undefined) {
        // TOK-8: a rejected cached token is renewed once, never in a loop. Only that
        // token is dropped: when a concurrent request has already renewed it, the
        // renewed one is used (TOK-7: concurrent requests share one renewal).
        cache.invalidate(attached.tokenKey, attached.token);
      }
    }
  };
}

/**
 * The scopes to ask for: what the request needs, plus challenge scopes on the
 * same resources (a server may ask for more actions). A challenge scope on
 * another resource, like ghcr's placeholder `repository:user/image:pull` on
 * its ping (field report), is ignored.
 */
function mergeScopes(needed: readonly string[], challenge: Challenge, trace: TraceListener | undefined, host: string): string[] {
  const result = new Map<string, Set<string>>();
  const resourceOf = (s: { type: string; name: string; resourceClass?: string }) => `${s.type}(${s.resourceClass ?? ""}):${s.name}`;
  const wanted = needed.map((text) => parseScope(text));
  for (const scope of wanted) result.set(resourceOf(scope), new Set(scope.actions));
  let offered: ReturnType<typeof parseScopeList> = [];
  try {
    offered = parseScopeList(challenge.params["scope"] ?? "");
  } catch {
    offered = []; // `scope="*"` (Forgejo) or other shapes that name nothing we need
  }
  for (const scope of offered) {
    const actions = result.get(resourceOf(scope));
    if (actions === undefined) {
      trace?.({ type: "auth", message: `${host}: ignoring challenge scope ${formatScope(scope)} (not the resource requested)` });
      continue;
    }
    for (const action of scope.actions) actions.add(action);
  }
  return wanted.map((scope) => formatScope({ ...scope, actions: [...(result.get(resourceOf(scope)) ?? [])] }));
}

function repositoryOf(req: TransportRequest): string | undefined {
  for (const text of req.auth?.scopes ?? []) {
    try {
      const scope = parseScope(text);
      if (scope.type === "repository") return scope.name;
    } catch {
      // not a repository scope
    }
  }
  return undefined;
}

function assertRealmSafe(realm: string, subject: string): void {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return; // fetchToken reports an invalid realm
  }
  if (url.protocol === "http:" && !isLoopbackRegistry(url.host)) {
    throw new CredentialsError(
      `${subject}: refusing to send credentials to the plain-http token realm ${redactUrl(url)}; use an https realm or pass the allowInsecureRealm option`,
    );
  }
}

function authFailure(subject: string, res: TransportResponse, challenge: Challenge, attached: Attached): AuthError {
  const error = challenge.params["error"];
  const description = challenge.params["error_description"];
  const reason = error !== undefined ? ` (${escapeServerText(error)}${description !== undefined ? `: ${escapeServerText(description)}` : ""})` : "";
  // TOK-8: a token fetched a moment ago and refused at once is not about logging in.
  if (attached.token !== undefined && error === "invalid_token") {
    return new AuthError(
      `${subject}: the registry refused a token its token service had just issued${reason}; the registry and its token service disagree (clock skew or signing keys), renewing again would not help`,
      { status: res.status, challengeError: error },
    );
  }
  const sent = attached.headers["authorization"];
  if (attached.credential !== undefined && sent !== undefined) {
    // A token the token service issued for these credentials, then refused by scope: the
    // credentials are fine, they just may not pull this repository.
    if (attached.token !== undefined && attached.credential.kind !== "registry-token") {
      return new AuthError(
        `${subject}: access denied${reason} for the credentials from ${attached.credential.source}; they may not pull this repository, or it does not exist`,
        { status: res.status, ...(error !== undefined ? { challengeError: error } : {}) },
      );
    }
    return new AuthError(
      `authentication failed for ${subject}${reason} (credentials from ${attached.credential.source}); check the user name and password or token`,
      { status: res.status, rejected: true, ...(error !== undefined ? { challengeError: error } : {}) },
    );
  }
  return new AuthError(
    `${subject}: authentication required or repository does not exist${reason}; if it is private, log in (docker login) or pass the credentials option`,
    { status: res.status, ...(error !== undefined ? { challengeError: error } : {}) },
  );
}
