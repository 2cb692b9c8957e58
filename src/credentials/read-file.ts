/**
 * Reads a credentials file for the lookup: the text, `undefined` when there
 * is no such file, or a CredentialsError naming the file when it cannot be
 * read (permissions, a directory, FIFO or device in the way, too large).
 * The reading itself is files/read-local-file.ts, shared with the CLI config
 * and saved profiles.
 */
import { CredentialsError } from "../errors.js";
import { readLocalFile } from "../files/read-local-file.js";
import { withBypassHint } from "./file-lookup.js";

/** Reads a file; resolves `undefined` when it does not exist. */
export type CredentialFileReader = (path: string) => Promise<string | undefined>;

/** The default {@link CredentialFileReader}: regular files only, at most LOCAL_FILE_LIMIT (4 MiB). */
export const readCredentialFile: CredentialFileReader = async (path) => {
  const read = readLocalFile(path);
  if (read.status === "missing") return undefined;
  if (read.status === "refused") throw withBypassHint(new CredentialsError(`cannot read credentials file ${path}: ${read.reason}`));
  return read.text;
};
