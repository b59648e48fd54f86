// The REST sub-calls of a bulk read, their batch keys, and how they are cut into ≤ 50-command batches.
import type { BatchCommand } from '../rest/types.ts';
import { isValidDialogId, type UnreadChat } from './model.ts';

import { BATCH_LIMIT } from '../rest/batch-plan.ts';

export { BATCH_LIMIT, batchRequests } from '../rest/batch-plan.ts';

export type ReadOp = 'read' | 'clear-mark' | 'find-newer' | 'keep-newer' | 'notify' | 'read-all' | 'counters';

/**
 * How a chat is read.
 * - `chat` (default): what Bitrix24's own "Read" does (`readAllInChat`: `im.dialog.read` without
 *   `MESSAGE_ID`, like the row menu's `im.v2.Chat.read`): counter, manual mark, mention/reaction
 *   anchors and comment threads cleared, **no per-message read receipts**. A message newer than the
 *   one seen at discovery is then put back as unread (`im.dialog.messages.get` + `im.dialog.unread`).
 * - `receipts`: `im.dialog.read` with `MESSAGE_ID` (`readTo`): a "viewed" receipt per message, the
 *   manual mark removed separately (`im.recent.unread`), anchors left as they are.
 */
export type ReadMode = 'chat' | 'receipts';
export const READ_MODES: readonly ReadMode[] = ['chat', 'receipts'];

export interface ReadCommand extends BatchCommand {
  key: string;
  op: ReadOp;
  /** The chat a per-chat command belongs to. */
  dialogId?: string;
}

export const NOTIFY_KEY = 'n_all';
export const READ_ALL_KEY = 'read_all';
export const COUNTERS_KEY = 'counters';

/** The one-letter prefix of each per-chat command's key. */
const KEY_OPS: Record<string, ReadOp> = { r: 'read', u: 'clear-mark', f: 'find-newer', x: 'keep-newer' };

/**
 * Keys are `<letter>_<dialogId>`: dialog ids are validated (`547`, `chat12`, `sg3`), so keys are
 * already `[A-Za-z0-9_]`, unique per chat and op, and never equal to the fixed keys above.
 */
function chatKey(letter: keyof typeof KEY_OPS & string, dialogId: string): string {
  if (!isValidDialogId(dialogId)) throw new Error(`invalid dialog id ${JSON.stringify(dialogId)}`);
  return `${letter}_${dialogId}`;
}

export const readKey = (dialogId: string): string => chatKey('r', dialogId);
export const clearMarkKey = (dialogId: string): string => chatKey('u', dialogId);
export const findNewerKey = (dialogId: string): string => chatKey('f', dialogId);
export const keepNewerKey = (dialogId: string): string => chatKey('x', dialogId);

export function parseKey(key: string): { op: ReadOp; dialogId?: string } | null {
  if (key === NOTIFY_KEY) return { op: 'notify' };
  if (key === READ_ALL_KEY) return { op: 'read-all' };
  if (key === COUNTERS_KEY) return { op: 'counters' };
  const match = /^([rufx])_(.+)$/.exec(key);
  if (!match || !isValidDialogId(match[2])) return null;
  return { op: KEY_OPS[match[1]!]!, dialogId: match[2] };
}

/**
 * `receipts`: reads up to the message seen at discovery, so a message that arrives later stays
 * unread. `chat`: reads the whole chat the way Bitrix24's "Read" does; a later message is put back
 * as unread by the follow-up commands below.
 */
export function readCommand(chat: Pick<UnreadChat, 'dialogId' | 'lastMessageId'>, mode: ReadMode = 'receipts'): ReadCommand {
  return {
    key: readKey(chat.dialogId),
    op: 'read',
    dialogId: chat.dialogId,
    method: 'im.dialog.read',
    params: mode === 'chat' ? { DIALOG_ID: chat.dialogId } : { DIALOG_ID: chat.dialogId, MESSAGE_ID: chat.lastMessageId },
  };
}

/** The oldest message after `readTo` (`FIRST_ID` pages forward, oldest first). */
export function findNewerCommand(dialogId: string, readTo: number): ReadCommand {
  return { key: findNewerKey(dialogId), op: 'find-newer', dialogId, method: 'im.dialog.messages.get', params: { DIALOG_ID: dialogId, FIRST_ID: readTo, LIMIT: 1 } };
}

/** Unread again from `messageId` on: what arrived after discovery stays unread. */
export function keepNewerCommand(dialogId: string, messageId: number): ReadCommand {
  return { key: keepNewerKey(dialogId), op: 'keep-newer', dialogId, method: 'im.dialog.unread', params: { DIALOG_ID: dialogId, MESSAGE_ID: messageId } };
}

export function clearMarkCommand(chat: Pick<UnreadChat, 'dialogId'>): ReadCommand {
  return {
    key: clearMarkKey(chat.dialogId),
    op: 'clear-mark',
    dialogId: chat.dialogId,
    method: 'im.recent.unread',
    params: { DIALOG_ID: chat.dialogId, ACTION: 'N' },
  };
}

export const notifyCommand = (): ReadCommand => ({ key: NOTIFY_KEY, op: 'notify', method: 'im.notify.read.all' });
export const readAllCommand = (): ReadCommand => ({ key: READ_ALL_KEY, op: 'read-all', method: 'im.dialog.read.all' });
export const countersCommand = (): ReadCommand => ({ key: COUNTERS_KEY, op: 'counters', method: 'im.counters.get' });

export interface ReadCommandOptions {
  clearManualMarks: boolean;
  notifications: boolean;
  mode?: ReadMode;
}

/**
 * Per chat: `im.dialog.read` (when it has unread messages or nothing else would be sent) and, for a
 * manual mark, `im.recent.unread ACTION=N` right after it. Notifications go first.
 */
export function buildReadCommands(targets: readonly UnreadChat[], options: ReadCommandOptions): ReadCommand[] {
  const commands: ReadCommand[] = [];
  if (options.notifications) commands.push(notifyCommand());
  const seen = new Set<string>();
  for (const chat of targets) {
    if (seen.has(chat.dialogId)) continue;
    seen.add(chat.dialogId);
    // Reading the whole chat clears the mark too: one call per chat.
    if (options.mode === 'chat') {
      commands.push(readCommand(chat, 'chat'));
      continue;
    }
    const clearMark = chat.manualUnread && options.clearManualMarks;
    if (chat.counter > 0 || !clearMark) commands.push(readCommand(chat));
    if (clearMark) commands.push(clearMarkCommand(chat));
  }
  return commands;
}

export function chunk<T>(items: readonly T[], size = BATCH_LIMIT): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * The command keys of a per-chat read, cut into the ≤ 50-key chunks the job sends: the plan's
 * request estimate is their number, the job's queue is them (the runner adds `im.counters.get`
 * to the last chunk when it has room).
 */
export function readChunks(targets: readonly UnreadChat[], options: ReadCommandOptions): string[][] {
  return chunk(buildReadCommands(targets, options).map((command) => command.key));
}

export function toBatchCommand(command: ReadCommand): BatchCommand {
  return command.params ? { method: command.method, params: { ...command.params } } : { method: command.method };
}
