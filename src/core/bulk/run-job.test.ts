import { describe, expect, it } from 'vitest';
import type { ReadMode } from './commands.ts';
import { RestError } from '../rest/errors.ts';
import { discover } from './discover.ts';
import { DEFAULT_FILTERS, type BulkFilters } from './filters.ts';
import { planBulkRead } from './plan.ts';
import { createJob, resumeDue, waitsForPortalTab, waitsForUser, type BulkJob, type JobProgress } from './job.ts';
import { OPERATING_FALLBACK_WAIT_MS, runJob, type RunJobDeps } from './run-job.ts';
import { err, type FakeChatInit, type FakePortal } from './testing/fake-portal.ts';
import { portalWith } from './testing/portal-setup.ts';

const MARKED: FakeChatInit[] = [
  { dialogId: 'chat90001', manual: true },
  { dialogId: 'chat90002', manual: true, unread: 0 },
  { dialogId: '90003', manual: true, unread: 4 },
];

async function setup(n: number, options: { filters?: Partial<BulkFilters>; readAll?: boolean; extra?: FakeChatInit[]; notifications?: number; mode?: ReadMode } = {}) {
  const portal = portalWith(n, options.extra ?? MARKED);
  portal.notifications = options.notifications ?? 0;
  const inventory = await discover(portal, { myUserId: portal.myUserId });
  const plan = planBulkRead(inventory, { ...DEFAULT_FILTERS, ...options.filters }, { allowReadAll: options.readAll ?? false, mode: options.mode ?? 'receipts' });
  const job = createJob(plan, { portal: 'https://demo.bitrix24.ru', id: 'job-1', now: () => 1000 });
  portal.requests = 0;
  portal.executed.length = 0;
  const saves: string[] = [];
  const progress: JobProgress[] = [];
  const deps: RunJobDeps = {
    api: portal,
    save: async (j) => void saves.push(JSON.stringify(j)),
    onProgress: (p) => void progress.push(p),
    sleep: async () => {},
    now: () => 5000,
  };
  return { portal, plan, job, saves, progress, deps };
}

/** The last saved state, as a restarted worker would load it. */
const reload = (saves: string[]): BulkJob => JSON.parse(saves[saves.length - 1]!) as BulkJob;

function expectReadExactlyOnce(portal: FakePortal, job: BulkJob) {
  for (const target of job.targets) {
    expect(portal.readCount(target.dialogId), target.dialogId).toBe(target.read ? 1 : 0);
    const chat = portal.chats.get(target.dialogId)!;
    expect(chat.lastRead, target.dialogId).toBeGreaterThanOrEqual(target.readTo);
    if (target.clearMark) expect(chat.manual).toBe(false);
    expect(job.outcomes[target.dialogId]?.status, target.dialogId).toBe('read');
  }
}

const reject = (n: number, error: Error) => (i: number) => (i === n ? error : undefined);

describe('runJob (batches)', () => {
  it('reads every target once, in ceil(commands / 50) requests, with counters in the last batch', async () => {
    const { portal, job, deps, saves, progress, plan } = await setup(120);
    expect(plan.strategy).toBe('batches');
    expect(job.chunks.flat()).toHaveLength(123 + 2); // 123 reads + 2 marks (one mark-only chat has no read)
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    expect(done.requests).toBe(3);
    expect(portal.requests).toBe(3);
    expectReadExactlyOnce(portal, done);
    expect(done.countersAfter?.TYPE.ALL).toBe(0);
    expect(portal.executed.at(-1)?.method).toBe('im.counters.get');
    expect(done.inFlight).toBeUndefined();
    // Saved before and after each request, always as plain JSON.
    expect(saves.length).toBeGreaterThanOrEqual(7);
    expect(JSON.parse(saves.at(-1)!)).toEqual(JSON.parse(JSON.stringify(done)));
    expect(progress.at(-1)).toMatchObject({ done: 123, total: 123, read: 123, failed: 0, skipped: 0, requests: 3, etaMs: 0, status: 'done' });
    expect(progress[0]!.etaMs).toBeGreaterThanOrEqual(2 * 500);
  });

  it('leaves messages that arrived after discovery unread', async () => {
    const { portal, job, deps } = await setup(10);
    portal.post('chat5002');
    await runJob(job, deps);
    expect(portal.counter(portal.chats.get('chat5002')!)).toBe(1);
    expect(portal.counter(portal.chats.get('chat5003')!)).toBe(0);
  });

  it('resumes from the saved state after the worker is stopped between chunks', async () => {
    const { portal, job, deps, saves } = await setup(200);
    let saveCount = 0;
    await expect(
      runJob(job, { ...deps, save: async (j) => { saves.push(JSON.stringify(j)); if (++saveCount === 5) throw new Error('worker stopped'); } }),
    ).rejects.toThrow('worker stopped');
    const saved = reload(saves);
    expect(saved.cursor).toBe(2);
    expect(saved.inFlight).toBeUndefined();
    const done = await runJob(saved, deps);
    expect(done.status).toBe('done');
    expectReadExactlyOnce(portal, done);
    expect(portal.requests).toBe(5);
    expect(done.requests).toBe(5);
  });

  it('a chunk sent when the worker stopped is verified with im.dialog.get, never sent twice', async () => {
    const { portal, job, deps, saves } = await setup(200);
    portal.afterRequest = reject(2, new Error('worker stopped')); // request 2 ran, its answer is lost
    await expect(runJob(job, deps)).rejects.toThrow('worker stopped');
    portal.afterRequest = undefined;
    const saved = reload(saves);
    expect(saved.inFlight).toMatchObject({ chunk: 1 });
    expect(saved.inFlight!.keys).toHaveLength(50);
    const done = await runJob(saved, deps);
    expectReadExactlyOnce(portal, done);
    const verification = portal.executed.filter((c) => c.method === 'im.dialog.get');
    expect(verification.length).toBeGreaterThanOrEqual(49);
    expect(done.requests).toBe(2 + 1 + 3); // 2 sent, 1 verification, 3 left
  });

  it('a chunk that never left is verified, found unread, and sent once', async () => {
    const { portal, job, deps, saves } = await setup(200);
    portal.beforeRequest = reject(2, new Error('worker stopped'));
    await expect(runJob(job, deps)).rejects.toThrow();
    portal.beforeRequest = undefined;
    const saved = reload(saves);
    const done = await runJob(saved, deps);
    expectReadExactlyOnce(portal, done);
    expect(done.requests).toBe(2 + 1 + 4); // the lost request counts: it may have left
    expect(portal.requests).toBe(7);
  });

  it('verifies in the same run when the client reports a lost answer (maybeExecuted)', async () => {
    const { portal, job, deps } = await setup(120);
    portal.afterRequest = reject(1, err('network', 'NETWORK_ERROR', { maybeExecuted: true }));
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    expectReadExactlyOnce(portal, done);
    expect(done.requests).toBe(3 + 1); // the unverifiable mark removals ride with the last chunk
  });

  it('a lost answer whose chunk did not run is resent after verification', async () => {
    const { portal, job, deps } = await setup(120);
    portal.beforeRequest = reject(1, err('network', 'NETWORK_ERROR', { maybeExecuted: true }));
    const done = await runJob(job, deps);
    expectReadExactlyOnce(portal, done);
    expect(done.requests).toBe(1 + 1 + 3);
  });

  it('pauses on an auth error and resumes where it stopped', async () => {
    const { portal, job, deps, saves } = await setup(200);
    portal.beforeRequest = reject(3, err('auth', 'session_failed'));
    const paused = await runJob(job, deps);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: { kind: 'auth', code: 'session_failed' }, cursor: 2 });
    expect(paused.inFlight).toBeUndefined();
    portal.beforeRequest = undefined;
    const done = await runJob(reload(saves), deps);
    expect(done.status).toBe('done');
    expect(done.pauseReason).toBeUndefined();
    expectReadExactlyOnce(portal, done);
  });

  it('pauses on a network error keeping the chunk in flight, and verifies it on resume', async () => {
    const { portal, job, deps, saves } = await setup(120);
    portal.afterRequest = reject(2, err('network', 'NETWORK_ERROR'));
    const paused = await runJob(job, deps);
    expect(paused.status).toBe('paused');
    expect(paused.inFlight?.chunk).toBe(1);
    portal.afterRequest = undefined;
    const done = await runJob(reload(saves), deps);
    expectReadExactlyOnce(portal, done);
  });

  it('fails for good on a non-retryable outer error', async () => {
    const { portal, job, deps } = await setup(20);
    portal.beforeRequest = reject(1, err('overload', 'OVERLOAD_LIMIT'));
    const failed = await runJob(job, deps);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'overload', code: 'OVERLOAD_LIMIT' } });
    expect(await runJob(failed, deps)).toBe(failed);
  });

  it('retries transient sub-call errors in a later chunk and fails permanent ones', async () => {
    const { portal, job, deps } = await setup(60);
    const seen = new Map<string, number>();
    portal.subCallError = (key) => {
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (key === 'r_chat5002' && seen.get(key) === 1) return err('rate', 'QUERY_LIMIT_EXCEEDED');
      if (key === 'r_chat5006') return err('access', 'ACCESS_ERROR');
      if (key === 'r_chat5007') return err('server', 'INTERNAL_SERVER_ERROR');
      return undefined;
    };
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    expect(done.outcomes['chat5002']).toMatchObject({ status: 'read', read: true });
    expect(portal.readCount('chat5002')).toBe(1);
    expect(done.outcomes['chat5006']).toEqual({ status: 'failed', code: 'ACCESS_ERROR', read: false, markCleared: false });
    expect(done.outcomes['chat5007']).toMatchObject({ status: 'failed', code: 'INTERNAL_SERVER_ERROR' });
    expect(seen.get('r_chat5007')).toBe(3);
    expect(done.countersAfter).toBeDefined();
  });

  it('records false (nothing changed / no access) as skipped', async () => {
    const { portal, job, deps } = await setup(5);
    const originalBatch = portal.batch.bind(portal);
    portal.batch = async (commands, options) => {
      const outcome = await originalBatch(commands, options);
      if ('r_chat5002' in outcome.results) outcome.results['r_chat5002'] = false;
      return outcome;
    };
    const done = await runJob(job, deps);
    expect(done.outcomes['chat5002']).toMatchObject({ status: 'skipped', read: false });
    expect(done.outcomes['chat5003']?.status).toBe('read');
  });

  it('pauses when a sub-call hits the operation time limit, and resumes', async () => {
    const { portal, job, deps, saves } = await setup(60);
    let blocked = true;
    portal.subCallError = (key) => (blocked && key === 'r_chat5009' ? err('operating', 'OPERATION_TIME_LIMIT') : undefined);
    const paused = await runJob(job, deps);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: { kind: 'operating' } });
    blocked = false;
    const done = await runJob(reload(saves), { ...deps, now: () => 5000 + OPERATING_FALLBACK_WAIT_MS });
    expect(done.status).toBe('done');
    expectReadExactlyOnce(portal, done);
  });

  it('after OPERATION_TIME_LIMIT sends nothing before operating_reset_at, then resumes', async () => {
    const { portal, job, deps, saves } = await setup(60);
    let clock = 5000;
    const timed = { ...deps, now: () => clock };
    portal.subCallError = (key) => (clock < 65_000 && key === 'r_chat5009' ? err('operating', 'OPERATION_TIME_LIMIT', { resetAt: 65_000 }) : undefined);
    const paused = await runJob(job, timed);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: { kind: 'operating' }, resumeAt: 65_000 });
    expect(reload(saves).resumeAt).toBe(65_000);
    const requests = portal.requests;
    clock = 30_000; // an alarm or the Resume button before the reset: nothing is sent
    const early = await runJob(reload(saves), timed);
    expect(early).toMatchObject({ status: 'paused', resumeAt: 65_000 });
    expect(portal.requests).toBe(requests);
    clock = 66_000;
    const done = await runJob(reload(saves), timed);
    expect(done.status).toBe('done');
    expect(done.resumeAt).toBeUndefined();
    expectReadExactlyOnce(portal, done);
  });

  it('after OPERATION_TIME_LIMIT with no known reset waits one minute-bucket', async () => {
    const { portal, job, deps } = await setup(10);
    portal.subCallError = (key) => (key === 'r_chat5003' ? err('operating', 'OPERATION_TIME_LIMIT') : undefined);
    const paused = await runJob(job, deps);
    expect(paused).toMatchObject({ status: 'paused', resumeAt: 5000 + OPERATING_FALLBACK_WAIT_MS });
  });

  it('cancels after the current chunk', async () => {
    const { portal, job, deps, saves } = await setup(200);
    const controller = new AbortController();
    const cancelled = await runJob(job, { ...deps, signal: controller.signal, onProgress: () => controller.abort() });
    expect(cancelled).toMatchObject({ status: 'cancelled', cursor: 1 });
    expect(portal.requests).toBe(1);
    expect(Object.keys(cancelled.outcomes)).toHaveLength(new Set(job.chunks[0]!.map((key) => key.slice(2))).size);
    expect(reload(saves).status).toBe('cancelled');
    expect((await runJob(reload(saves), deps)).status).toBe('cancelled');
  });

  it('reads notifications only when asked', async () => {
    const asked = await setup(5, { filters: { notifications: true }, notifications: 4 });
    const done = await runJob(asked.job, asked.deps);
    expect(asked.portal.notifications).toBe(0);
    expect(done.results['n_all']).toEqual({ ok: true, value: true });
    const notAsked = await setup(5, { notifications: 4 });
    await runJob(notAsked.job, notAsked.deps);
    expect(notAsked.portal.notifications).toBe(4);
  });
});

describe('runJob (read-all)', () => {
  it('reads "all chats" in one request with im.dialog.read.all, notifications and counters', async () => {
    const { portal, job, deps, plan } = await setup(120, { readAll: true, filters: { notifications: true }, notifications: 2 });
    expect(plan.strategy).toBe('read-all');
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    expect(done.requests).toBe(1);
    expect(portal.executed.map((c) => c.method)).toEqual(['im.dialog.read.all', 'im.notify.read.all', 'im.counters.get']);
    expect(Object.values(done.outcomes).every((o) => o.status === 'read')).toBe(true);
    expect(Object.keys(done.outcomes)).toHaveLength(123);
    expect(portal.notifications).toBe(0);
  });

  it('reads chat by chat what read-all left (counters still list it)', async () => {
    const { portal, job, deps } = await setup(120, { readAll: true });
    portal.readAllSkipsMuted = true;
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    const muted = job.targets.filter((t) => portal.chats.get(t.dialogId)!.muted);
    expect(muted.length).toBe(24);
    for (const t of muted) expect(portal.readCount(t.dialogId)).toBe(1);
    expect(done.requests).toBe(2);
    expect(done.countersAfter?.CHAT_MUTED).toEqual([]);
  });

  it('falls back to batches when im.dialog.read.all is missing', async () => {
    const { portal, job, deps } = await setup(120, { readAll: true });
    portal.readAllMissing = true;
    const done = await runJob(job, deps);
    expect(done).toMatchObject({ status: 'done', readAllFallback: true, results: { read_all: { ok: false, code: 'ERROR_METHOD_NOT_FOUND' } } });
    expectReadExactlyOnce(portal, done);
    expect(done.requests).toBe(1 + 3);
  });

  it('resumes an interrupted read-all through the counters', async () => {
    const { portal, job, deps, saves } = await setup(120, { readAll: true });
    portal.afterRequest = reject(1, new Error('worker stopped'));
    await expect(runJob(job, deps)).rejects.toThrow();
    portal.afterRequest = undefined;
    const done = await runJob(reload(saves), deps);
    expect(done.status).toBe('done');
    expect(Object.values(done.outcomes).every((o) => o.status === 'read')).toBe(true);
    expect(portal.executed.filter((c) => c.method === 'im.dialog.read')).toHaveLength(0);
  });
});

describe('RestError plumbing', () => {
  it('non-RestError failures propagate with the job saved as in flight', async () => {
    const { portal, job, deps, saves } = await setup(3);
    portal.beforeRequest = () => new TypeError('boom');
    await expect(runJob(job, deps)).rejects.toBeInstanceOf(TypeError);
    expect(reload(saves).inFlight).toBeDefined();
    expect(new RestError('auth', 'x', '', 401).transient).toBe(false);
  });
});

describe('when a paused job may go on', () => {
  const paused = (code: string, kind = 'auth') => ({ status: 'paused' as const, pauseReason: { kind, code } });

  it('a job paused for want of a logged-in portal tab waits for one; other pauses do not', () => {
    for (const code of ['NO_PORTAL_TAB', 'access_denied', 'NO_AUTH_FOUND', 'session_failed']) expect(waitsForPortalTab(paused(code)), code).toBe(true);
    for (const code of ['INVALID_CREDENTIALS', 'insufficient_scope', 'NETWORK_ERROR', 'OPERATION_TIME_LIMIT']) expect(waitsForPortalTab(paused(code)), code).toBe(false);
    expect(waitsForPortalTab({ status: 'running', pauseReason: { kind: 'auth', code: 'NO_PORTAL_TAB' } })).toBe(false);
  });

  it('refused credentials wait for the user (no alarm); rate, network and operating pauses do not', () => {
    for (const code of ['INVALID_CREDENTIALS', 'insufficient_scope', 'NO_PORTAL_TAB', 'access_denied']) expect(waitsForUser(paused(code)), code).toBe(true);
    expect(waitsForUser(paused('NETWORK_ERROR', 'network'))).toBe(false);
    expect(waitsForUser(paused('QUERY_LIMIT_EXCEEDED', 'rate'))).toBe(false);
    expect(waitsForUser(paused('OPERATION_TIME_LIMIT', 'operating'))).toBe(false);
  });

  it('a job waiting for operating_reset_at is due only from then', () => {
    expect(resumeDue({ status: 'paused', resumeAt: 10_000 }, 9_999)).toBe(false);
    expect(resumeDue({ status: 'paused', resumeAt: 10_000 }, 10_000)).toBe(true);
    expect(resumeDue({ status: 'paused' }, 0)).toBe(true);
    expect(resumeDue({ status: 'running', resumeAt: 10_000 }, 0)).toBe(true);
  });
});
