/**
 * The containers auth.json of podman, skopeo and buildah (containers/image
 * docs/containers-auth.json.5.md; CRED-6, CRED-8). Pure: takes the text.
 *
 * It has docker's `auths` and `credHelpers`, and one extension that
 * matters: `auths` keys may name a namespace or a repository
 * (`quay.io/team`, `quay.io/team/app`), matched most specific first. A
 * `credsStore` is not part of the format (containers/image ignores it);
 * regtags honours one if present, like every other file, as the last step.
 */
import { type CredentialFile, parseJsonObject, readAuthEntries, readHelpers } from "./auth-entry.js";

/**
 * Parses a containers auth.json.
 * @throws CredentialsError (one line naming `path` and the problem, never a secret).
 * @example parseAuthJson('{"auths":{"quay.io/team":{"auth":"dTpw"}}}', "/run/user/1000/containers/auth.json")
 */
export function parseAuthJson(text: string, path: string): CredentialFile {
  const record = parseJsonObject(text, path);
  return {
    origin: path,
    format: "auth-json",
    auths: readAuthEntries(record["auths"], path, "auths"),
    ...readHelpers(record, path),
  };
}
