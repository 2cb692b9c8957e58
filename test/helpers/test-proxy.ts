/**
 * A forward proxy for tests, on node:net: CONNECT tunnels and absolute-form
 * forwarding, to the test-only name registry.test (→ 127.0.0.1) only, so a
 * listing of that name can succeed only through it. Give the handler to
 * net.createServer (or tls.createServer for an https:// proxy).
 */
import { connect, type Socket } from "node:net";

export interface TestProxyOptions {
  /** Receives `METHOD target` per request, ` (auth)` appended when Proxy-Authorization came. */
  readonly log: string[];
  /** Every socket opened, so the test file can destroy them when it ends. */
  readonly sockets: Set<Socket>;
  /** `user:password`: any other Proxy-Authorization gets a 407. */
  readonly expectedAuth?: string;
  /** Answer forwarded (non-CONNECT) requests 404 with the Proxy-Authorization received, in a header and the body (a debugging proxy). */
  readonly echoAuth?: boolean;
  /** Target ports refused with 403 (as a proxy's access rules do). */
  readonly refusedPorts?: readonly string[];
}

export function proxyConnectionHandler(options: TestProxyOptions): (client: Socket) => void {
  const track = (socket: Socket) => {
    options.sockets.add(socket);
    socket.on("close", () => options.sockets.delete(socket));
    socket.on("error", () => {});
  };
  return (client) => {
    track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.off("data", onData);
      const lines = head.subarray(0, end).toString("latin1").split("\r\n");
      const [method, target] = lines[0]!.split(" ") as [string, string];
      const auth = lines.find((line) => line.toLowerCase().startsWith("proxy-authorization:"))?.slice(20).trim();
      options.log.push(`${method} ${target}${auth !== undefined ? " (auth)" : ""}`);
      if (options.expectedAuth !== undefined && auth !== `Basic ${Buffer.from(options.expectedAuth).toString("base64")}`) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (options.echoAuth === true && method !== "CONNECT") {
        const basic = (auth ?? "").replace(/^Basic /, "");
        const body = `{"errors":[{"code":"NAME_UNKNOWN","message":"proxy saw Proxy-Authorization: ${auth ?? ""} (${Buffer.from(basic, "base64").toString()})"}]}`;
        client.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Seen-Proxy-Authorization: ${auth ?? ""}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      const hostPort = method === "CONNECT" ? target : new URL(target).host;
      const [host, port] = hostPort.split(":") as [string, string];
      if (host !== "registry.test" || (options.refusedPorts ?? []).includes(port)) {
        client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const upstream = connect(Number(port), "127.0.0.1", () => {
        if (method === "CONNECT") {
          client.write("HTTP/1.1 200 Connection established\r\n\r\n");
          upstream.write(head.subarray(end + 4));
        } else {
          upstream.write(head);
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      track(upstream);
      upstream.on("error", () => client.destroy());
    };
    client.on("data", onData);
  };
}
