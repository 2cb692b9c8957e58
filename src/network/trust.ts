/**
 * Which certificates a TLS connection to a registry trusts and presents, as
 * Go-based peers (skopeo, crane, regctl) and containers-certs.d(5) have it,
 * on top of what Node trusts (its bundled roots and NODE_EXTRA_CA_CERTS):
 *
 *   1. Node's bundled Mozilla roots and NODE_EXTRA_CA_CERTS;
 *   2. the operating system's bundle: SSL_CERT_FILE if set, else the first
 *      of Go's crypto/x509 root_linux.go paths that exists
 *      (/etc/ssl/certs/ca-certificates.crt on Debian);
 *   3. every file in the SSL_CERT_DIR directories (colon-separated);
 *   4. per registry host[:port]: `--cert-dir DIR` (the registry at hand and
 *      its token realm only), else every
 *      `ROOT/HOST[:PORT]/` under /etc/containers/certs.d,
 *      ~/.config/containers/certs.d and /etc/docker/certs.d: `*.crt` are CA
 *      certificates, `NAME.cert` + `NAME.key` a client certificate;
 *   5. the library's `tlsFor(host)` hook.
 * Trust only adds: a source never removes what an earlier one trusts. Files
 * are read once per host, lazily, regular files only, with size caps.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { NetworkError } from "../errors.js";
import { readLocalFile } from "../files/read-local-file.js";
import { hostCertDirectories, type CertDirSettings } from "./cert-dirs.js";

export { defaultCertsDirectories, hostCertDirectories } from "./cert-dirs.js";

/** PEM material for one host, as the library's `tlsFor` hook returns it. */
export interface TlsMaterial {
  /** CA certificates (PEM) added to the trusted roots for this host. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate chain (PEM), for registries that require one (mTLS). */
  readonly cert?: string | Buffer;
  /** The client certificate's private key (PEM). */
  readonly key?: string | Buffer;
}

export interface TrustSettings extends CertDirSettings {
  readonly tlsFor?: ((host: string) => TlsMaterial | undefined) | undefined;
  /** false (--tls-verify=false): no CA is read (nothing is verified); client certificates still are. @default true */
  readonly verify?: boolean | undefined;
}

/** Go's crypto/x509 root_linux.go certFiles: the first that exists is the OS bundle. */
export const OS_CERT_FILES: readonly string[] = [
  "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Gentoo, Arch
  "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL 6
  "/etc/ssl/ca-bundle.pem", // OpenSUSE
  "/etc/pki/tls/cacert.pem", // OpenELEC
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
  "/etc/ssl/cert.pem", // Alpine, macOS
];

const BUNDLE_CAP_BYTES = 8 * 1024 * 1024;
const FILE_CAP_BYTES = 1024 * 1024;
const DIR_ENTRY_CAP = 1000;

/** What applies to one host: the human-readable sources and the material. */
export interface HostTrust {
  /** One line each: "Node's bundled roots", file paths with what they are; never contents. */
  readonly sources: readonly string[];
  /** Directories consulted for this host and whether they exist. */
  readonly directories: readonly { readonly path: string; readonly exists: boolean }[];
  /** The client certificate's files, when one applies. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** Whether anything host-specific applies (else the shared context serves it). */
  readonly hostSpecific: boolean;
  /** The TLS context to connect with. */
  readonly secureContext: SecureContext;
}

interface GlobalTrust {
  readonly sources: string[];
  /** PEM blocks beyond Node's bundled roots. */
  readonly extraCas: string[];
  context?: SecureContext;
}

/** Reads trust lazily, once per process-wide part and once per host. */
export class TrustStore {
  readonly #settings: TrustSettings;
  #global: Promise<GlobalTrust> | undefined;
  readonly #hosts = new Map<string, Promise<HostTrust>>();

  constructor(settings: TrustSettings) {
    this.#settings = settings;
  }

  /** The trust for `host` (host[:port]). @throws NetworkError (ERR_TLS) when a client certificate or CA file cannot be used. */
  forHost(host: string): Promise<HostTrust> {
    let found = this.#hosts.get(host);
    if (found === undefined) {
      found = this.#resolve(host);
      this.#hosts.set(host, found);
    }
    return found;
  }

  async #resolve(host: string): Promise<HostTrust> {
    const global = await (this.#global ??=
      this.#settings.verify === false ? Promise.resolve<GlobalTrust>({ sources: ["certificate verification off (the tlsVerify option set to false)"], extraCas: [] }) : readGlobalTrust(this.#settings.env));
    const sources = [...global.sources];
    const directories: { path: string; exists: boolean }[] = [];
    const hostCas: string[] = [];
    let client: { cert: string; key: string; certPem: Buffer; keyPem: Buffer } | undefined;
    for (const dir of hostCertDirectories(host, this.#settings)) {
      const listing = await readCertsDirectory(dir);
      directories.push({ path: dir, exists: listing !== undefined });
      if (listing === undefined) continue;
      for (const file of listing.cas) {
        const pems = splitPem(await readCapped(file, FILE_CAP_BYTES, "CA certificate"));
        hostCas.push(...pems);
        sources.push(pems.length > 0 ? file : `${file} (no PEM certificate: ignored)`);
      }
      if (client === undefined && listing.pair !== undefined) {
        client = {
          ...listing.pair,
          certPem: Buffer.from(await readCapped(listing.pair.cert, FILE_CAP_BYTES, "client certificate")),
          keyPem: Buffer.from(await readCapped(listing.pair.key, FILE_CAP_BYTES, "client key")),
        };
        sources.push(`client certificate ${listing.pair.cert} + ${listing.pair.key}`);
      }
    }
    const hook = this.#settings.tlsFor?.(host);
    const hookCas = hook?.ca === undefined ? [] : (Array.isArray(hook.ca) ? hook.ca : [hook.ca]).flatMap((pem: string | Buffer) => splitPem(pem.toString()));
    if (hookCas.length > 0) sources.push(`tlsFor(${host}): ${hookCas.length} CA certificate(s)`);
    const cert = hook?.cert ?? client?.certPem;
    const key = hook?.key ?? client?.keyPem;
    if (hook?.cert !== undefined) sources.push(`tlsFor(${host}): client certificate`);
    const hostSpecific = hostCas.length > 0 || hookCas.length > 0 || cert !== undefined;
    let secureContext: SecureContext;
    if (!hostSpecific) {
      secureContext = global.context ??= buildContext(global.extraCas, undefined, undefined, "");
    } else {
      const clientLabel = hook?.cert !== undefined ? `tlsFor(${host})` : client?.cert ?? "";
      secureContext = buildContext([...global.extraCas, ...hostCas, ...hookCas], cert, key, clientLabel);
    }
    return {
      sources,
      directories,
      ...(client !== undefined && hook?.cert === undefined ? { clientCertificate: { cert: client.cert, key: client.key } } : {}),
      hostSpecific,
      secureContext,
    };
  }
}

/** Node's roots plus `extraCas`, and a client certificate. Node's roots and NODE_EXTRA_CA_CERTS stay trusted. */
function buildContext(extraCas: readonly string[], cert: string | Buffer | undefined, key: string | Buffer | undefined, clientLabel: string): SecureContext {
  let context: SecureContext;
  try {
    context = createSecureContext({ ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) });
  } catch (error) {
    throw new NetworkError("ERR_TLS", `cannot use the client certificate ${clientLabel}: ${(error as Error).message}; NAME.cert must hold a PEM certificate and NAME.key its PEM private key`, {
      cause: error,
      systemCode: (error as NodeJS.ErrnoException).code ?? "",
    });
  }
  if (extraCas.length === 0) return context;
  // Passing `ca` would replace Node's roots; adding to the default store keeps
  // them. addCACert is the native method tls.createSecureContext itself uses.
  const native = (context as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert === "function") {
    for (const pem of extraCas) native.addCACert(pem);
    return context;
  }
  return createSecureContext({ ca: [...rootCertificates, ...extraCas], ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) });
}

/** Steps 1–3: the same for every host, read once. */
async function readGlobalTrust(env: Readonly<Record<string, string | undefined>>): Promise<GlobalTrust> {
  const sources = ["Node's bundled roots"];
  const known = new Set(rootCertificates.map(normalisePem));
  // The same file often comes by several names (SSL_CERT_FILE is NODE_EXTRA_CA_CERTS; SSL_CERT_DIR's hash links): read each once.
  const seenFiles = new Set<string>();
  const readOnce = (path: string, capBytes: number) => readOptional(path, capBytes, seenFiles);
  const extraCas: string[] = [];
  const add = (pems: readonly string[]) => {
    for (const pem of pems) {
      const normal = normalisePem(pem);
      if (known.has(normal)) continue;
      known.add(normal);
      extraCas.push(pem);
    }
  };
  // Node read NODE_EXTRA_CA_CERTS at start into its default store; adding a
  // CA to a context copies the bundled roots only, so it is added again here.
  // Node reads it from the process's own environment only, once at start.
  const nodeExtra = process.env["NODE_EXTRA_CA_CERTS"];
  if (nodeExtra !== undefined && nodeExtra !== "") {
    const path = nodeExtra;
    const text = await readOnce(path, BUNDLE_CAP_BYTES);
    if (text !== undefined) add(splitPem(text));
    sources.push(`${path} (NODE_EXTRA_CA_CERTS)`);
  }
  const certFile = env["SSL_CERT_FILE"];
  const bundlePaths = certFile !== undefined && certFile !== "" ? [certFile] : OS_CERT_FILES;
  for (const path of bundlePaths) {
    const text = await readOnce(path, BUNDLE_CAP_BYTES);
    if (text === undefined) continue;
    if (text !== "") add(splitPem(text));
    sources.push(`${path} (${certFile !== undefined && certFile !== "" ? "SSL_CERT_FILE" : "OS store"})`);
    break;
  }
  for (const dir of (env["SSL_CERT_DIR"] ?? "").split(":").filter((part) => part !== "")) {
    const files = await listRegularNames(dir);
    if (files === undefined) continue;
    let count = 0;
    for (const name of files) {
      const text = await readOnce(join(dir, name), FILE_CAP_BYTES);
      if (text === undefined || text === "") continue;
      const pems = splitPem(text);
      add(pems);
      count += pems.length;
    }
    sources.push(`${dir}/ (SSL_CERT_DIR, ${count} certificates)`);
  }
  return { sources, extraCas };
}

/** A certs.d directory's `*.crt` files and its first `NAME.cert` + `NAME.key` pair; undefined when it does not exist. */
async function readCertsDirectory(dir: string): Promise<{ cas: string[]; pair?: { cert: string; key: string } } | undefined> {
  const names = await listRegularNames(dir);
  if (names === undefined) return undefined;
  const cas = names.filter((name) => name.endsWith(".crt")).map((name) => join(dir, name));
  let pair: { cert: string; key: string } | undefined;
  for (const name of names) {
    if (name.endsWith(".cert")) {
      const keyName = `${name.slice(0, -".cert".length)}.key`;
      // containers/image: a certificate without its key is an error, not a silent skip.
      if (!names.includes(keyName)) throw new NetworkError("ERR_TLS", `client certificate ${join(dir, name)} has no key ${join(dir, keyName)}; put the private key there or remove the certificate`, { systemCode: "" });
      pair ??= { cert: join(dir, name), key: join(dir, keyName) };
    } else if (name.endsWith(".key") && !names.includes(`${name.slice(0, -".key".length)}.cert`)) {
      throw new NetworkError("ERR_TLS", `client key ${join(dir, name)} has no certificate ${join(dir, `${name.slice(0, -".key".length)}.cert`)}; put the certificate there or remove the key`, { systemCode: "" });
    }
  }
  return pair !== undefined ? { cas, pair } : { cas };
}

/** Sorted names in a directory (at most DIR_ENTRY_CAP), or undefined when it does not exist or is not a directory. */
async function listRegularNames(dir: string): Promise<string[] | undefined> {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .sort()
      .slice(0, DIR_ENTRY_CAP);
  } catch {
    return undefined;
  }
}

/** A file the user placed for this purpose: unreadable is an error naming it. */
async function readCapped(path: string, capBytes: number, what: string): Promise<string> {
  const read = readLocalFile(path, capBytes);
  if (read.status === "ok") return read.text;
  throw new NetworkError("ERR_TLS", `cannot read the ${what} ${path} (${read.status === "missing" ? "no such file" : read.reason})`, { systemCode: "" });
}

/** A system file that may be absent: undefined when it cannot be read; "" when `seen` already holds it (the same file by another name). */
async function readOptional(path: string, capBytes: number, seen?: Set<string>): Promise<string | undefined> {
  if (seen !== undefined) {
    const stat = statSync(path, { throwIfNoEntry: false });
    const id = stat === undefined ? path : `${stat.dev}:${stat.ino}`;
    if (seen.has(id)) return "";
    seen.add(id);
  }
  const read = readLocalFile(path, capBytes);
  return read.status === "ok" ? read.text : undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The PEM certificate blocks of a text (a bundle holds many). */
export function splitPem(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/**
 * A certificate's identity for de-duplication: the last 80 base64 characters
 * before the END line, i.e. the end of its signature, unique per certificate.
 * Full normalisation of every PEM cost ~15 ms per run; this costs well under 1.
 */
function normalisePem(pem: string): string {
  return pem.slice(-160, -25).replace(/\s+/g, "").slice(-80);
}
