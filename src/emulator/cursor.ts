/**
 * Opaque page cursors, for profiles whose next link carries a token instead of the
 * last entry: quay-2023's `next_page=gAAAAAB...%3D` (a Fernet token, field report) and
 * ECR's opaque `last` (registry-quirks.md). The emulator needs no server-side state:
 * the token holds the offset (and page size) and a MAC over them and the repository
 * name, so a rebuilt or foreign cursor is detected and refused (PAG-3).
 */
import { createHmac, randomBytes } from "node:crypto";

/** Where the next page starts, and the page size to keep if the token remembers it. */
export interface CursorState {
  readonly offset: number;
  readonly size: number | undefined;
}

/** Encodes and decodes cursors of one listing. */
export interface CursorCodec {
  encode(state: CursorState): string;
  decode(value: string): CursorState | undefined;
}

const MAC_BYTES = 16;

function mac(key: Buffer, scope: string, payload: Buffer): Buffer {
  return createHmac("sha256", key).update(scope).update(payload).digest().subarray(0, MAC_BYTES);
}

function payloadOf(state: CursorState): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(state.offset, 0);
  payload.writeUInt32BE(state.size ?? 0, 4);
  return payload;
}

function stateOf(payload: Buffer): CursorState {
  const size = payload.readUInt32BE(4);
  return { offset: payload.readUInt32BE(0), size: size === 0 ? undefined : size };
}

/**
 * A codec bound to one listing (`scope`, e.g. the repository name).
 * - `fernet`: version byte 0x80, 8-byte timestamp, 16-byte IV, payload, MAC, one filler
 *   byte: base64url with its `=` padding, so it reads `gAAAAAB...=` like quay's.
 * - `base64url`: payload and MAC, unpadded.
 */
export function createCursorCodec(style: "fernet" | "base64url", key: Buffer, scope: string, now: () => number): CursorCodec {
  if (style === "base64url") {
    return {
      encode: (state) => {
        const payload = payloadOf(state);
        return Buffer.concat([payload, mac(key, scope, payload)]).toString("base64url");
      },
      decode: (value) => {
        const raw = Buffer.from(value, "base64url");
        if (raw.length !== 8 + MAC_BYTES) return undefined;
        const payload = raw.subarray(0, 8);
        return mac(key, scope, payload).equals(raw.subarray(8)) ? stateOf(payload) : undefined;
      },
    };
  }
  const HEADER = 1 + 8 + 16;
  return {
    encode: (state) => {
      const header = Buffer.alloc(HEADER);
      header[0] = 0x80;
      header.writeBigUInt64BE(BigInt(Math.floor(now() / 1000)), 1);
      randomBytes(16).copy(header, 9);
      const signed = Buffer.concat([header, payloadOf(state)]);
      // 25 + 8 + 16 + 1 = 50 bytes: 50 mod 3 = 2, so exactly one "=" of padding.
      return Buffer.concat([signed, mac(key, scope, signed), Buffer.of(0)]).toString("base64url") + "=";
    },
    decode: (value) => {
      if (!value.startsWith("gAAAAA")) return undefined;
      const raw = Buffer.from(value.replace(/=+$/, ""), "base64url");
      if (raw.length !== HEADER + 8 + MAC_BYTES + 1 || raw[0] !== 0x80) return undefined;
      // Like Fernet's HMAC, the MAC covers the version, timestamp and IV too.
      const signed = raw.subarray(0, HEADER + 8);
      const valid = mac(key, scope, signed).equals(raw.subarray(HEADER + 8, HEADER + 8 + MAC_BYTES));
      return valid ? stateOf(raw.subarray(HEADER, HEADER + 8)) : undefined;
    },
  };
}
