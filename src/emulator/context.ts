/**
 * What a handler knows: the running registry's state ({@link RegistryContext}) and one
 * incoming request reduced to what matters ({@link Call}), plus parsing of the
 * Authorization header. No sockets here.
 */
import type { EmulatorProfile } from "./profile.js";
import type { Origins } from "./reply.js";
import type { StoredRepository } from "./store.js";
import type { TokenStore } from "./tokens.js";

/** State of one running emulated registry, shared by its listeners. */
export interface RegistryContext extends Origins {
  readonly profile: EmulatorProfile;
  /** Origin of the second listener (foreign-origin faults), when running. */
  readonly foreignOrigin: string | undefined;
  readonly tokens: TokenStore;
  readonly users: Readonly<Record<string, string>>;
  readonly repositories: ReadonlyMap<string, StoredRepository>;
  /** Key authenticating opaque cursors, random per registry. */
  readonly cursorKey: Buffer;
  now(): number;
}

/** Which listener a request arrived on. */
export type Listener = "registry" | "auth" | "foreign";

/** One request as handlers see it. */
export interface Call {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Raw query without `?`. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly listener: Listener;
}

/** Credentials found in an Authorization header. */
export type Credentials =
  | { readonly kind: "none" }
  | { readonly kind: "basic"; readonly user: string; readonly password: string }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "other" };

/** Parses an Authorization header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header.trim() === "") return { kind: "none" };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match === null) return { kind: "other" };
  const scheme = (match[1] ?? "").toLowerCase();
  const value = match[2] ?? "";
  if (scheme === "bearer") return { kind: "bearer", token: value };
  if (scheme !== "basic") return { kind: "other" };
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { kind: "other" };
  return { kind: "basic", user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The scheme recorded in the request log, whether or not the credentials parse. */
export function authSchemeOf(header: string | undefined): "none" | "basic" | "bearer" | "other" {
  const scheme = header?.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  if (scheme === "") return "none";
  return scheme === "basic" || scheme === "bearer" ? scheme : "other";
}

/** Whether Basic credentials name a configured user with that password. */
export function isKnownUser(users: Readonly<Record<string, string>>, user: string, password: string): boolean {
  return Object.hasOwn(users, user) && users[user] === password;
}

/**
 * Whose credentials a request carries, for the request log: the user of valid Basic
 * credentials, or the user a still valid token was issued to; undefined when anonymous.
 */
export function userOf(ctx: RegistryContext, header: string | undefined): string | undefined {
  const credentials = parseAuthorization(header);
  if (credentials.kind === "basic") return isKnownUser(ctx.users, credentials.user, credentials.password) ? credentials.user : undefined;
  if (credentials.kind !== "bearer") return undefined;
  const check = ctx.tokens.check(credentials.token, ctx.now());
  return check.state === "valid" ? check.user : undefined;
}
