/**
 * What the network end-to-end tests share: the test CA, a real registry that
 * serves TLS with the CA's certificate (optionally demanding client
 * certificates), one repository with known tags, and small helpers to read
 * the CLI's output and squid's log. Not a test file itself.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import type { AccessLogEntry } from "../helpers/squid.js";
import type { TestCa } from "../helpers/tls-ca.js";

export const REPOSITORY = "team/app";
export const TAGS = ["v1", "v2", "v3"] as const;
/** The proxy user of the auth variant; the password must never appear in output. */
export const PROXY_USER = "proxyuser";
export const PROXY_PASSWORD = "pr0xy-S3cret-never-printed";

/** A registry over TLS with the test CA's server certificate, holding {@link REPOSITORY}:{@link TAGS}. */
export async function startTlsRegistry(
  ca: TestCa,
  options: { requireClientCertificate?: boolean; auth?: "none" | "htpasswd" | "token"; tokenRealmHost?: string; pushEnv?: Record<string, string> } = {},
): Promise<RealRegistry> {
  const registry = await startRealRegistry({
    auth: options.auth ?? "none",
    ...(options.tokenRealmHost !== undefined ? { tokenRealmHost: options.tokenRealmHost } : {}),
    ...(options.pushEnv !== undefined ? { pushEnv: options.pushEnv } : {}),
    tls: {
      certificate: ca.serverCert,
      key: ca.serverKey,
      ca: ca.caCert,
      ...(options.requireClientCertificate === true ? { clientCas: [ca.caCert], client: { certificate: ca.clientCert, key: ca.clientKey } } : {}),
    },
  });
  try {
    await registry.pushImage(REPOSITORY, TAGS[0]);
    await registry.addTags(REPOSITORY, TAGS.slice(1));
    return registry;
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

/** The CLI's stdout lines, sorted (distribution 2.8 lists tags in filesystem order). */
export function sortedLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line !== "").sort();
}

/** `METHOD URL STATUS` per log entry, for assertions whose failure message shows the whole log. */
export function describeEntries(entries: readonly AccessLogEntry[]): string[] {
  return entries.map((entry) => `${entry.method} ${entry.url} ${entry.status}`);
}

/** A temp dir for one test, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `regtags-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
