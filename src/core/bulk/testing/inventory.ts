// Hand-made inventories for planning tests.
import type { Counters } from '../../rest/types.ts';
import type { Inventory } from '../discover.ts';
import type { UnreadChat } from '../model.ts';

let next = 1;
export function chat(over: Partial<UnreadChat> & Pick<UnreadChat, 'dialogId'>): UnreadChat {
  const id = next++;
  return { chatId: id, kind: 'chat', title: over.dialogId, counter: 2, lastReadId: 100 * id, lastMessageId: 100 * id + 2, muted: false, pinned: false, manualUnread: false, ...over };
}

export const EMPTY_COUNTERS: Counters = { TYPE: { ALL: 0, NOTIFY: 0, CHAT: 0, LINES: 0, DIALOG: 0 }, CHAT: [], CHAT_MUTED: [], CHAT_UNREAD: [], LINES: [], DIALOG: [], DIALOG_UNREAD: [] };

export function inventory(chats: UnreadChat[], notifications = 0): Inventory {
  return { chats, counters: EMPTY_COUNTERS, notifications, requests: 1, discoveredAt: 1, dropped: {}, includeLines: true };
}
