// The one owner of the bulk job in the worker. It alone writes the saved job, holds the resume
// alarm and leases the job's REST client for the whole run. Start, resume, cancel and undo take
// one lock, entered synchronously (before any await), so two wake-ups in one turn never start
// two runners: a second call joins the running one or is refused with a reason.
import browser from 'webextension-polyfill';
import { createJob, resumeDue, runJob, undoJob, waitsForPortalTab, waitsForUser, type BulkJob } from '../../core/bulk/index.ts';
import { RestError } from '../../core/rest/errors.ts';
import { totalUnread } from '../../core/rest/counters.ts';
import { COUNTERS_KEY } from '../../core/bulk/commands.ts';
import { portalClients, usesWebhook, type ClientLease } from '../portal-clients.ts';
import type { BulkView } from '../../shared/messages.ts';
import { isActive, loadJob, loadPlan, removePlan, saveJob, type StoredJob } from './job-store.ts';
import { bulkStatus, failure } from './job-view.ts';
import { showCount, showJobEnd, showJobProgress } from './job-feedback.ts';
import { becomesLoggedIn, loggedInPortalTab } from './job-tabs.ts';

export const RESUME_ALARM = 'bulk-resume';
/** While a job runs the alarm knocks every 30 s, so a stopped worker is started again. */
const ALARM_PERIOD_MIN = 0.5;
/** Longest the badge refresh after an undo may hold the lock. */
const BADGE_REFRESH_TIMEOUT_MS = 5_000;
/** Portal tabs a run may move to when its own one closes, before it pauses. */
const MAX_TAB_MOVES = 3;

/** Everything that can wake the supervisor ('start': the popup's or a shortcut's confirmed plan). */
export type WakeReason = 'startup' | 'alarm' | 'tab-loaded' | 'webhook-saved' | 'popup' | 'start';

/** These resume whatever job is saved, so while a run goes on they simply join it. */
const JOINS_RUN: ReadonlySet<WakeReason> = new Set(['startup', 'alarm', 'popup', 'start']);

type OperationKind = 'run' | 'start' | 'cancel' | 'undo';

interface Operation {
  kind: OperationKind;
  controller: AbortController;
  done: Promise<void>;
}

export class JobSupervisor {
  private op: Operation | null = null;

  /** What it is doing right now (for tests and logs). */
  get busy(): OperationKind | null {
    return this.op?.kind ?? null;
  }

  /**
   * Runs `body` as the one operation. `this.op` is set before this returns, so any call in the
   * same turn sees it. The returned promise settles after `this.op` is cleared and never rejects.
   */
  private exclusive(kind: OperationKind, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const op: Operation = {
      kind,
      controller,
      done: gate
        .then(() => body(controller.signal))
        .catch((error: unknown) => console.error(`bulk ${kind} failed`, error))
        .finally(() => {
          if (this.op === op) this.op = null;
        }),
    };
    this.op = op;
    open();
    return op.done;
  }

  /** Resolves once no operation runs. */
  private async idle(): Promise<void> {
    while (this.op) await this.op.done;
  }

  /** Resolves once no operation runs (a rule waits here for a manual job: one queue). */
  whenIdle(): Promise<void> {
    return this.idle();
  }

  /**
   * Start a job planned elsewhere (a rule's): the same save → run → throttle → exactly-once path as a
   * confirmed plan. Refused while another job is planned, running or paused; resolves when its run ends.
   */
  async startJob(next: StoredJob): Promise<BulkView> {
    const refused = this.refusal();
    if (refused) return refused;
    let result: BulkView | null = null;
    await this.exclusive('start', async () => {
      const current = await loadJob();
      if (current && isActive(current.job)) {
        result = failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
        return;
      }
      await saveJob(next);
    });
    if (result) return result;
    await this.wake('start');
    return bulkStatus();
  }

  /** Undo a finished job kept elsewhere (a rule's last run); `save` keeps its undo state there. */
  async undoJobOf(stored: StoredJob, save: (stored: StoredJob) => Promise<void>): Promise<BulkView> {
    const refused = this.refusal();
    if (refused) return refused;
    let result: BulkView | null = null;
    await this.exclusive('undo', async () => {
      const lease = await this.leaseFor(stored);
      if (!lease) {
        result = failure({ key: 'bulkPausedNoTab' }, 'NO_PORTAL_TAB');
        return;
      }
      try {
        await undoJob(stored.job, { api: lease.client, save: (live) => save({ ...stored, job: live }) });
      } finally {
        lease.release();
      }
    });
    return result ?? bulkStatus();
  }

  /** Every wake-up source calls this: the saved job goes on if it can. Never rejects. */
  wake(reason: WakeReason): Promise<void> {
    const current = this.op;
    if (current) {
      if (current.kind === 'run' && JOINS_RUN.has(reason)) return current.done;
      // A run may be about to pause for exactly what this wake-up brings: look again after it.
      return current.done.then(() => this.wake(reason));
    }
    return this.exclusive('run', (signal) => this.resumeSaved(reason, signal));
  }

  /** A page of some portal finished loading: a job waiting for a tab of that portal goes on. */
  async tabLoaded(tabId: number, url: string): Promise<void> {
    await this.idle();
    const stored = await loadJob();
    if (!stored || !waitsForPortalTab(stored.job)) return;
    if (!url.startsWith(`${stored.job.portal}/`) || (await usesWebhook(stored.job.portal))) return;
    if (await becomesLoggedIn(tabId, stored.job.portal)) await this.wake('tab-loaded');
  }

  /** Start the planned job with this id; `confirmed` when the user saw the plan and said go. */
  async start(planId: string, confirmed = true): Promise<BulkView> {
    // A run that only looks in (an alarm, a tab load, a saved webhook) while no job is on its way
    // ends soon: wait for it rather than refuse the user's start.
    if (this.op?.kind === 'run' && !(await this.jobOnItsWay())) await this.idle();
    const refused = this.refusal();
    if (refused) return refused;
    let result: BulkView | null = null;
    await this.exclusive('start', async () => {
      const plan = await loadPlan();
      if (!plan || plan.planId !== planId) {
        result = failure({ key: 'errorPlanGone' }, 'PLAN_GONE');
        return;
      }
      if (await this.jobOnItsWay()) {
        result = failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
        return;
      }
      await saveJob({ tabId: plan.tabId, confirmed, job: createJob(plan.plan, { portal: plan.origin }) });
      await removePlan();
    });
    if (result) return result;
    void this.wake('start');
    return bulkStatus();
  }

  /** Stop the running job after its current request (or a planned/paused one right away). */
  async cancel(): Promise<BulkView> {
    while (this.op) {
      if (this.op.kind === 'run') this.op.controller.abort();
      await this.op.done;
    }
    await this.exclusive('cancel', async () => {
      const stored = await loadJob();
      if (stored && (stored.job.status === 'planned' || stored.job.status === 'paused')) {
        stored.job.status = 'cancelled';
        stored.job.finishedAt = Date.now();
        await saveJob(stored);
      }
      await browser.alarms.clear(RESUME_ALARM);
    });
    return bulkStatus();
  }

  /** Put every chat the last job read back to its previous unread state. A second call joins the first. */
  async undo(): Promise<BulkView> {
    if (this.op?.kind === 'undo') {
      await this.op.done;
      return bulkStatus();
    }
    const refused = this.refusal();
    if (refused) return refused;
    let result: BulkView | null = null;
    await this.exclusive('undo', async () => {
      const stored = await loadJob();
      if (!stored) {
        result = failure({ key: 'errorNothingToUndo' }, 'NO_JOB');
        return;
      }
      if (isActive(stored.job)) {
        result = failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
        return;
      }
      const lease = await this.leaseFor(stored);
      if (!lease) {
        result = failure({ key: 'bulkPausedNoTab' }, 'NO_PORTAL_TAB');
        return;
      }
      try {
        await undoJob(stored.job, { api: lease.client, save: (live) => saveJob({ ...stored, job: live }) });
        try {
          // Only the badge waits on this: no resends, and never long (the undo's tab may be gone), so the lock is soon free.
          const outcome = await lease.client.batch({ [COUNTERS_KEY]: { method: 'im.counters.get' } }, { retryAmbiguous: false, signal: AbortSignal.timeout(BADGE_REFRESH_TIMEOUT_MS) });
          const total = totalUnread(outcome.results[COUNTERS_KEY]);
          if (total !== null) await showCount(stored, total);
        } catch {
          /* the badge catches up on the next action */
        }
      } finally {
        lease.release();
      }
    });
    return result ?? bulkStatus();
  }

  /** Why a start or undo cannot begin now, or null. */
  /** The saved job is about to run or running (a paused one may be replaced by a new plan). */
  private async jobOnItsWay(): Promise<boolean> {
    const stored = await loadJob();
    return stored !== null && (stored.job.status === 'planned' || stored.job.status === 'running');
  }

  private refusal(): BulkView | null {
    switch (this.op?.kind) {
      case undefined:
        return null;
      case 'undo':
        return failure({ key: 'errorUndoRunning' }, 'UNDO_RUNNING');
      default:
        return failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
    }
  }

  /** The job's client, leased for its portal: by webhook when set, else pinned to a logged-in tab (the job's own first). */
  private async leaseFor(stored: StoredJob): Promise<ClientLease | null> {
    if (await usesWebhook(stored.job.portal)) return portalClients().lease(stored.job.portal, null);
    const tabId = await loggedInPortalTab(stored.job.portal, stored.tabId);
    if (tabId === null) return null;
    stored.tabId = tabId;
    return portalClients().lease(stored.job.portal, tabId);
  }

  private async resumeSaved(reason: WakeReason, signal: AbortSignal): Promise<void> {
    const stored = await loadJob();
    if (!stored || !isActive(stored.job)) {
      await browser.alarms.clear(RESUME_ALARM);
      return;
    }
    const { job } = stored;
    // The wake-ups that bring something new only resume a job that waited for it.
    if (reason === 'tab-loaded' && !waitsForPortalTab(job)) return;
    // A webhook in use for the job's portal answers both a refused one and a missing tab.
    if (reason === 'webhook-saved' && (!waitsForUser(job) || !(await usesWebhook(job.portal)))) return;
    if (!resumeDue(job, Date.now()) && job.resumeAt !== undefined) {
      // The portal's time budget for the method resets then; nothing sent before would pass.
      await browser.alarms.create(RESUME_ALARM, { when: job.resumeAt, periodInMinutes: ALARM_PERIOD_MIN });
      return;
    }
    await browser.alarms.create(RESUME_ALARM, { periodInMinutes: ALARM_PERIOD_MIN });
    const lease = await this.leaseFor(stored);
    if (!lease) {
      await this.pauseForNoTab(stored);
      return;
    }
    try {
      await this.runOn(stored, lease, signal);
    } catch (error) {
      if (error instanceof RestError) throw error;
      // A bug or a broken answer: say so instead of leaving an unhandled rejection and a job "running" forever.
      stored.job.status = 'failed';
      stored.job.error = { kind: 'unknown', code: 'INTERNAL_ERROR' };
      stored.job.finishedAt = Date.now();
      await saveJob(stored);
      console.error('bulk job failed', error);
    } finally {
      lease.release();
    }
    await this.settle(stored);
  }

  /** Run the job on its leased client; if its tab closes, move to another logged-in tab of the portal or pause for one. */
  private async runOn(stored: StoredJob, lease: ClientLease, signal: AbortSignal): Promise<void> {
    for (let moves = 0; ; moves += 1) {
      const job = await runJob(stored.job, {
        api: lease.client,
        signal,
        save: (live) => saveJob({ ...stored, job: live }),
        onProgress: (progress) => void showJobProgress(stored, progress),
      });
      if (!this.lostTab(job, lease)) return;
      const next = await loggedInPortalTab(job.portal, lease.route.tabId);
      if (next === null) return this.pauseForNoTab(stored);
      if (next === lease.route.tabId || moves >= MAX_TAB_MOVES) return;
      lease.moveTo(next);
      stored.tabId = next;
      await saveJob(stored);
    }
  }

  /** The run stopped on a network failure of its session tab (closed, navigated away, reloaded). */
  private lostTab(job: BulkJob, lease: ClientLease): boolean {
    return job.status === 'paused' && job.pauseReason?.kind === 'network' && lease.route.kind === 'session';
  }

  private async pauseForNoTab(stored: StoredJob): Promise<void> {
    stored.job.status = 'paused';
    stored.job.pauseReason = { kind: 'auth', code: 'NO_PORTAL_TAB' };
    await saveJob(stored);
  }

  /** After a run: the alarm for what comes next, the badge, the result. */
  private async settle(stored: StoredJob): Promise<void> {
    const { job } = stored;
    if (job.status === 'paused' && job.resumeAt !== undefined) await browser.alarms.create(RESUME_ALARM, { when: job.resumeAt, periodInMinutes: ALARM_PERIOD_MIN });
    // Refused credentials or no tab: only the user can change that (a new webhook, logging in, a
    // portal tab), and each of those wakes the supervisor; an alarm would only knock again and again.
    if (waitsForUser(job) || job.status !== 'paused') await browser.alarms.clear(RESUME_ALARM);
    await showJobEnd(stored, job);
  }
}
