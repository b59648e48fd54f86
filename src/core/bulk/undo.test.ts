import { describe, expect, it } from 'vitest';
import type { ReadMode } from './commands.ts';
import { discover } from './discover.ts';
import { DEFAULT_FILTERS, type BulkFilters } from './filters.ts';
import { planBulkRead } from './plan.ts';
import { createJob, type BulkJob } from './job.ts';
import { runJob } from './run-job.ts';
import { undoJob } from './undo.ts';
import { err, type FakeChatInit } from './testing/fake-portal.ts';
import { portalWith } from './testing/portal-setup.ts';

async function readJob(n: number, options: { filters?: Partial<BulkFilters>; readAll?: boolean; extra?: FakeChatInit[]; includeLines?: boolean; notifications?: number; mode?: ReadMode } = {}) {
  const portal = portalWith(n, options.extra ?? [{ dialogId: 'chat90001', manual: true }, { dialogId: 'chat90002', manual: true, unread: 0 }, { dialogId: '90003', manual: true, unread: 4 }]);
  portal.notifications = options.notifications ?? 3;
  const inventory = await discover(portal, { includeLines: options.includeLines === true });
  const plan = planBulkRead(inventory, { ...DEFAULT_FILTERS, ...options.filters }, { allowReadAll: options.readAll ?? false, mode: options.mode ?? 'receipts' });
  const before = new Map([...portal.chats.values()].map((c) => [c.dialogId, { counter: portal.counter(c), manual: c.manual, lastRead: c.lastRead }]));
  const job = await runJob(createJob(plan, { portal: 'https://demo.bitrix24.ru', id: 'job-1' }), { api: portal, save: async () => {}, sleep: async () => {} });
  expect(job.status).toBe('done');
  portal.requests = 0;
  const saves: string[] = [];
  const save = async (j: BulkJob) => void saves.push(JSON.stringify(j));
  return { portal, job, before, saves, save };
}

describe('undoJob', () => {
  it('puts every chat back: same unread count, same manual mark', async () => {
    const { portal, job, before, save } = await readJob(60);
    expect(portal.counter(portal.chats.get('chat5002')!)).toBe(0);
    const report = await undoJob(job, { api: portal, save });
    expect(report).toMatchObject({ restored: 63, skipped: [], failed: [], status: 'done' });
    expect(report.cannotRestore).toEqual(['read-receipts']);
    for (const chat of portal.chats.values()) {
      expect({ counter: portal.counter(chat), manual: chat.manual, lastRead: chat.lastRead }, chat.dialogId).toEqual(before.get(chat.dialogId));
    }
    // Two groups (50 + 13): where is it now, first unread message, unread + marks (51 commands = 2 requests).
    expect(report.requests).toBe(portal.requests);
    expect(report.requests).toBe(3 + 1 + 3);
  });

  it('restores chats the user had never read (no last-read id), newer messages included in the count', async () => {
    const { portal, job, before, save } = await readJob(0, {
      extra: [
        { dialogId: 'chat91001', read: 0, unread: 1 },
        { dialogId: 'chat91002', read: 0, unread: 7 },
        { dialogId: 'chat91003', read: 0, unread: 30, manual: true },
      ],
    });
    for (const id of ['chat91001', 'chat91002', 'chat91003']) expect(portal.counter(portal.chats.get(id)!)).toBe(0);
    const report = await undoJob(job, { api: portal, save });
    expect(report).toMatchObject({ restored: 3, failed: [], status: 'done' });
    for (const chat of portal.chats.values()) {
      expect({ counter: portal.counter(chat), manual: chat.manual, lastRead: chat.lastRead }, chat.dialogId).toEqual(before.get(chat.dialogId));
    }
  });

  it('leaves alone chats the user has read further since, and keeps newer messages unread', async () => {
    const { portal, job, before } = await readJob(10);
    portal.post('chat5002');
    await portal.call('im.dialog.read', { DIALOG_ID: 'chat5002' });
    portal.post('chat5003');
    const report = await undoJob(job, { api: portal });
    expect(report.skipped).toEqual([{ dialogId: 'chat5002', reason: 'read-further' }]);
    expect(portal.counter(portal.chats.get('chat5002')!)).toBe(0);
    expect(portal.counter(portal.chats.get('chat5003')!)).toBe(before.get('chat5003')!.counter + 1);
    expect(report.restored).toBe(12);
  });

  it('is idempotent: a second run changes and sends nothing', async () => {
    const { portal, job, before } = await readJob(10);
    const first = await undoJob(job, { api: portal });
    const requests = portal.requests;
    const second = await undoJob(job, { api: portal });
    expect(portal.requests).toBe(requests);
    expect(second.restored).toBe(first.restored);
    expect(portal.executed.filter((c) => c.method === 'im.dialog.unread')).toHaveLength(12);
    for (const chat of portal.chats.values()) expect(portal.counter(chat)).toBe(before.get(chat.dialogId)!.counter);
  });

  it('pauses on an outer error and resumes from the saved job', async () => {
    const { portal, job, before, saves, save } = await readJob(60);
    portal.beforeRequest = (n) => (n === 5 ? err('auth', 'session_failed') : undefined);
    const paused = await undoJob(job, { api: portal, save });
    expect(paused.status).toBe('paused');
    expect(paused.restored).toBe(50);
    portal.beforeRequest = undefined;
    const saved = JSON.parse(saves.at(-1)!) as BulkJob;
    expect(saved.undo?.pauseReason).toEqual({ kind: 'auth', code: 'session_failed' });
    const report = await undoJob(saved, { api: portal, save });
    expect(report).toMatchObject({ status: 'done', restored: 63 });
    for (const chat of portal.chats.values()) expect(portal.counter(chat)).toBe(before.get(chat.dialogId)!.counter);
  });

  it('reports failures per chat and what it cannot take back', async () => {
    const { portal, job } = await readJob(10, { filters: { notifications: true, kinds: [...DEFAULT_FILTERS.kinds, 'lines'] }, includeLines: true, extra: [{ dialogId: 'chat777', chatType: 'lines' }] });
    portal.subCallError = (key) => (key === 'ur_chat5003' ? err('access', 'ACCESS_ERROR') : undefined);
    const report = await undoJob(job, { api: portal });
    expect(report.failed).toEqual([{ dialogId: 'chat5003', code: 'ACCESS_ERROR' }]);
    expect(report.cannotRestore).toEqual(['read-receipts', 'open-line-receipts', 'notifications']);
    expect(portal.notifications).toBe(0);
    portal.subCallError = undefined;
    const retried = await undoJob(job, { api: portal });
    expect(retried.failed).toEqual([]);
    expect(retried.restored).toBe(11);
  });

  it('undoes a read-all job for the chats seen at discovery', async () => {
    const { portal, job, before } = await readJob(120, { readAll: true, notifications: 0 });
    expect(job.strategy).toBe('read-all');
    const report = await undoJob(job, { api: portal });
    expect(report.restored).toBe(123);
    expect(report.cannotRestore).toContain('read-all-unseen');
    for (const chat of portal.chats.values()) expect(portal.counter(chat)).toBe(before.get(chat.dialogId)!.counter);
  });
});
