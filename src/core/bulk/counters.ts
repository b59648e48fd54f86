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
  const raw = counters as unknown as Record<string, unknown>;
  if (chat.chatId > 0 && CHAT_MARK_LISTS.some((list) => listIds(raw[list]).has(String(chat.chatId)))) return true;
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
    if (key === CHANNEL_COMMENT) {
      // parent chat id → { comment chat id: count }: a channel with unread comments is not itself unread.
      if (Object.values(asMap(value)).some((children) => mapKeys(children).includes(chatKey))) return true;
      continue;
    }
    if (key.endsWith('_UNREAD') ? listIds(value).has(chatKey) : mapKeys(value).includes(chatKey)) return true;
  }
  return false;
}

const CHANNEL_COMMENT = 'CHANNEL_COMMENT';

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function countOf(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** One chat that `im.counters.get` names, in either shape (7 keys before Reading counters, 14 after). */
export interface CountedChat {
  /** `user`: a 1:1 dialog keyed by the peer's user id (DIALOG, DIALOG_UNREAD); `chat`: by chat id. */
  by: 'user' | 'chat';
  id: string;
  /** Unread messages the counters give (0 for a mark without messages). */
  count: number;
  muted: boolean;
  marked: boolean;
  /** Named by CHANNEL_COMMENT under this channel. */
  parentChatId?: number;
  /** The maps that name it (`CHAT`, `LINES`, `TASKS_TASK`, `CHANNEL_COMMENT`, `CHAT_MUTED`, ...). */
  maps: string[];
}

/** Maps keyed by chat id whose values are unread counts. */
const CHAT_COUNT_MAPS = ['CHAT', 'COLLAB', 'COPILOT', 'TASKS_TASK', 'LINES', 'CHAT_MUTED'] as const;
/** Lists of chat ids carrying a manual mark. */
const CHAT_MARK_LISTS = ['CHAT_UNREAD', 'COLLAB_UNREAD', 'COPILOT_UNREAD', 'TASKS_TASK_UNREAD'] as const;

/**
 * Every chat the counters name, once, with where they name it. Keys are validated as positive
 * ids; anything else is ignored (it could never be sent anyway).
 */
export function countedChats(counters: Counters | undefined): CountedChat[] {
  const found = new Map<string, CountedChat>();
  const raw = (counters ?? {}) as unknown as Record<string, unknown>;
  const entry = (by: 'user' | 'chat', id: string, map: string): CountedChat | null => {
    if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
    const key = `${by}:${id}`;
    let chat = found.get(key);
    if (!chat) {
      chat = { by, id, count: 0, muted: false, marked: false, maps: [] };
      found.set(key, chat);
    }
    if (!chat.maps.includes(map)) chat.maps.push(map);
    return chat;
  };
  for (const map of CHAT_COUNT_MAPS) {
    for (const [id, value] of Object.entries(asMap(raw[map]))) {
      const chat = entry('chat', id, map);
      if (!chat) continue;
      chat.count = Math.max(chat.count, countOf(value));
      if (map === 'CHAT_MUTED') chat.muted = true;
    }
  }
  for (const [parent, children] of Object.entries(asMap(raw[CHANNEL_COMMENT]))) {
    for (const [id, value] of Object.entries(asMap(children))) {
      const chat = entry('chat', id, CHANNEL_COMMENT);
      if (!chat) continue;
      chat.count = Math.max(chat.count, countOf(value));
      if (/^[1-9][0-9]{0,15}$/.test(parent)) chat.parentChatId = Number(parent);
    }
  }
  for (const list of CHAT_MARK_LISTS) for (const id of listIds(raw[list])) { const chat = entry('chat', id, list); if (chat) chat.marked = true; }
  for (const [id, value] of Object.entries(asMap(raw['DIALOG']))) { const chat = entry('user', id, 'DIALOG'); if (chat) chat.count = Math.max(chat.count, countOf(value)); }
  for (const id of listIds(raw['DIALOG_UNREAD'])) { const chat = entry('user', id, 'DIALOG_UNREAD'); if (chat) chat.marked = true; }
  return [...found.values()];
}

/** Named only as an open line (LINES): left alone unless open lines are chosen. */
export function isOpenLineOnly(chat: CountedChat): boolean {
  return chat.maps.every((map) => map === 'LINES');
}
