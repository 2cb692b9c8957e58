/**
 * A small token server (distribution auth/token.md and auth/oauth.md) for the
 * real `docker-registry` the integration tests run. It owns the signing key
 * and certificate, the access policy (who may pull or push what), the JWT
 * encoding and the request log; it knows nothing about the registry process.
 * It imports only `node:` modules, so it checks the client independently of
 * anything in src/.
 *
 * Policy: anonymous users get `pull` on public repositories only; an
 * authenticated user gets every repository action it asks for among
 * pull/push/delete and `registry:catalog:*`. An anonymous request for a
 * private repository still gets a token, without that access, as Docker Hub
 * does; the registry then answers `insufficient_scope`.
 */

import { execFile } from "node:child_process";
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** One request the token server answered. Passwords are never stored. */
export interface TokenRequestRecord {
  readonly method: "GET" | "POST";
  /**
   * GET: the query string without `?`. POST: the form body with `password`
   * and `refresh_token` removed.
   */
  readonly query: string;
  /** The user whose credentials were checked (also when they were wrong). */
  readonly user?: string;
  readonly status: number;
}

/** A running token server; see {@link startTokenServer}. */
export interface TokenServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The realm URL to put in the registry's config: `${url}/token`. */
  readonly realm: string;
  readonly service: string;
  /** Every request answered so far, oldest first (live array). */
  readonly requests: readonly TokenRequestRecord[];
  /** The `exp` (epoch seconds) of every token issued so far, oldest first (live array). */
  readonly expiries: readonly number[];
  close(): Promise<void>;
}

/** Options of {@link startTokenServer}. */
export interface TokenServerOptions {
  /** User name → password, checked on Basic auth and on `grant_type=password`. */
  users: Record<string, string>;
  /** Sent as `expires_in` and encoded as `exp - iat` in every token. */
  lifetimeSeconds: number;
  /** Repositories that anonymous users may pull. */
  isPublic: (repository: string) => boolean;
  /** Must equal the registry's `auth.token.service` (it becomes `aud`). */
  service: string;
  /** Must equal the registry's `auth.token.issuer` (it becomes `iss`). */
  issuer: string;
  /** EC P-256 private key that signs the tokens (ES256). */
  key: KeyObject;
  /** DER of the certificate of `key`; sent in the JWT header's `x5c`. */
  certificateDer: Buffer;
}

/** A key and a self-signed certificate the registry trusts via `rootcertbundle`. */
export interface TokenSigner {
  readonly key: KeyObject;
  readonly certificatePem: string;
  readonly certificateDer: Buffer;
}

let signerPromise: Promise<TokenSigner> | undefined;

/**
 * Creates (once per process, then cached) an EC P-256 key with node:crypto
 * and a self-signed X.509 certificate for it with the `openssl` CLI, since
 * node cannot create certificates. The key only exists in a temp dir for the
 * duration of the openssl call.
 *
 * @throws if `openssl` is missing or fails (its stderr is in the message).
 */
export function createTokenSigner(): Promise<TokenSigner> {
  signerPromise ??= (async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const dir = await mkdtemp(join(tmpdir(), "regtags-signer-"));
    try {
      const keyPath = join(dir, "key.pem");
      const certPath = join(dir, "cert.pem");
      await writeFile(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
      try {
        // The registry verifies the x5c chain against rootcertbundle with Go's
        // x509 (distribution registry/auth/token/token.go), which also checks
        // the validity period: two days covers any test run.
        await execFileAsync(
          "openssl",
          ["req", "-new", "-x509", "-key", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=regtags-test-token-signer", "-sha256"],
          { timeout: 15_000 },
        );
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? "";
        throw new Error(`openssl could not create the token signer certificate (is the openssl CLI installed?): ${String(error)} ${stderr}`.trim());
      }
      const certificatePem = await readFile(certPath, "utf8");
      return {
        key: createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" })),
        certificatePem,
        certificateDer: Buffer.from(new X509Certificate(certificatePem).raw),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  // A failed attempt must not poison later ones.
  signerPromise.catch(() => {
    signerPromise = undefined;
  });
  return signerPromise;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/**
 * Parses `type:name:actions` scopes (distribution auth/scope.md): the type
 * is up to the first colon and the actions follow the last one, so a name
 * with a colon in it still parses. Unparseable scopes are ignored, as a
 * token server grants nothing it does not understand.
 */
function parseScopes(values: readonly string[]): Access[] {
  const scopes: Access[] = [];
  // One parameter may hold several scopes separated by spaces (RFC 6749 §3.3).
  for (const scope of values.flatMap((value) => value.split(" ")).filter((s) => s !== "")) {
    const first = scope.indexOf(":");
    const last = scope.lastIndexOf(":");
    if (first <= 0 || last === first) continue;
    scopes.push({
      type: scope.slice(0, first),
      name: scope.slice(first + 1, last),
      actions: scope.slice(last + 1).split(",").filter((a) => a !== ""),
    });
  }
  return scopes;
}

/**
 * Starts the token server on 127.0.0.1 on a free port.
 *
 * GET `/token?service=..&scope=..(repeated)[&account=..][&offline_token=true]`
 * with optional Basic auth (auth/token.md) answers
 * `{token, access_token, expires_in, issued_at[, refresh_token]}`, or 401 with
 * a JSON error on wrong credentials. POST `/token` with a form
 * `grant_type=password|refresh_token` (auth/oauth.md) answers
 * `{access_token, expires_in, scope, issued_at[, refresh_token]}`; a refresh
 * token is issued only with `access_type=offline`, as oauth.md says.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const requests: TokenRequestRecord[] = [];
  const expiries: number[] = [];
  // Opaque refresh token → user name. Only this process knows them.
  const refreshTokens = new Map<string, string>();
  const x5c = options.certificateDer.toString("base64");

  const checkPassword = (user: string, password: string): boolean => {
    const expected = Object.hasOwn(options.users, user) ? options.users[user] : undefined;
    if (expected === undefined) return false;
    const a = Buffer.from(password);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const grant = (requested: Access[], user: string | undefined): Access[] => {
    const granted: Access[] = [];
    for (const { type, name, actions } of requested) {
      let allowed: string[] = [];
      if (type === "repository") {
        allowed =
          user !== undefined
            ? actions.filter((a) => a === "pull" || a === "push" || a === "delete" || a === "*")
            : options.isPublic(name)
              ? actions.filter((a) => a === "pull")
              : [];
      } else if (type === "registry" && name === "catalog" && user !== undefined) {
        allowed = actions.filter((a) => a === "*");
      }
      if (allowed.length > 0) granted.push({ type, name, actions: [...new Set(allowed)] });
    }
    return granted;
  };

  const issue = (user: string | undefined, access: Access[]): { token: string; issuedAt: Date } => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "ES256", typ: "JWT", x5c: [x5c] };
    const claims = {
      iss: options.issuer,
      sub: user ?? "",
      aud: options.service,
      exp: now + options.lifetimeSeconds,
      nbf: now,
      iat: now,
      jti: randomBytes(16).toString("hex"),
      access,
    };
    expiries.push(claims.exp);
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    // JWS ES256 wants the raw r||s signature (RFC 7518 §3.4), not DER.
    const signature = sign("sha256", Buffer.from(signingInput), { key: options.key, dsaEncoding: "ieee-p1363" });
    return { token: `${signingInput}.${base64url(signature)}`, issuedAt: new Date(now * 1000) };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
    return status;
  };

  const unauthorized = (res: ServerResponse, message: string): number =>
    send(
      res,
      401,
      { errors: [{ code: "UNAUTHORIZED", message, detail: null }] },
      { "www-authenticate": 'Basic realm="regtags-test-token-server"' },
    );

  const handleGet = (req: IncomingMessage, res: ServerResponse, url: URL): { status: number; user?: string } => {
    let user: string | undefined;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Basic\s+(\S+)$/i.exec(authorization);
      const decoded = match?.[1] !== undefined ? Buffer.from(match[1], "base64").toString("utf8") : undefined;
      const colon = decoded?.indexOf(":") ?? -1;
      if (decoded === undefined || colon < 0) return { status: unauthorized(res, "malformed Basic credentials") };
      user = decoded.slice(0, colon);
      if (!checkPassword(user, decoded.slice(colon + 1))) {
        return { status: unauthorized(res, "incorrect username or password"), user };
      }
    }
    const service = url.searchParams.get("service");
    if (service !== null && service !== options.service) {
      return { status: send(res, 400, { errors: [{ code: "INVALID_REQUEST", message: `unknown service ${service}` }] }), ...(user !== undefined ? { user } : {}) };
    }
    const access = grant(parseScopes(url.searchParams.getAll("scope")), user);
    const { token, issuedAt } = issue(user, access);
    const body: Record<string, unknown> = {
      token,
      access_token: token,
      expires_in: options.lifetimeSeconds,
      issued_at: issuedAt.toISOString(),
    };
    // auth/token.md "Requesting a Token": offline_token asks for a refresh token.
    if (user !== undefined && url.searchParams.get("offline_token") === "true") {
      const refreshToken = randomBytes(24).toString("base64url");
      refreshTokens.set(refreshToken, user);
      body.refresh_token = refreshToken;
    }
    return { status: send(res, 200, body), ...(user !== undefined ? { user } : {}) };
  };

  const handlePost = (form: URLSearchParams, res: ServerResponse): { status: number; user?: string } => {
    // RFC 6749 §5.2 error responses: 400 with an `error` code.
    const oauthError = (status: number, error: string, description: string, user?: string) => ({
      status: send(res, status, { error, error_description: description }),
      ...(user !== undefined ? { user } : {}),
    });
    const grantType = form.get("grant_type");
    let user: string | undefined;
    if (grantType === "password") {
      const username = form.get("username");
      const password = form.get("password");
      if (username === null || password === null) return oauthError(400, "invalid_request", "username and password are required");
      if (!checkPassword(username, password)) return oauthError(400, "invalid_grant", "incorrect username or password", username);
      user = username;
    } else if (grantType === "refresh_token") {
      const refreshToken = form.get("refresh_token");
      user = refreshToken !== null ? refreshTokens.get(refreshToken) : undefined;
      if (user === undefined) return oauthError(400, "invalid_grant", "unknown refresh token");
    } else {
      return oauthError(400, "unsupported_grant_type", `unsupported grant_type ${grantType ?? "(none)"}`);
    }
    const service = form.get("service");
    if (service !== null && service !== options.service) return oauthError(400, "invalid_request", `unknown service ${service}`, user);
    const access = grant(parseScopes(form.getAll("scope")), user);
    const { token, issuedAt } = issue(user, access);
    const body: Record<string, unknown> = {
      access_token: token,
      expires_in: options.lifetimeSeconds,
      scope: access.map((a) => `${a.type}:${a.name}:${a.actions.join(",")}`).join(" "),
      issued_at: issuedAt.toISOString(),
    };
    if (form.get("access_type") === "offline") {
      const refreshToken = grantType === "refresh_token" ? form.get("refresh_token") ?? "" : randomBytes(24).toString("base64url");
      refreshTokens.set(refreshToken, user);
      body.refresh_token = refreshToken;
    }
    return { status: send(res, 200, body), user };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record = (method: "GET" | "POST", query: string, result: { status: number; user?: string }): void => {
      requests.push({ method, query, status: result.status, ...(result.user !== undefined ? { user: result.user } : {}) });
    };
    if (url.pathname !== "/token") {
      send(res, 404, { errors: [{ code: "NOT_FOUND", message: "only /token is served here" }] });
      return;
    }
    if (req.method === "GET") {
      record("GET", url.search.replace(/^\?/, ""), handleGet(req, res, url));
      return;
    }
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 64 * 1024) chunks.push(chunk);
      });
      req.on("end", () => {
        if (size > 64 * 1024) {
          record("POST", "", { status: send(res, 413, { error: "invalid_request", error_description: "form too large" }) });
          return;
        }
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const result = handlePost(form, res);
        const logged = new URLSearchParams([...form].filter(([key]) => key !== "password" && key !== "refresh_token"));
        record("POST", logged.toString(), result);
      });
      return;
    }
    send(res, 405, { errors: [{ code: "UNSUPPORTED", message: "GET or POST only" }] }, { allow: "GET, POST" });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Do not keep a test process alive just for this server.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url,
    realm: `${url}/token`,
    service: options.service,
    requests,
    expiries,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
