/**
 * A small registry on 127.0.0.1 for catalog tests: `/v2/` answers 200,
 * `/v2/_catalog` sends every name in one page whatever `n` says (as
 * registries that ignore `n` do), and `/v2/<name>/tags/list` sends one tag.
 * It closes by itself after `lifetimeMs` or `maxRequests`, whichever comes
 * first, so a test that fails half-way never leaves it running.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface CatalogServer {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** Requests answered so far, by kind. */
  readonly counts: { catalog: number; tags: number; other: number };
  close(): Promise<void>;
}

export async function startCatalogServer(names: readonly string[], options: { lifetimeMs?: number; maxRequests?: number } = {}): Promise<CatalogServer> {
  // Built once: a 1M-name body is ~20 MB and must not be rebuilt per request.
  const catalogBody = Buffer.from(JSON.stringify({ repositories: names }));
  const counts = { catalog: 0, tags: 0, other: 0 };
  const maxRequests = options.maxRequests ?? 1_000_000;
  let served = 0;
  const server = createServer((req, res) => {
    served++;
    if (served > maxRequests) {
      res.writeHead(503, { "content-type": "application/json", connection: "close" }).end('{"errors":[{"code":"UNAVAILABLE","message":"request budget of the test server spent"}]}');
      return;
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/v2/_catalog") {
      counts.catalog++;
      res.writeHead(200, { "content-type": "application/json", "content-length": catalogBody.length }).end(catalogBody);
      return;
    }
    const tags = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    if (tags !== null) {
      counts.tags++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: decodeURIComponent(tags[1]!), tags: ["1.0"] }));
      return;
    }
    counts.other++;
    res.writeHead(path === "/v2/" ? 200 : 404, { "content-type": "application/json" }).end("{}");
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stop = setTimeout(() => server.close(), options.lifetimeMs ?? 120_000);
  stop.unref();
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(stop);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `n` valid repository names, `team00000/app` style, sorted. */
export function repositoryNames(n: number): string[] {
  const width = String(n).length;
  return Array.from({ length: n }, (_, i) => `team${String(i).padStart(width, "0")}/app`);
}
