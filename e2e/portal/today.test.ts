// Today's Bitrix24 (im 26.x, shared/docs/bitrix24-im-26.md): every chat kind, the recent-list rules
// (§2), both counters shapes (§3.1), the Reader semantics (§4.1–§4.2, §8) and the records a test reads.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, todaySeed, type ChatView, type PortalServer, type SeedOptions, type Tenant } from './index.ts';
import { call, fixture, freshHost, shapeDiff, type Answer } from './test-helpers.ts';

/** Small but every kind. */
export const TODAY_SEED: SeedOptions = {
  userId: 1, dialogs: 3, groups: 3, workgroups: 1, crm: 1, tasks: 2, lines: 2, readChats: 3, mutedEvery: 0, pinned: 1,
  manualUnread: 2, messagesPerChat: 5, notifications: 2, rngSeed: 11,
  channels: 2, channelsCommentsOnly: 2, openChannels: 1, generalChannel: true, generalChat: true, openChats: 1,
  announcements: 1, collabs: 2, copilots: 2, tasksTask: 3, videoconfs: 1, calendars: 1, mails: 1, calls: 1,
  anchors: 4, personalFolders: 2,
};

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: TODAY_SEED });
});
afterAll(() => portal.close());

type Rpc = (method: string, params?: Record<string, unknown>) => Promise<Answer>;
function setup(seed?: SeedOptions): { t: Tenant; rpc: Rpc } {
  const t = portal.tenant(freshHost(), seed);
  const hook = t.addWebhook();
  return { t, rpc: (method, params = {}) => call(portal, `${hook}${method}`, params) };
}

const one = (t: Tenant, pred: (c: ChatView) => boolean): ChatView => {
  const c = t.chats().find(pred);
  if (!c) throw new Error('seed lacks such a chat');
  return c;
};

type Totals = Record<'ALL' | 'NOTIFY' | 'CHAT' | 'LINES' | 'DIALOG' | 'COPILOT' | 'COLLAB' | 'MESSENGER' | 'TASKS_TASK', number>;
type Item = { id: string | number; counter: number; unread: boolean; pinned: boolean; chat: Record<string, unknown>; message: { id: number; date: string } };

describe('chat kinds (§1)', () => {
  const TABLE: Array<[ChatView['kind'], string, string, string]> = [
    ['chat', 'C', 'chat', ''], ['open', 'O', 'open', ''], ['general', 'O', 'general', 'GENERAL'],
    ['channel', 'N', 'channel', ''], ['openChannel', 'J', 'openChannel', ''], ['generalChannel', 'J', 'generalChannel', 'GENERAL_CHANNEL'],
    ['comment', 'T', 'comment', ''], ['copilot', 'A', 'copilot', ''], ['collab', 'B', 'collab', 'SONET_GROUP'],
    ['announcement', 'C', 'announcement', 'ANNOUNCEMENT'], ['videoconf', 'C', 'videoconf', 'VIDEOCONF'],
    ['calendar', 'C', 'calendar', 'CALENDAR'], ['mail', 'C', 'mail', 'MAIL'], ['call', 'C', 'call', 'CALL'],
    ['crm', 'C', 'crm', 'CRM'], ['workgroup', 'C', 'sonetGroup', 'SONET_GROUP'], ['tasks', 'C', 'tasks', 'TASKS'],
    ['tasksTask', 'X', 'tasksTask', 'TASKS_TASK'], ['lines', 'L', 'lines', 'LINES'], ['dialog', 'P', 'private', ''],
  ];

  it('im.dialog.get answers for every kind with type, message_type, entity_type, parents, last_id, counter', async () => {
    const { t, rpc } = setup();
    for (const [kind, letter, type, entity] of TABLE) {
      const c = one(t, (x) => x.kind === kind);
      const r = await rpc('im.dialog.get', { DIALOG_ID: c.dialogId });
      expect(r.status, kind).toBe(200);
      expect(r.body.result, kind).toMatchObject({
        id: c.chatId, type, message_type: letter, entity_type: entity, last_id: c.lastReadId, counter: c.counter,
        last_message_id: c.lastMessageId, parent_chat_id: c.parentChatId, parent_message_id: c.parentMessageId,
      });
      // `public` is {code, link} for videoconferences (§1), '' elsewhere as in the example.
      const diff = shapeDiff(r.body, fixture('im.dialog.get.response'), [/\.mute_list$/]).filter((d) => !(kind === 'videoconf' && d.startsWith('$.result.public:')));
      expect(diff, kind).toEqual([]);
    }
  });

  it('comment threads hang under a channel post; collabs hold collaber guests; videoconfs have a public link', async () => {
    const { t, rpc } = setup();
    const thread = one(t, (x) => x.kind === 'comment');
    const channel = t.chat(`chat${thread.parentChatId}`)!;
    expect(['channel', 'openChannel', 'generalChannel']).toContain(channel.kind);
    expect(t.state.messages.get(thread.parentMessageId)?.chatId).toBe(channel.chatId);
    expect(t.children(channel.dialogId).map((c) => c.dialogId)).toContain(thread.dialogId);

    const items = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Item[];
    const collab = items.find((i) => i.chat.type === 'collab')!;
    expect(collab.chat).toMatchObject({ message_type: 'B', entity_type: 'SONET_GROUP', contains_collaber: true });
    const members = [...t.state.chats.get(Number(String(collab.id).slice(4)))!.members];
    expect(members.some((id) => t.state.users.get(id)?.collaber)).toBe(true);
    const vc = items.find((i) => i.chat.type === 'videoconf')!;
    expect(vc.chat.public).toMatchObject({ code: expect.any(String), link: expect.stringContaining('/video/') });
    const channelItem = items.find((i) => i.chat.type === 'channel')!;
    expect((channelItem.chat.permissions as Record<string, string>).can_post).toBe('manager');
  });

  it('the old seeds build exactly what they built before the new kinds (no new kinds, same ids)', async () => {
    const { t } = setup({ dialogs: 2, groups: 2, tasks: 1, rngSeed: 3 });
    expect(new Set(t.chats().map((c) => c.kind))).toEqual(new Set(['dialog', 'chat', 'tasks']));
    expect(t.chat(one(t, (c) => c.kind === 'tasks').dialogId)).toMatchObject({ type: 'tasks', messageType: 'C', entityType: 'TASKS', inRecent: true });
  });
});

describe('shapes of the new kinds against the docs examples', () => {
  it('im.recent.list items of every kind have the example item\'s keys (videoconf public = {code, link})', async () => {
    const { rpc } = setup();
    const items = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Array<Record<string, unknown> & { type: string; chat: Record<string, unknown> }>;
    const example = fixture('im.recent.list.response') as { result: { items: Array<Record<string, unknown>> } };
    const [userItem, chatItem] = example.result.items as [Record<string, unknown>, Record<string, unknown>];
    const system = { ...chatItem, user: { id: 0 }, message: { ...(chatItem.message as object), uuid: null } };
    const lines = { id: 0, status: 0, date_create: '' };
    const variants = [userItem, chatItem, system, { ...chatItem, lines }, { ...system, lines }];
    const maps = [/\.mute_list$/, /\.params$/];
    const diffs = shapeDiff(items, variants, maps).filter((d) => !/\.chat\.public: expected string/.test(d));
    expect(diffs).toEqual([]);
    expect(items.filter((i) => i.chat.type === 'videoconf').every((i) => typeof i.chat.public === 'object')).toBe(true);
  });
});

describe('im.recent.list rules (§2)', () => {
  it('never lists external (X) or nested chats; lists collabs, copilot, channels, general chat', async () => {
    const { t, rpc } = setup();
    const items = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Item[];
    const ids = new Set(items.map((i) => String(i.id)));
    for (const c of t.chats()) {
      const listed = ids.has(c.dialogId);
      expect(listed, `${c.kind} ${c.dialogId}`).toBe(c.kind !== 'tasksTask' && c.kind !== 'comment');
      expect(c.inRecent).toBe(listed);
    }
    const types = new Set(items.map((i) => i.chat.type));
    for (const type of ['collab', 'copilot', 'channel', 'openChannel', 'generalChannel', 'general', 'announcement', 'tasks']) expect(types).toContain(type);
    const general = items.find((i) => i.chat.type === 'general')!;
    expect(general.chat.entity_type).toBe('GENERAL');
  });

  it('UNREAD_ONLY keeps channels whose only unread items are comments, and marked chats', async () => {
    const { t, rpc } = setup();
    const commentsOnly = t.chats().filter((c) => c.kind === 'channel' && c.counter === 0 && c.childrenCounter > 0);
    expect(commentsOnly.length).toBeGreaterThanOrEqual(2);
    const items = (await rpc('im.recent.list', { UNREAD_ONLY: 'Y', LIMIT: 200 })).body.result.items as Item[];
    const ids = new Set(items.map((i) => String(i.id)));
    for (const c of commentsOnly) expect(ids.has(c.dialogId)).toBe(true);
    const expected = t.chats().filter((c) => c.inRecent && (c.counter > 0 || c.manualUnread || c.childrenCounter > 0)).map((c) => c.dialogId);
    expect([...ids].sort()).toEqual(expected.sort());
  });

  it('ONLY_CHANNEL gives N and J chats, ONLY_COPILOT gives A; SKIP_COLLAB is not forwarded', async () => {
    const { rpc } = setup();
    const channels = (await rpc('im.recent.list', { ONLY_CHANNEL: 'Y', LIMIT: 200 })).body.result.items as Item[];
    expect(new Set(channels.map((i) => i.chat.message_type))).toEqual(new Set(['N', 'J']));
    const copilot = (await rpc('im.recent.list', { ONLY_COPILOT: 'Y' })).body.result.items as Item[];
    expect(copilot.length).toBe(2);
    expect(copilot.every((i) => i.chat.message_type === 'A')).toBe(true);
    const all = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Item[];
    const noCollab = (await rpc('im.recent.list', { LIMIT: 200, SKIP_COLLAB: 'Y' })).body.result.items as Item[];
    expect(noCollab.map((i) => i.id)).toEqual(all.map((i) => i.id));
  });

  it('copilot chats vanish when copilot is unavailable', async () => {
    const { t, rpc } = setup({ ...TODAY_SEED, copilotAvailable: false });
    const items = (await rpc('im.recent.list', { LIMIT: 200 })).body.result.items as Item[];
    expect(items.some((i) => i.chat.type === 'copilot')).toBe(false);
    expect(Object.keys(t.counters().COPILOT as object)).toHaveLength(0);
  });

  it('LIMIT ≤ 0 gives 50, ≥ 200 gives 200; hasMore = the page filled LIMIT; next = offset + items', async () => {
    const { t, rpc } = setup({ groups: 260, rngSeed: 5 });
    expect((await rpc('im.recent.list', { LIMIT: 0 })).body.result.items).toHaveLength(50);
    expect((await rpc('im.recent.list', { LIMIT: -3 })).body.result.items).toHaveLength(50);
    expect((await rpc('im.recent.list', { LIMIT: 500 })).body.result.items).toHaveLength(200);
    const total = t.chats().length;
    const exact = await rpc('im.recent.list', { LIMIT: 60, OFFSET: total - 60 });
    expect(exact.body.result.hasMore).toBe(true); // filled: the client asks once more and gets nothing
    expect(exact.body.next).toBe(total);
    const after = await rpc('im.recent.list', { LIMIT: 60, OFFSET: total });
    expect(after.body.result).toMatchObject({ items: [], hasMore: false });
    const bad = await rpc('im.recent.list', { LIMIT: 10, OFFSET: 10, LAST_MESSAGE_DATE: 'yesterday' });
    const plain = await rpc('im.recent.list', { LIMIT: 10, OFFSET: 10 });
    expect(bad.body.result.items.map((i: Item) => i.id)).toEqual(plain.body.result.items.map((i: Item) => i.id));
  });
});

describe('im.counters.get shapes (§3.1)', () => {
  const keys = (v: unknown): string[] => (Array.isArray(v) ? [] : Object.keys(v as object));

  it('build Y: comment threads under CHANNEL_COMMENT[parent][chat], copilot and collab also in CHAT, TASKS_TASK alone, TYPE totals', async () => {
    const { t } = setup();
    const c = t.counters() as unknown as Record<string, unknown> & { TYPE: Totals };
    const chats = t.chats();
    const cc = c.CHANNEL_COMMENT as Record<string, Record<string, number>>;
    for (const thread of chats.filter((x) => x.kind === 'comment' && x.counter > 0 && !x.muted)) {
      expect(cc[String(thread.parentChatId)]?.[String(thread.chatId)]).toBe(thread.counter);
      expect(keys(c.CHAT)).not.toContain(String(thread.chatId));
    }
    for (const x of chats.filter((y) => y.counter > 0 && !y.muted)) {
      const id = String(x.chatId);
      if (x.kind === 'copilot') expect([(c.COPILOT as Record<string, number>)[id], (c.CHAT as Record<string, number>)[id]]).toEqual([x.counter, x.counter]);
      if (x.kind === 'collab') expect([(c.COLLAB as Record<string, number>)[id], (c.CHAT as Record<string, number>)[id]]).toEqual([x.counter, x.counter]);
      if (x.kind === 'tasksTask') {
        expect((c.TASKS_TASK as Record<string, number>)[id]).toBe(x.counter);
        expect(keys(c.CHAT)).not.toContain(id);
      }
      if (x.kind === 'lines') expect((c.LINES as Record<string, number>)[id]).toBe(x.counter);
      if (x.kind === 'dialog') expect((c.DIALOG as Record<string, number>)[x.dialogId]).toBe(x.counter);
    }
    const sum = (m: unknown): number => Object.values(m as Record<string, number>).reduce((a, b) => a + b, 0);
    const marksWithout = (kinds: string[]): number => chats.filter((x) => kinds.includes(x.kind) && x.manualUnread && x.counter === 0 && !x.muted).length;
    expect(c.TYPE.TASKS_TASK).toBe(sum(c.TASKS_TASK) + marksWithout(['tasksTask']));
    expect(c.TYPE.COPILOT).toBe(sum(c.COPILOT) + marksWithout(['copilot']));
    const commentTotal = Object.values(cc).reduce((a, m) => a + sum(m), 0);
    expect(c.TYPE.MESSENGER).toBe(c.TYPE.CHAT + c.TYPE.DIALOG + c.TYPE.LINES + c.TYPE.TASKS_TASK + commentTotal);
    expect(c.TYPE.ALL).toBe(c.TYPE.MESSENGER + c.TYPE.NOTIFY);
  });

  it('muted chats and threads land only in CHAT_MUTED (1:1 by chat id); marks in the *_UNREAD lists even when muted', async () => {
    const { t, rpc } = setup();
    const dialog = one(t, (x) => x.kind === 'dialog' && x.counter > 0);
    const copilot = one(t, (x) => x.kind === 'copilot');
    const task = one(t, (x) => x.kind === 'tasksTask');
    const channel = one(t, (x) => x.kind === 'channel' && x.childrenCounter > 0);
    for (const c of [dialog, channel]) await rpc('im.chat.mute', { CHAT_ID: c.chatId, MUTE: 'Y' }).catch(() => undefined);
    t.state.chats.get(dialog.chatId)!.muted = true;
    for (const th of t.state.children(t.state.chats.get(channel.chatId)!)) th.muted = true;
    t.state.chats.get(copilot.chatId)!.manualUnread = true;
    t.state.chats.get(task.chatId)!.manualUnread = true;
    const c = t.counters() as Record<string, unknown>;
    expect((c.CHAT_MUTED as Record<string, number>)[String(dialog.chatId)]).toBe(dialog.counter);
    expect(keys(c.DIALOG)).not.toContain(dialog.dialogId);
    expect(keys(c.CHANNEL_COMMENT)).not.toContain(String(channel.chatId));
    expect(c.COPILOT_UNREAD).toContain(copilot.chatId);
    expect(c.CHAT_UNREAD).toContain(copilot.chatId);
    expect(c.TASKS_TASK_UNREAD).toContain(task.chatId);
    expect(c.CHAT_UNREAD).not.toContain(task.chatId);
  });

  it('a chat whose only section is not counted adds to no map and no total', async () => {
    const { t } = setup();
    const cal = one(t, (x) => x.kind === 'calendar' && x.counter > 0);
    const before = t.counters() as unknown as Record<string, unknown> & { TYPE: Totals };
    t.state.chats.get(cal.chatId)!.sections = ['calendar'];
    const after = t.counters() as unknown as Record<string, unknown> & { TYPE: Totals };
    expect(keys(after.CHAT)).not.toContain(String(cal.chatId));
    expect(after.TYPE.MESSENGER).toBe(before.TYPE.MESSENGER - cal.counter);
  });

  it('build H: 7 keys, comment threads/collabs/task chats in CHAT by own id, copilot dropped', async () => {
    const { t, rpc } = setup({ ...TODAY_SEED, build: 'H' });
    const r = await rpc('im.counters.get');
    expect(Object.keys(r.body.result)).toEqual(['TYPE', 'CHAT', 'CHAT_MUTED', 'CHAT_UNREAD', 'LINES', 'DIALOG', 'DIALOG_UNREAD']);
    const chat = r.body.result.CHAT as Record<string, number>;
    for (const x of t.chats().filter((y) => y.counter > 0 && !y.muted)) {
      if (['comment', 'collab', 'tasksTask'].includes(x.kind)) expect(chat[String(x.chatId)]).toBe(x.counter);
      if (x.kind === 'copilot') expect(chat[String(x.chatId)]).toBeUndefined();
    }
    expect((await rpc('im.counters.get', { ONLY_COUNTER: 'Y' })).body.result).toEqual(r.body.result.TYPE);
  });

  it('the switch works at run time (tenant.setBuild)', async () => {
    const { t, rpc } = setup();
    expect(Object.keys((await rpc('im.counters.get')).body.result)).toHaveLength(14);
    t.setBuild('H');
    expect(Object.keys((await rpc('im.counters.get')).body.result)).toHaveLength(7);
  });
});

describe('reading (§4): receipts, marks, anchors, children', () => {
  it('im.dialog.read with MESSAGE_ID = readTo: receipts, mark and anchors stay, comments stay', async () => {
    const { t, rpc } = setup();
    const channel = one(t, (x) => x.kind === 'channel' && x.counter > 0 && x.childrenCounter > 0);
    t.state.chats.get(channel.chatId)!.manualUnread = true;
    t.addAnchor(channel.dialogId);
    const r = await rpc('im.dialog.read', { DIALOG_ID: channel.dialogId, MESSAGE_ID: channel.lastMessageId });
    expect(r.body.result).toMatchObject({ lastId: channel.lastMessageId, counter: 0 });
    const after = t.chat(channel.dialogId)!;
    expect(after).toMatchObject({ manualUnread: true, anchors: 1, childrenCounter: channel.childrenCounter });
    const receipts = t.receipts.filter((x) => x.chatId === channel.chatId);
    expect(receipts.length).toBe(channel.counter);
    expect(receipts.every((x) => x.via === 'im.dialog.read' && x.messageId > channel.lastReadId)).toBe(true);
    expect(t.readOps.at(-1)).toMatchObject({ op: 'readTo', via: 'im.dialog.read', dialogId: channel.dialogId, receipts: channel.counter });
  });

  it('without MESSAGE_ID = readAllInChat: no receipts; mark, anchors and comment threads cleared', async () => {
    const { t, rpc } = setup();
    const channel = one(t, (x) => x.kind === 'channel' && x.childrenCounter > 0);
    t.state.chats.get(channel.chatId)!.manualUnread = true;
    t.addAnchor(channel.dialogId);
    await rpc('im.dialog.read', { DIALOG_ID: channel.dialogId });
    expect(t.chat(channel.dialogId)).toMatchObject({ counter: 0, manualUnread: false, anchors: 0, childrenCounter: 0, lastReadId: channel.lastMessageId });
    expect(t.receipts).toHaveLength(0);
    expect(t.readOps.at(-1)).toMatchObject({ op: 'readAllInChat', receipts: 0 });
    const cc = t.counters().CHANNEL_COMMENT as Record<string, unknown>;
    expect(Array.isArray(cc) ? [] : Object.keys(cc)).not.toContain(String(channel.chatId));
  });

  it('im.v2.Chat.read = readAllInChat (no receipts); onlyRecent=Y clears the mark only', async () => {
    const { t, rpc } = setup();
    const g = one(t, (x) => x.kind === 'chat' && x.counter > 0);
    t.state.chats.get(g.chatId)!.manualUnread = true;
    const mark = await rpc('im.v2.Chat.read', { dialogId: g.dialogId, onlyRecent: 'Y' });
    expect(mark.body.result).toEqual({ chatId: g.chatId, lastId: g.lastReadId, counter: g.counter, viewedMessages: [] });
    expect(t.chat(g.dialogId)).toMatchObject({ manualUnread: false, counter: g.counter });
    const r = await rpc('im.v2.Chat.read', { chatId: g.chatId });
    expect(r.body.result).toEqual({ chatId: g.chatId, lastId: g.lastMessageId, counter: 0, viewedMessages: [] });
    expect(t.receipts).toHaveLength(0);
    expect(t.readEvents.at(-1)).toMatchObject({ dialogId: g.dialogId, via: 'im.v2.Chat.read' });
  });

  it('im.v2.Chat.Message.read = read(messages): receipts for the ids read, viewedMessages, mark kept', async () => {
    const { t, rpc } = setup();
    const task = one(t, (x) => x.kind === 'tasksTask' && x.counter >= 2);
    const unread = t.state.chats.get(task.chatId)!.messageIds.filter((id) => id >= task.firstUnreadId);
    const r = await rpc('im.v2.Chat.Message.read', { chatId: task.chatId, ids: [unread[0]] });
    expect(r.body.result).toMatchObject({ chatId: task.chatId, lastId: unread[0], viewedMessages: [unread[0]] });
    expect(t.receipts.map((x) => x.messageId)).toEqual([unread[0]]);
    expect(t.chat(task.dialogId)!.counter).toBe(task.counter - 1);
  });

  it('im.v2.Chat.Comment.readAll reads the threads only (channels only); Anchor reads clear anchors only', async () => {
    const { t, rpc } = setup();
    const channel = one(t, (x) => x.kind === 'channel' && x.counter > 0 && x.childrenCounter > 0);
    expect((await rpc('im.v2.Chat.Comment.readAll', { dialogId: channel.dialogId })).body.result).toEqual({ result: true });
    expect(t.chat(channel.dialogId)).toMatchObject({ counter: channel.counter, childrenCounter: 0 });
    const group = one(t, (x) => x.kind === 'chat');
    const wrong = await rpc('im.v2.Chat.Comment.readAll', { dialogId: group.dialogId });
    expect([wrong.status, wrong.body]).toEqual([400, { error: 'READ_WRONG_CHAT_TYPE_ERROR', error_description: '' }]);

    const a = one(t, (x) => x.kind === 'open' && x.counter > 0);
    t.addAnchor(a.dialogId);
    expect((await rpc('im.v2.Chat.Anchor.read', { dialogId: a.dialogId })).body.result).toBe(true);
    expect(t.chat(a.dialogId)).toMatchObject({ anchors: 0, counter: a.counter });
    t.addAnchor(a.dialogId, a.lastMessageId, 'REACTION');
    expect((await rpc('im.v2.Anchor.read', { messageIds: [a.lastMessageId] })).body.result).toBe(true);
    expect(t.anchors().filter((x) => x.chatId === a.chatId)).toEqual([]);
  });

  it('readAll (im.dialog.read.all / im.v2.Chat.readAll), build Y: LAST_ID everywhere but open lines, their counters deleted; marks, anchors, notifications cleared', async () => {
    for (const method of ['im.dialog.read.all', 'im.v2.Chat.readAll']) {
      const { t, rpc } = setup();
      const lines = t.chats().filter((c) => c.kind === 'lines');
      expect(t.anchors().length).toBeGreaterThan(0);
      const r = await rpc(method);
      expect(r.body.result).toEqual(method === 'im.dialog.read.all' ? true : { result: true });
      for (const c of t.chats()) {
        if (c.kind === 'lines') expect(c.lastReadId).toBe(lines.find((l) => l.dialogId === c.dialogId)!.lastReadId);
        else expect(c.lastReadId).toBe(c.lastMessageId);
        expect(c).toMatchObject({ counter: 0, manualUnread: false });
      }
      expect(t.anchors()).toEqual([]);
      expect(t.counters().TYPE).toMatchObject({ ALL: 0, NOTIFY: 0 });
      expect(t.receipts).toHaveLength(0);
    }
  });

  it('im.v2.Chat.readByRecentSection (build Y) reads a section; readByType only on Y-May/H', async () => {
    const { t, rpc } = setup();
    expect((await rpc('im.v2.Chat.readByRecentSection', { recentSection: 'tasksTask' })).body.result).toEqual({ result: true });
    for (const c of t.chats()) if (c.kind === 'tasksTask') expect(c.counter).toBe(0);
    expect(t.chats().some((c) => c.kind === 'tasks' && c.counter > 0)).toBe(true);
    expect((await rpc('im.v2.Chat.readByType', { type: 'tasksTask' })).body.error).toBe('ERROR_METHOD_NOT_FOUND');
    const may = setup({ ...TODAY_SEED, build: 'Y-May' });
    expect((await may.rpc('im.v2.Chat.readByRecentSection', { recentSection: 'collab' })).body.error).toBe('ERROR_METHOD_NOT_FOUND');
    await may.rpc('im.v2.Chat.readByType', { type: 'collab' });
    for (const c of may.t.chats()) if (c.kind === 'collab') expect(c.counter).toBe(0);
  });

  it('im.recent.unread and im.v2.Chat.unread set marks; im.dialog.unread brings counters back', async () => {
    const { t, rpc } = setup();
    const c = one(t, (x) => x.kind === 'collab' && !x.manualUnread);
    await rpc('im.v2.Chat.unread', { dialogId: c.dialogId });
    expect(t.chat(c.dialogId)!.manualUnread).toBe(true);
    expect(t.counters().COLLAB_UNREAD).toContain(c.chatId);
    await rpc('im.recent.unread', { DIALOG_ID: c.dialogId, ACTION: 'N' });
    expect(t.chat(c.dialogId)!.manualUnread).toBe(false);
    const msgs = t.state.chats.get(c.chatId)!.messageIds;
    await rpc('im.dialog.read', { DIALOG_ID: c.dialogId });
    await rpc('im.dialog.unread', { DIALOG_ID: c.dialogId, MESSAGE_ID: msgs.at(-1) });
    expect(t.chat(c.dialogId)).toMatchObject({ lastReadId: msgs.at(-2), counter: 1 });
    expect(t.readOps.map((o) => o.op)).toEqual(['mark', 'clearMark', 'readAllInChat', 'unread']);
  }, 10_000);
});

describe('im.v2.* errors, auth and batch (§4.3)', () => {
  it('Reading error codes in the real envelope', async () => {
    const { t, rpc } = setup();
    const err = async (m: string, p: Record<string, unknown>): Promise<[number, string]> => {
      const r = await rpc(m, p);
      return [r.status, r.body.error];
    };
    expect(await err('im.v2.Chat.read', { dialogId: 'chat999999' })).toEqual([400, 'READ_CHAT_NOT_FOUND_ERROR']);
    expect(await err('im.v2.Chat.read', {})).toEqual([400, 'READ_CHAT_NOT_FOUND_ERROR']);
    const stranger = [...t.state.chats.values()].find((c) => !c.members.has(t.userId))!;
    expect(await err('im.v2.Chat.read', { chatId: stranger.id })).toEqual([400, 'READ_USER_NOT_IN_CHAT_ERROR']);
    const unassigned = [...t.state.chats.values()].find((c) => c.kind === 'lines' && c.lines?.operatorId === 0)!;
    expect(await err('im.v2.Chat.read', { chatId: unassigned.id })).toEqual([400, 'READ_CHAT_NOT_READABLE_ERROR']);
    const task = one(t, (x) => x.kind === 'comment');
    expect(await err('im.v2.Chat.read', { dialogId: task.dialogId, onlyRecent: 'Y' })).toEqual([400, 'READ_RECENT_ITEM_NOT_FOUND_ERROR']);
    expect(await err('im.v2.Chat.Message.read', { ids: [] })).toEqual([400, 'READ_MESSAGE_LIST_EMPTY_ERROR']);
    const [a, b] = t.chats().filter((c) => c.kind === 'chat');
    expect(await err('im.v2.Chat.Message.read', { ids: [a!.lastMessageId, b!.lastMessageId] })).toEqual([400, 'READ_TOO_MANY_CHATS_ERROR']);
    // PHP argument names are case-sensitive.
    expect(await err('im.v2.Chat.read', { DIALOG_ID: a!.dialogId })).toEqual([400, 'READ_CHAT_NOT_FOUND_ERROR']);
  });

  it('works with session auth and inside batch (query-string params, Y/N flags)', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const g = one(t, (x) => x.kind === 'copilot' && x.counter > 0);
    const ch = one(t, (x) => x.kind === 'channel' && x.childrenCounter > 0);
    const r = await call(portal, `${t.origin}/rest/batch.json`, {
      sessid: s.sessid,
      halt: 0,
      cmd: {
        a: `im.v2.Chat.read?dialogId=${g.dialogId}&onlyRecent=N`,
        b: `im.v2.Chat.Comment.readAll?chatId=${ch.chatId}`,
        c: 'im.v2.Chat.read?dialogId=chat1',
        d: 'im.counters.get',
      },
    }, { encoding: 'form', headers: { Cookie: `PHPSESSID=${s.cookieValue}` } });
    expect(r.body.result.result.a).toMatchObject({ chatId: g.chatId, counter: 0 });
    expect(r.body.result.result.b).toEqual({ result: true });
    expect(r.body.result.result_error.c).toEqual({ error: 'READ_CHAT_NOT_FOUND_ERROR', error_description: '' });
    expect(t.chat(ch.dialogId)!.childrenCounter).toBe(0);
    expect(r.body.result.result.d.COPILOT[String(g.chatId)]).toBeUndefined();
  });

  it('a webhook without scope im gets insufficient_scope for im.v2.*', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook({ scopes: ['crm'] });
    const r = await call(portal, `${hook}im.v2.Chat.readAll`);
    expect([r.status, r.body.error]).toEqual([401, 'insufficient_scope']);
  });
});

describe('im.v2.Recent.tail, Counter.get, Folder.* (§2, §3.2, §5)', () => {
  it('Recent.tail by section: tasksTask chats as type tasksTask / messageType X; hasNextPage; lastMessageDate cursor', async () => {
    const { t, rpc } = setup();
    const r = await rpc('im.v2.Recent.tail', { filter: { recentSection: 'tasksTask' }, limit: 2 });
    expect(Object.keys(r.body.result).sort()).toEqual(['chats', 'files', 'hasNextPage', 'messages', 'recentItems', 'users']);
    expect(r.body.result.chats).toHaveLength(2);
    expect(r.body.result.chats[0]).toMatchObject({ type: 'tasksTask', messageType: 'X', entityType: 'TASKS_TASK' });
    expect(r.body.result.hasNextPage).toBe(true);
    expect(Object.keys(r.body.result.recentItems[0]).sort()).toEqual(
      ['chatId', 'dateLastActivity', 'dateUpdate', 'dialogId', 'invited', 'lastReadMessageId', 'messageId', 'options', 'pinned', 'type', 'unread'],
    );
    const cursor = r.body.result.recentItems[1].dateLastActivity;
    const next = await rpc('im.v2.Recent.tail', { filter: { recentSection: 'tasksTask', lastMessageDate: cursor }, limit: 50 });
    const all = [...r.body.result.chats, ...next.body.result.chats].map((c: { id: number }) => c.id).sort();
    expect(all).toEqual(t.chats().filter((c) => c.kind === 'tasksTask').map((c) => c.chatId).sort());
    expect(next.body.result.hasNextPage).toBe(false);
    const unread = await rpc('im.v2.Recent.tail', { filter: { recentSection: 'tasksTask', unread: 'Y' } });
    expect(unread.body.result.chats.length).toBe(t.chats().filter((c) => c.kind === 'tasksTask' && (c.counter > 0 || c.manualUnread)).length);
    const def = await rpc('im.v2.Recent.tail', { limit: 500 });
    expect(def.body.result.chats.length).toBeLessThanOrEqual(200);
    expect(def.body.result.chats.some((c: { type: string }) => c.type === 'tasksTask' || c.type === 'collab' || c.type === 'lines')).toBe(false);
  });

  it('Recent.Channel.tail, .Collab.tail, .ExternalChat.tail {type} list their chats in the tail shape', async () => {
    const { t, rpc } = setup();
    const ids = async (m: string, p: Record<string, unknown> = {}): Promise<number[]> =>
      ((await rpc(m, p)).body.result.chats as Array<{ id: number }>).map((c) => c.id).sort((a, b) => a - b);
    const of = (kinds: string[]): number[] => t.chats().filter((c) => kinds.includes(c.kind)).map((c) => c.chatId).sort((a, b) => a - b);
    expect(await ids('im.v2.Recent.Channel.tail')).toEqual(of(['channel', 'openChannel', 'generalChannel']));
    expect(await ids('im.v2.Recent.Collab.tail')).toEqual(of(['collab']));
    expect(await ids('im.v2.Recent.ExternalChat.tail', { type: 'tasksTask' })).toEqual(of(['tasksTask']));
    expect(await ids('im.v2.Recent.ExternalChat.tail', { type: 'nothing' })).toEqual([]);
  });

  it('Counter.get: userCounters with parents, mute, marks and sections (build H: camelCased counters)', async () => {
    const { t, rpc } = setup();
    const r = await rpc('im.v2.Counter.get');
    const list = r.body.result.userCounters as Array<Record<string, unknown>>;
    const thread = one(t, (x) => x.kind === 'comment' && x.counter > 0);
    expect(list.find((x) => x.chatId === thread.chatId)).toEqual({
      chatId: thread.chatId, counter: thread.counter, parentChatId: thread.parentChatId, isMuted: thread.muted, isMarkedAsUnread: false, recentSections: [],
    });
    const task = one(t, (x) => x.kind === 'tasksTask' && x.counter > 0);
    expect(list.find((x) => x.chatId === task.chatId)?.recentSections).toEqual(['tasksTask']);
    t.setBuild('H');
    expect(Object.keys((await rpc('im.v2.Counter.get')).body.result)).toEqual(['type', 'chat', 'chatMuted', 'chatUnread', 'lines', 'dialog', 'dialogUnread']);
  });

  it('Folder.list: system folders with a recent section, personal folders with chats; Folder.Recent.tail', async () => {
    const { t, rpc } = setup();
    const folders = (await rpc('im.v2.Folder.list')).body.result.folders as Array<Record<string, unknown>>;
    expect(folders.filter((f) => f.type === 'system').map((f) => f.code)).toEqual(['default', 'tasksTask', 'copilot', 'openChannel', 'collab', 'lines']);
    const personal = folders.filter((f) => f.type === 'personal');
    expect(personal).toHaveLength(2);
    const def = personal[0]!.definition as { chats: Array<{ chatId: number; dialogId: string }> };
    expect(def.chats.length).toBeGreaterThanOrEqual(3);
    const tail = await rpc('im.v2.Folder.Recent.tail', { folderId: personal[0]!.id, limit: 10 });
    expect(tail.body.result.chats.map((c: { id: number }) => c.id).sort()).toEqual(def.chats.map((c) => c.chatId).sort());
    const tasks = await rpc('im.v2.Folder.Recent.tail', { folderId: 2 });
    expect(tasks.body.result.chats.every((c: { type: string }) => c.type === 'tasksTask')).toBe(true);
    expect((await rpc('im.v2.Folder.Recent.tail', { folderId: 4 })).body.error).toBe('FOLDER_OPERATION_NOT_SUPPORTED');
    expect((await rpc('im.v2.Folder.Recent.tail', { folderId: 999 })).body.error).toBe('FOLDER_NOT_FOUND');
    expect(t.folders()).toEqual(folders);
  });
});

describe('records and controls a test uses', () => {
  it('pushMessage and pushComment add unread items mid-job; mention adds an anchor', async () => {
    const { t } = setup();
    const task = one(t, (x) => x.kind === 'tasksTask');
    const id = t.pushMessage(task.dialogId, { mention: true });
    expect(t.chat(task.dialogId)).toMatchObject({ lastMessageId: id, anchors: 1 });
    const channel = one(t, (x) => x.kind === 'channel');
    const before = t.chat(channel.dialogId)!.childrenCounter;
    const { chatId, messageId } = t.pushComment(channel.dialogId);
    expect(t.chat(channel.dialogId)!.childrenCounter).toBe(before + 1);
    expect(t.chat(`chat${chatId}`)).toMatchObject({ kind: 'comment', parentChatId: channel.chatId, lastMessageId: messageId });
    expect(t.chat(`chat${chatId}`)!.inRecent).toBe(false);
  });

  it('todaySeed has every kind and a realistic mix', () => {
    const t = portal.tenant(freshHost(), todaySeed());
    const kinds = new Set(t.chats().map((c) => c.kind));
    for (const k of ['dialog', 'chat', 'workgroup', 'crm', 'tasks', 'lines', 'channel', 'openChannel', 'generalChannel', 'comment', 'open', 'general',
      'announcement', 'collab', 'copilot', 'tasksTask', 'videoconf', 'calendar', 'mail', 'call'] as const) expect(kinds).toContain(k);
    expect(t.chats().some((c) => /[а-я]/i.test(c.title))).toBe(true);
    expect(t.anchors().length).toBeGreaterThan(0);
  });
});

describe('call hooks (pushing a message mid-job at a fixed point)', () => {
  it('onCall sees every executed sub-call of a batch in order; afterCalls fires once', async () => {
    const { t, rpc } = setup();
    const [a, b] = t.chats().filter((c) => c.kind === 'chat' && c.counter > 0);
    const seen: string[] = [];
    const off = t.onCall((c) => seen.push(`${c.n}:${c.method}`));
    let pushed = 0;
    t.afterCalls(1, () => {
      pushed = t.pushMessage(b!.dialogId);
    }, 'im.v2.chat.read');
    const start = t.calls;
    await rpc('batch', { halt: 0, cmd: { x: `im.v2.Chat.read?dialogId=${a!.dialogId}`, y: `im.v2.Chat.read?dialogId=${b!.dialogId}`, z: 'im.v2.Chat.read?dialogId=chat1' } });
    off();
    expect(seen).toEqual([`${start + 1}:im.v2.chat.read`, `${start + 2}:im.v2.chat.read`]);
    // Pushed after the first read, so the second read (readAllInChat) reads it too.
    expect(t.chat(b!.dialogId)).toMatchObject({ lastReadId: pushed, counter: 0 });
  });
});

describe('seed invariants', () => {
  it('comment threads: ids follow time after their post, the unread comments are the newest; comments-only channels have unread threads', () => {
    const t = portal.tenant(freshHost(), todaySeed({ channelsCommentsOnly: 12, rngSeed: 99 }));
    for (const thread of t.chats().filter((c) => c.kind === 'comment')) {
      const ids = t.state.chats.get(thread.chatId)!.messageIds;
      expect(ids[0]!).toBeGreaterThan(thread.parentMessageId);
      const dates = ids.map((id) => t.state.messages.get(id)!.date);
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      const unread = ids.filter((id) => id > thread.lastReadId);
      expect(unread.every((id) => t.state.messages.get(id)!.authorId !== t.userId)).toBe(true);
    }
    const commentsOnly = t.chats().filter((c) => c.kind === 'channel' && c.counter === 0 && c.childrenCounter > 0);
    expect(commentsOnly.length).toBeGreaterThanOrEqual(12);
  });
});

describe('anchors in the seed', () => {
  it('by default about half sit in chats without a counter; anchorsInReadChats: false puts all on unread messages', () => {
    const mixed = portal.tenant(freshHost(), todaySeed());
    const where = (t: Tenant): boolean[] => t.anchors().map((a) => t.chat(a.dialogId)!.counter > 0 && a.messageId > t.chat(a.dialogId)!.lastReadId);
    expect(where(mixed).filter((x) => !x).length).toBeGreaterThan(0);
    const unreadOnly = portal.tenant(freshHost(), todaySeed({ anchorsInReadChats: false }));
    expect(unreadOnly.anchors().length).toBe(8);
    expect(where(unreadOnly).every(Boolean)).toBe(true);
  });
});
