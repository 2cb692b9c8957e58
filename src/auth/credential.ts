/**
 * What the auth layer needs from a credential source. The credentials/
 * folder (docker config, auth.json, helpers, env) provides a resolver of this
 * type; auth never reads files itself.
 */

export type Credential =
  /** Username and password: Basic to the registry, or Basic to the token realm. */
  | { readonly kind: "basic"; readonly username: string; readonly password: string; readonly source: string }
  /** A registry token sent as `Bearer` as is (TOK-6, `registrytoken`, `--registry-token`). */
  | { readonly kind: "registry-token"; readonly token: string; readonly source: string }
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the realm by POST (TOK-5). */
  | { readonly kind: "identity-token"; readonly token: string; readonly username?: string; readonly source: string };

/** Finds the credential for a registry name such as "docker.io" or "127.0.0.1:5000". */
export type CredentialResolver = (registry: string, repository: string | undefined) => Promise<Credential | undefined>;
