/**
 * Hostile HTTP servers for the hostile suite: node:net on 127.0.0.1 port 0, so
 * a test can send what node:http would never send (a 101, a garbage status
 * line, a duplicate Content-Length, a header with a control character) or
 * close a connection without a word. Each server is bounded: it answers at
 * most `maxRequests` requests (later ones are cut), closes itself after
 * `lifetimeMs`, and records every request it read.
 */
import { createServer, type Socket } from "node:net";

export interface RawRequest {
  /** 1 for the first request the server read, 2 for the next, … (across connections). */
  readonly index: number;
  readonly method: string;
  /** The request target as sent, e.g. `/v2/app/x/tags/list?n=10000`. */
  readonly target: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What to answer: raw bytes written as they are (the connection stays open for
 * the next request unless they say `Connection: close`), or `close` to drop
 * the connection without an answer.
 */
export type Answer = string | Buffer | "close";

export interface HostileServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** Every request read, in order. */
  readonly requests: readonly RawRequest[];
  /** The requests whose target's path starts with `prefix`. */
  requestsTo(prefix: string): RawRequest[];
  close(): Promise<void>;
}

/** Starts a server that answers each request with `answer(request)`. */
export async function startHostileServer(
  answer: (request: RawRequest, server: { readonly url: string }) => Answer,
  options: { maxRequests?: number; lifetimeMs?: number } = {},
): Promise<HostileServer> {
  const maxRequests = options.maxRequests ?? 50;
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0 || buffer.length > 1024 * 1024) return;
        const [line = "", ...fields] = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const headers: Record<string, string> = {};
        for (const field of fields) {
          const colon = field.indexOf(":");
          if (colon > 0) headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? "0") || 0;
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
        buffer = buffer.subarray(end + 4 + length);
        const [method = "", target = ""] = line.split(" ");
        const request: RawRequest = { index: requests.length + 1, method, target, headers, body };
        requests.push(request);
        if (request.index > maxRequests) return void socket.destroy();
        const reply = answer(request, { url });
        if (reply === "close") return void socket.destroy();
        socket.write(reply);
        const head = typeof reply === "string" ? reply.slice(0, reply.indexOf("\r\n\r\n") + 2) : reply.subarray(0, reply.indexOf("\r\n\r\n") + 2).toString("latin1");
        if (/\r\nconnection: close\r\n/i.test(head)) return void socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  // Stops by itself even if a test forgets to close it; never keeps the test process alive.
  setTimeout(() => void close(), options.lifetimeMs ?? 60_000).unref();
  return {
    url,
    host: `127.0.0.1:${port}`,
    requests,
    requestsTo: (prefix) => requests.filter((r) => r.target.startsWith(prefix)),
    close,
  };
}

/** A complete HTTP/1.1 response with a Content-Length. */
export function respond(status: number, reason: string, headers: Readonly<Record<string, string>> = {}, body = ""): string {
  const fields = Object.entries({ ...headers, "content-length": String(Buffer.byteLength(body)) }).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${reason}\r\n${fields.join("")}\r\n${body}`;
}

/** A 200 tag list page; `next` becomes a Link rel="next". */
export function tagsPage(repository: string, tags: readonly string[], next?: string, headers: Readonly<Record<string, string>> = {}): string {
  return respond(200, "OK", { "content-type": "application/json", ...(next !== undefined ? { link: `<${next}>; rel="next"` } : {}), ...headers }, JSON.stringify({ name: repository, tags }));
}

/** A 401 asking for a Bearer token at `realm`. */
export function bearerChallenge(realm: string, repository: string): string {
  return respond(
    401,
    "Unauthorized",
    { "content-type": "application/json", "www-authenticate": `Bearer realm="${realm}",service="hostile.test",scope="repository:${repository}:pull"` },
    '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
  );
}

/** A 101 Switching Protocols, as a server answering an Upgrade nobody asked for sends it. */
export const SWITCHING_PROTOCOLS = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";

/** The CLI's output split into lines, without the last newline. */
export const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));
