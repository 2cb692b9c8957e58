/**
 * A hostile HTTP/1.1 server on 127.0.0.1 built on node:net, so a test can
 * send bytes node:http refuses to write (C1 controls in headers, a raw ESC in
 * a body is fine either way). Each connection carries one request and is
 * closed after the answer. The server serves at most `maxRequests` requests
 * and closes itself after `lifetimeMs`, whichever comes first.
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

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
  const maxRequests = options.maxRequests ?? 50;
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      const [requestLine = "", ...lines] = buffered.subarray(0, end).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? 0);
      if (buffered.length < end + 4 + length) return;
      socket.removeAllListeners("data");
      const [method = "", path = ""] = requestLine.split(" ");
      const req = { method, path, headers, body: buffered.subarray(end + 4, end + 4 + length).toString("utf8") };
      requests.push(req);
      if (requests.length > maxRequests) {
        socket.destroy();
        return;
      }
      const res = handle(req, self);
      const body = typeof res.body === "string" ? Buffer.from(res.body, "utf8") : (res.body ?? Buffer.alloc(0));
      const head = Buffer.concat([
        Buffer.from(`HTTP/1.1 ${res.status} Hostile\r\n`, "latin1"),
        ...(res.headers ?? []).map((line) => Buffer.concat([typeof line === "string" ? Buffer.from(line, "latin1") : line, Buffer.from("\r\n")])),
        Buffer.from(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`, "latin1"),
      ]);
      socket.end(method === "HEAD" ? head : Buffer.concat([head, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 120_000);
  lifetime.unref();
  const self: RawServer = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close };
  return self;
}
