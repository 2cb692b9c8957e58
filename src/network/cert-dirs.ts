/**
 * Where per-registry certificates live (containers-certs.d(5)), and the cheap
 * check of whether a host needs regtags' trust code at all (issue 11, Cost):
 * a few stat calls, no certificate read and no import of trust.ts. When
 * nothing extra is configured for a host, the transport connects with Node's
 * default context (its bundled roots and NODE_EXTRA_CA_CERTS) and adds the
 * OS store only if those roots do not verify the server.
 */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What decides which certificate directories apply to a host. */
export interface CertDirSettings {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A certs.d-layout directory used instead of the certs.d roots for the registry at hand (skopeo's --cert-dir). */
  readonly certDir?: string | undefined;
  /** Roots searched for HOST[:PORT]/ subdirectories. @default {@link defaultCertsDirectories} */
  readonly certsDirectories?: readonly string[] | undefined;
  /**
   * Whether a host[:port] is the registry at hand or its token realm, the
   * hosts `certDir` applies to; other hosts keep the certs.d roots.
   * @default every host
   */
  readonly isRegistryHost?: ((host: string) => boolean) | undefined;
}

/** containers-certs.d(5) and docker's per-registry directories, in that order. */
export function defaultCertsDirectories(env: Readonly<Record<string, string | undefined>>): string[] {
  const home = env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : homedir();
  return ["/etc/containers/certs.d", join(home, ".config/containers/certs.d"), "/etc/docker/certs.d"];
}

/** The per-host directories consulted for `host` (host[:port] as in the URL). Pure. */
export function hostCertDirectories(host: string, settings: CertDirSettings): string[] {
  if (settings.certDir !== undefined && (settings.isRegistryHost?.(host) ?? true)) return [settings.certDir];
  return (settings.certsDirectories ?? defaultCertsDirectories(settings.env)).map((root) => join(root, host));
}

/**
 * True when anything beyond Node's default trust may apply to `host`:
 * SSL_CERT_FILE or SSL_CERT_DIR, a `tlsFor` hook, or an existing certificate
 * directory for it (--cert-dir or certs.d).
 */
export function hasExtraTrust(host: string, settings: CertDirSettings & { readonly tlsFor?: unknown }): boolean {
  if (isSet(settings.env["SSL_CERT_FILE"]) || isSet(settings.env["SSL_CERT_DIR"]) || settings.tlsFor !== undefined) return true;
  return hostCertDirectories(host, settings).some(isDirectory);
}

/** Whether `path` is an existing directory (symlinks followed); unreachable (EACCES, ENOTDIR) counts as absent, as a listing reads it. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "";
}
