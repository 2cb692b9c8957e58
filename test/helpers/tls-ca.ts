/**
 * A test certificate authority made with the openssl CLI, as an operator of a
 * private registry would make one: a CA, a server certificate for the test
 * registry's names and a client certificate for mTLS. Files only; no server.
 * Imports only `node:` modules (field-networking.md, "Trusting a private CA").
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The names every server certificate of {@link createTestCa} is valid for. */
export const SERVER_NAMES = ["registry.test", "ca.registry.test", "localhost", "127.0.0.1"] as const;

/** PEM files of a test CA; see {@link createTestCa}. */
export interface TestCa {
  /** The directory holding every file below. */
  readonly dir: string;
  /** The CA certificate (what a client must trust). */
  readonly caCert: string;
  /** Server certificate (subjectAltName: {@link SERVER_NAMES}) and its key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate (extendedKeyUsage=clientAuth, CN=regtags-test-client) and its key. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second, unrelated CA: trusting it instead must still fail verification. */
  readonly otherCaCert: string;
  /**
   * Writes a containers-certs.d(5) directory: `ca.crt`, and with
   * `client: true` also `client.cert` + `client.key`. Creates `dir`.
   */
  writeCertsDir(dir: string, contents: { ca?: boolean; client?: boolean }): Promise<void>;
  /** Removes {@link dir}. */
  remove(): Promise<void>;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync("openssl", args, { cwd, timeout: 30_000 });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(missing ? "openssl is not installed (apt-get install -y openssl)" : `openssl ${args.join(" ")} failed: ${stderr.trim()}`);
  }
}

/** `openssl req -x509` for a CA with basicConstraints CA:TRUE. */
async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", `/CN=${name}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      "-keyout", `${name}.key`, "-out", `${name}.crt`],
    dir,
  );
}

/** A key, a CSR and a certificate signed by the CA `ca`, with the extensions in `extensions`. */
async function makeLeaf(dir: string, ca: string, name: string, subject: string, extensions: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject, "-keyout", `${name}.key`, "-out", `${name}.csr`], dir);
  await openssl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.crt`],
    dir,
  );
}

/**
 * Creates a CA, a server and a client certificate in a new temp dir.
 * @throws if openssl is missing or fails (its stderr in the message).
 */
export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), "regtags-ca-"));
  try {
    await makeCa(dir, "test-ca");
    await makeCa(dir, "other-ca");
    const san = SERVER_NAMES.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(",");
    await makeLeaf(dir, "test-ca", "server", "/CN=registry.test", `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    await makeLeaf(dir, "test-ca", "client", "/CN=regtags-test-client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const file = (name: string): string => join(dir, name);
  return {
    dir,
    caCert: file("test-ca.crt"),
    serverCert: file("server.crt"),
    serverKey: file("server.key"),
    clientCert: file("client.crt"),
    clientKey: file("client.key"),
    otherCaCert: file("other-ca.crt"),
    async writeCertsDir(target, contents) {
      await mkdir(target, { recursive: true });
      if (contents.ca === true) await copyFile(file("test-ca.crt"), join(target, "ca.crt"));
      if (contents.client === true) {
        await copyFile(file("client.crt"), join(target, "client.cert"));
        await copyFile(file("client.key"), join(target, "client.key"));
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
