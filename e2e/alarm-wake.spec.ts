// Issue 10: after `ServiceWorker.stopWorker` nothing but the resume alarm wakes the worker — no
// extension page open, no tab switched or loaded — and the job finishes with every target read
// once, judged by the portal's read audit. (Every other e2e test wakes the worker with the popup.)
import type { CDPSession } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { bulkSeed } from './portal/index.ts';
import { audit, reportAudit, startAudit } from './read-audit.ts';
import { planAndConfirm, readsReach, resetExtension, storedJob } from './bulk-driver.ts';

test.use({ tenantSeed: bulkSeed(300) });

test.afterEach(async ({ browserWithExtension, extensionId }) => {
  await resetExtension(browserWithExtension, extensionId);
});

interface Version {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
}

/** Follows the extension's worker through CDP from a portal page: no extension page stays open. */
async function watchWorker(cdp: CDPSession, extensionId: string) {
  const versions = new Map<string, Version>();
  const starts: number[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const v of event.versions as Version[]) {
      if (!v.scriptURL.includes(extensionId)) continue;
      const was = versions.get(v.versionId)?.runningStatus;
      if (v.runningStatus === 'running' && was !== undefined && was !== 'running') starts.push(Date.now());
      versions.set(v.versionId, v);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => [...versions.values()].some((v) => v.runningStatus === 'running')).toBe(true);
  return {
    starts,
    status: () => [...versions.values()].map((v) => v.runningStatus),
    async stop() {
      for (const v of versions.values()) if (v.runningStatus !== 'stopped') await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
      await expect.poll(() => [...versions.values()].every((v) => v.runningStatus === 'stopped')).toBe(true);
    },
  };
}

test('worker stopped mid-job, woken only by its alarm: the job finishes with every target read once', async ({ tenant, login, openMessenger, openPopup, serviceWorker, extensionId, browserWithExtension }, testInfo) => {
  test.setTimeout(150_000);
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const start = startAudit(tenant);
  expect(start.targets.length).toBeGreaterThan(200);
  const popup = await openPopup(tabId);
  await planAndConfirm(popup, start.targets.length, () => tenant.setLatency({ baseMs: 400 }));
  await readsReach(tenant, start, 50);
  // No extension page from here on; the portal tab stays as it is (closing the popup activates it).
  await popup.close();
  for (const other of browserWithExtension.pages()) if (other !== page) await other.close();
  await page.bringToFront();
  const alarm = await serviceWorker.evaluate(async () => (await chrome.alarms.get('bulk-resume')) ?? null);
  expect(alarm, 'a running job keeps its resume alarm').not.toBeNull();

  const cdp = await browserWithExtension.newCDPSession(page);
  const worker = await watchWorker(cdp, extensionId);
  await worker.stop();
  const stoppedAt = Date.now();
  const readsAtStop = tenant.readCalls.length - start.calls;
  expect(readsAtStop, 'stopped mid-job').toBeLessThan(start.targets.length);

  // Only the alarm (every 30 s) starts it again, and the job runs to its end.
  await expect.poll(() => worker.starts.length, { timeout: 70_000, intervals: [250] }).toBeGreaterThan(0);
  const wokeAt = worker.starts[0]!;
  // The alarm knocks at its scheduled time (30 s period); a wake-up before it came from something else.
  expect(wokeAt, 'nothing but the alarm woke the worker').toBeGreaterThanOrEqual(Math.min(alarm!.scheduledTime, stoppedAt + 30_000) - 1_500);
  // Every target's pointer (and manual mark) where the plan wanted it, by the portal's own state.
  await expect.poll(() => audit(tenant, start, 'progress').lost, { timeout: 60_000, intervals: [250] }).toBe(0);
  expect(worker.starts, 'woken once').toHaveLength(1);
  await cdp.detach();
  // Judging now: an extension page may open (the reads are over).
  const judge = await browserWithExtension.newPage();
  await judge.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=-1`);
  await expect.poll(async () => (await storedJob(judge))?.status, { timeout: 30_000 }).toBe('done');
  await judge.close();
  tenant.setLatency({ baseMs: 0 });

  const figures = audit(tenant, start, 'worker stopped, woken only by the alarm');
  await reportAudit(testInfo, figures);
  const { lost, readTwice, pointerMovedTwice, nonTargetsRead, beyondDiscovered } = figures;
  expect({ lost, readTwice, pointerMovedTwice, nonTargetsRead, beyondDiscovered }).toEqual({ lost: 0, readTwice: 0, pointerMovedTwice: 0, nonTargetsRead: 0, beyondDiscovered: 0 });
  expect(figures.read).toBe(figures.targets);
  await page.close();
});
