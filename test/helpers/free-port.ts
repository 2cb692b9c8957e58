/**
 * A port on 127.0.0.1 that was free a moment ago: bound on port 0, read,
 * closed. For servers the tests start as child processes (registry, squid),
 * which must be told a port; and, unused, a port nothing listens on.
 */
import { createServer, type AddressInfo } from "node:net";

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
