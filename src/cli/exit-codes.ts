/**
 * Exit codes of the regtags CLI, one per error code, so adding an ErrorCode
 * without an exit code fails to compile. Documented in the README and --help.
 */
import type { ErrorCode } from "../errors.js";

export const EXIT_OK = 0;
/** An unexpected error: a bug in regtags. */
export const EXIT_INTERNAL = 1;
/**
 * --allow-partial: a listing stopped early (pagination loop, page cap…), what
 * it got was printed in the requested format, and a warning said why.
 * Distinct from 7 (the same stop as an error) and never 0.
 */
export const EXIT_PARTIAL = 10;
/** `regtags watch --exit-code`: the pass found changes (as `git diff --exit-code`). */
export const EXIT_CHANGES = 11;
/** `regtags watch --webhook`: delivery failed after retries; the state was not advanced. */
export const EXIT_UNDELIVERED = 12;

let partialList = false;

/** Records that a listing printed under --allow-partial was incomplete. */
export function notePartialList(): void {
  partialList = true;
}

/** The process's exit code for a command that returned `code`: a partial list turns success into EXIT_PARTIAL. */
export function finalExitCode(code: number): number {
  return code === EXIT_OK && partialList ? EXIT_PARTIAL : code;
}

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  ERR_USAGE: 2,
  ERR_INVALID_REFERENCE: 2,
  ERR_CREDENTIALS: 3,
  ERR_AUTH: 3,
  ERR_AUTH_FAILED: 8,
  ERR_NOT_FOUND: 4,
  ERR_REGISTRY: 5,
  ERR_PROTOCOL: 5,
  ERR_RATE_LIMITED: 5,
  ERR_NETWORK: 6,
  ERR_TLS: 6,
  ERR_PROXY: 6,
  ERR_INCOMPLETE: 7,
  ERR_NO_MATCH: 9,
  ERR_ABORTED: 130,
};

export const EXIT_CODE_HELP = `Exit codes:
  0    every tag listed
  1    unexpected error, or the command ended with work pending (a bug: please
       report it with --debug output)
  2    usage error or invalid image reference
  3    needs login or access denied, or a credentials file/helper cannot be used
  4    repository not found
  5    registry or protocol error (a response that is not HTTP/1.1, a 101), or
       rate limited (still after retries, or a quota that resets too late)
  6    network, TLS or proxy error
  7    incomplete list (pagination loop, page cap, listing budget)
  8    credentials rejected (wrong user name, password or token)
  9    no tag qualified (regtags latest, or --latest, after filters)
  10   incomplete list printed anyway (--allow-partial)
  11   regtags watch --exit-code: changes were found
  12   regtags watch --webhook: the events could not be delivered; the state
       was not advanced (the next pass reports them again)
  130  interrupted`;
