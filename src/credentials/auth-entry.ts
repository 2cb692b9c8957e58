/**
 * One `auths` entry of a docker config.json, a containers auth.json or a
 * legacy .dockercfg, and how it turns into a credential (CRED-2). Pure: no
 * I/O. Shared by the three file parsers.
 *
 * Entry fields (docker/cli cli/config/types/authconfig.go; containers/image
 * docs/containers-auth.json.5.md):
 * - `auth`: base64 of `user:password`, split at the first `:`, trailing NULs
 *   of the password trimmed (docker/cli configfile.decodeAuth);
 * - `identitytoken`: an OAuth2 refresh token (TOK-5);
 * - `registrytoken`: a token sent as `Bearer` as is (TOK-6).
 */
import { CredentialsError } from "../errors.js";
import { describeJsonSyntaxError } from "../grammar/json-syntax.js";

/** One `auths` entry as written in the file. Secrets stay in here; never print it. */
export interface AuthEntry {
  /** The key as written: `https://index.docker.io/v1/`, `quay.io`, `quay.io/ns/repo`. */
  readonly key: string;
  readonly auth?: string;
  readonly identityToken?: string;
  readonly registryToken?: string;
}

/** What an entry supplies; `undefined` from {@link decodeAuthEntry} means "no secret in it". */
export type DecodedEntry =
  | { readonly kind: "basic"; readonly username: string; readonly password: string }
  | { readonly kind: "identity-token"; readonly token: string; readonly username?: string }
  | { readonly kind: "registry-token"; readonly token: string };

/** A credentials file or document, parsed. `origin` names it in messages (a path, or `DOCKER_AUTH_CONFIG`). */
export interface CredentialFile {
  readonly origin: string;
  /** `dockercfg` files know no namespaced keys and always strip a key's path (CRED-6, CRED-8). */
  readonly format: "docker-config" | "auth-json" | "dockercfg";
  /** In file order. */
  readonly auths: readonly AuthEntry[];
  /** Registry key → helper name (`docker-credential-<name>`). */
  readonly credHelpers: ReadonlyMap<string, string>;
  readonly credsStore?: string;
}

/** `docker-credential-<name>`: a name, never a path (a config file must not pick an arbitrary program). */
const HELPER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Standard base64 (RFC 4648 §4), padding optional, whitespace around it ignored. */
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** True for a helper name regtags will run as `docker-credential-<name>`. */
export function isValidHelperName(name: string): boolean {
  return HELPER_NAME_RE.test(name);
}

/**
 * Parses JSON text into an object, with a message that never quotes the text:
 * Node's own JSON.parse message includes an excerpt, which may be a secret.
 * @throws CredentialsError naming `origin`.
 */
export function parseJsonObject(text: string, origin: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    const where = describeJsonSyntaxError(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    throw new CredentialsError(`${describeOrigin(origin)} is not valid JSON${where === undefined ? "" : ` (${where})`}`);
  }
  if (!isPlainObject(parsed)) throw new CredentialsError(`${describeOrigin(origin)} must hold a JSON object`);
  return parsed;
}

/** "credentials file /x/config.json", or "DOCKER_AUTH_CONFIG" as is. */
export function describeOrigin(origin: string): string {
  return /^[A-Z_]+$/.test(origin) ? origin : `credentials file ${origin}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads an `auths` map (`where` = "auths") or a .dockercfg's top level
 * (`where` = "") into entries. Fields
 * other than the three credential fields (`email`, docker's `username`) are
 * ignored; a field of the wrong type makes the whole file malformed, as Go's
 * json.Unmarshal into a struct does in docker and containers/image.
 * @throws CredentialsError naming the file and the key, never a value.
 */
export function readAuthEntries(value: unknown, origin: string, where: string): AuthEntry[] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) throw new CredentialsError(`${describeOrigin(origin)}: ${where === "" ? "the file" : where} must be a JSON object`);
  const entries: AuthEntry[] = [];
  for (const [key, raw] of Object.entries(value)) {
    const label = where === "" ? `the entry ${JSON.stringify(key)}` : `${where}[${JSON.stringify(key)}]`;
    if (raw === null) {
      entries.push({ key });
      continue;
    }
    if (!isPlainObject(raw)) throw new CredentialsError(`${describeOrigin(origin)}: ${label} must be a JSON object`);
    const entry: { key: string; auth?: string; identityToken?: string; registryToken?: string } = { key };
    for (const [field, name] of [
      ["auth", "auth"],
      ["identitytoken", "identityToken"],
      ["registrytoken", "registryToken"],
    ] as const) {
      const fieldValue = raw[field];
      if (fieldValue === undefined || fieldValue === null || fieldValue === "") continue;
      if (typeof fieldValue !== "string") {
        throw new CredentialsError(`${describeOrigin(origin)}: ${label}.${field} must be a string`);
      }
      entry[name] = fieldValue;
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Reads `credHelpers` and `credsStore`.
 * @throws CredentialsError when a helper name is not a plain name.
 */
export function readHelpers(record: Record<string, unknown>, origin: string): { credHelpers: Map<string, string>; credsStore?: string } {
  const credHelpers = new Map<string, string>();
  const helpers = record["credHelpers"];
  if (helpers !== undefined && helpers !== null) {
    if (!isPlainObject(helpers)) throw new CredentialsError(`${describeOrigin(origin)}: credHelpers must be a JSON object`);
    for (const [key, name] of Object.entries(helpers)) {
      if (typeof name !== "string" || !isValidHelperName(name)) {
        throw new CredentialsError(`${describeOrigin(origin)}: credHelpers[${JSON.stringify(key)}] must be a helper name such as "pass" (for docker-credential-pass)`);
      }
      credHelpers.set(key, name);
    }
  }
  const store = record["credsStore"];
  if (store === undefined || store === null || store === "") return { credHelpers };
  if (typeof store !== "string" || !isValidHelperName(store)) {
    throw new CredentialsError(`${describeOrigin(origin)}: credsStore must be a helper name such as "desktop" (for docker-credential-desktop)`);
  }
  return { credHelpers, credsStore: store };
}

/**
 * What an entry supplies, in docker's order: a registry token, else an
 * identity token (with the user name from `auth` if any), else the `auth`
 * user and password. An entry with none of them (`{}`, which `docker login`
 * writes next to a credsStore) supplies nothing: `undefined`.
 * @throws CredentialsError when `auth` is not base64 of `user:password`; the
 *   message names the file and key, never the value.
 */
export function decodeAuthEntry(entry: AuthEntry, origin: string): DecodedEntry | undefined {
  if (entry.registryToken !== undefined) return { kind: "registry-token", token: entry.registryToken };
  let basic: { username: string; password: string } | undefined;
  if (entry.auth !== undefined) {
    const text = entry.auth.trim();
    const problem = `${describeOrigin(origin)}: the "auth" of the entry ${JSON.stringify(entry.key)} is not base64 of "user:password"`;
    if (!BASE64_RE.test(text) || text.length % 4 === 1) throw new CredentialsError(problem);
    const decoded = Buffer.from(text, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new CredentialsError(problem);
    // docker/cli configfile.decodeAuth: strings.Trim(password, "\x00").
    basic = { username: decoded.slice(0, colon), password: trimNuls(decoded.slice(colon + 1)) };
  }
  if (entry.identityToken !== undefined) {
    return { kind: "identity-token", token: entry.identityToken, ...(basic !== undefined && basic.username !== "" ? { username: basic.username } : {}) };
  }
  return basic === undefined ? undefined : { kind: "basic", ...basic };
}

/**
 * Drops NUL padding at both ends (CRED-2: some tools pad `auth`), in linear
 * time: the regex form /^\0+|\0+$/ is quadratic on a run of NULs mid-string.
 */
function trimNuls(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0) start++;
  while (end > start && text.charCodeAt(end - 1) === 0) end--;
  return text.slice(start, end);
}
