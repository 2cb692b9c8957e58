/**
 * A virtual clock for tests: pass the same instance to `createClient({ clock })`
 * and `startEmulator({ clock })`, and token lifetimes, quota windows,
 * Retry-After waits, backoff and the emulator's latency all run on virtual
 * time: a listing that outlives a 2 s token takes milliseconds, and what the
 * test asserts about time cannot depend on how busy the machine is.
 *
 * It lives beside the emulator (the library's testing kit) rather than in the
 * main entry, and imports nothing of the client: it fits the client's `Clock`
 * by shape.
 */
import { createRandom } from "./tag-generator.js";

export interface VirtualClockOptions {
  /** Virtual epoch ms at the start. @default 1_800_000_000_000 (2027-01-15) */
  readonly start?: number;
  /** Seed of `random()`, a fixed sequence per seed. @default 1 */
  readonly seed?: number;
  /**
   * true: a sleep ends at once (on the next turn of the event loop), moving
   * the time to its end; concurrent sleeps end in the order of their ends.
   * false: sleeps wait until the test calls {@link VirtualClock.advance}.
   * @default true
   */
  readonly autoAdvance?: boolean;
}

interface Sleeper {
  readonly wakeAt: number;
  readonly order: number;
  readonly resolve: () => void;
  readonly detach: () => void;
}

export class VirtualClock {
  #now: number;
  readonly #random: () => number;
  readonly #autoAdvance: boolean;
  #sleepers: Sleeper[] = [];
  #order = 0;
  #waking = false;
  #slept = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.start ?? 1_800_000_000_000;
    this.#random = createRandom(options.seed ?? 1);
    this.#autoAdvance = options.autoAdvance ?? true;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** The next number of a seeded sequence in [0, 1). */
  random(): number {
    return this.#random();
  }

  /** Virtual milliseconds slept in all (every sleep counted, concurrent ones too). */
  get slept(): number {
    return this.#slept;
  }

  /** Sleeps not yet ended. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Ends after `ms` of virtual time; rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const wait = Math.max(0, ms);
      this.#slept += wait;
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        wakeAt: this.#now + wait,
        order: this.#order++,
        resolve,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
      if (this.#autoAdvance) this.#wakeSoon();
    });
  }

  /** Moves the time forward by `ms`, ending in order every sleep due by then. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    for (let next = this.#earliest(); next !== undefined && next.wakeAt <= target; next = this.#earliest()) {
      this.#wake(next);
      await turn();
    }
    this.#now = Math.max(this.#now, target);
  }

  #earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) if (best === undefined || s.wakeAt < best.wakeAt || (s.wakeAt === best.wakeAt && s.order < best.order)) best = s;
    return best;
  }

  #wake(sleeper: Sleeper): void {
    this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
    this.#now = Math.max(this.#now, sleeper.wakeAt);
    sleeper.detach();
    sleeper.resolve();
  }

  /** One sleep per turn of the event loop, so what it wakes can start its own before the next ends. */
  #wakeSoon(): void {
    if (this.#waking) return;
    this.#waking = true;
    setImmediate(() => {
      this.#waking = false;
      const next = this.#earliest();
      if (next === undefined) return;
      this.#wake(next);
      if (this.#sleepers.length > 0) this.#wakeSoon();
    });
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
