/**
 * The one way regtags writes a file of its own (saved probe profiles under
 * the cache directory, `regtags watch` state files): created 0600 in directories created 0700, because a
 * profile names the registries and repositories a user works with. A
 * directory that already exists is left as the user set it. The write is
 * atomic: a new temp file (O_EXCL, so never through a planted symlink),
 * flushed, then renamed over the target, so a reader sees the old file or
 * the new one, never half of one; then the directory is flushed, so the
 * rename itself survives a crash (rename(2) is durable only once the
 * directory is fsync'ed). A failed write (a full disk) removes the
 * temporary file and leaves the target as it was.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Mode of files regtags creates: the owner's only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of directories regtags creates. */
export const PRIVATE_DIR_MODE = 0o700;

/** Writes `text` (UTF-8, or bytes as they are) to `path` atomically with mode 0600, creating missing parent directories 0700. */
export async function writePrivateFile(path: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const { randomBytes } = await import("node:crypto"); // here, not at start-up: listings load this module but rarely write (issue 13)
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(text); // a string as UTF-8
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** fsync of a directory; best effort, as some file systems (and Windows) refuse to open or sync one. */
async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch {
    // The data is written and renamed; only its durability across a power loss is less certain.
  } finally {
    await handle?.close();
  }
}
