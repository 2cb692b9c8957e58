/**
 * Public types of the emulator's runtime API (options, running registries, the request
 * log). The profile type lives in `profile.ts`. Types only: no code.
 */
import type { EmulatorProfile } from "./profile.js";

/** One repository held by every emulated server. */
export interface RepositorySpec {
  /** Tags in push order (oldest first); duplicates are ignored. */
  readonly tags: readonly string[];
  /** Needs credentials: any user of {@link EmulatorOptions.users}. Ignored by profiles without auth. */
  readonly private?: boolean;
}

/** Options of `startEmulator()`. */
export interface EmulatorOptions {
  /** Profiles to serve, by id or as objects (a built-in spread with overrides, i.e. knobs). Ids must be unique. */
  readonly profiles: ReadonlyArray<string | EmulatorProfile>;
  /**
   * Repositories each server holds, by full path (`library/ubuntu`). The same names
   * are served by every profile, with no `library/` mapping of their own.
   * @default defaultRepositories()
   */
  readonly repositories?: Readonly<Record<string, RepositorySpec>>;
  /** Users (name → password) accepted by Basic auth and by the token endpoint's Basic auth. @default {} */
  readonly users?: Readonly<Record<string, string>>;
  /** Added delay before each response, in ms (round trips cost what they do on the internet). @default 0 */
  readonly latencyMs?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  readonly host?: string;
  /**
   * Port of the first profile's registry listener; each next profile takes the
   * next port (auth and second-origin listeners take free ports).
   * @default 0 (a free port for each)
   */
  readonly port?: number;
  /**
   * The time of token expiry, quota windows, Retry-After dates, cursor stamps and
   * {@link latencyMs}: a `VirtualClock` shared with the client runs them all on
   * virtual time. Socket-level faults (stall, trickle) stay on real timers. @default the real clock
   */
  readonly clock?: EmulatorClock | undefined;
}

/** What the emulator needs of a clock; the client's `Clock` and `VirtualClock` fit. */
export interface EmulatorClock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Kinds of request counted by {@link EmulatedRegistry.counts}. */
export type RequestKind = "ping" | "token" | "tags" | "manifest" | "catalog" | "vendor" | "other";

/** One request as the emulator saw and answered it. */
export interface RecordedRequest {
  readonly kind: RequestKind;
  readonly method: string;
  /** Path as sent, without the query. */
  readonly path: string;
  /** Raw query without `?`, `""` when none. */
  readonly query: string;
  readonly status: number;
  /** Scheme of the Authorization header sent, if any. */
  readonly authScheme: "none" | "basic" | "bearer" | "other";
  /**
   * Whose credentials it carried: the user of valid Basic credentials, or the user a
   * still valid token was issued to. Undefined when anonymous (an anonymous token included).
   */
  readonly user: string | undefined;
  /** The emulator clock's `now()` (epoch ms) when the request arrived. */
  readonly at: number;
  /**
   * Listener that received it: the registry's port, its separate auth server, or the
   * second origin used by the `foreignLink` / `redirectTagsDroppingQuery` faults.
   */
  readonly server: "registry" | "auth" | "foreign";
}

/** Requests by kind, plus `total`. */
export type RequestCounts = Readonly<Record<RequestKind | "total", number>>;

/** One running emulated registry. */
export interface EmulatedRegistry {
  readonly profile: EmulatorProfile;
  /** e.g. `http://127.0.0.1:34567` */
  readonly url: string;
  /** e.g. `127.0.0.1:34567` */
  readonly host: string;
  /** Origin of the separate auth server, when the profile's realm is on one. */
  readonly authUrl: string | undefined;
  /** Origin of the second listener used by the foreign-origin faults, when enabled. */
  readonly foreignUrl: string | undefined;
  /** Every request this registry (and its auth and foreign listeners) received since start or `resetCounts()`, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Counts by kind since start or `resetCounts()`. */
  counts(): RequestCounts;
  /** Clears the counts, the request log and the rate-limit fault's counter. Tokens stay valid. */
  resetCounts(): void;
}

/** A set of running registries, one per profile. */
export interface Emulator {
  /** By profile id. */
  readonly registries: ReadonlyMap<string, EmulatedRegistry>;
  /** The registry of a profile id; throws if there is none. */
  get(id: string): EmulatedRegistry;
  /** Closes every listener and open connection. */
  close(): Promise<void>;
}
