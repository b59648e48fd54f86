// Reading `im.counters.get`: which chats it still lists as unread, muted or manually marked.
import type { Counters } from '../rest/types.ts';
import type { UnreadChat } from './model.ts';

/** Keys of a PHP map (`{}` or `[]`). */
export function mapKeys(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value);
}

/** Members of a PHP list of ids (numbers or numeric strings). */
export function listIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [];
  for (const item of items) if (typeof item === 'number' || typeof item === 'string') ids.add(String(item));
  return ids;
}

export function notificationCount(counters: Counters | undefined): number {
  const n = counters?.TYPE?.NOTIFY;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Chat ids that `CHAT_MUTED` lists (muted chats of any kind, 1:1 dialogs included, by chat id). */
export function mutedChatIds(counters: Counters | undefined): Set<string> {
  return new Set(mapKeys(counters?.CHAT_MUTED));
}

/** True when counters list the chat's manual unread mark. */
export function hasManualMark(counters: Counters | undefined, chat: Pick<UnreadChat, 'dialogId' | 'chatId' | 'kind'>): boolean {
  if (!counters) return false;
  if (chat.chatId > 0 && listIds(counters.CHAT_UNREAD).has(String(chat.chatId))) return true;
  return chat.kind === 'dialog' && listIds(counters.DIALOG_UNREAD).has(chat.dialogId);
}

/**
 * True when counters still list the chat as unread (by count or manual mark). 1:1 dialogs are keyed
 * by user id in DIALOG / DIALOG_UNREAD and by chat id in CHAT_MUTED; every other map (CHAT, LINES,
 * CHAT_MUTED and newer builds' COLLAB, TASKS_TASK, ...) is keyed by chat id.
 */
export function isStillUnread(counters: Counters, chat: Pick<UnreadChat, 'dialogId' | 'chatId' | 'kind'>): boolean {
  const chatKey = String(chat.chatId);
  if (chat.kind === 'dialog') {
    if (mapKeys(counters.DIALOG).includes(chat.dialogId) || listIds(counters.DIALOG_UNREAD).has(chat.dialogId)) return true;
    return chat.chatId > 0 && mapKeys(counters.CHAT_MUTED).includes(chatKey);
  }
  if (chat.chatId <= 0) return false;
  for (const [key, value] of Object.entries(counters)) {
    if (key === 'TYPE' || key === 'DIALOG' || key === 'DIALOG_UNREAD') continue;
    if (key.endsWith('_UNREAD') ? listIds(value).has(chatKey) : mapKeys(value).includes(chatKey)) return true;
  }
  return false;
}
