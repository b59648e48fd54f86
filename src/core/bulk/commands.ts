// The REST sub-calls of a bulk read, their batch keys, and how they are cut into ≤ 50-command batches.
import type { BatchCommand } from '../rest/types.ts';
import { isValidDialogId, type UnreadChat } from './model.ts';

import { BATCH_LIMIT } from '../rest/batch-plan.ts';

export { BATCH_LIMIT, batchRequests } from '../rest/batch-plan.ts';

export type ReadOp = 'read' | 'clear-mark' | 'notify' | 'read-all' | 'counters';

export interface ReadCommand extends BatchCommand {
  key: string;
  op: ReadOp;
  /** The chat a per-chat command belongs to. */
  dialogId?: string;
}

export const NOTIFY_KEY = 'n_all';
export const READ_ALL_KEY = 'read_all';
export const COUNTERS_KEY = 'counters';

/**
 * Keys are `r_<dialogId>` / `u_<dialogId>`: dialog ids are validated (`547`, `chat12`, `sg3`), so
 * keys are already `[A-Za-z0-9_]`, unique per chat and never equal to the fixed keys above.
 */
export function readKey(dialogId: string): string {
  if (!isValidDialogId(dialogId)) throw new Error(`invalid dialog id ${JSON.stringify(dialogId)}`);
  return `r_${dialogId}`;
}

export function clearMarkKey(dialogId: string): string {
  if (!isValidDialogId(dialogId)) throw new Error(`invalid dialog id ${JSON.stringify(dialogId)}`);
  return `u_${dialogId}`;
}

export function parseKey(key: string): { op: ReadOp; dialogId?: string } | null {
  if (key === NOTIFY_KEY) return { op: 'notify' };
  if (key === READ_ALL_KEY) return { op: 'read-all' };
  if (key === COUNTERS_KEY) return { op: 'counters' };
  const match = /^([ru])_(.+)$/.exec(key);
  if (!match || !isValidDialogId(match[2])) return null;
  return { op: match[1] === 'r' ? 'read' : 'clear-mark', dialogId: match[2] };
}

/** Reads up to the message seen at discovery, so a message that arrives later stays unread. */
export function readCommand(chat: Pick<UnreadChat, 'dialogId' | 'lastMessageId'>): ReadCommand {
  return {
    key: readKey(chat.dialogId),
    op: 'read',
    dialogId: chat.dialogId,
    method: 'im.dialog.read',
    params: { DIALOG_ID: chat.dialogId, MESSAGE_ID: chat.lastMessageId },
  };
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
