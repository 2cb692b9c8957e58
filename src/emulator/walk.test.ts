/**
 * A deliberately plain fetch client for the emulator's own tests: ping, read the
 * challenge, get a token, follow Link headers as given. It is NOT regtags' client (the
 * emulator must be checked independently of it) and knows only what the profiles'
 * docs tell a careful user. It holds no tests itself (its parsing is checked in
 * emulator.test.ts), so importing it registers nothing.
 */
import assert from "node:assert/strict";
import type { EmulatedRegistry } from "./types.js";

/** Basic credentials as a header value. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** Parameters of the first challenge of `scheme` in a WWW-Authenticate value (test-grade parser). */
export function challengeParams(header: string, scheme: string): Record<string, string> | undefined {
  const start = header.toLowerCase().indexOf(`${scheme.toLowerCase()} `);
  if (start < 0) return undefined;
  const params: Record<string, string> = {};
  const re = /\s*([A-Za-z_]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*(,|$)/y;
  re.lastIndex = start + scheme.length + 1;
  let match: RegExpExecArray | null;
  while ((match = re.exec(header)) !== null) {
    const key = (match[1] ?? "").toLowerCase();
    params[key] ??= match[3] ?? match[2] ?? "";
    if (match[4] === "") break;
    // A following "Scheme k=v" starts another challenge.
    if (/^\s*[A-Za-z]+\s+[A-Za-z_]+=/.test(header.slice(re.lastIndex))) break;
  }
  return params;
}

/** The `rel="next"` target of a Link header, with or without `<>`. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  const bracketed = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(header);
  if (bracketed !== null) return bracketed[1];
  const bare = /^\s*([^;<]+?)\s*;\s*rel="?next"?/i.exec(header);
  return bare?.[1];
}

/** Asks the realm of a Bearer challenge for `scopes`; returns the raw response. */
export async function requestToken(challenge: string, scopes: readonly string[], authorization?: string): Promise<Response> {
  const params = challengeParams(challenge, "bearer");
  assert.ok(params?.["realm"] !== undefined, `no bearer realm in ${challenge}`);
  const url = new URL(params["realm"]);
  if (params["service"] !== undefined) url.searchParams.set("service", params["service"]);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  return fetch(url, authorization === undefined ? {} : { headers: { authorization } });
}

/** The token in a token response: `token`, else a non-empty `access_token` (TOK-4). */
export function tokenOf(body: Record<string, unknown>): string {
  const token = typeof body["token"] === "string" && body["token"] !== "" ? body["token"] : body["access_token"];
  assert.equal(typeof token, "string");
  return token as string;
}

export interface WalkOptions {
  readonly n?: number;
  /** user and password, for Basic or the token endpoint. */
  readonly credentials?: readonly [string, string];
  /** Read without a token even when challenged (quay's anonymous reads). */
  readonly tokenless?: boolean;
  /** PAG-6: with no Link, a full page of `n` continues with `last=<last tag>`. */
  readonly continueWithoutLink?: boolean;
}

export interface WalkResult {
  /** Every entry of every page, in order, nulls included. */
  readonly entries: ReadonlyArray<string | null>;
  readonly pages: number;
}

/** Ping, then the headers reads need: none, Basic, or a Bearer token for `scope`. */
export async function authenticate(registry: EmulatedRegistry, scope: string, options: WalkOptions = {}): Promise<Record<string, string>> {
  const creds = options.credentials === undefined ? undefined : basic(...options.credentials);
  const ping = await fetch(`${registry.url}/v2/`);
  await ping.arrayBuffer();
  const challenge = ping.headers.get("www-authenticate");
  if (ping.status === 200 || challenge === null || options.tokenless === true) return creds === undefined ? {} : { authorization: creds };
  if (challengeParams(challenge, "bearer") === undefined) return creds === undefined ? {} : { authorization: creds };
  const response = await requestToken(challenge, [scope], creds);
  assert.equal(response.status, 200, `token endpoint answered ${response.status}: ${await response.clone().text()}`);
  return { authorization: `Bearer ${tokenOf((await response.json()) as Record<string, unknown>)}` };
}

/** Lists `name` the way a careful client would: ping, token if challenged, follow Links as given. */
export async function walkTags(registry: EmulatedRegistry, name: string, options: WalkOptions = {}): Promise<WalkResult> {
  const headers = await authenticate(registry, `repository:${name}:pull`, options);
  const base = `${registry.url}/v2/${name}/tags/list`;
  let url: string | undefined = options.n === undefined ? base : `${base}?n=${options.n}`;
  const entries: Array<string | null> = [];
  let pages = 0;
  while (url !== undefined) {
    if (++pages > 1000) throw new Error("more than 1000 pages");
    const response = await fetch(url, { headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text}`);
    const page = (JSON.parse(text) as { tags?: Array<string | null> | null }).tags ?? [];
    entries.push(...page);
    const next = nextLink(response.headers.get("link"));
    const tags = page.filter((t): t is string => t !== null);
    if (next !== undefined) url = new URL(next, response.url).href;
    else if (options.continueWithoutLink === true && options.n !== undefined && tags.length === options.n) {
      url = `${base}?n=${options.n}&last=${encodeURIComponent(tags[tags.length - 1] ?? "")}`;
    } else url = undefined;
  }
  return { entries, pages };
}
