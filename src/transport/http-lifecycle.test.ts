/**
 * The base transport's request lifecycle (issue 10, items 1 and 8): every way
 * an exchange ends without a usable response settles with a typed error, and
 * what is not HTTP/1.1 is a ProtocolError. Servers are node:net on 127.0.0.1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { isRegtagsError, NetworkError, ProtocolError } from "../errors.js";
import { createHttpTransport, mapError } from "./http.js";

/** A one-shot node:net server: `onRequest` gets the socket once a request head arrived. */
async function rawServer(onRequest: (socket: Socket) => void): Promise<{ url: string; heads: () => number; close: () => Promise<void> }> {
  let heads = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      if (!chunk.includes("\r\n\r\n")) return;
      heads++;
      onRequest(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const timer = setTimeout(() => server.close(), 20_000).unref();
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    heads: () => heads,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Settles with what `promise` did, or "still pending" after `ms`: a hang fails the test instead of stalling it. */
function outcome(promise: Promise<unknown>, ms = 5_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise((resolve) => (timer = setTimeout(() => resolve("still pending"), ms)));
  return Promise.race([promise.then(() => "resolved", (error: unknown) => error), pending]).finally(() => clearTimeout(timer));
}

test("a header value with CR/LF is refused before sending: a ProtocolError, not node's TypeError", async () => {
  const server = await rawServer((socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  const http = createHttpTransport();
  try {
    const error = await outcome(http.send({ method: "GET", url: new URL(`${server.url}/v2/`), headers: { authorization: "Bearer abc\r\nX-Injected: 1" } }));
    assert.ok(error instanceof ProtocolError, String(error));
    assert.equal(
      error.message,
      `GET ${server.url}/v2/: not sent: a header or the path holds a character HTTP forbids (Invalid character in header content ["authorization"], ERR_INVALID_CHAR); a token or credential with a line break or another control character cannot be sent`,
    );
    assert.equal(server.heads(), 0);
  } finally {
    await http.close();
    await server.close();
  }
});

test("a connection that breaks before the body is read: the late reader fails, it does not wait forever", async () => {
  const server = await rawServer((socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"tags\":");
    setTimeout(() => socket.resetAndDestroy(), 20);
  });
  const http = createHttpTransport();
  try {
    const res = await http.send({ method: "GET", url: new URL(`${server.url}/v2/x/tags/list`) });
    // Read only after the reset has come and gone, as a caller busy elsewhere would.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await outcome(res.text(1 << 20));
    assert.ok(error instanceof NetworkError && error.code === "ERR_NETWORK", String(error));
    assert.equal(error.message, `GET ${server.url}/v2/x/tags/list: connection reset (ECONNRESET)`);
  } finally {
    await http.close();
    await server.close();
  }
});

test("an upgrade answered on a plain request rejects (it used to leave the promise unsettled)", async () => {
  const server = await rawServer((socket) => socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"));
  const http = createHttpTransport();
  try {
    const error = await outcome(http.send({ method: "GET", url: new URL(`${server.url}/v2/`) }));
    assert.ok(error instanceof ProtocolError && error.code === "ERR_PROTOCOL", String(error));
    assert.match(error.message, /: the server answered 101 Switching Protocols to a plain request;/);
  } finally {
    await http.close();
    await server.close();
  }
});

test("mapError: llhttp's parse errors are protocol errors quoting llhttp's reason, never the raw packet; a body cut by EOF stays a network error", () => {
  const url = new URL("https://r.example/v2/x/tags/list");
  const parse = (code: string, reason: string) =>
    Object.assign(new Error(`Parse Error: ${reason}`), { code, reason, bytesParsed: 3, rawPacket: Buffer.from("HTTP/1.1 200 OK\r\nX: \u001b]0;pwned\u0007\r\n") });
  for (const [code, reason] of [
    ["HPE_INVALID_CONSTANT", "Expected HTTP/, RTSP/ or ICE/"],
    ["HPE_UNEXPECTED_CONTENT_LENGTH", "Duplicate Content-Length"],
    ["HPE_INVALID_HEADER_TOKEN", "Invalid header value char"],
    ["HPE_HEADER_OVERFLOW", "Header overflow"],
    ["HPE_INVALID_TRANSFER_ENCODING", "Invalid `Transfer-Encoding` header value"],
  ] as const) {
    const error = mapError(parse(code, reason), "GET", url, undefined);
    assert.ok(error instanceof ProtocolError, `${code}: ${String(error)}`);
    assert.equal(error.message, `GET https://r.example/v2/x/tags/list: the response is not valid HTTP/1.1 (${reason}, ${code}); the registry or a proxy in front of it is broken`);
  }
  const eof = mapError(parse("HPE_INVALID_EOF_STATE", "Invalid EOF state"), "GET", url, undefined);
  assert.ok(isRegtagsError(eof) && eof.code === "ERR_NETWORK", String(eof));
  const reset = mapError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "GET", url, undefined);
  assert.ok(isRegtagsError(reset) && reset.code === "ERR_NETWORK");
});
