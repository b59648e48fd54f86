// Puts the chats a job read back to how they were: unread from the first message the user had not
// read, manual marks back on. Chats the user has read further since are left alone.
import type { RestApi } from '../rest/api.ts';
import type { BatchCommand } from '../rest/types.ts';
import { RestError } from '../rest/errors.ts';
import { BATCH_LIMIT, batchRequests, chunk, NOTIFY_KEY, READ_ALL_KEY } from './commands.ts';
import { dialogLastReadId, toInt } from './model.ts';
import type { BulkJob, ChatOutcome, JobTarget, UndoChatOutcome, UndoState } from './job.ts';
import { isRecord } from '../is-record.ts';

export type { UndoChatOutcome, UndoState } from './job.ts';

/** What undo cannot take back; the UI shows one localized sentence per code. */
export type UndoLimit =
  | 'read-receipts' // other members already saw "read"
  | 'open-line-receipts' // customers of open lines got a read receipt
  | 'notifications' // im.notify.read.all cannot be reversed
  | 'read-all-unseen' // read-all may have read chats not seen at discovery
  | 'anchors'; // reading like Bitrix24 cleared mention/reaction badges: they do not come back

export interface UndoReport {
  restored: number;
  skipped: Array<{ dialogId: string; reason: string }>;
  failed: Array<{ dialogId: string; code: string }>;
  cannotRestore: UndoLimit[];
  requests: number;
  status: UndoState['status'];
}

export interface UndoDeps {
  api: RestApi;
  /** Persists the job (with its `undo` state) after every request. */
  save?(job: BulkJob): Promise<void>;
  /** Stops between requests; run `undoJob` again to continue. */
  signal?: AbortSignal;
  now?(): number;
}

/** The job changed this chat: its read pointer, its manual mark, or both. */
function changed(outcome: ChatOutcome | undefined): outcome is ChatOutcome {
  return outcome !== undefined && (outcome.read || outcome.markCleared);
}

export function undoLimits(job: BulkJob): UndoLimit[] {
  const limits: UndoLimit[] = [];
  const read = job.targets.filter((t) => job.outcomes[t.dialogId]?.read);
  // Jobs saved before read modes existed read with receipts.
  if (read.length > 0) limits.push(job.mode === 'chat' ? 'anchors' : 'read-receipts');
  if (read.some((t) => t.kind === 'lines')) limits.push('open-line-receipts');
  const notify = job.results[NOTIFY_KEY];
  if (job.notifications && notify?.ok) limits.push('notifications');
  if (job.strategy === 'read-all' && job.results[READ_ALL_KEY]?.ok) limits.push('read-all-unseen');
  return limits;
}

export function undoReport(job: BulkJob): UndoReport {
  const state = job.undo;
  const report: UndoReport = { restored: 0, skipped: [], failed: [], cannotRestore: undoLimits(job), requests: state?.requests ?? 0, status: state?.status ?? 'running' };
  for (const [dialogId, outcome] of Object.entries(state?.outcomes ?? {})) {
    if (outcome.status === 'restored') report.restored += 1;
    else if (outcome.status === 'skipped') report.skipped.push({ dialogId, reason: outcome.reason });
    else report.failed.push({ dialogId, code: outcome.code });
  }
  return report;
}

/**
 * Resumable: outcomes are saved after each request and chats already restored or skipped are not
 * touched again; a chat whose restore was interrupted is simply restored again (same effect).
 */
export async function undoJob(job: BulkJob, deps: UndoDeps): Promise<UndoReport> {
  const now = deps.now ?? Date.now;
  const state: UndoState = job.undo ?? { status: 'running', startedAt: now(), outcomes: {}, requests: 0 };
  job.undo = state;
  state.status = 'running';
  delete state.pauseReason;
  const save = async () => deps.save?.(job);
  const send = async (commands: Record<string, BatchCommand>) => {
    try {
      return await deps.api.batch(commands, { halt: false });
    } finally {
      state.requests += batchRequests(Object.keys(commands).length);
    }
  };

  const pending = job.targets.filter((t) => {
    const done = state.outcomes[t.dialogId];
    return changed(job.outcomes[t.dialogId]) && (done === undefined || done.status === 'failed');
  });
  try {
    for (const group of chunk(pending, BATCH_LIMIT)) {
      if (deps.signal?.aborted) {
        state.status = 'paused';
        await save();
        return undoReport(job);
      }
      await undoGroup(job, group, state, send, save);
    }
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    state.status = 'paused';
    state.pauseReason = { kind: error.kind, code: error.code };
    await save();
    return undoReport(job);
  }
  state.status = 'done';
  state.finishedAt = now();
  await save();
  return undoReport(job);
}

/** Messages per `im.dialog.messages.get` page (the server's maximum). */
const MESSAGES_PAGE = 50;

/**
 * How to find a chat's first unread message. With a last-read id: the oldest message after it
 * (`FIRST_ID`). Never read at all (`lastReadId` 0, which `FIRST_ID` cannot express): the unread
 * messages are the newest `counter` up to `readTo`, so page back from `readTo` (`LAST_ID` gives
 * messages older than it, newest first).
 */
function firstUnreadQuery(target: JobTarget): Record<string, unknown> {
  if (target.lastReadId > 0) return { DIALOG_ID: target.dialogId, FIRST_ID: target.lastReadId, LIMIT: 1 };
  return { DIALOG_ID: target.dialogId, LAST_ID: target.readTo, LIMIT: Math.min(MESSAGES_PAGE, Math.max(1, target.counter - 1)) };
}

function pickFirstUnread(target: JobTarget, ids: number[]): number | null {
  if (target.lastReadId > 0) return ids.length > 0 ? Math.min(...ids) : null;
  if (target.counter <= 1) return target.readTo;
  // The (counter − 1)-th message before readTo; past one page, the oldest we have (undo restores at most a page).
  const older = ids.filter((id) => id < target.readTo).sort((a, b) => b - a);
  return older.length === 0 ? target.readTo : older[Math.min(target.counter - 2, older.length - 1)]!;
}

async function undoGroup(
  job: BulkJob,
  group: JobTarget[],
  state: UndoState,
  send: (commands: Record<string, BatchCommand>) => Promise<{ results: Record<string, unknown>; errors: Record<string, RestError> }>,
  save: () => Promise<void>,
): Promise<void> {
  // 1. Where is each chat now? Read further than the job did ⇒ the user has moved on: leave it.
  const current = await send(Object.fromEntries(group.map((t) => [`g_${t.dialogId}`, { method: 'im.dialog.get', params: { DIALOG_ID: t.dialogId } }])));
  const restorable: JobTarget[] = [];
  for (const target of group) {
    const error = current.errors[`g_${target.dialogId}`];
    if (error) {
      state.outcomes[target.dialogId] = { status: 'failed', code: error.code };
      continue;
    }
    const dialog = current.results[`g_${target.dialogId}`];
    const lastId = dialogLastReadId(dialog);
    const readTo = Math.max(target.readTo, job.outcomes[target.dialogId]?.lastId ?? 0);
    if (Number.isSafeInteger(lastId) && lastId > readTo) state.outcomes[target.dialogId] = { status: 'skipped', reason: 'read-further' };
    else restorable.push(target);
  }
  await save();

  // 2. The first message the user had not read: the oldest one after the snapshot's last read id.
  const needsUnread = restorable.filter((t) => job.outcomes[t.dialogId]?.read && t.counter > 0);
  const firstUnread = new Map<string, number>();
  const failedNow = new Set<string>();
  if (needsUnread.length > 0) {
    const messages = await send(
      Object.fromEntries(
        needsUnread.map((t) => [`f_${t.dialogId}`, { method: 'im.dialog.messages.get', params: firstUnreadQuery(t) }]),
      ),
    );
    for (const target of needsUnread) {
      const error = messages.errors[`f_${target.dialogId}`];
      const result = messages.results[`f_${target.dialogId}`];
      if (error) {
        state.outcomes[target.dialogId] = { status: 'failed', code: error.code };
        failedNow.add(target.dialogId);
        continue;
      }
      const list = isRecord(result) && Array.isArray(result['messages']) ? result['messages'] : [];
      const ids = list.map((m) => toInt(isRecord(m) ? m['id'] : undefined)).filter((id) => Number.isSafeInteger(id) && id > target.lastReadId && id <= target.readTo);
      const first = pickFirstUnread(target, ids);
      if (first !== null) firstUnread.set(target.dialogId, first);
    }
    await save();
  }

  // 3. Mark unread from there, and put manual marks back.
  const commands: Record<string, BatchCommand> = {};
  const keysOf = new Map<string, string[]>();
  for (const target of restorable) {
    if (failedNow.has(target.dialogId)) continue;
    const keys: string[] = [];
    const messageId = firstUnread.get(target.dialogId);
    if (messageId !== undefined) {
      commands[`ur_${target.dialogId}`] = { method: 'im.dialog.unread', params: { DIALOG_ID: target.dialogId, MESSAGE_ID: messageId } };
      keys.push(`ur_${target.dialogId}`);
    }
    if (target.manualUnread && job.outcomes[target.dialogId]?.markCleared) {
      commands[`mk_${target.dialogId}`] = { method: 'im.recent.unread', params: { DIALOG_ID: target.dialogId, ACTION: 'Y' } };
      keys.push(`mk_${target.dialogId}`);
    }
    if (keys.length === 0) {
      const wanted = needsUnread.includes(target);
      state.outcomes[target.dialogId] = { status: 'skipped', reason: wanted ? 'no-message' : 'nothing-to-restore' };
      continue;
    }
    keysOf.set(target.dialogId, keys);
  }
  if (keysOf.size === 0) return;
  const restored = await send(commands);
  for (const [dialogId, keys] of keysOf) {
    const error = keys.map((key) => restored.errors[key]).find((e) => e !== undefined);
    state.outcomes[dialogId] = error ? { status: 'failed', code: error.code } : { status: 'restored' };
  }
  await save();
}
