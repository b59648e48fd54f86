// The bulk read as the worker runs it: plan (discover + filter), confirm, run with progress saved
// after every batch, resume after the worker was stopped, cancel, undo. The engine is src/core/bulk.
import browser from 'webextension-polyfill';
import { discover, planBulkRead, createJob, runJob, undoJob, undoReport, jobProgress, resumeDue, waitsForPortalTab, waitsForUser, type BulkJob, type BulkPlan, type BulkFilters } from '../core/bulk/index.ts';
import { validateFilters } from '../core/bulk/filters.ts';
import { RestError } from '../core/rest/errors.ts';
import type { RestApi } from '../core/rest/api.ts';
import { loadSettings, readModeOf } from '../shared/settings.ts';
import { scopeInventory } from '../core/bulk/read-chat.ts';
import { folderFilters, openFolder, type FolderScope } from './bulk-folder.ts';
import { inspectTab } from './portal-tab.ts';
import { portalClient, usesWebhook, webhookPortal } from './portal-clients.ts';
import { describeError } from './error-messages.ts';
import { showBadge, type BadgeState } from './badge.ts';
import { notifyBulkResult } from './feedback.ts';
import type { BulkJobView, BulkPlanView, BulkView, UserMessage } from './view-model.ts';

const PLAN_KEY = 'bulk:plan';
const JOB_KEY = 'bulk:job';
export const RESUME_ALARM = 'bulk-resume';
const SAMPLE_SIZE = 8;

interface StoredPlan {
  planId: string;
  origin: string;
  /** The portal tab it was planned in; null when planned through the webhook with no tab. */
  tabId: number | null;
  plan: BulkPlan;
  /** "Read this folder": the folder it is limited to. */
  folder?: FolderScope | null;
}

interface StoredJob {
  tabId: number | null;
  /** The user saw the plan and confirmed it; otherwise the result notification offers Undo. */
  confirmed: boolean;
  job: BulkJob;
}

let running: { jobId: string; controller: AbortController; done: Promise<void> } | null = null;

async function loadStored<T>(key: string): Promise<T | null> {
  const value = (await browser.storage.local.get(key))[key];
  return value && typeof value === 'object' ? (value as T) : null;
}

function planView(stored: StoredPlan): BulkPlanView {
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

function jobView(job: BulkJob): BulkJobView {
  const progress = jobProgress(job);
  const undo = job.undo ? undoReport(job) : null;
  const total = job.countersAfter?.TYPE?.ALL;
  return {
    id: job.id,
    status: job.status,
    done: progress.done,
    total: progress.total,
    failed: progress.failed,
    skipped: progress.skipped,
    requests: progress.requests,
    etaMs: job.status === 'running' || job.status === 'planned' ? progress.etaMs : null,
    totalUnreadAfter: typeof total === 'number' ? total : null,
    pauseMessage: pauseMessage(job),
    canUndo: (job.status === 'done' || job.status === 'cancelled') && progress.read > 0 && job.undo?.status !== 'done',
    undo: undo && { restored: undo.restored, skipped: undo.skipped.length, failed: undo.failed.length, cannotRestore: undo.cannotRestore, status: undo.status },
  };
}

export async function bulkStatus(): Promise<BulkView> {
  const [plan, job] = await Promise.all([loadStored<StoredPlan>(PLAN_KEY), loadStored<StoredJob>(JOB_KEY)]);
  return { plan: plan ? planView(plan) : null, job: job ? jobView(job.job) : null, error: null };
}

function failure(message: UserMessage, code: string): BulkView {
  return { plan: null, job: null, error: { message, code } };
}

/** The portal a bulk read acts on: the tab's, or the webhook's when the tab is not a portal. */
async function bulkTarget(tabId: number | null): Promise<{ origin: string; tabId: number | null; userId: number | null } | BulkView> {
  const tab = await inspectTab(tabId);
  if (tab.kind === 'portal' && (tab.detection.loggedIn || (await usesWebhook(tab.origin)))) {
    return { origin: tab.origin, tabId: tab.tabId, userId: tab.detection.userId };
  }
  const webhook = await webhookPortal();
  if (webhook && (tab.kind !== 'portal' || tab.origin === webhook)) return { origin: webhook, tabId: null, userId: null };
  if (tab.kind === 'not-portal') return failure({ key: 'errorNotPortal' }, 'NOT_PORTAL');
  if (tab.kind === 'needs-reload') return failure({ key: 'errorNeedsReload' }, 'NO_CONTENT_SCRIPT');
  return failure({ key: 'errorLoggedOut' }, 'LOGGED_OUT');
}

/** Discover the unread chats of the tab's portal and plan which ones the filters read. */
export async function planBulk(tabId: number | null, filtersInput?: unknown, options: { folder?: boolean } = {}): Promise<BulkView> {
  const target = await bulkTarget(tabId);
  if (!('origin' in target)) return target;
  let filters: BulkFilters;
  const settings = await loadSettings();
  try {
    filters = filtersInput === undefined ? settings.filters : validateFilters(filtersInput);
  } catch {
    return failure({ key: 'errorBadFilters' }, 'BAD_FILTERS');
  }
  const folder = options.folder === true ? await openFolder(target.tabId) : null;
  if (options.folder === true && !folder) return failure({ key: 'errorNoFolder' }, 'NO_FOLDER');
  if (folder) filters = folderFilters(filters);
  try {
    const api = await portalClient(target.origin, target.tabId);
    const found = await discover(api, { myUserId: target.userId ?? undefined, includeLines: filters.kinds.includes('lines') });
    const inventory = folder ? scopeInventory(found, folder.dialogIds) : found;
    const plan = planBulkRead(inventory, filters, { mode: readModeOf(settings) });
    const stored: StoredPlan = { planId: crypto.randomUUID(), origin: target.origin, tabId: target.tabId, plan, folder };
    await browser.storage.local.set({ [PLAN_KEY]: stored });
    const total = inventory.counters?.TYPE?.ALL;
    if (typeof total === 'number') await showBadge({ kind: 'count', total }, target.tabId);
    return { ...(await bulkStatus()), plan: planView(stored) };
  } catch (error) {
    const { message, code } = describeError(error);
    return failure(message, code);
  }
}

/** Start the planned job with this id; `confirmed` when the user saw the plan and said go. */
export async function startBulk(planId: string, confirmed = true): Promise<BulkView> {
  const stored = await loadStored<StoredPlan>(PLAN_KEY);
  if (!stored || stored.planId !== planId) return failure({ key: 'errorPlanGone' }, 'PLAN_GONE');
  const current = await loadStored<StoredJob>(JOB_KEY);
  if (current && (current.job.status === 'running' || current.job.status === 'paused') && running) return failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
  const job = createJob(stored.plan, { portal: stored.origin });
  await saveJob({ tabId: stored.tabId, confirmed, job });
  await browser.storage.local.remove(PLAN_KEY);
  void resumeBulk();
  return bulkStatus();
}

/** The job's badge: on its portal tab, or the default badge for a webhook job with no tab. */
function jobBadge(stored: StoredJob, state: BadgeState): Promise<void> {
  return showBadge(state, stored.tabId);
}

async function saveJob(stored: StoredJob): Promise<void> {
  // The engine keeps mutating the live job: store a copy taken now.
  await browser.storage.local.set({ [JOB_KEY]: structuredClone(stored) });
}

/** A tab of the job's portal whose page is logged in (preferring the job's own), or null. */
async function loggedInPortalTab(stored: StoredJob): Promise<number | null> {
  const candidates = stored.tabId === null ? [] : [stored.tabId];
  const others = await browser.tabs.query({ url: `${stored.job.portal}/*` });
  for (const tab of others) if (tab.id !== undefined && !candidates.includes(tab.id)) candidates.push(tab.id);
  for (const tabId of candidates) {
    const tab = await inspectTab(tabId);
    if (tab.kind === 'portal' && tab.origin === stored.job.portal && tab.detection.loggedIn) return tabId;
  }
  return null;
}

/** The job portal's client: by webhook when set, else through a logged-in tab (preferring the job's own). */
async function portalApi(stored: StoredJob): Promise<RestApi | null> {
  if (await usesWebhook(stored.job.portal)) return portalClient(stored.job.portal, null);
  const tabId = await loggedInPortalTab(stored);
  if (tabId === null) return null;
  stored.tabId = tabId;
  return portalClient(stored.job.portal, tabId);
}

function pauseForNoTab(stored: StoredJob): Promise<void> {
  stored.job.status = 'paused';
  stored.job.pauseReason = { kind: 'auth', code: 'NO_PORTAL_TAB' };
  return saveJob(stored);
}

/** Run (or resume) the saved job; safe to call at any time, e.g. when a stopped worker starts again. */
export async function resumeBulk(): Promise<void> {
  if (running) return running.done;
  const stored = await loadStored<StoredJob>(JOB_KEY);
  if (!stored || !['planned', 'running', 'paused'].includes(stored.job.status)) {
    await browser.alarms.clear(RESUME_ALARM);
    return;
  }
  const controller = new AbortController();
  const done = (async () => {
    if (!resumeDue(stored.job, Date.now()) && stored.job.resumeAt !== undefined) {
      // The portal's time budget for the method resets then; nothing sent before would pass.
      await browser.alarms.create(RESUME_ALARM, { when: stored.job.resumeAt, periodInMinutes: 0.5 });
      return;
    }
    await browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
    const api = await portalApi(stored);
    if (!api) {
      await pauseForNoTab(stored);
      return;
    }
    const job = await runJob(stored.job, {
      api,
      signal: controller.signal,
      save: (live) => saveJob({ ...stored, job: live }),
      onProgress: (progress) => {
        if (progress.total > 0) void jobBadge(stored, { kind: 'working', percent: (100 * progress.done) / progress.total });
      },
    });
    if (job.status === 'paused' && job.pauseReason?.kind === 'network' && !(await usesWebhook(job.portal)) && (await loggedInPortalTab(stored)) === null) {
      // The tab that carried the calls was closed (or navigated away): say so, and resume when one is back.
      stored.job = job;
      await pauseForNoTab(stored);
    }
    if (job.status === 'paused' && job.resumeAt !== undefined) await browser.alarms.create(RESUME_ALARM, { when: job.resumeAt, periodInMinutes: 0.5 });
    // Refused credentials or no tab: only the user can change that (a new webhook, logging in, a
    // portal tab), and each of those resumes the job; an alarm would only knock again and again.
    if (waitsForUser(job)) await browser.alarms.clear(RESUME_ALARM);
    const total = job.countersAfter?.TYPE?.ALL;
    if (typeof total === 'number') await jobBadge(stored, { kind: 'count', total });
    else if (job.status === 'paused' || job.status === 'failed') await jobBadge(stored, { kind: 'error' });
    if (job.status === 'done') {
      const progress = jobProgress(job);
      await notifyBulkResult({ read: progress.read, total: progress.total, failed: progress.failed, totalUnread: typeof total === 'number' ? total : null }, !stored.confirmed);
    }
    if (job.status !== 'paused') await browser.alarms.clear(RESUME_ALARM);
  })();
  running = { jobId: stored.job.id, controller, done: done.catch(() => undefined) };
  try {
    await done;
  } finally {
    running = null;
  }
}

const TAB_READY_TRIES = 10;
const TAB_READY_PAUSE_MS = 300;

/** A page of the job's portal finished loading (reopened, or after logging in): a job waiting for it goes on. */
export async function resumeForLoadedTab(tabId: number, url: string): Promise<void> {
  // A run still going may be about to pause for want of this very tab: look again after it.
  if (running) await running.done;
  const stored = await loadStored<StoredJob>(JOB_KEY);
  if (!stored || !waitsForPortalTab(stored.job)) return;
  if (!url.startsWith(`${stored.job.portal}/`) || (await usesWebhook(stored.job.portal))) return;
  // The content script may start a moment after the page reports it is complete.
  for (let attempt = 0; attempt < TAB_READY_TRIES; attempt++) {
    const tab = await inspectTab(tabId);
    if (tab.kind === 'not-portal') return;
    if (tab.kind === 'portal' && tab.origin === stored.job.portal && tab.detection.loggedIn) {
      await resumeBulk();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, TAB_READY_PAUSE_MS));
  }
}

browser.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
  // Only portal tabs show their URL here (no `tabs` permission); others are ignored.
  if (changeInfo.status === 'complete' && tab.url) void resumeForLoadedTab(tabId, tab.url);
});

/** A new webhook was saved: a job its predecessor's refusal paused goes on. */
export async function resumeWithNewWebhook(): Promise<void> {
  // A run still going uses the old webhook and will stop on its refusal: look again after it.
  if (running) await running.done;
  const stored = await loadStored<StoredJob>(JOB_KEY);
  if (!stored || !waitsForUser(stored.job) || waitsForPortalTab(stored.job)) return;
  if (await usesWebhook(stored.job.portal)) await resumeBulk();
}

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes['webhook']?.newValue !== undefined) void resumeWithNewWebhook();
});

export async function cancelBulk(): Promise<BulkView> {
  if (running) {
    running.controller.abort();
    await running.done;
  } else {
    const stored = await loadStored<StoredJob>(JOB_KEY);
    if (stored && ['planned', 'paused'].includes(stored.job.status)) {
      stored.job.status = 'cancelled';
      await saveJob(stored);
    }
  }
  await browser.alarms.clear(RESUME_ALARM);
  return bulkStatus();
}

/** Put every chat the last job read back to its previous unread state. */
export async function undoBulk(): Promise<BulkView> {
  const stored = await loadStored<StoredJob>(JOB_KEY);
  if (!stored) return failure({ key: 'errorNothingToUndo' }, 'NO_JOB');
  if (running) return failure({ key: 'errorJobRunning' }, 'JOB_RUNNING');
  const api = await portalApi(stored);
  if (!api) return failure({ key: 'bulkPausedNoTab' }, 'NO_PORTAL_TAB');
  await undoJob(stored.job, { api, save: (live) => saveJob({ ...stored, job: live }) });
  try {
    const counters = await api.call<{ TYPE?: { ALL?: number } }>('im.counters.get');
    const total = counters.result?.TYPE?.ALL;
    if (typeof total === 'number') await jobBadge(stored, { kind: 'count', total });
  } catch {
    /* the badge catches up on the next action */
  }
  return bulkStatus();
}
