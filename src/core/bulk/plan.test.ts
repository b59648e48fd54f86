import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, isDefaultFilters, validateFilters, InvalidFiltersError, type BulkFilters } from './filters.ts';
import { planBulkRead } from './plan.ts';
import { buildReadCommands, NOTIFY_KEY, readChunks } from './commands.ts';
import { createJob } from './job.ts';
import { chat, EMPTY_COUNTERS, inventory } from './testing/inventory.ts';

const mixed = [
  chat({ dialogId: '7', kind: 'dialog' }),
  chat({ dialogId: 'chat10', kind: 'chat', muted: true }),
  chat({ dialogId: 'chat11', kind: 'chat', pinned: true }),
  chat({ dialogId: 'sg3', kind: 'workgroup' }),
  chat({ dialogId: 'chat12', kind: 'crm', muted: true, pinned: true }),
  chat({ dialogId: 'chat13', kind: 'tasks' }),
  chat({ dialogId: 'chat14', kind: 'lines' }),
  chat({ dialogId: 'chat15', kind: 'chat', counter: 0, manualUnread: true }),
];
const f = (over: Partial<BulkFilters>): BulkFilters => ({ ...DEFAULT_FILTERS, ...over });
const ids = (filters: BulkFilters) => planBulkRead(inventory(mixed, 4), filters).targets.map((c) => c.dialogId);

describe('filters', () => {
  it('defaults: every kind but open lines, muted and pinned included, marks cleared, no notifications', () => {
    expect(DEFAULT_FILTERS.kinds).toEqual(['dialog', 'chat', 'channel', 'collab', 'workgroup', 'crm', 'tasks', 'copilot', 'general', 'other']);
    expect(isDefaultFilters(DEFAULT_FILTERS)).toBe(true);
    expect(isDefaultFilters(f({ notifications: true }))).toBe(false);
    expect(isDefaultFilters(f({ notifications: true }), { ignoreNotifications: true })).toBe(true);
    expect(isDefaultFilters(f({ kinds: ['other', 'general', 'copilot', 'tasks', 'crm', 'workgroup', 'collab', 'channel', 'chat', 'dialog'] }))).toBe(true);
    expect(isDefaultFilters(f({ kinds: ['tasks', 'crm', 'workgroup', 'chat', 'dialog'] }))).toBe(false);
    expect(isDefaultFilters(f({ never: ['7'] }))).toBe(false);
    expect(Object.isFrozen(DEFAULT_FILTERS.kinds)).toBe(true);
  });

  it('validateFilters fills in defaults and normalises', () => {
    expect(validateFilters({})).toEqual(DEFAULT_FILTERS);
    expect(validateFilters({ kinds: ['lines', 'dialog', 'dialog'], muted: 'only', never: [547, 'chat1', '547'] })).toEqual(
      f({ kinds: ['dialog', 'lines'], muted: 'only', never: ['547', 'chat1'] }),
    );
  });

  it.each([
    null, [], 'all', 5,
    { kinds: 'chat' }, { kinds: ['chat', 'robots'] }, { muted: 'maybe' }, { skipPinned: 'yes' }, { notifications: 1 },
    { clearManualMarks: null }, { never: 'chat1' }, { never: ['chat1&x'] }, { always: [{}] }, { always: ['chat'] },
    { never: Array.from({ length: 10_001 }, (_, i) => String(i + 1)) },
  ])('validateFilters rejects %j', (input) => {
    expect(() => validateFilters(input)).toThrow(InvalidFiltersError);
  });
});

describe('planBulkRead', () => {
  it('defaults leave out open lines only', () => {
    const plan = planBulkRead(inventory(mixed, 4), DEFAULT_FILTERS);
    expect(plan.targets.map((c) => c.dialogId)).toEqual(['7', 'chat10', 'chat11', 'sg3', 'chat12', 'chat13', 'chat15']);
    expect(plan.excluded).toEqual({ byReason: { kind: 1 }, total: 1 });
    expect(plan.byKind).toEqual({ dialog: 1, chat: 3, channel: 0, collab: 0, workgroup: 1, crm: 1, tasks: 1, copilot: 0, general: 0, lines: 0, other: 0 });
    expect(plan.mode).toBe('chat');
    expect(plan.leftUnread).toEqual({ byKind: {}, openLines: 1, unresolved: 0 });
    expect(plan.messages).toBe(12);
    expect(plan.manualMarks).toBe(1);
    expect(plan.notifications).toBe(0);
    expect(plan.strategy).toBe('batches'); // 7 commands fit one batch: read-all would not save a request
    expect(plan.estimatedRequests).toBe(1);
  });

  it('selects by kind, muted, pinned', () => {
    expect(ids(f({ kinds: ['chat'] }))).toEqual(['chat10', 'chat11', 'chat15']);
    expect(ids(f({ muted: 'only' }))).toEqual(['chat10', 'chat12']);
    expect(ids(f({ muted: 'skip' }))).toEqual(['7', 'chat11', 'sg3', 'chat13', 'chat15']);
    expect(ids(f({ skipPinned: true }))).toEqual(['7', 'chat10', 'sg3', 'chat13', 'chat15']);
    expect(ids(f({ clearManualMarks: false }))).toEqual(['7', 'chat10', 'chat11', 'sg3', 'chat12', 'chat13']);
    expect(planBulkRead(inventory(mixed), f({ muted: 'only', skipPinned: true })).excluded.byReason).toEqual({ kind: 1, 'not-muted': 5, pinned: 1 });
  });

  it('never wins over always; always overrides other filters, open lines included only when listed', () => {
    expect(ids(f({ kinds: ['dialog'], always: ['chat13', 'chat14'], never: ['7'] }))).toEqual(['chat13', 'chat14']);
    expect(ids(f({ always: ['chat10'], never: ['chat10'] }))).not.toContain('chat10');
    expect(ids(f({ muted: 'skip', always: ['chat10'] }))).toContain('chat10');
  });

  it('counts notifications only when asked', () => {
    expect(planBulkRead(inventory(mixed, 4), f({ notifications: true })).notifications).toBe(4);
  });

  it('uses read-all for "all chats" when it saves requests, batches otherwise', () => {
    const many = Array.from({ length: 1000 }, (_, i) => chat({ dialogId: `chat${20_000 + i}`, manualUnread: i < 10 }));
    const all = planBulkRead(inventory(many, 3), f({ notifications: true }), { allowReadAll: true });
    expect(all).toMatchObject({ strategy: 'read-all', estimatedRequests: 1, notifications: 3, manualMarks: 10 });
    expect(planBulkRead(inventory(many), DEFAULT_FILTERS, { allowReadAll: false, mode: 'receipts' })).toMatchObject({ strategy: 'batches', estimatedRequests: 21 });
    expect(planBulkRead(inventory(many), f({ skipPinned: true }), { allowReadAll: true, mode: 'receipts' })).toMatchObject({ strategy: 'batches', estimatedRequests: 21 });
    // Reading like Bitrix24 (the default) needs one call per chat, marks included, and no read-all.
    expect(planBulkRead(inventory(many), DEFAULT_FILTERS)).toMatchObject({ strategy: 'batches', estimatedRequests: 20, manualMarks: 10 });
  });

  it('avoids read-all where build differences would read what the user did not choose', () => {
    const many = Array.from({ length: 100 }, (_, i) => chat({ dialogId: `chat${50_000 + i}` }));
    const allow = { allowReadAll: true, mode: 'receipts' } as const;
    expect(planBulkRead(inventory(many), DEFAULT_FILTERS, allow).strategy).toBe('read-all');
    // Older builds also read notifications with im.dialog.read.all.
    expect(planBulkRead(inventory(many, 2), DEFAULT_FILTERS, allow).strategy).toBe('batches');
    // Newer builds clear open-line counters with it.
    const lines = { ...inventory(many), counters: { ...EMPTY_COUNTERS, LINES: { '77': 1 } } };
    expect(planBulkRead(lines, DEFAULT_FILTERS, allow).strategy).toBe('batches');
    expect(planBulkRead(inventory([...many, chat({ dialogId: 'chat77', kind: 'lines' })]), DEFAULT_FILTERS, allow).strategy).toBe('batches');
  });
});

describe('buildReadCommands / readChunks', () => {
  it('1,000 chats with 10 manual marks: 21 chunks of ≤ 50 keys; the plan estimates exactly as many requests', () => {
    const targets = Array.from({ length: 1000 }, (_, i) => chat({ dialogId: i % 2 ? `chat${30_000 + i}` : String(30_000 + i), manualUnread: i % 100 === 0 }));
    const commands = buildReadCommands(targets, { clearManualMarks: true, notifications: false });
    expect(commands).toHaveLength(1010);
    const chunks = readChunks(targets, { clearManualMarks: true, notifications: false });
    expect(chunks).toHaveLength(21);
    expect(chunks.every((c) => c.length <= 50)).toBe(true);
    expect(chunks[20]).toHaveLength(10);
    const keys = chunks.flat();
    expect(keys).toEqual(commands.map((c) => c.key));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^[A-Za-z0-9_]+$/.test(k))).toBe(true);
    expect(commands[0]).toMatchObject({ key: 'r_30000', method: 'im.dialog.read', params: { DIALOG_ID: '30000', MESSAGE_ID: targets[0]!.lastMessageId } });
    expect(commands[1]).toMatchObject({ key: 'u_30000', method: 'im.recent.unread', params: { DIALOG_ID: '30000', ACTION: 'N' } });
    // The plan's estimate and the job's queue come from the same chunks.
    const plan = planBulkRead(inventory(targets), { ...DEFAULT_FILTERS, never: ['999999'] }, { mode: 'receipts' });
    expect(plan.estimatedRequests).toBe(21);
    expect(createJob(plan, { portal: 'https://demo.bitrix24.ru' }).chunks).toEqual(chunks);
    // Like Bitrix24's "Read", one call per chat clears its mark too: 1,000 keys, 20 chunks, the same in plan and job.
    const chatPlan = planBulkRead(inventory(targets), { ...DEFAULT_FILTERS, never: ['999999'] });
    expect(chatPlan.estimatedRequests).toBe(20);
    expect(createJob(chatPlan, { portal: 'https://demo.bitrix24.ru' }).chunks).toEqual(readChunks(targets, { clearManualMarks: true, notifications: false, mode: 'chat' }));
  });

  it('a full last chunk stays 50; notifications first; a mark-only chat gets only the mark call', () => {
    const targets = Array.from({ length: 50 }, (_, i) => chat({ dialogId: `chat${40_000 + i}` }));
    expect(readChunks(targets, { clearManualMarks: true, notifications: false })).toHaveLength(1);
    expect(readChunks(targets, { clearManualMarks: true, notifications: false })[0]).toHaveLength(50);
    const markOnly = chat({ dialogId: 'chat99', counter: 0, manualUnread: true });
    expect(buildReadCommands([markOnly], { clearManualMarks: true, notifications: true }).map((c) => c.key)).toEqual([NOTIFY_KEY, 'u_chat99']);
    expect(buildReadCommands([markOnly, markOnly], { clearManualMarks: false, notifications: false }).map((c) => c.key)).toEqual(['r_chat99']);
  });

  it('refuses an invalid dialog id', () => {
    expect(() => buildReadCommands([chat({ dialogId: 'chat1&x' })], { clearManualMarks: true, notifications: false })).toThrow();
  });
});
