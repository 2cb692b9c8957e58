/**
 * The lookup inside one credentials file (CRED-4, CRED-5, CRED-8):
 * `credHelpers[host]`, then the `auths` keys (keys.ts), then `credsStore`.
 * A helper with nothing for the registry lets the lookup go on; a missing
 * or failing one, or an undecodable matching entry, is a CredentialsError
 * naming the file or helper.
 */
import type { Credential } from "../auth/credential.js";
import { CredentialsError } from "../errors.js";
import { type CredentialFile, type DecodedEntry, decodeAuthEntry } from "./auth-entry.js";
import type { HelperRunner } from "./helper.js";
import { IDENTITY_TOKEN_USERNAME } from "./helper-protocol.js";
import { candidateEntries, credHelperFor, describeKeys, helperServerUrl } from "./keys.js";
import { describeCredential, summarizeCredential } from "./report.js";

const BYPASS_HINT = "fix it, or choose credentials with the authFile option or the explicit option";

/** A file or entry problem, with the way around it appended. */
export function withBypassHint(error: unknown): unknown {
  return error instanceof CredentialsError ? new CredentialsError(`${error.message}; ${BYPASS_HINT}`) : error;
}

/**
 * What `file` has for the registry, with a one-line detail for the report.
 * @throws CredentialsError (missing or failing helper, undecodable entry).
 */
export async function lookUpInFile(
  file: CredentialFile,
  registry: string,
  repository: string | undefined,
  runHelper: HelperRunner,
): Promise<{ credential?: Credential; detail: string }> {
  const notes: string[] = [];

  // credHelpers[host] first (docker/cli configfile.GetCredentialsStore).
  const helper = credHelperFor(file, registry);
  if (helper !== undefined) {
    const where = `credHelpers[${JSON.stringify(helper.key)}] in ${file.origin}`;
    const credential = await askHelper(runHelper, helper.helper, registry, where);
    if (credential !== undefined) return { credential, detail: `docker-credential-${helper.helper} (credHelpers[${JSON.stringify(helper.key)}]), ${describeCredential(summarizeCredential(credential))}` };
    notes.push(`docker-credential-${helper.helper} (credHelpers) has none for ${helperServerUrl(registry)}`);
  }

  for (const candidate of candidateEntries(file, registry, repository)) {
    const key = JSON.stringify(candidate.entry.key);
    let decoded: DecodedEntry | undefined;
    try {
      decoded = decodeAuthEntry(candidate.entry, file.origin);
    } catch (error) {
      throw withBypassHint(error);
    }
    if (decoded === undefined) {
      notes.push(`auths[${key}] holds no credentials${file.credsStore !== undefined ? " (they are in the credsStore)" : ""}`);
      continue;
    }
    const credential = toCredential(decoded, `${file.origin} auths[${key}]`);
    const how = candidate.match === "normalized" ? `, matched after normalising the key to ${registry}` : candidate.match === "namespace" ? " (namespace key)" : "";
    return { credential, detail: `auths[${key}]${how}, ${describeCredential(summarizeCredential(credential))}` };
  }

  if (file.credsStore !== undefined) {
    const credential = await askHelper(runHelper, file.credsStore, registry, `credsStore in ${file.origin}`);
    if (credential !== undefined) return { credential, detail: `docker-credential-${file.credsStore} (credsStore), ${describeCredential(summarizeCredential(credential))}` };
    notes.push(`docker-credential-${file.credsStore} (credsStore) has none for ${helperServerUrl(registry)}`);
  }

  const summary = `no entry for ${repository !== undefined ? `${registry}/${repository}` : registry}`;
  return { detail: [...notes, `${summary} (${describeKeys(file)})`].join("; ") };
}

function toCredential(decoded: DecodedEntry, source: string): Credential {
  switch (decoded.kind) {
    case "basic":
      return { kind: "basic", username: decoded.username, password: decoded.password, source };
    case "identity-token":
      return { kind: "identity-token", token: decoded.token, source, ...(decoded.username !== undefined ? { username: decoded.username } : {}) };
    case "registry-token":
      return { kind: "registry-token", token: decoded.token, source };
  }
}

/**
 * Runs a helper (once per helper and server URL) and turns its answer into
 * a credential; `undefined` when it has none.
 * @throws CredentialsError when it is missing, fails or times out.
 */
async function askHelper(runHelper: HelperRunner, name: string, registry: string, where: string): Promise<Credential | undefined> {
  const serverUrl = helperServerUrl(registry);
  const outcome = await runHelper(name, serverUrl);
  const program = `docker-credential-${name}`;
  const source = `${program} (${where})`;
  switch (outcome.status) {
    case "found":
      return outcome.username === IDENTITY_TOKEN_USERNAME
        ? { kind: "identity-token", token: outcome.secret, source }
        : { kind: "basic", username: outcome.username, password: outcome.secret, source };
    case "not-found":
      return undefined;
    case "missing":
      if (outcome.refused !== undefined) throw new CredentialsError(`credential helper ${program} (${where}) is not run: ${outcome.refused}`);
      throw new CredentialsError(`credential helper ${program} (${where}) is not installed: no ${program} on PATH; install it, or remove it from that file`);
    case "failed":
      throw new CredentialsError(`credential helper ${program} (${where}) failed for ${serverUrl}: ${outcome.message}`);
  }
}
