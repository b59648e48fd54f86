// A fake portal shaped like today's Bitrix24 (im 26.x): every kind, new task chats and comment
// threads the recent list never returns, copilot, collabs with guests, marks and anchors.
import { FakePortal, type FakeChatInit } from './fake-portal.ts';

export interface Im26Options {
  shape?: 7 | 14;
  /** Ordinary group chats and dialogs besides the special kinds. */
  plain?: number;
  taskChats?: number;
  /** Channels whose only unread items are comment threads. */
  commentChannels?: number;
}

export function im26Portal(options: Im26Options = {}): FakePortal {
  const portal = new FakePortal();
  portal.countersShape = options.shape ?? 14;
  const add = (init: FakeChatInit) => portal.add(init);
  let next = 10_000;
  const id = () => `chat${(next += 1)}`;
  for (let i = 0; i < (options.plain ?? 6); i += 1) add(i % 2 === 0 ? { dialogId: String(500 + i), unread: 2 } : { dialogId: id(), chatType: 'chat', unread: 3, anchors: i % 3 === 0 ? 1 : 0 });
  add({ dialogId: id(), chatType: 'general', entityType: 'GENERAL', unread: 2, anchors: 1 });
  add({ dialogId: id(), chatType: 'announcement', entityType: 'ANNOUNCEMENT', unread: 1 });
  add({ dialogId: id(), chatType: 'collab', entityType: 'SONET_GROUP', unread: 2 });
  add({ dialogId: id(), chatType: 'copilot', unread: 1 });
  add({ dialogId: id(), chatType: 'tasks', entityType: 'TASKS', unread: 0, manual: true });
  add({ dialogId: id(), chatType: 'crm', entityType: 'CRM', unread: 1, muted: true });
  add({ dialogId: `sg${(next += 1)}`, chatType: 'sonetGroup', entityType: 'SONET_GROUP', unread: 2, pinned: true });
  add({ dialogId: id(), chatType: 'lines', entityType: 'LINES', unread: 2 });
  for (let i = 0; i < (options.taskChats ?? 3); i += 1) add({ dialogId: id(), chatType: 'tasksTask', entityType: 'TASKS_TASK', unread: 1 + (i % 2) });
  for (let i = 0; i < (options.commentChannels ?? 2); i += 1) {
    const channel = add({ dialogId: id(), chatType: 'channel', unread: 0, read: 3 });
    add({ dialogId: id(), chatType: 'comment', parentChatId: channel.chatId, unread: 2, anchors: 1 });
  }
  return portal;
}
