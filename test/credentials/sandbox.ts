/**
 * A throw-away home for credential tests: HOME, XDG_RUNTIME_DIR,
 * XDG_CONFIG_HOME and a bin/ directory first on PATH, all in a temp dir, so
 * no test ever reads the real user's ~/.docker or auth.json. Credential
 * helpers are real executables (`#!/bin/sh` scripts) written to bin/,
 * speaking the docker credential-helper protocol.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sandbox {
  readonly dir: string;
  readonly home: string;
  /** $XDG_RUNTIME_DIR */
  readonly runtimeDir: string;
  /** $XDG_CONFIG_HOME */
  readonly configHome: string;
  readonly bin: string;
  /** The variables that pin every default path inside the sandbox, plus PATH with bin/ first. */
  readonly env: Record<string, string>;
  /** Writes `relative` (to the sandbox dir) with JSON or text content; returns the absolute path. */
  write(relative: string, content: unknown): Promise<string>;
  /** `~/.docker/config.json` */
  readonly dockerConfig: string;
  /** `$XDG_RUNTIME_DIR/containers/auth.json` */
  readonly runtimeAuth: string;
  /** `$XDG_CONFIG_HOME/containers/auth.json` */
  readonly configAuth: string;
  /** `~/.dockercfg` */
  readonly dockercfg: string;
  /**
   * Writes `bin/docker-credential-NAME`: for a server URL in `answers` it
   * prints `{"ServerURL","Username","Secret"}`; otherwise "credentials not
   * found in native keychain" and exit 1. Each server URL it is asked about
   * is appended to a log ({@link helperLog}).
   */
  writeHelper(name: string, answers: Record<string, { username: string; secret: string }>): Promise<void>;
  /** Writes `bin/docker-credential-NAME` with this shell body (after `#!/bin/sh`). */
  writeHelperScript(name: string, body: string): Promise<void>;
  /** Server URLs the helper was asked about, in order. */
  helperLog(name: string): Promise<string[]>;
  remove(): Promise<void>;
}

const sh = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "regtags-creds-"));
  const home = join(dir, "home");
  const runtimeDir = join(dir, "run");
  const configHome = join(dir, "config");
  const bin = join(dir, "bin");
  await Promise.all([home, runtimeDir, configHome, bin].map((d) => mkdir(d, { recursive: true })));
  const write = async (relative: string, content: unknown): Promise<string> => {
    const path = join(dir, relative);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
    return path;
  };
  const writeHelperScript = async (name: string, body: string): Promise<void> => {
    const path = join(bin, `docker-credential-${name}`);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
  };
  return {
    dir,
    home,
    runtimeDir,
    configHome,
    bin,
    env: {
      HOME: home,
      XDG_RUNTIME_DIR: runtimeDir,
      XDG_CONFIG_HOME: configHome,
      PATH: `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    },
    write,
    dockerConfig: join(home, ".docker", "config.json"),
    runtimeAuth: join(runtimeDir, "containers", "auth.json"),
    configAuth: join(configHome, "containers", "auth.json"),
    dockercfg: join(home, ".dockercfg"),
    writeHelper: (name, answers) => {
      const cases = Object.entries(answers)
        .map(([url, { username, secret }]) => `  ${sh(url)}) printf '%s' ${sh(JSON.stringify({ ServerURL: url, Username: username, Secret: secret }))} ;;`)
        .join("\n");
      return writeHelperScript(
        name,
        [
          `[ "$1" = get ] || { echo "unsupported command $1" >&2; exit 3; }`,
          "url=$(cat)",
          `printf '%s\\n' "$url" >> ${sh(join(dir, `${name}.log`))}`,
          'case "$url" in',
          cases,
          '  *) echo "credentials not found in native keychain"; exit 1 ;;',
          "esac",
        ].join("\n"),
      );
    },
    writeHelperScript,
    helperLog: async (name) => {
      try {
        return (await readFile(join(dir, `${name}.log`), "utf8")).split("\n").filter((line) => line !== "");
      } catch {
        return [];
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `{"auth": base64("user:password")}` */
export function authEntry(user: string, password: string): { auth: string } {
  return { auth: Buffer.from(`${user}:${password}`).toString("base64") };
}
