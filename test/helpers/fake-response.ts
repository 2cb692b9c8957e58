/**
 * A TransportResponse for unit tests of transport decorators and the auth
 * layer: fixed status and headers, a body given as text (or a function
 * producing it), served whole by text() and as one chunk by stream().
 */
import { headersFromRecord, type TransportResponse } from "../../src/transport/types.js";

export function fakeResponse(status: number, headers: Record<string, string> = {}, body: string | (() => Promise<string>) = "", url = "https://r.example/"): TransportResponse {
  const read = typeof body === "string" ? async () => body : body;
  return {
    status,
    headers: headersFromRecord(headers),
    url: new URL(url),
    text: read,
    stream: async (_limit, onChunk) => onChunk(Buffer.from(await read(), "utf8")),
    discard: async () => undefined,
  };
}
