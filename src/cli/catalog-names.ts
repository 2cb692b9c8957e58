/**
 * Repository names as a registry's catalog sends them: which are valid, and
 * how an invalid one is shown. `regtags catalog` leaves invalid names out
 * with one warning; `ls --all` makes each its repository's error.
 */
import { isRegtagsError } from "../errors.js";
import { parseReference, type Reference } from "../reference/reference.js";

/**
 * The reference of catalog entry `repository`, or undefined when it is not a
 * valid repository name (distribution-spec v1.1.1: lowercase path components
 * of [a-z0-9] joined by `.`, `_`, `__`, `-`, at most 255 characters) or would
 * read as a tag or digest (`app:1`, `app@sha256:…`), so it never names
 * another repository.
 */
export function catalogReference(registry: string, repository: string): Reference | undefined {
  let reference: Reference;
  try {
    reference = parseReference(`${registry}/${repository}`);
  } catch (error) {
    if (isRegtagsError(error) && error.code === "ERR_INVALID_REFERENCE") return undefined;
    throw error;
  }
  return reference.repository === repository && reference.tag === undefined && reference.digest === undefined ? reference : undefined;
}
