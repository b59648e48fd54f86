// One realistic item per kind (field sets of im.recent.list / im.dialog.get / v2 chats in
// bitrix24-im-26.md §1), pinned to the kind the filters and the popup show.
import { describe, expect, it } from 'vitest';
import { CHAT_KINDS, kindOf, migrateKinds } from './kinds.ts';
import { classifyRecentItem } from './model.ts';
import { chatFromDialog } from './resolve.ts';

const recent = (id: string, chat: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  chat_id: Number(String(id).replace(/\D/g, '')) || 1,
  type: 'chat',
  title: 'T',
  counter: 2,
  unread: false,
  last_id: 10,
  message: { id: 12, date: '2026-07-01T10:00:00+03:00' },
  chat: { id: 1, parent_chat_id: 0, mute_list: [], role: 'member', ...chat },
  ...extra,
});

describe('chat kinds (im 26.x)', () => {
  it.each([
    ['1:1', recent('547', {}, { type: 'user', chat: { mute_list: [] } }), 'dialog'],
    ['group chat', recent('chat2400', { type: 'chat', message_type: 'C', entity_type: '' }), 'chat'],
    ['open chat', recent('chat2402', { type: 'open', message_type: 'O', entity_type: '' }), 'chat'],
    ['videoconference', recent('chat2403', { type: 'videoconf', message_type: 'C', entity_type: 'VIDEOCONF', public: { code: 'x', link: '' } }), 'chat'],
    ['calendar', recent('chat2404', { type: 'calendar', message_type: 'C', entity_type: 'CALENDAR' }), 'chat'],
    ['general chat', recent('chat1', { type: 'general', message_type: 'O', entity_type: 'GENERAL' }), 'general'],
    ['general channel', recent('chat2', { type: 'generalChannel', message_type: 'J', entity_type: 'GENERAL_CHANNEL' }), 'general'],
    ['announcement', recent('chat2405', { type: 'announcement', message_type: 'C', entity_type: 'ANNOUNCEMENT' }), 'general'],
    ['channel', recent('chat2401', { type: 'channel', message_type: 'N', entity_type: '', permissions: { can_post: 'manager' } }), 'channel'],
    ['open channel', recent('chat2406', { type: 'openChannel', message_type: 'J', entity_type: '' }), 'channel'],
    ['comment thread', recent('chat2407', { type: 'comment', message_type: 'T', parent_chat_id: 2401 }), 'channel'],
    ['collab', recent('chat3107', { type: 'collab', message_type: 'B', entity_type: 'SONET_GROUP', entity_id: '77', contains_collaber: true }), 'collab'],
    ['workgroup', recent('sg12', { type: 'sonetGroup', message_type: 'C', entity_type: 'SONET_GROUP', entity_id: '12' }), 'workgroup'],
    ['CRM', recent('chat1439', { type: 'crm', message_type: 'C', entity_type: 'CRM', entity_id: 'DEAL|1663' }), 'crm'],
    ['classic task chat', recent('chat5120', { type: 'tasks', message_type: 'C', entity_type: 'TASKS', entity_id: '1534' }), 'tasks'],
    ['new task chat', recent('chat5121', { type: 'tasksTask', message_type: 'X', entity_type: 'TASKS_TASK', entity_id: '1535' }), 'tasks'],
    ['copilot', recent('chat6001', { type: 'copilot', message_type: 'A', entity_type: '' }), 'copilot'],
    ['open line', recent('chat7001', { type: 'lines', message_type: 'L', entity_type: 'LINES' }, { lines: { id: 3, status: 10, date_create: '' } }), 'lines'],
    ['mail', recent('chat2408', { type: 'mail', message_type: 'C', entity_type: 'MAIL' }), 'chat'],
    ['support24', recent('chat2409', { type: 'support24Question', message_type: 'C', entity_type: 'SUPPORT24_QUESTION' }), 'chat'],
    ['a future type (letter known)', recent('chat2410', { type: 'roboChannel', message_type: 'N', entity_type: '' }), 'channel'],
    ['a future type (entity known)', recent('chat2411', { type: 'crmDeal2', message_type: 'C', entity_type: 'CRM' }), 'crm'],
    ['a future type (nothing known)', recent('chat2412', { type: 'hologram', message_type: 'Q', entity_type: 'HOLO' }), 'other'],
  ])('%s → %s', (_name, item, kind) => {
    const classified = classifyRecentItem(item);
    expect(classified.ok).toBe(true);
    if (classified.ok) expect(classified.chat.kind).toBe(kind);
  });

  it('carries the comment thread parent and the collab guests', () => {
    const thread = classifyRecentItem(recent('chat2407', { type: 'comment', message_type: 'T', parent_chat_id: 2401 }));
    expect(thread.ok && thread.chat.parentChatId).toBe(2401);
    const collab = classifyRecentItem(recent('chat3107', { type: 'collab', message_type: 'B', contains_collaber: true }));
    expect(collab.ok && collab.chat.guests).toBe(true);
  });

  it('classifies a chat resolved with im.dialog.get the same way', () => {
    const counted = { by: 'chat' as const, id: '5121', count: 3, muted: false, marked: false, maps: ['TASKS_TASK'] };
    const chat = chatFromDialog({ id: 5121, name: 'Task #1535', type: 'tasksTask', message_type: 'X', entity_type: 'TASKS_TASK', last_id: 100, last_message_id: 104, counter: 3 }, counted);
    expect(chat).toMatchObject({ dialogId: 'chat5121', kind: 'tasks', counter: 3, lastReadId: 100, lastMessageId: 104, resolved: true, title: 'Task #1535' });
    const comment = chatFromDialog({ id: 2407, type: 'comment', message_type: 'T', parent_chat_id: 2401, last_id: 0, last_message_id: 9 }, { ...counted, id: '2407', parentChatId: 2401, maps: ['CHANNEL_COMMENT'] });
    expect(comment).toMatchObject({ kind: 'channel', parentChatId: 2401 });
    expect(chatFromDialog({ id: 9, last_message_id: 0 }, counted)).toEqual({ code: 'NO_MESSAGE' });
    expect(chatFromDialog(false, counted)).toEqual({ code: 'RESULT_FALSE' });
  });

  it('never drops a kind: every answer gets one of the known kinds', () => {
    for (const type of ['', 'x', '__proto__', 'constructor', 'toString']) expect(CHAT_KINDS).toContain(kindOf({ type, messageType: 'C' }));
    expect(kindOf({ type: 'toString' })).toBe('other');
  });

  it('migrates old saved kind lists: channels, copilot, general and unknown were group chats, collabs were workgroups', () => {
    expect(migrateKinds(['dialog', 'chat', 'workgroup', 'crm', 'tasks'])).toEqual(['dialog', 'chat', 'channel', 'collab', 'workgroup', 'crm', 'tasks', 'copilot', 'general', 'other']);
    expect(migrateKinds(['crm'])).toEqual(['crm']);
    expect(migrateKinds(['workgroup', 'lines'])).toEqual(['collab', 'workgroup', 'lines']);
  });
});
