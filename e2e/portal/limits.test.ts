// Leaky bucket (§2.1), operating-time budget (§2.2) and simulated latency.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer } from './index.ts';
import { LeakyBucket, OperatingMeter } from './limits.ts';
import { call, freshHost, sessionCall } from './test-helpers.ts';

const TINY = { dialogs: 2, groups: 2, messagesPerChat: 2 };

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: TINY });
});
afterAll(() => portal.close());

describe('leaky bucket', () => {
  it('standard plan: a burst passes 50 (plus what drained meanwhile), the rest get 503 QUERY_LIMIT_EXCEEDED; refused ones do not fill it', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const t0 = Date.now();
    const answers = await Promise.all(Array.from({ length: 60 }, () => call(portal, `${hook}im.revision.get`)));
    const seconds = (Date.now() - t0) / 1000;
    const passed = answers.filter((r) => r.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(50);
    expect(passed).toBeLessThanOrEqual(50 + Math.ceil(seconds * 2));
    const refused = answers.find((r) => r.status !== 200)!;
    expect([refused.status, refused.body.error, refused.body.error_description]).toEqual([503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests']);
    const level = t.bucketLevel();
    expect(level).toBeGreaterThan(49);
    expect(level).toBeLessThanOrEqual(50);
    for (let i = 0; i < 3; i++) await call(portal, `${hook}im.revision.get`);
    expect(t.bucketLevel()).toBeLessThanOrEqual(50);
    // Page loads don't count, session REST does.
    const s = t.login();
    const before = t.bucketLevel();
    expect((await portal.fetch(`${t.origin}/online/`, { headers: { Cookie: `PHPSESSID=${s.cookieValue}` } })).status).toBe(200);
    expect(t.bucketLevel()).toBeLessThanOrEqual(before);
    // Session REST goes through the same bucket.
    const u = portal.tenant(freshHost());
    u.setPlan({ capacity: 1, drainPerSec: 0.001 });
    const us = u.login();
    expect((await sessionCall(portal, u, 'im.revision.get', {}, us)).status).toBe(200);
    expect((await sessionCall(portal, u, 'im.revision.get', {}, us)).status).toBe(503);
  });

  it('drains at 2 per second', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    await Promise.all(Array.from({ length: 50 }, () => call(portal, `${hook}im.revision.get`)));
    const before = t.bucketLevel();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 600));
    const drained = before - t.bucketLevel();
    const elapsed = (performance.now() - t0) / 1000;
    expect(drained).toBeGreaterThan(elapsed * 2 - 0.1);
    expect(drained).toBeLessThan(elapsed * 2 + 0.1);
    expect((await call(portal, `${hook}im.revision.get`)).status).toBe(200);
  });

  it('a batch of 50 sub-calls counts once', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.setPlan({ capacity: 50, drainPerSec: 0.001 });
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'im.counters.get']));
    for (let i = 0; i < 3; i++) expect((await call(portal, `${hook}batch`, { cmd })).status).toBe(200);
    expect(t.bucketLevel()).toBeGreaterThan(2.9);
    expect(t.bucketLevel()).toBeLessThanOrEqual(3);
  });

  it('enterprise: 250 burst; custom plans; setPlan at run time', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.setPlan('enterprise');
    const t0 = Date.now();
    const statusesE = await Promise.all(Array.from({ length: 270 }, () => call(portal, `${hook}im.revision.get`).then((r) => r.status)));
    const seconds = (Date.now() - t0) / 1000;
    const passed = statusesE.filter((s) => s === 200).length;
    // 250 burst plus whatever drained (5/s) while the burst was in flight.
    expect(passed).toBeGreaterThanOrEqual(250);
    expect(passed).toBeLessThanOrEqual(250 + Math.ceil(seconds * 5));
    expect(statusesE.filter((s) => s === 503).length).toBe(270 - passed);
    const u = portal.tenant(freshHost());
    const uh = u.addWebhook();
    u.setPlan({ capacity: 3, drainPerSec: 0.001 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(portal, `${uh}im.revision.get`)).status);
    expect(statuses).toEqual([200, 200, 200, 503, 503]);
  });

  it('the bucket model itself: the 51st request of an instant burst is refused; level, drain', () => {
    let now = 0;
    const standard = new LeakyBucket({ capacity: 50, drainPerSec: 2 }, () => now);
    const burst = Array.from({ length: 51 }, () => standard.tryAdd('ip'));
    expect(burst.indexOf(false)).toBe(50);
    now = 500;
    expect([standard.tryAdd('ip'), standard.tryAdd('ip')]).toEqual([true, false]);
    now = 0;
    const b = new LeakyBucket({ capacity: 2, drainPerSec: 2 }, () => now);
    expect([b.tryAdd('ip'), b.tryAdd('ip'), b.tryAdd('ip')]).toEqual([true, true, false]);
    expect(b.level('ip')).toBe(2);
    now = 250;
    expect(b.level('ip')).toBe(1.5);
    expect(b.tryAdd('ip')).toBe(false);
    now = 500;
    expect(b.tryAdd('ip')).toBe(true);
    expect(b.tryAdd('other')).toBe(true);
  });
});

describe('operating time', () => {
  it('blocks a webhook\'s method once its 10-minute sum passes the limit; other methods and sessions go on', async () => {
    const p = await startPortal({ seed: TINY, latency: { baseMs: 0, perCallMs: 120 }, operatingLimitSec: 0.3 });
    try {
      const t = p.tenant(freshHost());
      const hook = t.addWebhook();
      const ops: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await call(p, `${hook}im.counters.get`);
        expect(r.status).toBe(200);
        ops.push(r.body.time.operating);
        expect(r.body.time.operating_reset_at).toBeGreaterThan(Date.now() / 1000 + 500);
        expect(r.body.time.processing).toBeGreaterThanOrEqual(0.11);
      }
      expect(ops[2]).toBeGreaterThan(0.3);
      expect(ops[0]).toBeLessThan(ops[1]!);
      const blocked = await call(p, `${hook}im.counters.get`);
      expect([blocked.status, blocked.body.error]).toEqual([429, 'OPERATION_TIME_LIMIT']);
      expect((await call(p, `${hook}im.revision.get`)).status).toBe(200);
      expect((await call(p, `${t.addWebhook()}im.counters.get`)).status).toBe(200);
      expect((await sessionCall(p, t, 'im.counters.get')).status).toBe(200);
      // Inside a batch the blocked method fails alone.
      const b = await call(p, `${hook}batch`, { cmd: { c: 'im.counters.get', r: 'im.revision.get' } });
      expect(b.body.result.result_error.c.error).toBe('OPERATION_TIME_LIMIT');
      expect(b.body.result.result.r).toBeDefined();
      expect(b.body.result.result_time.r.operating).toBeTypeOf('number');
    } finally {
      await p.close();
    }
  });

  it('the meter: calls under 0.1 s are not recorded; buckets expire after 10 minutes', () => {
    let now = 1_000_000_000_000;
    const m = new OperatingMeter(1, () => now);
    m.record('k', 0.05);
    expect(m.used('k')).toBe(0);
    m.record('k', 0.6);
    now += 61_000;
    m.record('k', 0.6);
    expect(m.used('k')).toBeCloseTo(1.2);
    expect(m.blocked('k')).toBe(true);
    const reset = m.resetAt('k');
    now = reset * 1000;
    expect(m.used('k')).toBeCloseTo(0.6);
    expect(m.blocked('k')).toBe(false);
  });

  it('a shorter window (for tests) moves operating_reset_at and the reset with it', () => {
    let now = 1_000_000_000_000;
    const m = new OperatingMeter(0.5, () => now);
    m.windowSec = 10;
    m.bucketSec = 1;
    m.record('k', 0.6);
    expect(m.blocked('k')).toBe(true);
    expect(m.resetAt('k')).toBe(now / 1000 + 10);
    now += 10_000;
    expect(m.blocked('k')).toBe(false);
  });
});

describe('latency', () => {
  it('costs baseMs + perCallMs per (sub-)call and shows in time.processing and the log', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.setLatency({ baseMs: 30, perCallMs: 10 });
    const t0 = Date.now();
    const r = await call(portal, `${hook}batch`, { cmd: ['im.revision.get', 'im.revision.get', 'im.revision.get'] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(58);
    expect(r.body.time.processing).toBeGreaterThanOrEqual(0.029);
    expect(r.body.time.duration).toBeGreaterThanOrEqual(0.058);
    expect(t.log.at(-1)!.processingMs).toBeGreaterThanOrEqual(58);
  });
});
