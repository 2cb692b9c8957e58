/**
 * The one way regtags reads a local file it was pointed at: the CLI config
 * (`--config`), credentials files (docker config.json, containers auth.json,
 * .dockercfg) and saved probe profiles. It opens without blocking and looks
 * at what it opened before reading a byte, so a FIFO, a terminal or a
 * device (`--config /dev/zero`, `--authfile /dev/stdin`) is refused at once
 * instead of hanging or reading gigabytes, and it never reads more than
 * {@link LOCAL_FILE_LIMIT} bytes. Synchronous on purpose: the files are
 * small, and the client's `learned` hook that reads saved profiles is
 * synchronous. Callers turn a refusal into their own error (usage,
 * credentials, or "ignore the saved profile").
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { formatBytes } from "../text/format-bytes.js";

/**
 * 4 MiB. The largest of these files in practice is a docker config.json with
 * a few hundred `auths` entries, tens of KiB; a saved profile is about 2 KiB.
 * Reading 4 MiB takes milliseconds, so the cap never gets in a real user's way
 * and bounds what a mistaken path (a log, an image, /dev/zero) can cost.
 */
export const LOCAL_FILE_LIMIT = 4 * 1024 * 1024;

/** What reading found. `reason` is one clause fit to follow "cannot read FILE: ". */
export type LocalFileRead =
  | { readonly status: "ok"; readonly text: string }
  | { readonly status: "missing" }
  | { readonly status: "refused"; readonly reason: string };

// O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever (open(2)).
// O_NOCTTY: a terminal named as a file must not become our controlling terminal.
// Both are 0 where the platform has no such flag (Windows).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Reads `path` as UTF-8 if it is a regular file of at most `limitBytes`
 * bytes. Never throws: a missing file (or a file where a directory of the
 * path should be) is `missing`, everything else that is not a readable
 * regular file within the limit is `refused` with the reason.
 */
export function readLocalFile(path: string, limitBytes: number = LOCAL_FILE_LIMIT): LocalFileRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing" };
    return { status: "refused", reason: describeErrno(code, error) };
  }
  try {
    const stats = fstatSync(fd);
    // A directory keeps the wording readFile's EISDIR gave before this reader existed.
    if (stats.isDirectory()) return { status: "refused", reason: "it is a directory (EISDIR)" };
    if (!stats.isFile()) return { status: "refused", reason: `it is ${describeKind(stats)}, not a regular file` };
    // The size from fstat can be stale or 0 (/proc files): read at most one byte past the limit whatever it says.
    if (stats.size > limitBytes) return { status: "refused", reason: tooLarge(limitBytes) };
    let buffer = Buffer.alloc(Math.min(limitBytes + 1, stats.size + 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.alloc(Math.min(limitBytes + 1, buffer.length * 2));
        buffer.copy(grown);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > limitBytes) return { status: "refused", reason: tooLarge(limitBytes) };
    }
    return { status: "ok", text: buffer.subarray(0, length).toString("utf8") };
  } catch (error) {
    return { status: "refused", reason: describeErrno((error as NodeJS.ErrnoException).code, error) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(limitBytes: number): string {
  return `it is larger than ${formatBytes(limitBytes)}, far more than such a file holds`;
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a plain file";
}

function describeErrno(code: string | undefined, error: unknown): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "EISDIR":
      return "it is a directory (EISDIR)";
    case "ELOOP":
      return "too many symbolic links (ELOOP)";
    case undefined:
      return (error as Error)?.message ?? String(error);
    default:
      return code;
  }
}
