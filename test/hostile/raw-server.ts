/**
 * Hostile answers given as status, raw header lines and body, so a test can
 * send bytes node:http refuses to write (C1 controls in headers). A thin
 * layer over servers.ts: each answer closes its connection, and the server
 * is bounded in requests and lifetime the same way.
 */
import { startHostileServer } from "./servers.js";

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names; values as received (latin1). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawResponse {
  readonly status: number;
  /** Header lines as raw bytes: `name: value` with any byte in value (latin1 string or Buffer). */
  readonly headers?: readonly (string | Buffer)[];
  readonly body?: string | Buffer | undefined;
}

export interface RawServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: readonly RawRequest[];
  close(): Promise<void>;
}

export async function startRawServer(handle: (req: RawRequest, server: RawServer) => RawResponse, options: { maxRequests?: number; lifetimeMs?: number } = {}): Promise<RawServer> {
  const toRaw = (request: { method: string; target: string; headers: Readonly<Record<string, string>>; body: string }): RawRequest => ({
    method: request.method,
    path: request.target,
    headers: request.headers,
    body: request.body,
  });
  const hostile = await startHostileServer((request) => {
    const res = handle(toRaw(request), self);
    const body = typeof res.body === "string" ? Buffer.from(res.body, "utf8") : (res.body ?? Buffer.alloc(0));
    const head = Buffer.concat([
      Buffer.from(`HTTP/1.1 ${res.status} Hostile\r\n`, "latin1"),
      ...(res.headers ?? []).map((line) => Buffer.concat([typeof line === "string" ? Buffer.from(line, "latin1") : line, Buffer.from("\r\n")])),
      Buffer.from(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`, "latin1"),
    ]);
    return request.method === "HEAD" ? head : Buffer.concat([head, body]);
  }, { maxRequests: options.maxRequests ?? 50, lifetimeMs: options.lifetimeMs ?? 120_000 });
  const self: RawServer = {
    url: hostile.url,
    get requests() {
      return hostile.requests.map(toRaw);
    },
    close: () => hostile.close(),
  };
  return self;
}
