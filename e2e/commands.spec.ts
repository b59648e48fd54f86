// Issue 5: every keyboard command fired inside the worker (its real listeners run), judged by the
// portal's state and the toolbar badge; "mark all read" never silently reads hundreds of chats;
// webhook mode works from a shortcut with no portal tab open.
import { test, expect, type Tenant } from './fixtures.ts';
import type { Worker } from '@playwright/test';
import { fireCommand } from './bulk-driver.ts';

async function setSettings(worker: Worker, patch: Record<string, unknown>): Promise<void> {
  await worker.evaluate(async (p) => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...(settings ?? { version: 2 }), ...p } });
  }, patch);
}

async function useWebhook(worker: Worker, url: string): Promise<void> {
  const match = /^(https:\/\/[^/]+)\/rest\/(\d+)\/([^/]+)\/$/.exec(url)!;
  await worker.evaluate(async ([origin, userId, secret]) => chrome.storage.local.set({ webhook: { origin, userId: Number(userId), secret } }), [match[1]!, match[2]!, match[3]!]);
  await setSettings(worker, { authMode: 'webhook' });
}

async function resetExtension(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    await chrome.storage.local.clear();
    await chrome.notifications.getAll().then((all) => Promise.all(Object.keys(all).map((id) => chrome.notifications.clear(id))));
  });
}

const unreadTargets = (tenant: Tenant) => tenant.chats().filter((c) => c.kind !== 'lines' && (c.counter > 0 || c.manualUnread));

test.afterEach(async ({ serviceWorker }) => resetExtension(serviceWorker));

test('mark-current-read reads the open chat up to the newest message on the page and updates the badge', async ({ tenant, login, openMessenger, serviceWorker }) => {
  await login(tenant);
  const target = tenant.chats().find((c) => c.kind === 'crm' && c.counter > 1)!;
  const { page, tabId } = await openMessenger(tenant, target.dialogId);
  const late = tenant.pushMessage(target.dialogId, { text: 'after render' });

  await fireCommand(serviceWorker, 'mark-current-read', tabId);
  await expect.poll(() => tenant.chat(target.dialogId)!.lastReadId).toBe(target.lastMessageId);
  expect(tenant.chat(target.dialogId)!.counter).toBe(1);
  expect(late).toBeGreaterThan(target.lastMessageId);
  const total = tenant.counters().TYPE.ALL;
  await expect.poll(() => serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe(String(total));
  await page.close();
});

test('mark-all-read with confirmation on opens the plan and reads nothing until confirmed', async ({ tenant, login, openMessenger, openPopup, serviceWorker }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  await fireCommand(serviceWorker, 'mark-all-read', tabId);
  // The worker hands the request to the popup it opens (action.openPopup; a popup window where that fails).
  await expect.poll(() => serviceWorker.evaluate(async () => (await chrome.storage.local.get('ui:open-plan'))['ui:open-plan'] !== undefined)).toBe(true);
  const popup = await openPopup(tabId);
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  expect(tenant.readEvents.filter((e) => e.via === 'im.dialog.read' || e.via === 'im.dialog.read.all')).toHaveLength(0);
  const expected = unreadTargets(tenant).length;
  await expect(popup.getByTestId('bulk-confirm')).toHaveText(new RegExp(`\\b${expected}\\b`));
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(unreadTargets(tenant)).toHaveLength(0);
  await popup.close();
  await page.close();
});

test('mark-all-read with confirmation off runs at once and offers Undo in a notification', async ({ tenant, login, openMessenger, serviceWorker }) => {
  await login(tenant);
  await setSettings(serviceWorker, { confirmBulk: false });
  const { page, tabId } = await openMessenger(tenant);
  const before = new Map(tenant.chats().map((c) => [c.dialogId, { ...c }]));
  const targets = unreadTargets(tenant);

  await fireCommand(serviceWorker, 'mark-all-read', tabId);
  await expect.poll(() => unreadTargets(tenant).length, { timeout: 30_000 }).toBe(0);
  await expect
    .poll(() => serviceWorker.evaluate(async () => Object.keys(await chrome.notifications.getAll())))
    .toContain('bulk-undo');
  const total = tenant.counters().TYPE.ALL;
  await expect.poll(() => serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe(total === 0 ? '' : String(total));

  // The notification's Undo button puts every chat back.
  await serviceWorker.evaluate(() => (chrome.notifications.onButtonClicked as unknown as { dispatch(id: string, i: number): void }).dispatch('bulk-undo', 0));
  await expect
    .poll(() => targets.filter((t) => tenant.chat(t.dialogId)!.counter !== before.get(t.dialogId)!.counter || tenant.chat(t.dialogId)!.manualUnread !== t.manualUnread).length, { timeout: 30_000 })
    .toBe(0);
  // The undo ends with its own last calls through this tab: let it finish before the tab goes.
  await expect
    .poll(() => serviceWorker.evaluate(async () => ((await chrome.storage.local.get('bulk:job'))['bulk:job'] as { job?: { undo?: { status?: string } } } | undefined)?.job?.undo?.status))
    .toBe('done');
  await page.close();
});

test('webhook mode: mark-all-read from a shortcut with no portal tab open', async ({ tenant, browserWithExtension, serviceWorker }) => {
  const webhook = tenant.addWebhook();
  await useWebhook(serviceWorker, webhook);
  await setSettings(serviceWorker, { confirmBulk: false, filters: { kinds: ['chat', 'workgroup'], notifications: false, muted: 'include', skipPinned: false, clearManualMarks: true, never: [], always: [] } });
  const page = await browserWithExtension.newPage();
  await page.goto('data:text/html,<title>elsewhere</title>');
  const tabId = await serviceWorker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? null);
  const targets = tenant.chats().filter((c) => (c.kind === 'chat' || c.kind === 'workgroup') && (c.counter > 0 || c.manualUnread));
  const others = tenant.chats().filter((c) => !(c.kind === 'chat' || c.kind === 'workgroup'));

  await fireCommand(serviceWorker, 'mark-all-read', tabId);
  await expect.poll(() => targets.filter((t) => tenant.chat(t.dialogId)!.counter > 0).length, { timeout: 30_000 }).toBe(0);
  for (const chat of others) expect(tenant.chat(chat.dialogId)).toEqual(chat);
  const calls = tenant.log.filter((e) => e.restMethod);
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.every((e) => e.auth === 'webhook')).toBe(true);
  // The default badge (no portal tab) shows the webhook portal's total.
  await expect.poll(() => serviceWorker.evaluate(() => chrome.action.getBadgeText({}))).toBe(String(tenant.counters().TYPE.ALL));
  await page.close();
});
