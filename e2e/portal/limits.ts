// The cloud's two REST limits (bitrix24-rest.md §2): a leaky bucket of HTTP requests per source
// IP, and the per-webhook per-method execution-time budget ("operating").

export type Plan = 'standard' | 'enterprise' | { capacity: number; drainPerSec: number };

export interface PlanLimits {
  capacity: number;
  drainPerSec: number;
}

export function planLimits(plan: Plan | undefined): PlanLimits {
  if (plan === 'enterprise') return { capacity: 250, drainPerSec: 5 };
  if (plan === undefined || plan === 'standard') return { capacity: 50, drainPerSec: 2 };
  return { capacity: plan.capacity, drainPerSec: plan.drainPerSec };
}

export class LeakyBucket {
  private readonly levels = new Map<string, { level: number; at: number }>();

  constructor(
    public limits: PlanLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private drained(key: string): number {
    const s = this.levels.get(key);
    if (!s) return 0;
    return Math.max(0, s.level - ((this.now() - s.at) / 1000) * this.limits.drainPerSec);
  }

  /** Adds one request; false (and nothing added) when it would overflow the bucket. */
  tryAdd(key: string): boolean {
    const level = this.drained(key);
    if (level + 1 > this.limits.capacity) return false;
    this.levels.set(key, { level: level + 1, at: this.now() });
    return true;
  }

  /** Current level for one source, or the fullest one when no key is given. */
  level(key?: string): number {
    if (key !== undefined) return this.drained(key);
    let max = 0;
    for (const k of this.levels.keys()) max = Math.max(max, this.drained(k));
    return max;
  }

  reset(): void {
    this.levels.clear();
  }
}

const WINDOW_S = 600;
const BUCKET_S = 60;
/** The module does not record calls shorter than this (seconds). */
export const OPERATING_MIN_RECORDED_S = 0.1;

export class OperatingMeter {
  private readonly buckets = new Map<string, Array<{ minute: number; seconds: number }>>();
  /** The window and its 10 buckets; shorter than 10 minutes only so tests can see a reset. */
  windowSec = WINDOW_S;
  bucketSec = BUCKET_S;

  constructor(
    public limitSec = 480,
    private readonly now: () => number = Date.now,
  ) {}

  private live(key: string): Array<{ minute: number; seconds: number }> {
    const nowS = this.now() / 1000;
    const list = (this.buckets.get(key) ?? []).filter((b) => b.minute + this.windowSec > nowS);
    this.buckets.set(key, list);
    return list;
  }

  record(key: string, seconds: number): void {
    if (seconds < OPERATING_MIN_RECORDED_S) return;
    const list = this.live(key);
    const minute = Math.floor(this.now() / 1000 / this.bucketSec) * this.bucketSec;
    const last = list[list.length - 1];
    if (last && last.minute === minute) last.seconds += seconds;
    else list.push({ minute, seconds });
  }

  /** Seconds used in the current 10-minute window. */
  used(key: string): number {
    return this.live(key).reduce((s, b) => s + b.seconds, 0);
  }

  blocked(key: string): boolean {
    return this.used(key) > this.limitSec;
  }

  /** Unix time when the oldest bucket drops out (the current minute's if nothing is recorded). */
  resetAt(key: string): number {
    const first = this.live(key)[0];
    const minute = first ? first.minute : Math.floor(this.now() / 1000 / this.bucketSec) * this.bucketSec;
    return minute + this.windowSec;
  }

  reset(): void {
    this.buckets.clear();
  }
}
