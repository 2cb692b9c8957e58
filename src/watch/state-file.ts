/**
 * Reading and writing the watch state file, and the lock that keeps two
 * watchers off one state. Reads go through files/read-local-file.ts (regular
 * files only, capped), writes through files/write-private-file.ts (0600,
 * temporary file in the same directory, fsync, rename, directory fsync), so
 * a crash or a full disk mid-write leaves the previous state whole.
 */
import { closeSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { UsageError } from "../errors.js";
import { readLocalFile } from "../files/read-local-file.js";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writePrivateFile } from "../files/write-private-file.js";
import { emptyWatchState, encodeWatchState, parseWatchState, type WatchState } from "./state.js";

/**
 * 256 MiB. A state of 100 repositories × 10,000 tags with digests is about
 * 60 MB (a tag and its digest's 43 base64 characters take ~60 bytes; 80 in
 * version 1's hex), far above the 4 MiB every other local file gets, so the
 * state has its own cap: about 4 million tags with digests, and half of
 * V8's longest string (~512 MiB),
 * which the file's text must fit in.
 */
export const STATE_FILE_LIMIT = 256 * 1024 * 1024;

/** The state recorded at `path`, or an empty one when there is no file yet. A file that cannot be used is refused (UsageError), never touched. */
export function readWatchState(path: string): WatchState {
  const read = readLocalFile(path, STATE_FILE_LIMIT);
  if (read.status === "missing") return emptyWatchState();
  if (read.status === "refused") throw new UsageError(`cannot read watch state ${path}: ${read.reason}`);
  const parsed = parseWatchState(read.text);
  if (parsed.status === "invalid") {
    throw new UsageError(`cannot use watch state ${path}: ${parsed.reason}; it was left as it is (move it away to start a new baseline)`);
  }
  return parsed.state;
}

/** Replaces the state at `path` atomically (0600). */
export async function writeWatchState(path: string, state: WatchState, now: Date): Promise<void> {
  await writePrivateFile(path, encodeWatchState(state, now));
}

/** A held lock; `release()` removes it (idempotent). */
export interface StateLock {
  readonly path: string;
  release(): void;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A lock file that never got its content (a crash right after creating it) is stale after this long. */
const EMPTY_LOCK_GRACE_MS = 10_000;

/**
 * Takes `STATE.lock` (created exclusively, 0600, holding our pid, host and
 * start time). A lock whose process is gone on this host is stale: it is
 * taken over, saying so on `warn`. A live one, or one from another host, is
 * a UsageError naming its owner. Released on process exit as well.
 */
export function lockWatchState(statePath: string, warn: (message: string) => void): StateLock {
  const path = `${statePath}.lock`;
  const mine: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    // The state's directory, as writePrivateFile would create it: the lock lives there first.
    mkdirSync(dirname(statePath), { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw new UsageError(`cannot create the directory of watch state ${statePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx", PRIVATE_FILE_MODE);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw new UsageError(`cannot create lock ${path}: ${code ?? (error as Error).message}`);
      const owner = readOwner(path);
      if (owner === "missing") continue; // released meanwhile
      if (!isStale(path, owner)) {
        const who = owner === "unreadable" ? "a process whose lock file is not readable yet" : `pid ${owner.pid} on ${owner.host} since ${owner.since}`;
        throw new UsageError(`watch state ${statePath} is in use by another regtags watch (${who}); wait for it to finish, or remove ${path} if that process is gone`);
      }
      if (!takeOver(path, owner)) continue;
      warn(`removed stale lock ${path} (${owner === "unreadable" ? "empty" : `pid ${owner.pid} is gone`})`);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.removeListener("exit", release);
      // Only our own lock: never one a later watcher took over.
      const owner = readOwner(path);
      if (owner !== "missing" && owner !== "unreadable" && owner.pid === mine.pid && owner.since === mine.since) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already.
        }
      }
    };
    process.once("exit", release);
    return { path, release };
  }
  throw new UsageError(`watch state ${statePath} is in use by another regtags watch (its lock ${path} keeps changing hands); try again`);
}

function readOwner(path: string): LockOwner | "missing" | "unreadable" {
  const read = readLocalFile(path, 4096);
  if (read.status === "missing") return "missing";
  if (read.status !== "ok") return "unreadable";
  try {
    const owner = JSON.parse(read.text) as Partial<LockOwner>;
    if (typeof owner.pid === "number" && typeof owner.host === "string" && typeof owner.since === "string") return owner as LockOwner;
  } catch {
    // Fall through.
  }
  return "unreadable";
}

function isStale(path: string, owner: LockOwner | "unreadable"): boolean {
  if (owner === "unreadable") {
    try {
      return Date.now() - statSync(path).mtimeMs > EMPTY_LOCK_GRACE_MS;
    } catch {
      return false;
    }
  }
  // A process on another host cannot be checked from here.
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Moves a stale lock aside, then checks it was the one judged stale: two
 * watchers that both found it stale must not both proceed (the second would
 * otherwise remove the first's fresh lock). False when we lost that race.
 */
function takeOver(path: string, stale: LockOwner | "unreadable"): boolean {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readOwner(aside);
  const same = stale === "unreadable" ? moved === "unreadable" || moved === "missing" : moved !== "missing" && moved !== "unreadable" && moved.pid === stale.pid && moved.since === stale.since;
  if (!same) {
    try {
      renameSync(aside, path); // someone else's live lock: put it back
    } catch {
      // It is theirs to recreate.
    }
    return false;
  }
  try {
    unlinkSync(aside);
  } catch {
    // Already gone.
  }
  return true;
}
