// The worker's bulk orchestration under a fake browser (storage with real async timing, alarms,
// tabs, runtime messages, events) and the core's fake portal: one test per pair of wake-ups that
// can coincide, each judged by the portal's own record — one executed read per target, one
// request queue per origin, and the job's final state.
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', async () => ({ default: (await import('../testing/fake-browser.ts')).browserProxy() }));

import { portalWith } from '../../core/bulk/testing/portal-setup.ts';
import type { BulkJob } from '../../core/bulk/index.ts';
import type { BulkView } from '../../shared/messages.ts';
import { JOB_KEY, PLAN_KEY } from '../../shared/job-storage.ts';
import { createJob, DEFAULT_FILTERS } from '../../core/bulk/index.ts';
import type { StoredPlan } from './job-store.ts';
import { World, type Instance } from '../testing/fake-browser.ts';
import { RESUME_ALARM } from './supervisor.ts';

const ORIGIN = 'https://demo.bitrix24.ru';
const WEBHOOK = { origin: ORIGIN, userId: 1, secret: 'abcdefghijkl0123' };

let world: World;
/** "All chats" but one that does not exist: read chat by chat (not `im.dialog.read.all`), so each read shows. */
const PER_CHAT = { ...DEFAULT_FILTERS, never: ['999999'] };

afterEach(() => world?.instance?.stop());

function savedJob(): BulkJob {
  const stored = world.local.get(JOB_KEY) as { job: BulkJob } | undefined;
  if (!stored) throw new Error('no saved job');
  return stored.job;
}

/** A portal with `n` unread chats (the core's usual mix) and one logged-in tab. */
function setup(n: number) {
  world = new World(portalWith(n), ORIGIN);
  const tab = world.openTab(true);
  return { tab };
}

/** Plan in the popup and confirm; returns the number of targets. */
async function planAndStart(instance: Instance, tabId: number | null): Promise<BulkView> {
  const planned = await instance.sendMessage<BulkView>('bulk/plan', { tabId, filters: PER_CHAT });
  expect(planned.error).toBeNull();
  return instance.sendMessage<BulkView>('bulk/start', { planId: planned.plan!.planId });
}

/** Plan, then forget everything the planning did, so the portal's record shows only the job. */
async function planOnly(instance: Instance, tabId: number | null): Promise<string> {
  const planned = await instance.sendMessage<BulkView>('bulk/plan', { tabId, filters: PER_CHAT });
  expect(planned.error).toBeNull();
  world.portal.executed.length = 0;
  world.requests.length = 0;
  return planned.plan!.planId;
}

/** A portal with `n` unread chats, a logged-in tab, a running worker and a plan the user is about to confirm. */
async function planned(n: number) {
  const { tab } = setup(n);
  const instance = await world.start();
  const planId = await planOnly(instance, tab.id);
  return { tab, instance, planId };
}

/** The worker has settled: the job is done and every target was read exactly once. */
async function expectDoneOnce(instance: Instance) {
  await instance.settled();
  expect(savedJob().status).toBe('done');
  expectEachTargetReadOnce();
}

/** What `bulk/start` saves, written straight to storage (as if the worker stopped right after). */
function confirmSavedPlan(tabId: number | null): void {
  const stored = world.local.get(PLAN_KEY) as StoredPlan;
  world.local.set(JOB_KEY, { tabId, confirmed: true, job: createJob(stored.plan, { portal: stored.origin }) });
  world.local.delete(PLAN_KEY);
}

/** Every target read exactly once, nothing else read, never two request queues for the portal at once. */
function expectEachTargetReadOnce(job: BulkJob = savedJob()) {
  const counts = world.readCounts();
  const targets = job.targets.filter((target) => target.read);
  expect(targets.length).toBeGreaterThan(0);
  const twice = targets.filter((target) => (counts.get(target.dialogId) ?? 0) !== 1).map((t) => `${t.dialogId}×${counts.get(t.dialogId) ?? 0}`);
  expect(twice, 'targets not read exactly once').toEqual([]);
  const reads = [...counts.values()].reduce((a, b) => a + b, 0);
  expect(reads).toBe(targets.length);
  expect(world.overlaps, 'two request queues for one portal').toBe(0);
}

describe('JobSupervisor: coinciding wake-ups', () => {
  it('start-up + alarm: a stopped worker woken by its alarm runs the saved job once (was 450 reads for 225 targets)', async () => {
    const { tab } = setup(225);
    const first = await world.start();
    await planOnly(first, tab.id);
    first.stop();
    // The user confirmed and the worker was stopped before the job ran; its alarm is set.
    confirmSavedPlan(tab.id);
    world.alarms.set(RESUME_ALARM, { name: RESUME_ALARM, scheduledTime: Date.now(), periodInMinutes: 0.5 });
    // Chrome starts the stopped worker for the alarm: the start-up wake and onAlarm in the same turn.
    const second = await world.fireAlarm(RESUME_ALARM);
    await second.settled();
    expect(savedJob().status).toBe('done');
    expect(savedJob().targets.filter((t) => t.read)).toHaveLength(225);
    expectEachTargetReadOnce();
    expect(world.alarms.has(RESUME_ALARM)).toBe(false);
  });

  it('alarm + popup: the resume alarm and the popup asking to resume join one run', async () => {
    const { tab } = setup(120);
    const instance = await world.start();
    await instance.settled();
    const planId = await planOnly(instance, tab.id);
    // The connection drops once mid-job: it pauses and the alarm will knock; then the alarm and
    // the popup's resume arrive at once.
    world.portal.beforeRequest = (n) => (n === 3 ? new instance.RestError('network', 'NETWORK_ERROR', '', 0) : undefined);
    await instance.sendMessage('bulk/start', { planId });
    await instance.settled();
    world.portal.beforeRequest = undefined;
    expect(savedJob().status).toBe('paused');
    expect(world.alarms.has(RESUME_ALARM)).toBe(true);
    const fired = world.fireAlarm(RESUME_ALARM);
    const resumed = instance.sendMessage('bulk/resume', {});
    await Promise.all([fired, resumed]);
    await expectDoneOnce(instance);
  });

  it('tab loaded + webhook saved: a job waiting for a tab resumes once', async () => {
    const { tab, instance, planId } = await planned(150);
    world.closeTab(tab.id);
    await instance.sendMessage('bulk/start', { planId });
    await instance.settled();
    expect(savedJob().pauseReason?.code).toBe('NO_PORTAL_TAB');
    expect(world.readCounts().size).toBe(0);
    // The user opens the portal again and, in the same moment, saves a webhook in the options.
    const reopened = world.openTab(true);
    instance.tabLoaded(reopened);
    await instance.browser.storage.local.set({ webhook: WEBHOOK, settings: { version: 2, authMode: 'webhook' } });
    await expectDoneOnce(instance);
  });

  it('a webhook saved just before the user confirms: the look-in run it wakes does not refuse the start', async () => {
    const { instance, planId } = await planned(80);
    // Saving the webhook wakes the supervisor (no job is saved: that run only looks in)…
    void instance.browser.storage.local.set({ webhook: WEBHOOK });
    // …and the user confirms the plan in the same moment.
    const started = await instance.sendMessage<BulkView>('bulk/start', { planId });
    expect(started.error).toBeNull();
    await expectDoneOnce(instance);
  });

  it('start during undo is refused with a reason, and undo during a run is refused; the saved job is never overwritten', async () => {
    const { tab } = setup(60);
    const instance = await world.start();
    await planAndStart(instance, tab.id);
    await instance.settled();
    const done = savedJob();
    expect(done.status).toBe('done');
    const planId = await planOnly(instance, tab.id);
    const undo = instance.sendMessage<BulkView>('bulk/undo', {});
    const refused = await instance.sendMessage<BulkView>('bulk/start', { planId });
    expect(refused.error?.code).toBe('UNDO_RUNNING');
    const joined = instance.sendMessage<BulkView>('bulk/undo', {});
    const [undone, again] = await Promise.all([undo, joined]);
    expect(undone.job?.undo?.status).toBe('done');
    expect(again.job?.id).toBe(done.id);
    expect(savedJob().id).toBe(done.id);
    expect(savedJob().undo?.status).toBe('done');
    // Each chat was put back once: one undo ran, not two.
    const unreads = world.portal.executed.filter((c) => c.method === 'im.dialog.unread').length;
    expect(unreads).toBeLessThanOrEqual(done.targets.filter((t) => t.read).length);
    // Now a new job starts, and an undo asked for while it runs is refused.
    world.portal.executed.length = 0;
    const planned = await instance.sendMessage<BulkView>('bulk/plan', { tabId: tab.id, filters: PER_CHAT });
    const started = await instance.sendMessage<BulkView>('bulk/start', { planId: planned.plan!.planId });
    expect(started.error).toBeNull();
    const duringRun = await instance.sendMessage<BulkView>('bulk/undo', {});
    expect(duringRun.error?.code).toBe('JOB_RUNNING');
    await instance.settled();
    expect(savedJob().status).toBe('done');
    expect(savedJob().id).not.toBe(done.id);
  });

  it('settings saved mid-job: the job keeps its client to the end (one queue), the next one gets a fresh client', async () => {
    const { tab, instance, planId } = await planned(200);
    let saved = false;
    world.portal.afterRequest = () => {
      if (!saved && world.portal.requests >= 2) {
        saved = true;
        void instance.browser.storage.local.set({ settings: { version: 2, plan: 'enterprise', bucket: { capacity: 250, drainPerSec: 5 } } });
        // The popup asks for counters meanwhile: the same client, the same queue.
        void instance.sendMessage('popup/state', { tabId: tab.id });
      }
      return undefined;
    };
    await instance.sendMessage('bulk/start', { planId });
    await instance.settled();
    expect(saved).toBe(true);
    expect(savedJob().status).toBe('done');
    expectEachTargetReadOnce();
    const jobClients = new Set(world.requests.filter((r) => r.methods.includes('im.dialog.read')).map((r) => r.client));
    expect(jobClients.size).toBe(1);
    const clientsDuringJob = new Set(world.requests.map((r) => r.client));
    expect(clientsDuringJob.size).toBe(1);
    // After the job the new settings apply: the next call builds a new client.
    const before = world.clientsCreated;
    await instance.sendMessage('popup/state', { tabId: tab.id });
    expect(world.clientsCreated).toBe(before + 1);
  });

  it('popup opened on another tab mid-job does not move the job; when its tab closes it moves to another logged-in tab', async () => {
    const { tab } = setup(200);
    const other = world.openTab(true, `${ORIGIN}/online/?IM_DIALOG=chat1`);
    const instance = await world.start();
    const planId = await planOnly(instance, tab.id);
    let step = 0;
    world.portal.afterRequest = () => {
      step += 1;
      if (step === 2) void instance.sendMessage('popup/state', { tabId: other.id });
      return undefined;
    };
    await instance.sendMessage('bulk/start', { planId });
    await expectDoneOnce(instance);
    const readTabs = new Set(world.requests.filter((r) => r.methods.includes('im.dialog.read')).map((r) => r.tabId));
    expect([...readTabs]).toEqual([tab.id]);

    // A second job whose tab closes halfway: it goes on through the other tab, without a pause the user must clear.
    world.portal.executed.length = 0;
    world.requests.length = 0;
    for (const chat of world.portal.chats.values()) world.portal.post(chat.dialogId);
    const planId2 = await planOnly(instance, tab.id);
    step = 0;
    world.portal.afterRequest = () => {
      step += 1;
      if (step === 2) world.closeTab(tab.id);
      return undefined;
    };
    await instance.sendMessage('bulk/start', { planId: planId2 });
    await instance.settled();
    world.portal.afterRequest = undefined;
    expect(savedJob().status).toBe('done');
    expectEachTargetReadOnce();
    const tabsUsed = world.requests.filter((r) => r.methods.includes('im.dialog.read')).map((r) => r.tabId);
    expect(tabsUsed[0]).toBe(tab.id);
    expect(tabsUsed[tabsUsed.length - 1]).toBe(other.id);
  });

  it('an error that is not a REST error fails the job with a reason instead of an unhandled rejection', async () => {
    const { tab, instance, planId } = await planned(30);
    world.portal.beforeRequest = () => new TypeError('broken answer');
    await instance.sendMessage('bulk/start', { planId });
    await instance.settled();
    expect(savedJob().status).toBe('failed');
    expect(savedJob().error?.code).toBe('INTERNAL_ERROR');
    expect(world.alarms.has(RESUME_ALARM)).toBe(false);
  });
});

describe('JobSupervisor: the worker stopped during each await', () => {
  it('stopped at every await point of a run, woken by the alarm (or the next start-up): every target read once', async () => {
    // How many await points a whole run has.
    const { tab } = setup(120);
    let instance = await world.start();
    const planId = await planOnly(instance, tab.id);
    const base = instance.steps;
    await instance.sendMessage('bulk/start', { planId });
    await instance.settled();
    const total = instance.steps - base;
    expect(total).toBeGreaterThan(10);

    for (let stopAt = 1; stopAt <= total; stopAt += 1) {
      const { tab: fresh } = setup(120);
      instance = await world.start();
      await planOnly(instance, fresh.id);
      instance.stop();
      confirmSavedPlan(fresh.id);
      // A worker life that starts with the saved job and is stopped at its `stopAt`-th await.
      instance = await world.start({ stopAtStep: stopAt });
      await waitUntil(() => !instance.alive || instance.supervisor.busy === null);
      await instance.settled();
      // Chrome starts the worker again: by the alarm when one is set, else on its next start-up.
      instance = world.alarms.has(RESUME_ALARM) ? await world.fireAlarm(RESUME_ALARM) : await world.start();
      await instance.settled();
      const stored = world.local.get(JOB_KEY) as { job: BulkJob } | undefined;
      if (!stored) continue; // stopped before the job was saved: nothing ran, nothing to judge
      expect(stored.job.status, `stopped at await ${stopAt}`).toBe('done');
      expectEachTargetReadOnce(stored.job);
    }
  }, 120_000);
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
