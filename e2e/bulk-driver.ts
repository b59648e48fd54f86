// Drives the built extension's bulk read the way a user does (popup: plan, confirm, resume) and
// reads the state it keeps in storage.local from any extension page.
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { expect } from './fixtures.ts';
import type { AuditStart } from './read-audit.ts';
import type { Tenant } from './portal/index.ts';

export interface StoredJobState {
  status: string;
  pauseReason?: { kind: string; code: string };
  resumeAt?: number;
  requests: number;
}

/** Plan with the saved filters, check the confirmation names exactly the expected chats, confirm. */
export async function planAndConfirm(popup: Page, expectedTargets: number, beforeConfirm?: () => void | Promise<void>): Promise<void> {
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-confirm')).toHaveText(new RegExp(`\\b${expectedTargets}\\b`));
  await beforeConfirm?.();
  await popup.getByTestId('bulk-confirm').click();
}

/** The saved job, read from storage by an extension page (works while the worker is stopped). */
export async function storedJob(extensionPage: Page): Promise<StoredJobState | null> {
  return extensionPage.evaluate(async () => {
    const stored = (await chrome.storage.local.get('bulk:job'))['bulk:job'] as { job?: StoredJobState } | undefined;
    return stored?.job ? { status: stored.job.status, pauseReason: stored.job.pauseReason, resumeAt: stored.job.resumeAt, requests: stored.job.requests } : null;
  });
}

/** Store a webhook and switch to it, as the options page does after a successful check. */
export async function useWebhook(extensionPage: Page, webhookUrl: string, settings: Record<string, unknown> = {}): Promise<void> {
  const match = /^(https:\/\/[^/]+)\/rest\/(\d+)\/([^/]+)\/$/.exec(webhookUrl);
  if (!match) throw new Error(`not a webhook URL: ${webhookUrl}`);
  const [, origin, userId, secret] = match;
  await extensionPage.evaluate(
    async ({ webhook, settings }) => {
      const current = ((await chrome.storage.local.get('settings'))['settings'] ?? {}) as Record<string, unknown>;
      await chrome.storage.local.set({ webhook, settings: { ...current, version: 2, authMode: 'webhook', ...settings } });
    },
    { webhook: { origin: origin!, userId: Number(userId), secret: secret! }, settings },
  );
}

/** Waits until the portal ran at least `n` reads of this job. */
export async function readsReach(tenant: Tenant, start: AuditStart, n: number, timeout = 30_000): Promise<void> {
  await expect.poll(() => tenant.readCalls.length - start.calls, { timeout, intervals: [50] }).toBeGreaterThanOrEqual(n);
}

/** Cancel whatever job runs and empty the extension's storage and alarms: tests share one browser. */
export async function resetExtension(context: BrowserContext, extensionId: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const page = await context.newPage();
    try {
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=-1`);
      await page.evaluate(async () => {
        await chrome.runtime.sendMessage({ type: 'bulk/cancel', payload: {} }).catch(() => undefined);
        await chrome.alarms.clearAll();
        await chrome.storage.local.clear();
        await chrome.storage.sync.clear();
      });
      return;
    } catch (error) {
      if (attempt >= 3) throw error; // e.g. the page navigated away while it worked: try once more
    } finally {
      await page.close();
    }
  }
}

/** Fire a keyboard command inside the worker: its real `commands.onCommand` listeners run. */
export async function fireCommand(worker: Worker, name: string, tabId: number | null): Promise<void> {
  await worker.evaluate(
    async ({ name, tabId }) => {
      const tab = tabId === null ? undefined : await chrome.tabs.get(tabId);
      (chrome.commands.onCommand as unknown as { dispatch(n: string, t?: chrome.tabs.Tab): void }).dispatch(name, tab);
    },
    { name, tabId },
  );
}

/** Fire a context-menu click inside the worker: its real `contextMenus.onClicked` listeners run. */
export async function fireMenu(worker: Worker, menuItemId: string, tabId: number, frameId = 0): Promise<void> {
  await worker.evaluate(
    async ({ menuItemId, tabId, frameId }) => {
      const tab = await chrome.tabs.get(tabId);
      const info = { menuItemId, frameId, editable: false, pageUrl: tab.url } as chrome.contextMenus.OnClickData;
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: chrome.contextMenus.OnClickData, t?: chrome.tabs.Tab): void }).dispatch(info, tab);
    },
    { menuItemId, tabId, frameId },
  );
}
