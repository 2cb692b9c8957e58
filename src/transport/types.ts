/**
 * The one request pipeline's types. A {@link Transport} is a function from a
 * request to a response; decorators (redirects, retries, tracing, auth) wrap
 * it. Every HTTP request regtags makes goes through one composed Transport.
 */

/** Request metadata the auth layer reads; the transport itself ignores it. */
export interface AuthHints {
  /** Token scopes this request needs, e.g. `repository:library/ubuntu:pull` (REF-10). */
  readonly scopes: readonly string[];
}

export interface TransportRequest {
  readonly method: "GET" | "HEAD" | "POST";
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal | undefined;
  /** Present on registry API requests; absent on token-endpoint requests. */
  readonly auth?: AuthHints;
  /** Short label for traces: "tags", "token", "manifest", … */
  readonly purpose?: string;
  /** Safe to send again although not GET/HEAD (a webhook POST delivered at least once): retried like GET. */
  readonly idempotent?: boolean;
}

/** Case-insensitive response headers; repeated headers are kept apart. */
export interface ResponseHeaders {
  get(name: string): string | undefined;
  getAll(name: string): string[];
  /** Lower-case header names. */
  names(): string[];
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The URL that answered (after redirects). Relative Links resolve against it (RFC 3986 §5). */
  readonly url: URL;
  /** Reads the body as UTF-8, failing with a ProtocolError past `limitBytes`. */
  text(limitBytes: number): Promise<string>;
  /**
   * Hands the body to `onChunk` piece by piece as it arrives, failing with a
   * ProtocolError past `limitBytes`: a large tag list is parsed without ever
   * being held whole.
   */
  stream(limitBytes: number, onChunk: (chunk: Buffer) => void): Promise<void>;
  /** Discards the body so the connection can be reused. */
  discard(): Promise<void>;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Builds a {@link ResponseHeaders} from a header record (repeated headers as arrays). */
export function headersFromRecord(record: Readonly<Record<string, string | string[] | undefined>>): ResponseHeaders {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    map.set(name.toLowerCase(), Array.isArray(value) ? [...value] : [value]);
  }
  return {
    get: (name) => {
      const values = map.get(name.toLowerCase());
      return values === undefined ? undefined : values.join(", ");
    },
    getAll: (name) => [...(map.get(name.toLowerCase()) ?? [])],
    names: () => [...map.keys()],
  };
}
