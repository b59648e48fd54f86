// Today's Bitrix24 (im 26.x): the counters are the truth (both shapes), reading like Bitrix24's
// own "Read" leaves no receipt and clears marks and anchors, and a message arriving mid-job stays unread.
import { describe, expect, it } from 'vitest';
import { discover } from './discover.ts';
import { DEFAULT_FILTERS, type BulkFilters } from './filters.ts';
import { planBulkRead } from './plan.ts';
import { createJob, type BulkJob } from './job.ts';
import { runJob, type RunJobDeps } from './run-job.ts';
import { undoJob } from './undo.ts';
import { countedChats } from './counters.ts';
import type { ReadMode } from './commands.ts';
import { err, type FakePortal } from './testing/fake-portal.ts';
import { im26Portal, type Im26Options } from './testing/im26-setup.ts';

async function prepare(portal: FakePortal, mode: ReadMode, filters: Partial<BulkFilters> = {}) {
  const inventory = await discover(portal, { myUserId: portal.myUserId, includeLines: filters.kinds?.includes('lines') ?? false });
  const plan = planBulkRead(inventory, { ...DEFAULT_FILTERS, ...filters }, { mode });
  const job = createJob(plan, { portal: 'https://demo.bitrix24.ru', id: 'job-26', now: () => 1 });
  portal.requests = 0;
  portal.executed.length = 0;
  const saves: string[] = [];
  const deps: RunJobDeps = { api: portal, save: async (j) => void saves.push(JSON.stringify(j)), sleep: async () => {}, now: () => 5 };
  return { inventory, plan, job, saves, deps };
}

async function readAllDefault(options: Im26Options, mode: ReadMode = 'chat') {
  const portal = im26Portal(options);
  const prepared = await prepare(portal, mode);
  const done = await runJob(prepared.job, prepared.deps);
  return { portal, ...prepared, done };
}

/** What im.counters.get still names, by map, leaving out open lines. */
async function leftInCounters(portal: FakePortal) {
  const counters = (await portal.call<Record<string, unknown>>('im.counters.get')).result;
  return countedChats(counters as never).filter((c) => !c.maps.every((m) => m === 'LINES'));
}

describe.each([7, 14] as const)('im 26.x, %i-key counters', (shape) => {
  it('discovers every chat the counters name: new task chats and comment threads through im.dialog.get', async () => {
    const portal = im26Portal({ shape });
    const inventory = await discover(portal, { myUserId: portal.myUserId });
    const ids = new Set(inventory.chats.map((c) => c.dialogId));
    for (const chat of portal.chats.values()) {
      const unread = portal.counter(chat) > 0 || chat.manual;
      // The 7-key build drops copilot chats; open lines are not asked for.
      const counted = unread && chat.chatType !== 'lines' && !(shape === 7 && chat.chatType === 'copilot');
      if (counted) expect(ids.has(chat.dialogId), chat.dialogId).toBe(true);
    }
    expect(inventory.chats.filter((c) => c.resolved).map((c) => c.kind).sort()).toEqual(['channel', 'channel', 'tasks', 'tasks', 'tasks']);
    expect(inventory.openLinesLeft).toBe(1);
    // Discovery: counters + 1 page, then one lookup batch for the 5 chats the list never returns.
    expect(inventory.requests).toBe(2);
  });

  it('"read all" with defaults brings the counters to zero for everything they cover; open lines untouched', async () => {
    const { portal, done, plan } = await readAllDefault({ shape });
    expect(done.status).toBe('done');
    expect(await leftInCounters(portal)).toEqual([]);
    const lines = [...portal.chats.values()].find((c) => c.chatType === 'lines')!;
    expect(portal.counter(lines)).toBe(2);
    expect(plan.leftUnread.openLines).toBe(1);
    expect(plan.byKind).toMatchObject({ tasks: 4, channel: 2, collab: 1, general: 2, crm: 1, workgroup: 1 });
  });

  it('reads like Bitrix24: no receipt, marks and anchors cleared, in one call per chat', async () => {
    const { portal, done } = await readAllDefault({ shape });
    expect(portal.receipts).toEqual([]);
    for (const target of done.targets) expect(portal.isClean(target.dialogId), target.dialogId).toBe(true);
    const reads = portal.executed.filter((c) => c.method === 'im.dialog.read');
    expect(reads.every((c) => c.params['MESSAGE_ID'] === undefined)).toBe(true);
    expect(reads).toHaveLength(done.targets.length);
    expect(portal.executed.some((c) => c.method === 'im.recent.unread')).toBe(false);
  });

  it('the receipts option records a receipt per message read; marks go, anchors stay', async () => {
    const { portal, done } = await readAllDefault({ shape }, 'receipts');
    expect(done.status).toBe('done');
    const unreadMessages = done.targets.reduce((sum, t) => sum + t.counter, 0);
    expect(portal.receipts).toHaveLength(unreadMessages);
    for (const target of done.targets) expect(portal.chats.get(target.dialogId)!.manual, target.dialogId).toBe(false);
    expect([...portal.chats.values()].some((c) => c.anchors > 0 && c.chatType !== 'lines')).toBe(true);
  });
});

describe('comment threads', () => {
  it.each([7, 14] as const)('take their channel’s kind: the general channel’s threads are "general" (%i keys)', async (shape) => {
    const portal = im26Portal({ shape, commentChannels: 1 });
    const general = portal.add({ dialogId: 'chat30001', chatType: 'generalChannel', entityType: 'GENERAL_CHANNEL', unread: 0, read: 2 });
    portal.add({ dialogId: 'chat30002', chatType: 'comment', parentChatId: general.chatId, unread: 1 });
    const inventory = await discover(portal, { myUserId: portal.myUserId });
    expect(inventory.chats.find((c) => c.dialogId === 'chat30002')).toMatchObject({ kind: 'general', parentChatId: general.chatId, resolved: true });
    expect(inventory.chats.filter((c) => c.parentChatId && c.dialogId !== 'chat30002').every((c) => c.kind === 'channel')).toBe(true);
    // A kind filter reads exactly that kind: "general" alone reads the thread, "channel" alone does not.
    const generalOnly = planBulkRead(inventory, { ...DEFAULT_FILTERS, kinds: ['general'] });
    expect(generalOnly.targets.map((c) => c.dialogId)).toContain('chat30002');
    expect(planBulkRead(inventory, { ...DEFAULT_FILTERS, kinds: ['channel'] }).targets.map((c) => c.dialogId)).not.toContain('chat30002');
  });
});

describe('a message that arrives during the job', () => {
  it.each(['chat', 'receipts'] as const)('stays unread (%s mode), the rest is read', async (mode) => {
    const portal = im26Portal({ plain: 120 });
    const { job, deps } = await prepare(portal, mode);
    const late = job.targets[70]!.dialogId; // read in the second batch
    const early = job.targets[3]!.dialogId; // read in the first
    let posted: number[] = [];
    portal.afterRequest = (n) => {
      if (n === 1) posted = [portal.post(late), portal.post(early)];
      return undefined;
    };
    const done = await runJob(job, deps);
    expect(done.status).toBe('done');
    const lateChat = portal.chats.get(late)!;
    expect(portal.counter(lateChat)).toBe(1);
    expect(lateChat.lastRead).toBe(job.targets[70]!.readTo);
    expect(portal.counter(portal.chats.get(early)!)).toBe(1);
    expect(posted).toHaveLength(2);
    if (mode === 'chat') {
      expect(done.outcomes[late]?.keptFrom).toBe(posted[0]);
      expect(portal.receipts).toEqual([]);
    }
    // Everything else the counters covered is read.
    expect((await leftInCounters(portal)).map((c) => `chat${c.id}`).filter((id) => id !== late && !portal.chats.get(id))).toHaveLength(1); // the 1:1 `early` is keyed by user id
  });

  it('stays unread when the worker stopped mid-batch and the batch is verified (chat mode)', async () => {
    const portal = im26Portal({ plain: 120 });
    const { job, deps, saves } = await prepare(portal, 'chat');
    const target = job.targets[60]!;
    // The second batch runs, a message arrives in a chat it already read, and the answer is lost.
    let newId = 0;
    portal.afterSubCall = (key) => {
      if (key === `r_${target.dialogId}`) newId = portal.post(target.dialogId);
    };
    portal.afterRequest = (n) => (n === 2 ? new Error('worker stopped') : undefined);
    await expect(runJob(job, deps)).rejects.toThrow('worker stopped');
    portal.afterRequest = undefined;
    portal.afterSubCall = undefined;
    const saved = JSON.parse(saves[saves.length - 1]!) as BulkJob;
    expect(saved.inFlight?.keys).toContain(`r_${target.dialogId}`);
    // The message arrived after the read ran: it is unread, nothing to fix, and nothing is read twice.
    const done = await runJob(saved, deps);
    expect(done.status).toBe('done');
    for (const t of done.targets) {
      if (portal.chats.get(t.dialogId)!.messages.length && t.counter > 0) expect(portal.readCount(t.dialogId), t.dialogId).toBe(1);
    }
    expect(portal.counter(portal.chats.get(target.dialogId)!)).toBe(1);
    expect(newId).toBeGreaterThan(0);
  });

  it.each([['with unread messages', true], ['marked only', false]] as const)('a read that ran past discovery before its answer was lost is put back (%s)', async (_name, withMessages) => {
    const portal = im26Portal({ plain: 10 });
    const { job, deps, saves } = await prepare(portal, 'chat');
    const target = job.targets.find((t) => (t.counter > 0) === withMessages)!;
    // Arrives after discovery, before the read: the read swallows it, and the answer is lost.
    const newId = portal.post(target.dialogId);
    portal.afterRequest = (n) => (n === 1 ? err('network', 'NETWORK_ERROR', { maybeExecuted: true }) : undefined);
    const once = await runJob(job, deps);
    portal.afterRequest = undefined;
    const done = once.status === 'done' ? once : await runJob(JSON.parse(saves[saves.length - 1]!) as BulkJob, deps);
    expect(done.status).toBe('done');
    // Verified by im.dialog.get: its pointer moved, so the read ran and is not sent again.
    expect(portal.readCount(target.dialogId)).toBe(1);
    const chat = portal.chats.get(target.dialogId)!;
    expect(portal.counter(chat)).toBe(1);
    expect(chat.lastRead).toBeLessThan(newId);
    expect(chat.manual).toBe(false);
    expect(portal.receipts).toEqual([]);
  });
});

describe('an interrupted batch with a chat that had only a manual mark (chat mode)', () => {
  it('is verified by the counters (mark gone) and not sent again', async () => {
    const portal = im26Portal({ plain: 10 });
    const { job, deps, saves } = await prepare(portal, 'chat');
    const marked = job.targets.find((t) => t.counter === 0 && t.manualUnread)!;
    portal.afterRequest = (n) => (n === 1 ? new Error('worker stopped') : undefined);
    await expect(runJob(job, deps)).rejects.toThrow('worker stopped');
    portal.afterRequest = undefined;
    const done = await runJob(JSON.parse(saves[saves.length - 1]!) as BulkJob, deps);
    expect(done.status).toBe('done');
    expect(portal.readCount(marked.dialogId)).toBe(1);
    expect(portal.chats.get(marked.dialogId)!.manual).toBe(false);
    const verification = portal.executed.filter((c) => c.method === 'im.counters.get');
    expect(verification.length).toBeGreaterThanOrEqual(1);
  });

  it('is verified by the counters also when the lost batch was full (50 reads): nothing read twice', async () => {
    const portal = im26Portal({ plain: 120 });
    for (let i = 0; i < 60; i += 1) portal.add({ dialogId: `chat${40_000 + i}`, chatType: 'chat', unread: 0, manual: true });
    const { job, deps, saves } = await prepare(portal, 'chat');
    portal.afterRequest = (n) => (n === 2 ? new Error('worker stopped') : undefined);
    await expect(runJob(job, deps)).rejects.toThrow('worker stopped');
    portal.afterRequest = undefined;
    const saved = JSON.parse(saves[saves.length - 1]!) as BulkJob;
    expect(saved.inFlight?.keys.length).toBe(50);
    const done = await runJob(saved, deps);
    expect(done.status).toBe('done');
    for (const target of done.targets) expect(portal.readCount(target.dialogId), target.dialogId).toBe(1);
  });
});

describe('undo after reading like Bitrix24', () => {
  it('puts counters and marks back; says mention badges do not come back', async () => {
    const portal = im26Portal({ shape: 14 });
    const before = new Map([...portal.chats.values()].map((c) => [c.dialogId, { counter: portal.counter(c), manual: c.manual }]));
    const { job, deps } = await prepare(portal, 'chat');
    const done = await runJob(job, deps);
    const report = await undoJob(done, { api: portal });
    expect(report.failed).toEqual([]);
    expect(report.cannotRestore).toContain('anchors');
    expect(report.cannotRestore).not.toContain('read-receipts');
    for (const target of done.targets) {
      const chat = portal.chats.get(target.dialogId)!;
      expect({ counter: portal.counter(chat), manual: chat.manual }, target.dialogId).toEqual(before.get(target.dialogId));
    }
  });
});

describe('the plan says what it leaves unread', () => {
  it('names excluded kinds, open lines and chats it could not look up; warns about collab guests with receipts', async () => {
    const portal = im26Portal({ shape: 14 });
    const original = portal.batch.bind(portal);
    portal.batch = async (commands, options) => {
      const outcome = await original(commands, options);
      for (const key of Object.keys(commands)) if (key.startsWith('g_') && key === Object.keys(commands)[0]) (outcome.errors[key] = err('access', 'ACCESS_ERROR')), delete outcome.results[key];
      return outcome;
    };
    const { plan } = await prepare(portal, 'receipts', { kinds: ['dialog', 'chat', 'collab', 'tasks'] });
    expect(plan.leftUnread.byKind).toMatchObject({ crm: 1, workgroup: 1, general: 2, copilot: 1 });
    expect(plan.leftUnread.openLines).toBe(1);
    expect(plan.leftUnread.unresolved).toBe(1);
    expect(plan.warnings).toContain('collab-guests');
    const chatMode = await prepare(im26Portal(), 'chat');
    expect(chatMode.plan.warnings).not.toContain('collab-guests');
  });
});
