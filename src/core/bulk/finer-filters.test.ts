import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, isDefaultFilters, validateFilters, InvalidFiltersError, type BulkFilters } from './filters.ts';
import { planBulkRead } from './plan.ts';
import { classifyRecentItem, type UnreadChat } from './model.ts';
import { authorsFromItem, lookUpUnreadAuthors, needsAuthorLookup } from './finer-filters.ts';
import { chat, inventory } from './testing/inventory.ts';
import type { RestApi } from '../rest/api.ts';
import recentList from '../rest/fixtures/bitrix24-docs/im.recent.list.response.json' with { type: 'json' };
import messagesGet from '../rest/fixtures/bitrix24-docs/im.dialog.messages.get.response.json' with { type: 'json' };

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 2, 10, 12);
const f = (over: Partial<BulkFilters>): BulkFilters => ({ ...DEFAULT_FILTERS, ...over });
const targets = (chats: UnreadChat[], filters: BulkFilters, facts = {}) =>
  planBulkRead(inventory(chats), filters, { facts: { now: NOW, ...facts } }).targets.map((c) => c.dialogId);

describe('finer filters: validation', () => {
  it('defaults are off and keep "all chats" the default', () => {
    expect(validateFilters({})).toMatchObject({ olderThanHours: null, skipMentioned: false, systemOnly: false, titleContains: '', titleNotContains: '' });
    expect(isDefaultFilters(f({ olderThanHours: 24 }))).toBe(false);
    expect(isDefaultFilters(f({ skipMentioned: true }))).toBe(false);
    expect(isDefaultFilters(f({ titleNotContains: 'x' }))).toBe(false);
  });
  it('accepts hours and trims titles', () => {
    expect(validateFilters({ olderThanHours: 48, titleContains: '  CRM ' })).toMatchObject({ olderThanHours: 48, titleContains: 'CRM' });
  });
  it.each([{ olderThanHours: 0 }, { olderThanHours: -1 }, { olderThanHours: '24' }, { olderThanHours: 1e9 }, { skipMentioned: 'yes' }, { systemOnly: 1 }, { titleContains: 5 }, { titleNotContains: 'x'.repeat(201) }])(
    'rejects %j',
    (input) => expect(() => validateFilters(input)).toThrow(InvalidFiltersError),
  );
});

describe('finer filters: the recent item', () => {
  it('takes the newest message date and author, and a bot partner', () => {
    const item = recentList.result.items[0]!;
    const r = classifyRecentItem(item);
    expect(r.ok && r.chat).toMatchObject({ lastMessageAt: Date.parse('2026-02-25T12:07:10+01:00'), lastAuthorId: 547 });
    expect(r.ok && r.chat.botDialog).toBeUndefined();
    const bot = classifyRecentItem({ ...item, user: { ...item.user, bot: true } });
    expect(bot.ok && bot.chat).toMatchObject({ botDialog: true, lastAuthorBot: true });
    const system = classifyRecentItem({ ...item, message: { ...item.message, author_id: 0 } });
    expect(system.ok && system.chat.lastAuthorId).toBe(0);
  });
});

describe('finer filters: planning', () => {
  const old = chat({ dialogId: 'chat1', title: 'CRM: deal 5', lastMessageAt: NOW - 50 * HOUR });
  const fresh = chat({ dialogId: 'chat2', title: 'Team', lastMessageAt: NOW - 2 * HOUR });
  const ageless = chat({ dialogId: 'chat3', title: 'crm lead' });

  it('older than N hours: only chats whose last message is provably that old', () => {
    expect(targets([old, fresh, ageless], f({ olderThanHours: 48 }))).toEqual(['chat1']);
    expect(targets([old, fresh, ageless], f({ olderThanHours: 1 }))).toEqual(['chat1', 'chat2']);
    const plan = planBulkRead(inventory([old, fresh, ageless]), f({ olderThanHours: 48 }), { facts: { now: NOW } });
    expect(plan.excluded.byReason).toEqual({ 'too-recent': 2 });
  });

  it('title contains / does not contain, case-insensitive', () => {
    expect(targets([old, fresh, ageless], f({ titleContains: 'crm' }))).toEqual(['chat1', 'chat3']);
    expect(targets([old, fresh, ageless], f({ titleNotContains: 'CRM' }))).toEqual(['chat2']);
    expect(targets([old, fresh, ageless], f({ titleContains: 'crm', titleNotContains: 'lead' }))).toEqual(['chat1']);
  });

  it('skip mentioned: the page anchors decide; without them the filter is off and the plan says so', () => {
    const chats = [old, fresh, ageless];
    const withPage = planBulkRead(inventory(chats), f({ skipMentioned: true }), { facts: { now: NOW, anchored: new Set(['chat2']) } });
    expect(withPage.targets.map((c) => c.dialogId)).toEqual(['chat1', 'chat3']);
    expect(withPage.excluded.byReason).toEqual({ mentioned: 1 });
    expect(withPage.filtersOff).toEqual([]);
    const noPage = planBulkRead(inventory(chats), f({ skipMentioned: true }), { facts: { now: NOW, anchored: null } });
    expect(noPage.targets).toHaveLength(3);
    expect(noPage.filtersOff).toEqual(['mentions-unknown']);
    expect(planBulkRead(inventory(chats), DEFAULT_FILTERS).filtersOff).toEqual([]);
  });

  it('system-only: the item where it suffices, looked-up authors where needed, unknown is not read', () => {
    const oneSystem = chat({ dialogId: 'chat10', counter: 1, lastAuthorId: 0 });
    const onePerson = chat({ dialogId: 'chat11', counter: 1, lastAuthorId: 7 });
    const botDialog = chat({ dialogId: '99', kind: 'dialog', counter: 5, botDialog: true });
    const newestByPerson = chat({ dialogId: 'chat12', counter: 3, lastAuthorId: 7 });
    const manySystemNewest = chat({ dialogId: 'chat13', counter: 3, lastAuthorId: 0 });
    const manySystemNewest2 = chat({ dialogId: 'chat14', counter: 3, lastAuthorId: 0 });
    const notLooked = chat({ dialogId: 'chat15', counter: 3, lastAuthorId: 0 });
    const all = [oneSystem, onePerson, botDialog, newestByPerson, manySystemNewest, manySystemNewest2, notLooked];
    expect(needsAuthorLookup(all).map((c) => c.dialogId)).toEqual(['chat13', 'chat14', 'chat15']);
    expect(authorsFromItem(onePerson)).toBe('people');
    const authors = new Map([['chat13', 'system-or-bot' as const], ['chat14', 'people' as const]]);
    const plan = planBulkRead(inventory(all), f({ systemOnly: true }), { facts: { now: NOW, authors } });
    expect(plan.targets.map((c) => c.dialogId)).toEqual(['chat10', '99', 'chat13']);
    expect(plan.excluded.byReason).toEqual({ 'not-system': 4 });
  });
});

describe('lookUpUnreadAuthors', () => {
  function api(answer: (params: Record<string, unknown>) => unknown): RestApi & { batches: number } {
    const self = {
      batches: 0,
      call: () => Promise.reject(new Error('unexpected')),
      batch: async (commands: Record<string, { method: string; params?: Record<string, unknown> }>) => {
        self.batches += Math.ceil(Object.keys(commands).length / 50);
        const results: Record<string, unknown> = {};
        for (const [key, c] of Object.entries(commands)) {
          expect(c.method).toBe('im.dialog.messages.get');
          results[key] = answer(c.params ?? {});
        }
        return { results, errors: {}, skipped: [] };
      },
    };
    return self as unknown as RestApi & { batches: number };
  }

  it('reads the documented answer: a person among the unread → people; only system/bots → system-or-bot', async () => {
    const doc = messagesGet.result;
    const people = chat({ dialogId: 'chat1489', counter: 3, lastReadId: 84000 });
    const systemOnly = chat({ dialogId: 'chat1490', counter: 1, lastReadId: 84870 });
    const fake = api((p) => (p['DIALOG_ID'] === 'chat1489' ? doc : { ...doc, messages: doc.messages.filter((m) => m.author_id === 0).map((m) => ({ ...m, id: 84871 })) }));
    const { authors, requests } = await lookUpUnreadAuthors(fake, [people, systemOnly]);
    expect(Object.fromEntries(authors)).toEqual({ chat1489: 'people', chat1490: 'system-or-bot' });
    expect(requests).toBe(1);
  });

  it('bots count as system; too many unread to see is unknown; 120 chats take 3 batch requests', async () => {
    const botAnswer = { messages: [{ id: 5, author_id: 42 }, { id: 6, author_id: 0 }], users: [{ id: 42, bot: true }] };
    const chats = Array.from({ length: 120 }, (_, i) => chat({ dialogId: `chat${500 + i}`, counter: i === 0 ? 80 : 2, lastReadId: 4 }));
    const fake = api(() => botAnswer);
    const { authors, requests } = await lookUpUnreadAuthors(fake, chats);
    expect(authors.get('chat500')).toBe('unknown');
    expect(authors.get('chat501')).toBe('system-or-bot');
    expect(requests).toBe(3);
    expect(fake.batches).toBe(3);
  });
});
