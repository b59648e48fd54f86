// Chats the counters name but the recent list never returns (new task chats, channels' comment
// threads, copilot without history, chats past the list's end): `im.dialog.get` for each, 50 to a
// batch request, gives kind, title, read pointer and newest message (im 26.x chat kinds and counters).
import type { RestApi } from '../rest/api.ts';
import type { BatchCommand } from '../rest/types.ts';
import { isRecord } from '../is-record.ts';
import { BATCH_LIMIT, chunk } from './commands.ts';
import type { CountedChat } from './counters.ts';
import { isValidMessageId, kindOf, toInt, type UnreadChat } from './model.ts';

export interface Unresolved {
  /** `chatN` or a user id, as asked. */
  dialogId: string;
  /** The portal's error code, `RESULT_FALSE`, or `NO_MESSAGE` (no newest message to read up to). */
  code: string;
}

export interface Resolution {
  chats: UnreadChat[];
  unresolved: Unresolved[];
  requests: number;
}

export function dialogIdOf(counted: Pick<CountedChat, 'by' | 'id'>): string {
  return counted.by === 'user' ? counted.id : `chat${counted.id}`;
}

/** One `im.dialog.get` answer plus what the counters said → an unread chat, or why not. */
export function chatFromDialog(dialog: unknown, counted: CountedChat): UnreadChat | { code: string } {
  if (!isRecord(dialog)) return { code: 'RESULT_FALSE' };
  const dialogId = dialogIdOf(counted);
  const chatIdRaw = toInt(dialog['id']);
  const chatId = counted.by === 'chat' ? Number(counted.id) : isValidMessageId(chatIdRaw) ? chatIdRaw : 0;
  const lastMessageId = toInt(dialog['last_message_id']);
  if (!isValidMessageId(lastMessageId)) return { code: 'NO_MESSAGE' };
  const lastIdRaw = toInt(dialog['last_id']);
  const parentRaw = toInt(dialog['parent_chat_id']);
  const parentChatId = counted.parentChatId ?? (isValidMessageId(parentRaw) ? parentRaw : undefined);
  const kind = counted.by === 'user' ? 'dialog' : kindOf({ type: dialog['type'], messageType: dialog['message_type'], entityType: dialog['entity_type'], dialogId });
  const counterRaw = toInt(dialog['counter']);
  return {
    dialogId,
    chatId,
    kind,
    title: typeof dialog['name'] === 'string' ? dialog['name'].slice(0, 200) : '',
    // The counters are the truth; im.dialog.get's own counter only when they gave none.
    counter: counted.count > 0 ? counted.count : Number.isSafeInteger(counterRaw) && counterRaw > 0 ? counterRaw : 0,
    lastReadId: Number.isSafeInteger(lastIdRaw) && lastIdRaw > 0 ? lastIdRaw : 0,
    lastMessageId,
    muted: counted.muted,
    pinned: false,
    manualUnread: counted.marked,
    ...(parentChatId !== undefined ? { parentChatId } : {}),
    ...(dialog['contains_collaber'] === true ? { guests: true } : {}),
    resolved: true,
  };
}

export async function resolveCounted(api: RestApi, missing: readonly CountedChat[], options: { signal?: AbortSignal } = {}): Promise<Resolution> {
  const chats: UnreadChat[] = [];
  const unresolved: Unresolved[] = [];
  let requests = 0;
  for (const group of chunk(missing, BATCH_LIMIT)) {
    const commands: Record<string, BatchCommand> = {};
    for (const counted of group) commands[`g_${dialogIdOf(counted)}`] = { method: 'im.dialog.get', params: { DIALOG_ID: dialogIdOf(counted) } };
    const outcome = await api.batch(commands, { halt: false, signal: options.signal });
    requests += 1;
    for (const counted of group) {
      const key = `g_${dialogIdOf(counted)}`;
      const error = outcome.errors[key];
      if (error) {
        if (error.kind === 'auth' || error.kind === 'rate' || error.kind === 'operating') throw error;
        unresolved.push({ dialogId: dialogIdOf(counted), code: error.code });
        continue;
      }
      const chat = chatFromDialog(outcome.results[key], counted);
      if ('code' in chat) unresolved.push({ dialogId: dialogIdOf(counted), code: chat.code });
      else chats.push(chat);
    }
  }
  return { chats, unresolved, requests };
}
