/**
 * The legacy `~/.dockercfg` (docker before 1.7; CRED-6): the `auths` map
 * without the wrapper, keyed by index URLs such as
 * `https://index.docker.io/v1/`. Pure: takes the text.
 *
 * Keys are always reduced to their host (containers/image treats the legacy
 * format this way), and there are no helpers.
 */
import { type CredentialFile, parseJsonObject, readAuthEntries } from "./auth-entry.js";

/**
 * Parses a legacy .dockercfg.
 * @throws CredentialsError (one line naming `path` and the problem, never a secret).
 * @example parseDockercfg('{"https://index.docker.io/v1/":{"auth":"dTpw","email":"u@example.com"}}', "/home/u/.dockercfg")
 */
export function parseDockercfg(text: string, path: string): CredentialFile {
  const record = parseJsonObject(text, path);
  return {
    origin: path,
    format: "dockercfg",
    auths: readAuthEntries(record, path, ""),
    credHelpers: new Map(),
  };
}
