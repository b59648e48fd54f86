// A virtual clock for tests and dry-run benchmarks. In `auto` mode (default) every sleep moves
// time forward at once, so code that waits minutes runs instantly and deterministically; in
// manual mode sleeps stay pending until `advance()`.

import { abortReason, type Clock } from './clock.ts';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  /** Every requested sleep, in order (ms). */
  readonly sleeps: number[] = [];
  private time: number;
  private readonly auto: boolean;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = 1_772_600_000_000, options: { auto?: boolean } = {}) {
    this.time = start;
    this.auto = options.auto ?? true;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const wait = Math.max(0, ms);
    this.sleeps.push(wait);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.auto) {
      this.time += wait;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = { at: this.time + wait, seq: this.seq++, resolve: () => undefined };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortReason(signal!));
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
    }
    this.time = end;
    await flushMicrotasks();
  }

  /** Jumps the clock (e.g. to simulate a service-worker restart much later). */
  set(ms: number): void {
    this.time = ms;
  }

  get pendingSleeps(): number {
    return this.timers.length;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
