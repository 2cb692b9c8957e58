/**
 * Reads a credentials file for the lookup: the text, `undefined` when there
 * is no such file, or a CredentialsError naming the file when it cannot be
 * read (permissions, a directory in the way, too large).
 */
import { readFile } from "node:fs/promises";
import { CredentialsError } from "../errors.js";

/** Reads a file; resolves `undefined` when it does not exist. */
export type CredentialFileReader = (path: string) => Promise<string | undefined>;

/** Credentials files are a few KiB; a bigger one is not a credentials file. */
const FILE_LIMIT = 4 * 1024 * 1024;

/** The default {@link CredentialFileReader}, on node:fs. */
export const readCredentialFile: CredentialFileReader = async (path) => {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file where a directory of the path should be, as good as absent.
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CredentialsError(`cannot read credentials file ${path}: ${describeErrno(code) ?? (error as Error).message}`, { cause: error });
  }
  if (data.length > FILE_LIMIT) throw new CredentialsError(`credentials file ${path} is larger than ${FILE_LIMIT / 1024 / 1024} MiB; it is not a credentials file`);
  return data.toString("utf8");
};

function describeErrno(code: string | undefined): string | undefined {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "EISDIR":
      return "it is a directory (EISDIR)";
    case undefined:
      return undefined;
    default:
      return code;
  }
}
