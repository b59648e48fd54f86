// Reading one chat (popup button, shortcut, context menu) in the same mode as bulk reads, and
// limiting a plan to a folder's chats. Pure: the worker passes the client in.
import type { RestApi } from '../rest/api.ts';
import type { BatchCommand, RestParams } from '../rest/types.ts';
import type { Inventory } from './discover.ts';
import type { ReadMode } from './commands.ts';
import { firstNewerId } from './job-results.ts';
import { toInt } from './model.ts';

/**
 * The read sub-call for one chat. `receipts`: up to `messageId` (a receipt per message). `chat`:
 * the whole chat like Bitrix24's "Read" (no receipts; mark, anchors and comments cleared); what
 * is newer than `messageId` is put back afterwards by `keepNewerUnread`.
 */
export function singleReadCommand(dialogId: string, messageId: number | null, mode: ReadMode): BatchCommand {
  const params: RestParams = { DIALOG_ID: dialogId };
  if (mode === 'receipts' && messageId !== null) params['MESSAGE_ID'] = messageId;
  return { method: 'im.dialog.read', params };
}

/**
 * `chat` mode: the read went to `lastId`; messages after `messageId` (what the user saw, or the
 * message right-clicked) are made unread again: the oldest of them is found and the chat is
 * marked unread from it. Returns that message id, or null when nothing was newer.
 */
export async function keepNewerUnread(api: RestApi, dialogId: string, messageId: number | null, lastId: unknown): Promise<number | null> {
  const readTo = toInt(lastId);
  if (messageId === null || !Number.isSafeInteger(readTo) || readTo <= messageId) return null;
  const found = await api.call('im.dialog.messages.get', { DIALOG_ID: dialogId, FIRST_ID: messageId, LIMIT: 1 });
  const firstNew = firstNewerId(found.result, messageId);
  if (firstNew === undefined) return null;
  await api.call('im.dialog.unread', { DIALOG_ID: dialogId, MESSAGE_ID: firstNew });
  return firstNew;
}

/** Only the chats of a folder (by dialog id, or `chatN` of their chat id). */
export function scopeInventory(inventory: Inventory, dialogIds: readonly string[]): Inventory {
  const wanted = new Set(dialogIds);
  return { ...inventory, chats: inventory.chats.filter((chat) => wanted.has(chat.dialogId) || (chat.chatId > 0 && wanted.has(`chat${chat.chatId}`))) };
}
