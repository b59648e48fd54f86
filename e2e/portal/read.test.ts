// Read-state semantics of the im.* methods (docs §4.1–§4.5, §5) and the counters they feed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type ChatView, type PortalServer, type Tenant } from './index.ts';
import { SMALL_SEED, call, freshHost, sessionCall, type Answer } from './test-helpers.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

function setup(): { t: Tenant; rpc: (method: string, params?: Record<string, unknown>) => Promise<Answer> } {
  const t = portal.tenant(freshHost());
  const hook = t.addWebhook();
  return { t, rpc: (method, params = {}) => call(portal, `${hook}${method}`, params) };
}

const find = (t: Tenant, pred: (c: ChatView) => boolean): ChatView => {
  const c = t.chats().find(pred);
  if (!c) throw new Error('seed lacks such a chat');
  return c;
};

describe('im.dialog.read', () => {
  it('without MESSAGE_ID reads everything; the pointer moves once', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'chat' && x.counter >= 2);
    const r = await rpc('im.dialog.read', { DIALOG_ID: c.dialogId });
    expect(r.body.result).toEqual({ dialogId: c.dialogId, chatId: c.chatId, lastId: c.lastMessageId, counter: 0 });
    expect(t.chat(c.dialogId)).toMatchObject({ lastReadId: c.lastMessageId, counter: 0, firstUnreadId: 0 });
    expect(t.readEvents).toEqual([{ t: expect.any(Number), dialogId: c.dialogId, fromId: c.lastReadId, toId: c.lastMessageId, via: 'im.dialog.read' }]);
    // Again: nothing to do, still the object, no second event.
    expect((await rpc('im.dialog.read', { DIALOG_ID: c.dialogId })).body.result).toMatchObject({ lastId: c.lastMessageId, counter: 0 });
    expect(t.readEvents).toHaveLength(1);
    // readCalls shows the repeat the pointer cannot.
    expect(t.readCalls.map((x) => [x.dialogId, x.moved])).toEqual([[c.dialogId, true], [c.dialogId, false]]);
  });

  it('up to MESSAGE_ID: the rest stays unread, and the pointer never moves back', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'dialog' && x.counter >= 3);
    const ids = (await rpc('im.dialog.messages.get', { DIALOG_ID: c.dialogId, LIMIT: 50 })).body.result.messages
      .map((m: { id: number }) => m.id).reverse() as number[];
    const unread = ids.filter((id) => id > c.lastReadId);
    const mid = unread[1]!;
    const r = await rpc('im.dialog.read', { DIALOG_ID: c.dialogId, MESSAGE_ID: mid });
    expect(r.body.result).toEqual({ dialogId: c.dialogId, chatId: c.chatId, lastId: mid, counter: unread.length - 2 });
    const back = await rpc('im.dialog.read', { DIALOG_ID: c.dialogId, MESSAGE_ID: unread[0] });
    expect(back.body.result).toMatchObject({ lastId: mid, counter: unread.length - 2 });
    expect(t.readEvents.map((e) => [e.fromId, e.toId])).toEqual([[c.lastReadId, mid]]);
  });

  it('LAST_ID is an alias; MESSAGE_ID ≤ 0 means "all"', async () => {
    const { t, rpc } = setup();
    const [a, b] = t.chats().filter((x) => x.counter >= 2 && x.kind !== 'lines');
    expect((await rpc('im.dialog.read', { DIALOG_ID: a!.dialogId, LAST_ID: a!.firstUnreadId })).body.result.lastId).toBe(a!.firstUnreadId);
    expect((await rpc('im.dialog.read', { DIALOG_ID: b!.dialogId, MESSAGE_ID: 0 })).body.result.lastId).toBe(b!.lastMessageId);
  });

  it('a message pushed later stays unread when reading up to the snapshot id', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'workgroup' && x.counter > 0);
    const late = t.pushMessage(c.dialogId, { text: 'late' });
    expect(late).toBeGreaterThan(Math.max(...t.chats().map((x) => (x.dialogId === c.dialogId ? 0 : x.lastMessageId))));
    const r = await rpc('im.dialog.read', { DIALOG_ID: c.dialogId, MESSAGE_ID: c.lastMessageId });
    expect(r.body.result).toMatchObject({ lastId: c.lastMessageId, counter: 1 });
    expect(t.chat(c.dialogId)).toMatchObject({ firstUnreadId: late, counter: 1 });
  });

  it('workgroup chats answer to sgN too', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'workgroup' && x.counter > 0);
    const list = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Array<{ id: string; chat: { entity_id: string; type: string } }>;
    const item = list.find((i) => i.id === c.dialogId)!;
    expect(item.chat.type).toBe('sonetGroup');
    const sg = `sg${item.chat.entity_id}`;
    const r = await rpc('im.dialog.read', { DIALOG_ID: sg });
    expect(r.body.result).toMatchObject({ chatId: c.chatId, counter: 0 });
    expect((await rpc('im.dialog.get', { DIALOG_ID: sg })).body.result.dialog_id).toBe(c.dialogId);
    expect(t.readEvents[0]?.dialogId).toBe(c.dialogId);
  });

  it('false for chats without access, unknown users and open lines no operator took', async () => {
    const { t, rpc } = setup();
    for (const id of ['99999', 'chat99999', `chat${Math.max(...t.chats().map((c) => c.chatId)) + 1}`]) {
      expect((await rpc('im.dialog.read', { DIALOG_ID: id })).body.result).toBe(false);
    }
    const lines = t.chats().filter((x) => x.kind === 'lines');
    const falses: string[] = [];
    for (const l of lines) if ((await rpc('im.dialog.read', { DIALOG_ID: l.dialogId })).body.result === false) falses.push(l.dialogId);
    expect(falses.length).toBeGreaterThanOrEqual(1);
    expect(falses.length).toBeLessThanOrEqual(2);
    expect(falses.length).toBeLessThan(lines.length);
    for (const id of falses) expect(t.chat(id)!.counter).toBeGreaterThan(0);
    expect(t.readEvents.every((e) => !falses.includes(e.dialogId))).toBe(true);
  });

  it('400 DIALOG_ID_EMPTY for a missing or malformed id', async () => {
    const { rpc } = setup();
    for (const params of [{}, { DIALOG_ID: '' }, { DIALOG_ID: 'group12' }, { DIALOG_ID: 'chat' }, { DIALOG_ID: '12a' }]) {
      const r = await rpc('im.dialog.read', params);
      expect([r.status, r.body.error]).toEqual([400, 'DIALOG_ID_EMPTY']);
    }
  });

  it('keys are case-insensitive for im.*', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'crm' && x.counter > 0);
    expect((await rpc('im.dialog.read', { dialog_id: c.dialogId })).body.result.counter).toBe(0);
  });

  it('with MESSAGE_ID keeps a manual unread mark; without it clears it (readTo vs readAllInChat)', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.manualUnread);
    await rpc('im.dialog.read', { DIALOG_ID: c.dialogId, MESSAGE_ID: c.lastMessageId });
    expect(t.chat(c.dialogId)!.manualUnread).toBe(true);
    expect((await rpc('im.recent.unread', { DIALOG_ID: c.dialogId, ACTION: 'N' })).body.result).toBe(true);
    expect(t.chat(c.dialogId)!.manualUnread).toBe(false);
  });

  it('DIALOG_ID=notify reads notifications and returns true', async () => {
    const { t, rpc } = setup();
    expect(t.counters().TYPE.NOTIFY).toBe(3);
    expect((await rpc('im.dialog.read', { DIALOG_ID: 'notify' })).body.result).toBe(true);
    expect(t.counters().TYPE.NOTIFY).toBe(0);
    expect(t.readEvents).toEqual([]);
  });
});

describe('im.dialog.read.all, im.dialog.unread, im.recent.unread, im.notify.read.all', () => {
  // Docs §4.1/§4.2 (bitrix24-im-26.md): readAll moves LAST_ID everywhere but open lines, clears all
  // marks and anchors, marks notifications read; the Reading builds also delete open lines' counters.
  it('read.all (build H) reads every chat except open lines, clears marks and notifications', async () => {
    const { t, rpc } = setup();
    t.setBuild('H');
    const linesBefore = t.chats().filter((c) => c.kind === 'lines');
    expect((await rpc('im.dialog.read.all')).body.result).toBe(true);
    for (const c of t.chats()) {
      if (c.kind === 'lines') {
        expect(c).toEqual({ ...linesBefore.find((l) => l.dialogId === c.dialogId), manualUnread: false });
      } else {
        expect(c).toMatchObject({ counter: 0, lastReadId: c.lastMessageId, manualUnread: false });
      }
    }
    const counters = t.counters();
    expect(counters.TYPE).toMatchObject({ CHAT: 0, DIALOG: 0, NOTIFY: 0 });
    expect(counters.TYPE.LINES).toBeGreaterThan(0);
    expect(new Set(t.readEvents.map((e) => e.via))).toEqual(new Set(['im.dialog.read.all']));
  });

  it('unread moves the pointer back to just before MESSAGE_ID', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'chat' && x.counter > 0);
    await rpc('im.dialog.read', { DIALOG_ID: c.dialogId });
    const msgs = (await rpc('im.dialog.messages.get', { DIALOG_ID: c.dialogId })).body.result.messages as Array<{ id: number; author_id: number }>;
    const [newest, second, third] = msgs;
    expect((await rpc('im.dialog.unread', { DIALOG_ID: c.dialogId, MESSAGE_ID: second!.id })).body.result).toBe(true);
    const expectedCounter = [newest!, second!].filter((m) => m.author_id !== t.userId).length;
    expect(t.chat(c.dialogId)).toMatchObject({ lastReadId: third!.id, counter: expectedCounter });
    expect(t.readEvents.at(-1)).toMatchObject({ fromId: newest!.id, toId: third!.id, via: 'im.dialog.unread' });
    const r = await rpc('im.dialog.unread', { DIALOG_ID: c.dialogId });
    expect([r.status, r.body.error, r.body.error_description]).toEqual([400, 'MESSAGE_ID_ERROR', "Message ID can't be empty"]);
    expect((await rpc('im.dialog.unread', { DIALOG_ID: c.dialogId, MESSAGE_ID: -5 })).body.error).toBe('MESSAGE_ID_ERROR');
    expect((await rpc('im.dialog.unread', { DIALOG_ID: '99999', MESSAGE_ID: 5 })).status).toBe(403);
  });

  it('recent.unread Y/N sets and clears the mark; false when not in the recent list', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.counter === 0 && !x.manualUnread);
    const before = t.counters().TYPE.MESSENGER!;
    expect((await rpc('im.recent.unread', { DIALOG_ID: c.dialogId })).body.result).toBe(true);
    expect(t.chat(c.dialogId)!.manualUnread).toBe(true);
    expect(t.counters().TYPE.MESSENGER).toBe(before + (c.muted ? 0 : 1));
    expect((await rpc('im.recent.unread', { DIALOG_ID: c.dialogId, ACTION: 'N' })).body.result).toBe(true);
    expect(t.chat(c.dialogId)!.manualUnread).toBe(false);
    expect((await rpc('im.recent.unread', { DIALOG_ID: '99999', ACTION: 'Y' })).body.result).toBe(false);
  });

  it('notify.read.all answers {result: true, newCounter: 0}', async () => {
    const { t, rpc } = setup();
    expect((await rpc('im.notify.read.all')).body.result).toEqual({ result: true, newCounter: 0 });
    expect(t.counters().TYPE).toMatchObject({ NOTIFY: 0 });
  });

  it('chat.mute moves a chat to CHAT_MUTED and out of the totals', async () => {
    const { t, rpc } = setup();
    const c = find(t, (x) => x.kind === 'chat' && x.counter > 0 && !x.muted);
    const before = t.counters();
    expect((await rpc('im.chat.mute', { DIALOG_ID: c.dialogId })).body.result).toBe(true);
    const after = t.counters();
    expect((after.CHAT_MUTED as Record<string, number>)[String(c.chatId)]).toBe(c.counter);
    expect(after.TYPE.CHAT).toBe(before.TYPE.CHAT - c.counter);
    expect((await rpc('im.chat.mute', { DIALOG_ID: '15' })).body.error).toBe('DIALOG_ID_EMPTY');
    expect((await rpc('im.chat.mute', {})).body.error).toBe('CHAT_ID_EMPTY');
    expect((await rpc('im.chat.mute', { CHAT_ID: c.chatId, MUTE: 'N' })).body.result).toBe(true);
    expect(t.chat(c.dialogId)!.muted).toBe(false);
  });
});

describe('im.counters.get', () => {
  it('maps chats by kind: CHAT by chat id, DIALOG by user id, LINES, CHAT_MUTED (any kind), marks, totals', async () => {
    const { t, rpc } = setup();
    const r = (await rpc('im.counters.get')).body.result;
    expect(r).toEqual(t.counters());
    const chats = t.chats();
    const expectMap = (pred: (c: ChatView) => boolean, key: (c: ChatView) => number): Record<string, number> =>
      Object.fromEntries(chats.filter((c) => pred(c) && c.counter > 0).map((c) => [String(key(c)), c.counter]));
    const orEmpty = (m: Record<string, number>): Record<string, number> | [] => (Object.keys(m).length ? m : []);
    expect(r.CHAT).toEqual(orEmpty(expectMap((c) => !c.muted && !['dialog', 'lines'].includes(c.kind), (c) => c.chatId)));
    expect(r.DIALOG).toEqual(orEmpty(expectMap((c) => !c.muted && c.kind === 'dialog', (c) => Number(c.dialogId))));
    expect(r.LINES).toEqual(orEmpty(expectMap((c) => !c.muted && c.kind === 'lines', (c) => c.chatId)));
    expect(r.CHAT_MUTED).toEqual(orEmpty(expectMap((c) => c.muted, (c) => c.chatId)));
    expect(Object.keys(r.CHAT_MUTED).length).toBeGreaterThan(0);
    expect([...r.CHAT_UNREAD, ...r.DIALOG_UNREAD].length).toBe(2);
    const marksWithoutCounter = chats.filter((c) => c.manualUnread && c.counter === 0 && !c.muted).length;
    const sum = (kinds: (c: ChatView) => boolean): number => chats.filter((c) => kinds(c) && !c.muted).reduce((s, c) => s + c.counter, 0);
    expect(r.TYPE.MESSENGER).toBe(sum(() => true) + marksWithoutCounter);
    expect(r.TYPE.MESSENGER).toBe(r.TYPE.CHAT + r.TYPE.DIALOG + r.TYPE.LINES);
    expect(r.TYPE.ALL).toBe(r.TYPE.MESSENGER + r.TYPE.NOTIFY);
  });

  it('pushMessage adds an unread message with the next portal-wide id', async () => {
    const { t } = setup();
    const c = find(t, (x) => x.kind === 'dialog');
    const max = Math.max(...t.state.messages.keys());
    const id = t.pushMessage(c.dialogId, { text: 'hi' });
    expect(id).toBe(max + 1);
    expect(t.chat(c.dialogId)).toMatchObject({ lastMessageId: id, counter: c.counter + 1 });
    const own = t.pushMessage(c.dialogId, { authorId: t.userId });
    expect(t.chat(c.dialogId)).toMatchObject({ lastReadId: own, counter: 0 });
  });

  it('session and webhook see the same state', async () => {
    const { t, rpc } = setup();
    expect((await sessionCall(portal, t, 'im.counters.get')).body.result).toEqual((await rpc('im.counters.get')).body.result);
  });
});
