// im.recent.list / im.recent.get filters and paging, im.dialog.messages.get, im.dialog.get (§4.6–§4.9).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkSeed, startPortal, type PortalServer, type Tenant } from './index.ts';
import { SMALL_SEED, call, freshHost, type Answer } from './test-helpers.ts';

interface Item {
  id: number | string;
  chat_id: number;
  type: string;
  counter: number;
  unread: boolean;
  pinned: boolean;
  last_id: number;
  message: { id: number; date: string };
  chat: { type?: string; mute_list: unknown };
}

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

function setup(host = freshHost()): { t: Tenant; rpc: (method: string, params?: Record<string, unknown>) => Promise<Answer> } {
  const t = portal.tenant(host);
  const hook = t.addWebhook();
  return { t, rpc: (method, params = {}) => call(portal, `${hook}${method}`, params) };
}

describe('im.recent.list', () => {
  it('lists every recent chat: pinned first, then newest message first, with live counters', async () => {
    const { t, rpc } = setup();
    const r = await rpc('im.recent.list', { LIMIT: 200 });
    const items = r.body.result.items as Item[];
    expect(items).toHaveLength(t.chats().length);
    const pinned = items.filter((i) => i.pinned);
    expect(pinned).toHaveLength(2);
    expect(items.slice(0, 2)).toEqual(pinned);
    const dates = items.slice(2).map((i) => Date.parse(i.message.date));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    for (const i of items) {
      const view = t.chat(String(i.id))!;
      expect({ counter: i.counter, last_id: i.last_id, unread: i.unread, message: i.message.id, chat: i.chat_id }).toEqual({
        counter: view.counter, last_id: view.lastReadId, unread: view.manualUnread, message: view.lastMessageId, chat: view.chatId,
      });
      expect(typeof i.id === 'number').toBe(view.kind === 'dialog');
      const muted = i.chat.mute_list;
      expect(view.muted ? muted : []).toEqual(view.muted ? { [String(t.userId)]: true } : muted);
    }
    expect(new Set(items.map((i) => i.chat.type ?? 'user'))).toEqual(new Set(['user', 'chat', 'sonetGroup', 'crm', 'tasks', 'lines']));
    expect(r.body.result).toMatchObject({ hasMore: false, hasMorePages: false, messagesAutoDeleteConfigs: [] });
    expect(r.body.total).toBe(-1);
    expect(r.body).not.toHaveProperty('next');
  });

  it('UNREAD_ONLY keeps chats with a counter or a manual mark', async () => {
    const { t, rpc } = setup();
    const items = (await rpc('im.recent.list', { UNREAD_ONLY: 'Y', LIMIT: 200 })).body.result.items as Item[];
    const expected = t.chats().filter((c) => c.counter > 0 || c.manualUnread).map((c) => c.dialogId).sort();
    expect(items.map((i) => String(i.id)).sort()).toEqual(expected);
    expect(items.some((i) => i.unread && i.counter === 0)).toBe(true);
  });

  it('SKIP_OPENLINES, SKIP_CHAT, SKIP_DIALOG', async () => {
    const { rpc } = setup();
    const kinds = async (params: Record<string, unknown>): Promise<Set<string>> =>
      new Set(((await rpc('im.recent.list', { LIMIT: 200, ...params })).body.result.items as Item[]).map((i) => i.chat.type ?? 'user'));
    expect(await kinds({ SKIP_OPENLINES: 'Y' })).not.toContain('lines');
    expect(await kinds({ SKIP_DIALOG: 'Y' })).not.toContain('user');
    expect(await kinds({ SKIP_CHAT: 'Y' })).toEqual(new Set(['user', 'lines']));
    expect(await kinds({ SKIP_CHAT: 'Y', SKIP_DIALOG: 'Y', SKIP_OPENLINES: 'Y' })).toEqual(new Set());
    expect(await kinds({ SKIP_OPENLINES: 'N' })).toContain('lines');
  });

  it('pages with LIMIT (default 50, max 200) and OFFSET or start; next = offset + items', async () => {
    const big = await startPortal({ seed: bulkSeed(260, { rngSeed: 3 }) });
    try {
      const t = big.tenant(freshHost());
      const hook = t.addWebhook();
      const list = (p: Record<string, unknown>): Promise<Answer> => call(big, `${hook}im.recent.list`, p, { encoding: 'query' });
      const total = t.chats().length;
      expect(total).toBeGreaterThan(250);
      const first = await list({});
      expect(first.body.result.items).toHaveLength(50);
      expect(first.body).toMatchObject({ total: -1, next: 50 });
      expect(first.body.result).toMatchObject({ hasMore: true, hasMorePages: true });
      const max = await list({ LIMIT: 500 });
      expect(max.body.result.items).toHaveLength(200);
      expect(max.body.next).toBe(200);
      const last = await list({ LIMIT: 200, OFFSET: 200 });
      expect(last.body.result.items).toHaveLength(total - 200);
      expect(last.body.result.hasMore).toBe(false);
      expect(last.body).not.toHaveProperty('next');
      const viaStart = await list({ LIMIT: 10, start: 20 });
      expect(viaStart.body.next).toBe(30);
      const ids = (r: Answer): unknown[] => r.body.result.items.map((i: Item) => i.id);
      expect(ids(viaStart)).toEqual(ids(max).slice(20, 30));
      const all = [...ids(max), ...ids(last)];
      expect(new Set(all).size).toBe(total);
    } finally {
      await big.close();
    }
  });

  it('LAST_MESSAGE_DATE continues after the given date', async () => {
    const { rpc } = setup();
    const items = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Item[];
    const unpinned = items.filter((i) => !i.pinned);
    const cursor = unpinned[4]!.message.date;
    const next = (await rpc('im.recent.list', { LAST_MESSAGE_DATE: cursor })).body.result.items as Item[];
    // DATE_LAST_ACTIVITY <= value, OFFSET ignored, the boundary row repeats (bitrix24-im-26.md §2).
    expect(next.every((i) => Date.parse(i.message.date) <= Date.parse(cursor))).toBe(true);
    expect(next.find((i) => !i.pinned)!.message.date).toBe(cursor);
    const withOffset = (await rpc('im.recent.list', { LAST_MESSAGE_DATE: cursor, OFFSET: 3 })).body.result.items as Item[];
    expect(withOffset.map((i) => i.id)).toEqual(next.map((i) => i.id));
    expect(next.length).toBeGreaterThan(0);
  });
});

describe('im.recent.get', () => {
  it('is an unpaged array; ONLY_OPENLINES keeps open lines', async () => {
    const { t, rpc } = setup();
    const all = await rpc('im.recent.get');
    expect(all.body.result).toHaveLength(t.chats().length);
    expect(all.body).not.toHaveProperty('total');
    const lines = (await rpc('im.recent.get', { ONLY_OPENLINES: 'Y' })).body.result as Item[];
    expect(lines.length).toBe(t.chats().filter((c) => c.kind === 'lines').length);
    expect(lines.every((i) => i.chat.type === 'lines')).toBe(true);
  });
});

describe('im.dialog.messages.get', () => {
  it('newest first by default (LIMIT 20, max 50); LAST_ID pages back; FIRST_ID goes forward ascending', async () => {
    const big = await startPortal({ seed: { dialogs: 1, messagesPerChat: 70 } });
    try {
      const t = big.tenant(freshHost());
      const hook = t.addWebhook();
      const get = async (p: Record<string, unknown>): Promise<number[]> =>
        (await call(big, `${hook}im.dialog.messages.get`, { DIALOG_ID: t.chats()[0]!.dialogId, ...p })).body.result.messages.map((m: { id: number }) => m.id);
      const all = t.state.chats.get(t.chats()[0]!.chatId)!.messageIds;
      const first = await get({});
      expect(first).toEqual(all.slice(-20).reverse());
      expect(await get({ LIMIT: 100 })).toHaveLength(50);
      expect(await get({ LAST_ID: first.at(-1), LIMIT: 5 })).toEqual(all.slice(-25, -20).reverse());
      expect(await get({ FIRST_ID: all[9], LIMIT: 5 })).toEqual(all.slice(10, 15));
      expect(await get({ FIRST_ID: 1 })).toEqual([]);
    } finally {
      await big.close();
    }
  });

  it('messages have unread flags; users are the authors; errors', async () => {
    const { t, rpc } = setup();
    const c = t.chats().find((x) => x.kind === 'chat' && x.counter > 0)!;
    const r = (await rpc('im.dialog.messages.get', { DIALOG_ID: c.dialogId })).body.result;
    expect(r.chat_id).toBe(c.chatId);
    for (const m of r.messages as Array<{ id: number; author_id: number; unread: boolean }>) {
      expect(m.unread).toBe(m.id > c.lastReadId && m.author_id !== t.userId);
    }
    const authors = new Set((r.messages as Array<{ author_id: number }>).map((m) => m.author_id).filter((a) => a > 0));
    expect(new Set((r.users as Array<{ id: number }>).map((u) => u.id))).toEqual(authors);
    const e = async (p: Record<string, unknown>): Promise<[number, string]> => {
      const x = await rpc('im.dialog.messages.get', p);
      return [x.status, x.body.error];
    };
    expect(await e({ DIALOG_ID: c.dialogId, FIRST_ID: 'abc' })).toEqual([400, 'FIRST_ID_STRING']);
    expect(await e({ DIALOG_ID: c.dialogId, LAST_ID: '12x' })).toEqual([400, 'LAST_ID_STRING']);
    expect(await e({})).toEqual([400, 'DIALOG_ID_EMPTY']);
    const foreign = [...t.state.chats.values()].find((x) => !x.members.has(t.userId))!;
    expect(await e({ DIALOG_ID: `chat${foreign.id}` })).toEqual([403, 'ACCESS_ERROR']);
    expect((await rpc('im.dialog.get', { DIALOG_ID: `chat${foreign.id}` })).status).toBe(403);
  });
});

describe('im.dialog.get', () => {
  it('carries the read pointers: counter, last_message_id, last_id, unread_id', async () => {
    const { t, rpc } = setup();
    for (const c of t.chats().slice(0, 8)) {
      const r = (await rpc('im.dialog.get', { DIALOG_ID: c.dialogId })).body.result;
      expect(r).toMatchObject({
        id: c.chatId, counter: c.counter, last_message_id: c.lastMessageId, last_id: c.lastReadId,
        unread_id: c.firstUnreadId, dialog_id: c.dialogId,
      });
    }
  });
});

describe('a tenant with its own seed', () => {
  it('starts with that seed instead of the server\'s, and refuses a seed once it exists', async () => {
    const host = freshHost();
    const t = portal.tenant(host, bulkSeed(300));
    expect(t.chats().filter((c) => c.counter > 0 || c.manualUnread).length).toBeGreaterThanOrEqual(300);
    expect(portal.tenant(host)).toBe(t);
    expect(() => portal.tenant(host, bulkSeed(10))).toThrow(/already exists/);
    expect(portal.tenant(freshHost()).chats().length).toBeLessThan(100);
  });
});
