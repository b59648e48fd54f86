import { describe, expect, it } from 'vitest';
import recentFixture from '../rest/fixtures/bitrix24-docs/im.recent.list.response.json';
import { classifyRecentItem, isValidDialogId, isValidMessageId, type UnreadChat } from './model.ts';

const base = recentFixture.result.items[1]!;
function groupItem(chat: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...base, id: 'chat77', chat_id: 77, chat: { ...base.chat, ...chat }, ...extra };
}
function chatOf(item: unknown, me?: number): UnreadChat {
  const result = classifyRecentItem(item, me);
  if (!result.ok) throw new Error(result.reason);
  return result.chat;
}

describe('classifyRecentItem', () => {
  it('reads the documented 1:1 dialog and group chat', () => {
    const [dialog, chat] = recentFixture.result.items;
    expect(chatOf(dialog, 503)).toEqual({
      dialogId: '547', chatId: 1231, kind: 'dialog', title: 'John Doe', counter: 1, lastReadId: 82363, lastMessageId: 84415,
      muted: false, pinned: false, manualUnread: false, lastMessageAt: Date.parse('2026-02-25T12:07:10+01:00'), lastAuthorId: 547,
    });
    expect(chatOf(chat, 503)).toMatchObject({ dialogId: 'chat1317', chatId: 1317, kind: 'chat', counter: 1, lastMessageId: 84413, muted: true });
  });

  it('reads mute_list as a map or as PHP []', () => {
    expect(chatOf(recentFixture.result.items[1], 547).muted).toBe(false);
    expect(chatOf(recentFixture.result.items[1]).muted).toBe(false); // no user id: counters decide
    expect(chatOf(groupItem({ mute_list: [] }), 503).muted).toBe(false);
    expect(chatOf(groupItem({ mute_list: { '503': false } }), 503).muted).toBe(false);
  });

  it.each([
    [{ type: 'chat', entity_type: '' }, 'chat'],
    [{ type: 'open' }, 'chat'],
    [{ type: 'general' }, 'general'],
    [{ type: 'channel' }, 'channel'],
    [{ type: 'calendar', entity_type: 'CALENDAR' }, 'chat'],
    [{ type: 'call', entity_type: 'CALL' }, 'chat'],
    [{ type: 'somethingNew' }, 'other'],
    [{ type: 'sonetGroup' }, 'workgroup'],
    [{ type: 'chat', entity_type: 'SONET_GROUP' }, 'workgroup'],
    [{ type: 'crm', entity_type: 'CRM' }, 'crm'],
    [{ type: 'chat', entity_type: 'CRM' }, 'crm'],
    [{ type: 'tasksTask' }, 'tasks'],
    [{ type: 'chat', entity_type: 'TASKS_TASK' }, 'tasks'],
    [{ type: 'lines' }, 'lines'],
    [{ type: 'chat', entity_type: 'LINES' }, 'lines'],
    [{ type: 'chat', message_type: 'L' }, 'lines'],
  ])('classifies chat %j as %s', (chat, kind) => {
    expect(chatOf(groupItem(chat)).kind).toBe(kind);
  });

  it('treats an item with `lines` as an open line whatever its chat type, and sgN as a workgroup', () => {
    expect(chatOf(groupItem({ type: 'chat' }, { lines: { id: 3, status: 10, date_create: '' } })).kind).toBe('lines');
    expect(chatOf({ ...groupItem({ type: 'chat' }), id: 'sg12' }).kind).toBe('workgroup');
  });

  it('keeps manual marks, pins, and manual-mark-only chats; drops chats with nothing unread', () => {
    expect(chatOf(groupItem({}, { unread: true, pinned: true }))).toMatchObject({ manualUnread: true, pinned: true });
    expect(chatOf(groupItem({}, { unread: true, counter: 0 }))).toMatchObject({ manualUnread: true, counter: 0 });
    expect(classifyRecentItem(groupItem({}, { counter: 0 }))).toEqual({ ok: false, reason: 'not-unread' });
  });

  it('accepts numeric strings and rejects malformed ids instead of sending them', () => {
    expect(chatOf({ ...recentFixture.result.items[0], id: '547', message: { ...base.message, id: '84415' } })).toMatchObject({ dialogId: '547', lastMessageId: 84415 });
    for (const id of ['chat', '0', 'chat0', 'chat12abc', 'chat1;x', '../1', '1'.repeat(19), 'notify', '', null, 1.5, -3]) {
      expect(classifyRecentItem({ ...base, id })).toEqual({ ok: false, reason: 'invalid-dialog-id' });
    }
    for (const id of [0, -1, 1.5, 2 ** 53, 'x', null]) {
      expect(classifyRecentItem({ ...base, message: { ...base.message, id } })).toEqual({ ok: false, reason: 'invalid-message-id' });
    }
    expect(classifyRecentItem(null)).toEqual({ ok: false, reason: 'invalid-item' });
    expect(classifyRecentItem([])).toEqual({ ok: false, reason: 'invalid-item' });
  });

  it('validates ids', () => {
    expect(['1', 'chat1', 'sg1', '9'.repeat(18), `chat${'9'.repeat(18)}`].every(isValidDialogId)).toBe(true);
    expect([1, 'CHAT1', ' 1', 'sg', 'chat-1'].some(isValidDialogId)).toBe(false);
    expect(isValidMessageId(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isValidMessageId(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
  });
});
