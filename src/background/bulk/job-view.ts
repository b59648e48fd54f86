// What the popup sees of the saved plan and job: plain JSON, user text as `_locales` keys.
import { totalUnread } from '../../core/rest/counters.ts';
import { jobProgress, undoReport, type BulkJob } from '../../core/bulk/index.ts';
import { RestError } from '../../core/rest/errors.ts';
import { describeError } from '../error-messages.ts';
import type { BulkJobView, BulkPlanView, BulkView, UserMessage } from '../../shared/messages.ts';
import { loadJob, loadPlan, type StoredPlan } from './job-store.ts';

const SAMPLE_SIZE = 8;

export function planView(stored: StoredPlan): BulkPlanView {
  const { plan } = stored;
  return {
    planId: stored.planId,
    origin: stored.origin,
    total: plan.targets.length,
    byKind: Object.fromEntries(Object.entries(plan.byKind).filter(([, n]) => n > 0)),
    messages: plan.messages,
    manualMarks: plan.manualMarks,
    notifications: plan.notifications,
    strategy: plan.strategy,
    estimatedRequests: plan.estimatedRequests,
    sample: plan.targets.slice(0, SAMPLE_SIZE).map((chat) => ({ dialogId: chat.dialogId, title: chat.title, kind: chat.kind, counter: chat.counter })),
    filters: plan.filters,
    mode: plan.mode,
    leftUnread: plan.leftUnread,
    warnings: plan.warnings,
    filtersOff: plan.filtersOff,
    resolved: plan.resolved,
    folder: stored.folder ? { title: stored.folder.title, chats: stored.folder.dialogIds.length } : null,
  };
}

function pauseMessage(job: BulkJob): UserMessage | null {
  const reason = job.status === 'paused' ? job.pauseReason : job.status === 'failed' ? job.error : undefined;
  if (!reason) return null;
  if (reason.code === 'NO_PORTAL_TAB') return { key: 'bulkPausedNoTab' };
  if (job.status === 'paused' && reason.kind === 'operating' && job.resumeAt !== undefined) {
    return { key: 'bulkPausedOperating', substitutions: [new Date(job.resumeAt).toLocaleTimeString()] };
  }
  return describeError(new RestError(reason.kind as RestError['kind'], reason.code, '', 0)).message;
}

export function jobView(job: BulkJob): BulkJobView {
  const progress = jobProgress(job);
  const undo = job.undo ? undoReport(job) : null;
  const total = totalUnread(job.countersAfter);
  return {
    id: job.id,
    status: job.status,
    done: progress.done,
    total: progress.total,
    failed: progress.failed,
    skipped: progress.skipped,
    requests: progress.requests,
    etaMs: job.status === 'running' || job.status === 'planned' ? progress.etaMs : null,
    totalUnreadAfter: total,
    pauseMessage: pauseMessage(job),
    canUndo: (job.status === 'done' || job.status === 'cancelled') && progress.read > 0 && job.undo?.status !== 'done',
    undo: undo && { restored: undo.restored, skipped: undo.skipped.length, failed: undo.failed.length, cannotRestore: undo.cannotRestore, status: undo.status },
  };
}

export async function bulkStatus(): Promise<BulkView> {
  const [plan, job] = await Promise.all([loadPlan(), loadJob()]);
  return { plan: plan ? planView(plan) : null, job: job ? jobView(job.job) : null, error: null };
}

export function failure(message: UserMessage, code: string): BulkView {
  return { plan: null, job: null, error: { message, code } };
}
