/**
 * The test CA of tls-ca.ts laid out in one directory under fixed names, for
 * tests that serve TLS from node:https themselves: ca.crt, server.crt/.key,
 * client.cert/.key (containers-certs.d(5) names for the client pair).
 */
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestCa } from "./tls-ca.js";

export async function makeTestPki(dir: string): Promise<void> {
  const ca = await createTestCa();
  try {
    await copyFile(ca.caCert, join(dir, "ca.crt"));
    await copyFile(ca.serverCert, join(dir, "server.crt"));
    await copyFile(ca.serverKey, join(dir, "server.key"));
    await copyFile(ca.clientCert, join(dir, "client.cert"));
    await copyFile(ca.clientKey, join(dir, "client.key"));
  } finally {
    await ca.remove();
  }
}
