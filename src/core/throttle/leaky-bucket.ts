// Client-side mirror of Bitrix24's request-rate leaky bucket (the REST docs on request limits): every HTTP request
// adds 1, the level drains by `drainPerSec`, and the server refuses (503) above `capacity`.
// We stop `safetyMargin` units below capacity because other tabs and apps behind the same IP
// fill the same server bucket. The level is persisted so a restarted service worker resumes
// from it (drained by the time that passed) instead of bursting from "empty" again.

import { raceAbort, systemClock, type Clock } from './clock.ts';

export interface BucketLimits {
  /** Server bucket size X (burst before blocking). */
  capacity: number;
  /** Server drain Y per second (sustained request rate). */
  drainPerSec: number;
}

export const BUCKET_PRESETS = {
  standard: { capacity: 50, drainPerSec: 2 },
  enterprise: { capacity: 250, drainPerSec: 5 },
} as const satisfies Record<string, BucketLimits>;

export type BucketPreset = keyof typeof BUCKET_PRESETS;

/** What settings store: the server's numbers, optionally our own safety margin. */
export type BucketConfig = BucketLimits & { safetyMargin?: number };

export interface BucketState {
  /** Units in the bucket at `updatedAt`. */
  level: number;
  /** Clock time (ms since epoch) of `level`. */
  updatedAt: number;
}

/** Where the bucket keeps its state across service-worker restarts (the worker keeps it in `storage.local`, key `bucket:<origin>`). */
export interface BucketStore {
  load(): Promise<BucketState | undefined>;
  save(state: BucketState): Promise<void>;
}

export interface LeakyBucketOptions {
  /** Units kept free below capacity; default max(2, 10 % of capacity): 5 for standard, 25 for enterprise. */
  safetyMargin?: number;
  clock?: Clock;
  store?: BucketStore;
}

/** A `BucketStore` in memory (tests, benchmarks, or a shared store for several buckets in one worker). */
export class MemoryBucketStore implements BucketStore {
  constructor(public state: BucketState | undefined = undefined) {}
  async load(): Promise<BucketState | undefined> {
    return this.state && { ...this.state };
  }
  async save(state: BucketState): Promise<void> {
    this.state = { ...state };
  }
}

const EPSILON = 1e-9;

export class LeakyBucket {
  readonly capacity: number;
  readonly drainPerSec: number;
  /** Highest level we let our own requests reach (capacity − safety margin). */
  readonly ceiling: number;
  private readonly clock: Clock;
  private readonly store: BucketStore | undefined;
  private level = 0;
  private updatedAt: number;
  private loading: Promise<void> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  /** `new LeakyBucket('standard')`, `new LeakyBucket({capacity: 50, drainPerSec: 2}, store)`, or with options. */
  constructor(limits: BucketPreset | BucketConfig = 'standard', storeOrOptions: BucketStore | LeakyBucketOptions = {}) {
    const options: LeakyBucketOptions = isStore(storeOrOptions) ? { store: storeOrOptions } : storeOrOptions;
    if (typeof limits === 'string') limits = BUCKET_PRESETS[limits];
    if (!(Number.isFinite(limits.capacity) && limits.capacity >= 1)) throw new RangeError('LeakyBucket: capacity must be ≥ 1');
    if (!(Number.isFinite(limits.drainPerSec) && limits.drainPerSec > 0)) throw new RangeError('LeakyBucket: drainPerSec must be > 0');
    this.capacity = limits.capacity;
    this.drainPerSec = limits.drainPerSec;
    const margin = options.safetyMargin ?? limits.safetyMargin ?? Math.max(2, Math.round(limits.capacity * 0.1));
    this.ceiling = Math.max(1, limits.capacity - Math.max(0, margin));
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
    this.updatedAt = this.clock.now();
  }

  /** Waits (FIFO) until one request fits under the ceiling, then counts it. Rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.takeOne(signal));
    this.tail = turn.catch(() => undefined);
    return raceAbort(turn, signal);
  }

  /** The server answered 503: treat its bucket as full, so the next requests wait for it to drain. */
  async penalize(): Promise<void> {
    await this.ensureLoaded();
    this.drain();
    this.level = this.capacity;
    await this.persist();
  }

  /** Current level after draining; for figures and tests. */
  async snapshot(): Promise<BucketState> {
    await this.ensureLoaded();
    this.drain();
    return { level: this.level, updatedAt: this.updatedAt };
  }

  private async takeOne(signal: AbortSignal | undefined): Promise<void> {
    await this.ensureLoaded();
    for (;;) {
      signal?.throwIfAborted();
      this.drain();
      if (this.level + 1 <= this.ceiling + EPSILON) {
        this.level += 1;
        await this.persist();
        return;
      }
      const waitMs = Math.ceil(((this.level + 1 - this.ceiling) / this.drainPerSec) * 1000);
      await this.clock.sleep(Math.max(1, waitMs), signal);
    }
  }

  private drain(): void {
    const now = this.clock.now();
    // A clock that went backwards drains nothing (conservative).
    const elapsed = Math.max(0, now - this.updatedAt);
    this.level = Math.max(0, this.level - (elapsed * this.drainPerSec) / 1000);
    if (this.level < EPSILON) this.level = 0;
    this.updatedAt = now;
  }

  private ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    if (!this.store) return;
    let state: BucketState | undefined;
    try {
      state = await this.store.load();
    } catch {
      state = undefined;
    }
    if (!state || !Number.isFinite(state.level) || !Number.isFinite(state.updatedAt)) return;
    const now = this.clock.now();
    this.level = Math.min(this.capacity, Math.max(0, state.level));
    // A timestamp from the future (clock changed) counts as "now": no drain credit.
    this.updatedAt = Math.min(state.updatedAt, now);
  }

  private async persist(): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.save({ level: this.level, updatedAt: this.updatedAt });
    } catch {
      // Storage trouble must not stop requests; the in-memory level still throttles.
    }
  }
}

function isStore(value: BucketStore | LeakyBucketOptions): value is BucketStore {
  return typeof (value as BucketStore).load === 'function' && typeof (value as BucketStore).save === 'function';
}
