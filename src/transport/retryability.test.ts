import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortedError, AuthError, NetworkError, ProtocolError, RegistryError } from "../errors.js";
import { retryability } from "./retry.js";

test("retryability: one answer for statuses and errors (transport, page bodies, ranges)", () => {
  const registry = (status: number, code: "ERR_REGISTRY" | "ERR_NOT_FOUND" | "ERR_RATE_LIMITED" = "ERR_REGISTRY") => new RegistryError(code, "x", { status, method: "GET", url: "http://r/" });
  const table: ReadonlyArray<readonly [unknown, string]> = [
    [408, "backoff"],
    [429, "backoff"],
    [500, "backoff"],
    [502, "backoff"],
    [503, "backoff"],
    [504, "backoff"],
    [501, "differently"],
    [400, "differently"],
    [404, "differently"],
    [405, "differently"],
    [200, "differently"],
    [new NetworkError("ERR_NETWORK", "reset", { systemCode: "ECONNRESET" }), "backoff"],
    [new NetworkError("ERR_NETWORK", "stalled", { systemCode: "ETIMEDOUT" }), "once"],
    [new NetworkError("ERR_NETWORK", "idle", { systemCode: "UND_ERR_HEADERS_TIMEOUT" }), "once"],
    [new NetworkError("ERR_TLS", "bad cert"), "never"],
    [registry(503), "backoff"],
    [registry(404, "ERR_NOT_FOUND"), "differently"],
    [registry(400), "differently"],
    [registry(429, "ERR_RATE_LIMITED"), "never"],
    [new ProtocolError("not a tag list"), "differently"],
    [new AuthError("denied", { status: 401 }), "never"],
    [new AbortedError(), "never"],
    [new Error("a bug"), "never"],
  ];
  for (const [outcome, expected] of table) assert.equal(retryability(outcome), expected, String(outcome instanceof Error ? outcome.message : outcome));
});
