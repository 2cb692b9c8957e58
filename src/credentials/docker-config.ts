/**
 * Docker's config.json (CRED-1..CRED-4), and the same document in the
 * `DOCKER_AUTH_CONFIG` environment variable. Pure: takes the text.
 *
 * Shape (docker/cli cli/config/configfile/file.go): `auths` maps a registry
 * key to an entry (see auth-entry.ts), `credHelpers` maps a registry host to
 * a helper name, `credsStore` names the default helper. Every other key
 * (`HttpHeaders`, `proxies`, …) is ignored.
 */
import { type CredentialFile, parseJsonObject, readAuthEntries, readHelpers } from "./auth-entry.js";

/**
 * Parses a docker config.json (or `DOCKER_AUTH_CONFIG`).
 * @param origin the path, or `DOCKER_AUTH_CONFIG`: named in every message.
 * @throws CredentialsError (one line naming `origin` and the problem, never a secret).
 * @example parseDockerConfig('{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"}}}', "/home/u/.docker/config.json")
 */
export function parseDockerConfig(text: string, origin: string): CredentialFile {
  const record = parseJsonObject(text, origin);
  return {
    origin,
    format: "docker-config",
    auths: readAuthEntries(record["auths"], origin, "auths"),
    ...readHelpers(record, origin),
  };
}
