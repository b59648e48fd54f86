// What the bulk engine knows about one unread chat, and how a raw `im.recent.list` item becomes one.
import { parseDialogId, parseMessageId } from '../dialog-id.ts';
import { isRecord } from '../is-record.ts';
import { kindOf, type ChatKind } from './kinds.ts';

export { CHAT_KINDS, kindOf, type ChatKind } from './kinds.ts';

export interface UnreadChat {
  /** DIALOG_ID as the REST API wants it: user id, `chatN` or `sgN` (normalised with `String()`). */
  dialogId: string;
  chatId: number;
  kind: ChatKind;
  title: string;
  /** Unread messages at discovery. */
  counter: number;
  /** My last read message id at discovery (0 = never read). */
  lastReadId: number;
  /** Newest message id at discovery: the engine reads up to here, so later messages stay unread. */
  lastMessageId: number;
  muted: boolean;
  pinned: boolean;
  /** Manual "unread" mark (`unread: true`, CHAT_UNREAD / DIALOG_UNREAD). */
  manualUnread: boolean;
  /** A nested chat (a channel's comment thread): its parent's chat id. */
  parentChatId?: number;
  /** A collab with external guests (`contains_collaber`): they see read receipts. */
  guests?: boolean;
  /** Found through the counters and resolved with `im.dialog.get` (not in the recent list). */
  resolved?: boolean;
  /** When the newest message was sent (epoch ms), when the recent item says. */
  lastMessageAt?: number;
  /** Author of the newest message (0 = system), when the recent item says. */
  lastAuthorId?: number;
  /** The newest message's author is a bot (the item's `user` is that author and says `bot`). */
  lastAuthorBot?: boolean;
  /** A 1:1 chat with a bot user. */
  botDialog?: boolean;
}

/** Why a raw item was not turned into an `UnreadChat`. */
export type DropReason = 'invalid-dialog-id' | 'invalid-message-id' | 'invalid-item' | 'not-unread';

export type ClassifyResult = { ok: true; chat: UnreadChat } | { ok: false; reason: DropReason };

/** `547`, `chat1317`, `sg12` exactly as sent; nothing else is ever put into a request. */
export function isValidDialogId(id: unknown): id is string {
  return typeof id === 'string' && parseDialogId(id) === id;
}

/** Message and chat ids are positive safe integers. */
export function isValidMessageId(id: unknown): id is number {
  return typeof id === 'number' && parseMessageId(id) === id;
}

/** Numbers sometimes arrive as strings; anything else becomes NaN. */
export function toInt(value: unknown): number {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : Number.NaN;
  if (typeof value === 'string' && /^-?[0-9]{1,16}$/.test(value)) return Number(value);
  return Number.NaN;
}

/** The read pointer (`last_id`) of an `im.dialog.get` result; NaN when it carries none. */
export function dialogLastReadId(dialog: unknown): number {
  return toInt(isRecord(dialog) ? dialog['last_id'] : undefined);
}

export function normaliseDialogId(id: unknown): string | null {
  return parseDialogId(id);
}

/** The kind of a recent item (see kinds.ts). */
export function chatKindOf(item: Record<string, unknown>, dialogId: string): ChatKind {
  const chat = isRecord(item['chat']) ? item['chat'] : {};
  return kindOf({ type: chat['type'], messageType: chat['message_type'], entityType: chat['entity_type'], itemType: item['type'], dialogId, hasLines: isRecord(item['lines']) });
}

/** `mute_list` is `{ "<userId>": true }` or `[]`. */
export function isMutedFor(item: Record<string, unknown>, myUserId: number | undefined): boolean {
  if (myUserId === undefined) return false;
  const chat = item['chat'];
  if (!isRecord(chat)) return false;
  const list = chat['mute_list'];
  return isRecord(list) && list[String(myUserId)] === true;
}

/**
 * Turns one `im.recent.list` item into an `UnreadChat`, or says why it cannot be used.
 * `muted` and `manualUnread` here come from the item alone; discovery adds what counters say.
 */
export function classifyRecentItem(item: unknown, myUserId?: number): ClassifyResult {
  if (!isRecord(item)) return { ok: false, reason: 'invalid-item' };
  const dialogId = normaliseDialogId(item['id']);
  if (dialogId === null) return { ok: false, reason: 'invalid-dialog-id' };
  const message = isRecord(item['message']) ? item['message'] : {};
  const lastMessageId = toInt(message['id']);
  if (!isValidMessageId(lastMessageId)) return { ok: false, reason: 'invalid-message-id' };
  const lastIdRaw = toInt(item['last_id']);
  const lastReadId = Number.isSafeInteger(lastIdRaw) && lastIdRaw > 0 ? lastIdRaw : 0;
  const counterRaw = toInt(item['counter']);
  const counter = Number.isSafeInteger(counterRaw) && counterRaw > 0 ? counterRaw : 0;
  const chatIdRaw = toInt(item['chat_id']);
  const chatId = isValidMessageId(chatIdRaw) ? chatIdRaw : 0;
  const manualUnread = item['unread'] === true;
  if (counter === 0 && !manualUnread) return { ok: false, reason: 'not-unread' };
  return {
    ok: true,
    chat: {
      dialogId,
      chatId,
      kind: chatKindOf(item, dialogId),
      title: typeof item['title'] === 'string' ? item['title'] : '',
      counter,
      lastReadId,
      lastMessageId,
      muted: isMutedFor(item, myUserId),
      pinned: item['pinned'] === true,
      manualUnread,
      ...parentOf(item),
      ...lastMessageFacts(item, message, dialogId),
      ...(isRecord(item['chat']) && item['chat']['contains_collaber'] === true ? { guests: true } : {}),
    },
  };
}

function parentOf(item: Record<string, unknown>): { parentChatId?: number } {
  const chat = isRecord(item['chat']) ? item['chat'] : {};
  const parent = toInt(chat['parent_chat_id']);
  return isValidMessageId(parent) ? { parentChatId: parent } : {};
}

/** Age and author of the newest message, and whether the chat is a 1:1 with a bot: what the item alone tells. */
function lastMessageFacts(item: Record<string, unknown>, message: Record<string, unknown>, dialogId: string): Partial<UnreadChat> {
  const facts: Partial<UnreadChat> = {};
  const at = typeof message['date'] === 'string' ? Date.parse(message['date']) : Number.NaN;
  if (Number.isFinite(at)) facts.lastMessageAt = at;
  const author = toInt(message['author_id']);
  if (Number.isSafeInteger(author) && author >= 0) facts.lastAuthorId = author;
  const user = isRecord(item['user']) ? item['user'] : null;
  if (user && user['bot'] === true) {
    if (/^[0-9]+$/.test(dialogId) && toInt(user['id']) === Number(dialogId)) facts.botDialog = true;
    if (author > 0 && toInt(user['id']) === author) facts.lastAuthorBot = true;
  }
  return facts;
}
