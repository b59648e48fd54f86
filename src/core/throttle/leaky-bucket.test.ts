import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';
import { BUCKET_PRESETS, LeakyBucket, MemoryBucketStore } from './leaky-bucket.ts';

async function acquireMany(bucket: LeakyBucket, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await bucket.acquire();
}

describe('LeakyBucket', () => {
  it('lets 50 through at once, then 2 per second (standard, no margin)', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket('standard', { clock, safetyMargin: 0 });
    await acquireMany(bucket, 50);
    expect(clock.sleeps).toEqual([]);
    const t0 = clock.now();
    await acquireMany(bucket, 10);
    expect(clock.now() - t0).toBe(5000);
    expect(clock.sleeps.every((ms) => ms === 500)).toBe(true);
  });

  it('keeps a default safety margin below capacity', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket('standard', { clock });
    expect(bucket.ceiling).toBe(45);
    await acquireMany(bucket, 45);
    expect(clock.sleeps).toEqual([]);
    await bucket.acquire();
    expect(clock.sleeps).toEqual([500]);
    expect(new LeakyBucket('enterprise', { clock }).ceiling).toBe(225);
  });

  it('supports the enterprise preset and custom numbers', async () => {
    const clock = new FakeClock();
    const enterprise = new LeakyBucket(BUCKET_PRESETS.enterprise, { clock, safetyMargin: 0 });
    await acquireMany(enterprise, 250);
    expect(clock.sleeps).toEqual([]);
    await enterprise.acquire();
    expect(clock.sleeps).toEqual([200]);

    const custom = new LeakyBucket({ capacity: 3, drainPerSec: 0.5, safetyMargin: 0 }, { clock });
    await acquireMany(custom, 3);
    await custom.acquire();
    expect(clock.sleeps.at(-1)).toBe(2000);
    expect(() => new LeakyBucket({ capacity: 0, drainPerSec: 1 })).toThrow(RangeError);
    expect(() => new LeakyBucket({ capacity: 5, drainPerSec: 0 })).toThrow(RangeError);
  });

  it('resumes from the persisted level after a restart, drained by the elapsed time', async () => {
    const clock = new FakeClock();
    const store = new MemoryBucketStore();
    const first = new LeakyBucket('standard', { clock, store, safetyMargin: 0 });
    await acquireMany(first, 50);
    expect(store.state?.level).toBe(50);

    // The worker restarts at once: the new bucket must not burst.
    const second = new LeakyBucket('standard', { clock, store, safetyMargin: 0 });
    await second.acquire();
    expect(clock.sleeps).toEqual([500]);

    // 10 s later: 20 units drained, so 20 go through immediately and the 21st waits.
    clock.set(clock.now() + 10_000);
    const third = new LeakyBucket('standard', { clock, store, safetyMargin: 0 });
    await acquireMany(third, 20);
    expect(clock.sleeps).toEqual([500]);
    await third.acquire();
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('also accepts the store as second argument and ignores broken or future state', async () => {
    const clock = new FakeClock();
    const broken = new LeakyBucket('standard', new MemoryBucketStore({ level: Number.NaN, updatedAt: 0 }));
    expect((await broken.snapshot()).level).toBe(0);
    const future = new LeakyBucket('standard', { clock, store: new MemoryBucketStore({ level: 500, updatedAt: clock.now() + 3_600_000 }) });
    expect(await future.snapshot()).toEqual({ level: 50, updatedAt: clock.now() });
    const failing = new LeakyBucket('standard', {
      clock,
      store: { load: () => Promise.reject(new Error('x')), save: () => Promise.reject(new Error('y')) },
    });
    await expect(failing.acquire()).resolves.toBeUndefined();
  });

  it('penalize() treats the server bucket as full', async () => {
    const clock = new FakeClock();
    const store = new MemoryBucketStore();
    const bucket = new LeakyBucket('standard', { clock, store });
    await bucket.acquire();
    await bucket.penalize();
    expect(store.state?.level).toBe(50);
    const t0 = clock.now();
    await bucket.acquire();
    // From 50 down to 44 (ceiling 45 − 1) at 2/s.
    expect(clock.now() - t0).toBe(3000);
  });

  it('serves waiters in order and rejects an aborted waiter without taking a unit', async () => {
    const clock = new FakeClock(0, { auto: false });
    const bucket = new LeakyBucket({ capacity: 1, drainPerSec: 1 }, { clock, safetyMargin: 0 });
    await bucket.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const a = bucket.acquire().then(() => order.push('a'));
    const b = bucket.acquire(controller.signal).then(
      () => order.push('b'),
      () => order.push('b-aborted'),
    );
    const c = bucket.acquire().then(() => order.push('c'));
    controller.abort();
    await b;
    await clock.advance(1000);
    await a;
    expect(order).toEqual(['b-aborted', 'a']);
    await clock.advance(1000);
    await c;
    expect(order).toEqual(['b-aborted', 'a', 'c']);
    expect(clock.now()).toBe(2000);
  });
});
