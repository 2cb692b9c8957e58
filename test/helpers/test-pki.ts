/**
 * A CA, a server certificate for registry.test and 127.0.0.1, and a client
 * certificate signed by it, made with the openssl CLI in `dir` (P-256, valid
 * two days): ca.crt/ca.key, server.crt/server.key, client.cert/client.key.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function makeTestPki(dir: string, caName = "regtags test CA"): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore", cwd: dir });
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const signed = ["-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"];
  openssl("req", "-x509", ...key, "-days", "2", "-subj", `/CN=${caName}`, "-keyout", "ca.key", "-out", "ca.crt");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=DNS:registry.test,IP:127.0.0.1\n");
  openssl("req", ...key, "-subj", "/CN=registry.test", "-keyout", "server.key", "-out", "server.csr");
  openssl("x509", "-req", "-in", "server.csr", ...signed, "-extfile", "server.ext", "-out", "server.crt");
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  openssl("req", ...key, "-subj", "/CN=regtags client", "-keyout", "client.key", "-out", "client.csr");
  openssl("x509", "-req", "-in", "client.csr", ...signed, "-extfile", "client.ext", "-out", "client.cert");
}
