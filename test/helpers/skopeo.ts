/**
 * Runs skopeo (containers/image) as an independent second client beside
 * regtags in the integration tests: if both agree on a real registry, the
 * harness and the client are both likely right. It owns the command lines and
 * their isolation from the machine's own configuration; nothing else.
 * Imports only `node:` modules.
 */

import { execFile } from "node:child_process";

/** Options shared by the skopeo helpers. */
export interface SkopeoOptions {
  /** `USER:PASSWORD`, passed as `--creds`. Without it skopeo is anonymous. */
  creds?: string;
  /** @default 60000 */
  timeoutMs?: number;
  /**
   * A containers-certs.d(5) directory (`*.crt` CAs, `NAME.cert` + `NAME.key`
   * client certificate): `--cert-dir` for list-tags, which then verifies TLS;
   * `--dest-cert-dir` for copies (for the client certificate of an mTLS registry).
   */
  certDir?: string;
  /** Variables added to skopeo's environment, e.g. `HTTPS_PROXY`. */
  env?: Record<string, string>;
}

/**
 * The auth file skopeo is pointed at, so that it never picks up credentials
 * of whoever runs the tests (`${XDG_RUNTIME_DIR}/containers/auth.json`,
 * `~/.docker/config.json`): a test that expects anonymous access must get it.
 * containers/image treats a missing auth file as empty, and Debian policy
 * §9.2 guarantees that /nonexistent does not exist.
 */
const NO_AUTH_FILE = "/nonexistent/regtags-test/auth.json";

/**
 * Runs `skopeo ARGS` and resolves with its stdout.
 *
 * @throws an Error naming the command (with `--creds` hidden) and quoting
 *   skopeo's stderr when it exits non-zero, times out or is missing.
 */
export function runSkopeo(args: readonly string[], timeoutMs = 60_000, env?: Record<string, string>): Promise<string> {
  // `--insecure-policy` keeps copies independent of /etc/containers/policy.json.
  const fullArgs = ["--insecure-policy", ...args];
  const options = { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, killSignal: "SIGKILL" as const, ...(env !== undefined ? { env: { ...process.env, ...env } } : {}) };
  return new Promise((resolve, reject) => {
    execFile("skopeo", fullArgs, options, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const shown = fullArgs.map((arg, i) => (fullArgs[i - 1]?.endsWith("creds") === true ? "***" : arg)).join(" ");
      const why =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "skopeo is not installed (apt-get install -y skopeo)"
          : error.killed
            ? `timed out after ${timeoutMs} ms`
            : `exit code ${String(error.code)}`;
      reject(new Error(`skopeo ${shown} failed: ${why}\n${stderr.trim()}`));
    });
  });
}

function authArgs(prefix: "" | "dest-" | "src-", creds: string | undefined): string[] {
  return [`--${prefix}authfile`, NO_AUTH_FILE, ...(creds !== undefined ? [`--${prefix}creds`, creds] : [])];
}

/**
 * `skopeo list-tags --tls-verify=false docker://HOST/REPO`. With TLS
 * verification off skopeo tries https first and falls back to http
 * (real-registry.md, "skopeo as a cross-check"). With `certDir`, instead
 * `--cert-dir DIR` and TLS verified.
 */
export async function skopeoListTags(
  registryHost: string,
  repository: string,
  opts: SkopeoOptions = {},
): Promise<{ Repository: string; Tags: string[] }> {
  const trust = opts.certDir !== undefined ? ["--cert-dir", opts.certDir] : ["--tls-verify=false"];
  const stdout = await runSkopeo(
    ["list-tags", ...trust, ...authArgs("", opts.creds), `docker://${registryHost}/${repository}`],
    opts.timeoutMs,
    opts.env,
  );
  const parsed = JSON.parse(stdout) as { Repository: string; Tags: string[] | null };
  // A repository without tags prints "Tags": null with some registries.
  return { Repository: parsed.Repository, Tags: parsed.Tags ?? [] };
}

/** The manifest digest (`sha256:…`) skopeo reports for `HOST/REPO:TAG`. */
export async function skopeoInspectDigest(
  registryHost: string,
  repository: string,
  tag: string,
  opts: SkopeoOptions = {},
): Promise<string> {
  const stdout = await runSkopeo(
    ["inspect", "--tls-verify=false", ...authArgs("", opts.creds), `docker://${registryHost}/${repository}:${tag}`],
    opts.timeoutMs,
  );
  const digest = (JSON.parse(stdout) as { Digest?: unknown }).Digest;
  if (typeof digest !== "string") throw new Error(`skopeo inspect printed no Digest for ${registryHost}/${repository}:${tag}`);
  return digest;
}

/**
 * `skopeo copy oci:LAYOUT:REF docker://HOST/REPO:TAG`, keeping the manifest
 * byte for byte (`--preserve-digests`) so its digest is the layout's.
 * Resolves with the digest skopeo wrote to `--digestfile`.
 */
export async function skopeoCopyFromOciLayout(
  layoutDir: string,
  refName: string,
  registryHost: string,
  repository: string,
  tag: string,
  opts: SkopeoOptions & { digestFile: string },
): Promise<void> {
  await runSkopeo(
    [
      "copy",
      "--quiet",
      "--preserve-digests",
      "--dest-tls-verify=false",
      ...authArgs("dest-", opts.creds),
      ...(opts.certDir !== undefined ? ["--dest-cert-dir", opts.certDir] : []),
      "--digestfile",
      opts.digestFile,
      `oci:${layoutDir}:${refName}`,
      `docker://${registryHost}/${repository}:${tag}`,
    ],
    opts.timeoutMs,
    opts.env,
  );
}
