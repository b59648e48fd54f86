// The saved state of one bulk read: plain JSON, written after every batch, enough to resume or undo.
import type { Counters } from '../rest/types.ts';
import type { ChatKind } from './model.ts';
import type { BulkFilters } from './filters.ts';
import type { BulkPlan, ExclusionReason, Strategy } from './plan.ts';
import { clearMarkKey, NOTIFY_KEY, READ_ALL_KEY, readChunks, readKey, type ReadMode } from './commands.ts';

export type JobStatus = 'planned' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

/** One chat to read, with what undo needs to put it back (`lastReadId`, `counter`, `manualUnread`). */
export interface JobTarget {
  dialogId: string;
  chatId: number;
  kind: ChatKind;
  title: string;
  lastReadId: number;
  counter: number;
  manualUnread: boolean;
  /** `MESSAGE_ID` sent: the newest message at discovery. */
  readTo: number;
  /** Send `im.dialog.read` (false for a manual mark with no unread messages). */
  read: boolean;
  /** Send `im.recent.unread ACTION=N`. */
  clearMark: boolean;
}

/** Final result of one sub-call: `value` false is the portal's "nothing changed". */
export type CommandResult = { ok: true; value: boolean; lastId?: number } | { ok: false; code: string };

export interface ChatOutcome {
  status: 'read' | 'skipped' | 'failed';
  /** Error code when failed. */
  code?: string;
  /** `im.dialog.read` moved the read pointer (to `readTo`, or `lastId` when the portal said). */
  read: boolean;
  markCleared: boolean;
  /** My last read message id right after the job, when known. */
  lastId?: number;
  /** `chat` mode: messages newer than discovery were put back as unread from this id. */
  keptFrom?: number;
}

export interface InFlight {
  chunk: number;
  keys: string[];
  sentAt: number;
  /** Verification rounds already spent on these keys. */
  verifyAttempts?: number;
  /** The request was counted in `requests` (false when the worker stopped while it was out). */
  counted?: boolean;
}

export interface JobSummary {
  targets: number;
  byKind: Record<ChatKind, number>;
  excluded: Partial<Record<ExclusionReason, number>>;
  notifications: number;
  messages: number;
  manualMarks: number;
  estimatedRequests: number;
}

export interface BulkJob {
  version: 1;
  id: string;
  /** Portal origin, e.g. `https://demo.bitrix24.ru`. */
  portal: string;
  createdAt: number;
  discoveredAt: number;
  filters: BulkFilters;
  /** How chats are read; absent in jobs saved before read modes existed (they read with receipts). */
  mode?: ReadMode;
  /** `chat` mode: chats whose read went past discovery → the first newer message, once found. */
  newer?: Record<string, { firstNew?: number }>;
  summary: JobSummary;
  /** Planned strategy; `readAllFallback` says read-all gave way to per-chat batches. */
  strategy: Strategy;
  readAllFallback?: boolean;
  /** Read-all's effect on each target has been settled from counters. */
  readAllSettled?: boolean;
  notifications: boolean;
  targets: JobTarget[];
  /** Command keys in send order, ≤ 50 per chunk; retries are appended. */
  chunks: string[][];
  /** Index of the next chunk to send. */
  cursor: number;
  results: Record<string, CommandResult>;
  /** Sends per key that ended in a transient error. */
  attempts: Record<string, number>;
  outcomes: Record<string, ChatOutcome>;
  inFlight?: InFlight;
  status: JobStatus;
  pauseReason?: { kind: string; code: string };
  /** Paused for the operation time limit: nothing is sent before this time (ms, the portal's `operating_reset_at`). */
  resumeAt?: number;
  /** Why a job failed for good. */
  error?: { kind: string; code: string };
  countersAfter?: Counters;
  requests: number;
  startedAt?: number;
  finishedAt?: number;
  undo?: UndoState;
}

export interface JobMeta {
  portal: string;
  id?: string;
  now?: () => number;
}

export function createJob(plan: BulkPlan, meta: JobMeta): BulkJob {
  const now = (meta.now ?? Date.now)();
  const clear = plan.filters.clearManualMarks;
  const chatMode = plan.mode === 'chat';
  const targets: JobTarget[] = plan.targets.map((chat) => {
    // Reading the whole chat clears the mark in the same call.
    const clearMark = !chatMode && clear && chat.manualUnread;
    return {
      dialogId: chat.dialogId,
      chatId: chat.chatId,
      kind: chat.kind,
      title: chat.title,
      lastReadId: chat.lastReadId,
      counter: chat.counter,
      manualUnread: chat.manualUnread,
      readTo: chat.lastMessageId,
      read: chatMode || chat.counter > 0 || !clearMark,
      clearMark,
    };
  });
  const notifications = plan.notifications > 0;
  const chunks = plan.strategy === 'read-all' ? [notifications ? [READ_ALL_KEY, NOTIFY_KEY] : [READ_ALL_KEY]] : readChunks(plan.targets, { clearManualMarks: clear, notifications, mode: plan.mode });
  return {
    version: 1,
    id: meta.id ?? `bulk-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    portal: meta.portal,
    createdAt: now,
    discoveredAt: plan.discoveredAt,
    filters: plan.filters,
    mode: plan.mode,
    summary: {
      targets: plan.targets.length,
      byKind: plan.byKind,
      excluded: plan.excluded.byReason,
      notifications: plan.notifications,
      messages: plan.messages,
      manualMarks: plan.manualMarks,
      estimatedRequests: plan.estimatedRequests,
    },
    strategy: plan.strategy,
    notifications,
    targets,
    chunks,
    cursor: 0,
    results: {},
    attempts: {},
    outcomes: {},
    status: 'planned',
    requests: 0,
  };
}

/** Pauses that end when a logged-in tab of the portal is there again (session auth): no tab, a logout, a stale sessid. */
const TAB_PAUSES = new Set(['NO_PORTAL_TAB', 'access_denied', 'NO_AUTH_FOUND', 'session_failed']);

export function waitsForPortalTab(job: Pick<BulkJob, 'status' | 'pauseReason'>): boolean {
  return job.status === 'paused' && TAB_PAUSES.has(job.pauseReason?.code ?? '');
}

/** Refused credentials or no tab: only the user ends that (a new webhook, logging in, opening the portal), not a timer. */
export function waitsForUser(job: Pick<BulkJob, 'status' | 'pauseReason'>): boolean {
  return job.status === 'paused' && job.pauseReason?.kind === 'auth';
}

/** False while the job waits for the portal's `operating_reset_at`: anything sent before would be refused. */
export function resumeDue(job: Pick<BulkJob, 'status' | 'resumeAt'>, now: number): boolean {
  return !(job.status === 'paused' && job.resumeAt !== undefined && now < job.resumeAt);
}

/** The sub-call keys of one target, in send order. */
export function targetKeys(target: JobTarget): string[] {
  const keys: string[] = [];
  if (target.read) keys.push(readKey(target.dialogId));
  if (target.clearMark) keys.push(clearMarkKey(target.dialogId));
  return keys;
}

export interface JobProgress {
  /** Chats settled (read, skipped or failed). */
  done: number;
  total: number;
  read: number;
  failed: number;
  skipped: number;
  requests: number;
  /** Remaining time at the pace so far, never faster than 0.5 s per request. */
  etaMs: number;
  status: JobStatus;
}

export const MIN_MS_PER_REQUEST = 500;

export function jobProgress(job: BulkJob, msPerRequest = MIN_MS_PER_REQUEST): JobProgress {
  let read = 0;
  let failed = 0;
  let skipped = 0;
  for (const outcome of Object.values(job.outcomes)) {
    if (outcome.status === 'read') read += 1;
    else if (outcome.status === 'failed') failed += 1;
    else skipped += 1;
  }
  const remaining = Math.max(0, job.chunks.length - job.cursor) + (job.inFlight ? 1 : 0);
  const finished = job.status === 'done' || job.status === 'cancelled' || job.status === 'failed';
  return {
    done: read + failed + skipped,
    total: job.targets.length,
    read,
    failed,
    skipped,
    requests: job.requests,
    etaMs: finished ? 0 : remaining * Math.max(MIN_MS_PER_REQUEST, msPerRequest),
    status: job.status,
  };
}

/** Undo's progress, saved in the job (src/core/bulk/undo.ts runs it). */
export type UndoChatOutcome =
  | { status: 'restored' }
  | { status: 'skipped'; reason: 'read-further' | 'no-message' | 'nothing-to-restore' }
  | { status: 'failed'; code: string };

export interface UndoState {
  status: 'running' | 'paused' | 'done';
  startedAt: number;
  finishedAt?: number;
  pauseReason?: { kind: string; code: string };
  outcomes: Record<string, UndoChatOutcome>;
  requests: number;
}
