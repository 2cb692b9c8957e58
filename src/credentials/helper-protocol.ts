/**
 * The docker credential-helper protocol, the pure half (CRED-5;
 * docker/docker-credential-helpers client/client.go, credentials/error.go).
 * `docker-credential-<name> get` reads the server URL on stdin and prints
 * `{"ServerURL": "...", "Username": "...", "Secret": "..."}`. A user name of
 * `<token>` means the secret is an identity (refresh) token. A helper that
 * knows nothing for the URL exits non-zero printing
 * `credentials not found in native keychain`.
 */

/** What one helper run gave. Failures carry a message fit to show (never the helper's stdout on success). */
export type HelperOutcome =
  | { readonly status: "found"; readonly username: string; readonly secret: string }
  | { readonly status: "not-found" }
  /** Not on PATH; `refused` says why one found under a relative PATH entry was not run. */
  | { readonly status: "missing"; readonly refused?: string }
  | { readonly status: "failed"; readonly message: string };

/** docker-credential-helpers credentials.errCredentialsNotFoundMessage, matched loosely. */
const NOT_FOUND_RE = /credentials not found/i;
/** The user name helpers return with an identity token (docker/cli credentials/native_store.go tokenUsername). */
export const IDENTITY_TOKEN_USERNAME = "<token>";

/** Interprets a finished `get`: exit code and output. */
export function interpretHelperResult(exitCode: number | null, stdout: string, stderr: string): HelperOutcome {
  if (exitCode !== 0) {
    if (NOT_FOUND_RE.test(stdout) || NOT_FOUND_RE.test(stderr)) return { status: "not-found" };
    const said = excerpt(stderr.trim() !== "" ? stderr : stdout);
    return { status: "failed", message: `exited with ${exitCode === null ? "a signal" : `code ${exitCode}`}${said !== "" ? `: ${said}` : ""}` };
  }
  return parseHelperOutput(stdout);
}

/**
 * Parses the JSON a helper prints on success. An empty secret counts as "not
 * found" (some helpers answer that way). The message never quotes the
 * output: it holds the secret.
 */
export function parseHelperOutput(stdout: string): HelperOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { status: "failed", message: "printed something other than the helper protocol's JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { status: "failed", message: "printed something other than the helper protocol's JSON object" };
  }
  const record = parsed as Record<string, unknown>;
  const username = record["Username"] ?? "";
  const secret = record["Secret"] ?? "";
  if (typeof username !== "string" || typeof secret !== "string") {
    return { status: "failed", message: "printed Username or Secret that is not a string" };
  }
  if (secret === "") return { status: "not-found" };
  return { status: "found", username, secret };
}

/** One line of what a failing helper said, bounded. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= 160 ? line : `${line.slice(0, 160)}…`;
}
