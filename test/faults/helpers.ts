/**
 * Shared pieces of the fault suite: profile builders with one fault knob
 * each, a client bound to an emulated registry, and assertions on the exact
 * tag set, the exact error and the requests the emulator recorded.
 */
import assert from "node:assert/strict";
import { createClient, isRegtagsError, type ClientOptions, type RegtagsClient, type RegtagsError, type TraceEvent } from "../../src/index.js";
import { builtinProfiles, type EmulatedRegistry, type EmulatorProfile, type FaultProfile, type RecordedRequest } from "../../src/emulator/index.js";

export const profile = (id: string): EmulatorProfile => {
  const found = builtinProfiles[id];
  assert.ok(found !== undefined, id);
  return found;
};

export const dist28 = profile("distribution-2.8");
export const dist3 = profile("distribution-3");

/** `count` tags, zero-padded so that push order is also lexical order. */
export function numbered(count: number, prefix = "v"): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, "0")}`);
}

/** distribution-2.8 without auth, paginating in lexical order with relative `last` links, plus faults. */
export function paginating(id: string, faults: FaultProfile = {}, overrides: Partial<EmulatorProfile> = {}): EmulatorProfile {
  return {
    ...dist28,
    id,
    tags: { ...dist28.tags, order: "lexical", paging: { ...dist28.tags.paging, ignoreParams: false }, link: { ...dist28.tags.link, form: "relative" } },
    faults,
    ...overrides,
  };
}

/** distribution-3 (token auth) with a new id, faults and a changed token response. */
export function tokenProfile(id: string, faults: FaultProfile = {}, token: { expiresIn?: number; lifetimeSeconds?: number } = {}): EmulatorProfile {
  const auth = dist3.auth;
  assert.ok(auth.kind === "bearer");
  return { ...dist3, id, auth: { ...auth, token: { ...auth.token, ...token } }, faults };
}

/** Small, fast retries so no test sleeps on real backoff. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 5_000 } as const;

export interface Harness {
  readonly client: RegtagsClient;
  readonly events: TraceEvent[];
  warnings(): string[];
  close(): Promise<void>;
}

/** A client whose registry name `name` points at the emulated registry, recording trace events. */
export function harness(registry: Pick<EmulatedRegistry, "url">, name = "r.test", options: ClientOptions = {}): Harness {
  const events: TraceEvent[] = [];
  const client = createClient({ endpoints: { [name]: registry.url }, retry: FAST_RETRY, onTrace: (e) => events.push(e), ...options });
  return {
    client,
    events,
    warnings: () => events.filter((e): e is Extract<TraceEvent, { type: "warning" }> => e.type === "warning").map((e) => e.message),
    close: () => client.close(),
  };
}

/** Runs `body` with a fresh harness and closes it. */
export async function withHarness<T>(registry: Pick<EmulatedRegistry, "url">, name: string, options: ClientOptions, body: (h: Harness) => Promise<T>): Promise<T> {
  const h = harness(registry, name, options);
  try {
    return await body(h);
  } finally {
    await h.close();
  }
}

/** Awaits a rejection and returns the regtags error, failing on anything else. */
export async function rejection(promise: Promise<unknown>): Promise<RegtagsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isRegtagsError(error), `not a regtags error: ${String(error)}`);
    return error;
  }
  assert.fail("expected a rejection");
}

export const tagsRequests = (registry: EmulatedRegistry): RecordedRequest[] => registry.requests.filter((r) => r.kind === "tags");
export const tokenRequests = (registry: EmulatedRegistry): RecordedRequest[] => registry.requests.filter((r) => r.kind === "token");
export const statuses = (requests: readonly RecordedRequest[]): number[] => requests.map((r) => r.status);

export const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Resolves after `ms`; the emulator logs a request when it answers, so tests let in-flight ones land. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
