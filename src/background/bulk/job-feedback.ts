// How a bulk job shows itself without the popup: the badge on its tab (or the default badge for a
import { totalUnread } from '../../core/rest/counters.ts';
// webhook job with no tab) and, when it ends, the result notification.
import { jobProgress, type BulkJob, type JobProgress } from '../../core/bulk/index.ts';
import { showBadge } from '../badge.ts';
import { notifyBulkResult } from '../feedback.ts';
import type { StoredJob } from './job-store.ts';

export function showJobProgress(stored: StoredJob, progress: JobProgress): Promise<void> {
  if (progress.total === 0) return Promise.resolve();
  return showBadge({ kind: 'working', percent: (100 * progress.done) / progress.total }, stored.tabId);
}

/** The portal's total after the job (or an error mark when it stopped), and the result when it is done. */
export async function showJobEnd(stored: StoredJob, job: BulkJob): Promise<void> {
  const total = totalUnread(job.countersAfter);
  if (total !== null) await showBadge({ kind: 'count', total }, stored.tabId);
  else if (job.status === 'paused' || job.status === 'failed') await showBadge({ kind: 'error' }, stored.tabId);
  if (job.status === 'done') {
    const progress = jobProgress(job);
    await notifyBulkResult({ read: progress.read, total: progress.total, failed: progress.failed, totalUnread: total }, !stored.confirmed);
  }
}

export function showCount(stored: StoredJob, total: number): Promise<void> {
  return showBadge({ kind: 'count', total }, stored.tabId);
}
