/**
 * Credentials that already exist: docker's config.json (auths, credHelpers,
 * credsStore), the containers auth.json of podman/skopeo/buildah,
 * `REGISTRY_AUTH_FILE`, `DOCKER_AUTH_CONFIG`, the legacy .dockercfg,
 * credential helpers, and CI tokens for well-known hosts, in one lookup
 * that says which source won and why the others did not.
 *
 * This layer finds credentials; it never sends them. It provides a
 * `CredentialResolver` (auth/credential.ts, imported as a type only) that the
 * auth layer calls with a registry name; auth decides where the credential
 * may go. It imports only errors.ts and its own modules. The parsers
 * (auth-entry, docker-config, auth-json, dockercfg, keys, discovery,
 * helper-protocol, well-known-env, report) are pure; read-file.ts and
 * helper.ts do the I/O; file-lookup.ts walks one file and resolve.ts
 * composes the whole lookup.
 */
export { createCredentialResolver, explainCredentials } from "./resolve.js";
export type { CredentialResolverOptions, ExplicitCredential } from "./resolve.js";
export { formatCredentialReport } from "./report.js";
export type { CredentialReport, CredentialStep, CredentialStepOutcome, CredentialSummary } from "./report.js";
export { parseDockerConfig } from "./docker-config.js";
export { parseAuthJson } from "./auth-json.js";
export { parseDockercfg } from "./dockercfg.js";
export type { AuthEntry, CredentialFile } from "./auth-entry.js";
export { normalizeAuthKey } from "./keys.js";
export { createHelperRunner } from "./helper.js";
export type { HelperRunner, HelperRunnerOptions } from "./helper.js";
export type { HelperOutcome } from "./helper-protocol.js";
export type { CredentialFileReader } from "./read-file.js";
export { ENV_CREDENTIAL_RULES } from "./well-known-env.js";
export type { EnvCredentialRule } from "./well-known-env.js";
