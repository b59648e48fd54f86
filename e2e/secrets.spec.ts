// Issue 6, secrets: with a webhook set, drive every path a user can reach — popup states, the
// options page, a bulk read and its undo by webhook, shortcuts with notifications on, errors
// (revoked webhook, missing scope, network drop, a job paused by a revoked webhook) — and fail if
// the webhook's secret shows up anywhere but its own key in storage.local.
import type { Page, Worker } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { fireCommand, planAndConfirm, resetExtension, useWebhook } from './bulk-driver.ts';
import { startAudit } from './read-audit.ts';

test.afterEach(async ({ browserWithExtension, extensionId }) => {
  await resetExtension(browserWithExtension, extensionId);
});

test('the webhook secret appears nowhere but its own storage.local key: pages, notifications, console, badge, storage', async ({
  browserWithExtension: context,
  serviceWorker,
  extensionId,
  tenant,
  openPopup,
}) => {
  const webhook = tenant.addWebhook();
  const secret = /\/rest\/\d+\/([^/]+)\//.exec(webhook)![1]!;
  const seen: Array<{ where: string; text: string }> = [];
  const record = (where: string, text: string) => void seen.push({ where, text });

  // Console of every page (the portal's too, where the content script logs) and of the worker.
  context.on('console', (message) => record(`console ${message.type()} ${message.location().url}`, message.text()));
  context.on('weberror', (error) => record('uncaught error', String(error.error())));
  serviceWorker.on('console', (message) => record(`worker console ${message.type()}`, message.text()));
  await serviceWorker.evaluate(() => console.log('secrets-test: the worker console is collected'));
  // Every notification the extension creates, as the system would show it.
  await serviceWorker.evaluate(() => {
    const shown: string[] = [];
    (self as unknown as { shownNotifications: string[] }).shownNotifications = shown;
    const create = chrome.notifications.create.bind(chrome.notifications) as (...args: unknown[]) => unknown;
    (chrome.notifications as unknown as { create: (...args: unknown[]) => unknown }).create = (...args: unknown[]) => {
      shown.push(JSON.stringify(args));
      return create(...args);
    };
  });
  const snapshot = async (where: string, page: Page) => {
    record(`${where}: page`, await page.content());
    record(`${where}: url`, page.url());
    for (const value of await page.locator('input, textarea').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value))) record(`${where}: field`, value);
  };

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await useWebhook(options, webhook, { notifications: true });
  await options.reload();
  await expect(options.getByTestId('webhook-masked')).toHaveText(`${tenant.origin}/rest/${tenant.userId}/***/`);
  await snapshot('options, webhook saved', options);
  // The options page's own check of the saved webhook's URL (pasted again) and of a revoked one.
  await options.locator('#webhook-url').fill(webhook);
  await options.getByTestId('webhook-check').click();
  await expect(options.getByTestId('webhook-check-result')).toHaveClass(/ok/);
  await options.locator('#webhook-url').fill('');
  await snapshot('options, check ok', options);

  // Popup on a tab that is no portal: the webhook's portal, ready. Then a bulk read by webhook, and undo.
  let popup = await openPopup(-1);
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();
  await snapshot('popup, webhook portal', popup);
  const start = startAudit(tenant);
  await planAndConfirm(popup, start.targets.length);
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await snapshot('popup, bulk done', popup);
  await popup.getByTestId('bulk-undo').click();
  await expect(popup.getByTestId('bulk-undo-report')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await snapshot('popup, undone', popup);
  expect(tenant.log.filter((entry) => entry.auth === 'webhook').length, 'it all ran by webhook').toBeGreaterThan(5);

  // A portal tab without a session (the login page): the popup works by webhook there too.
  const portalPage = await context.newPage();
  await portalPage.goto(`${tenant.origin}/online/`);
  const portalTab = await serviceWorker.evaluate(async (origin) => (await chrome.tabs.query({})).find((tab) => tab.url?.startsWith(origin))?.id ?? null, tenant.origin);
  expect(portalTab).not.toBeNull();
  await popup.close();
  popup = await openPopup(portalTab!);
  await expect(popup.locator('[data-state]')).not.toHaveAttribute('data-state', 'detecting');
  await snapshot('popup, portal login page', popup);

  // Shortcuts with notifications on: "mark this chat" (no chat on the login page) and "mark all" without confirmation.
  await fireCommand(serviceWorker, 'mark-current-read', portalTab);
  await options.reload();
  await options.getByLabel('Ask before marking many chats read').uncheck();
  await fireCommand(serviceWorker, 'mark-all-read', null);
  await expect.poll(() => serviceWorker.evaluate(() => (self as unknown as { shownNotifications: string[] }).shownNotifications.length), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

  // Errors: a network drop, a webhook without the im scope, a revoked webhook (also mid-job) — in the
  // popup, in notifications ("mark all read" without confirmation fails to plan) and the options check.
  const notified = () => serviceWorker.evaluate(() => (self as unknown as { shownNotifications: string[] }).shownNotifications.length);
  const fireAndNotify = async () => {
    const before = await notified();
    await fireCommand(serviceWorker, 'mark-all-read', null);
    await expect.poll(notified, { timeout: 30_000 }).toBeGreaterThan(before);
  };
  tenant.faults.inject({ kind: 'drop', times: 1000 });
  await popup.close();
  popup = await openPopup(-1);
  await expect(popup.locator('[data-state="error"]')).toBeVisible({ timeout: 30_000 });
  await snapshot('popup, network drop', popup);
  await fireAndNotify();
  tenant.faults.clear();

  const noScope = tenant.addWebhook({ scopes: ['user'] });
  await useWebhook(options, noScope);
  await popup.close();
  popup = await openPopup(-1);
  await expect(popup.locator('[data-state="error"]')).toContainText('scope');
  await snapshot('popup, missing scope', popup);
  await fireAndNotify();

  await useWebhook(options, webhook);
  tenant.setLatency({ baseMs: 300 });
  for (const chat of start.targets.slice(0, 200)) tenant.pushMessage(chat.dialogId);
  await popup.close();
  popup = await openPopup(-1);
  const again = startAudit(tenant);
  await planAndConfirm(popup, again.targets.length);
  await expect.poll(() => tenant.readCalls.length - again.calls).toBeGreaterThan(10);
  tenant.revokeWebhook(webhook);
  await expect(popup.getByTestId('bulk-progress')).toHaveAttribute('data-status', 'paused');
  await snapshot('popup, job paused by a revoked webhook', popup);
  tenant.setLatency({ baseMs: 0 });
  await popup.close();
  popup = await openPopup(-1);
  await expect(popup.locator('[data-state="error"]')).toBeVisible();
  await snapshot('popup, revoked webhook', popup);
  await fireAndNotify();
  await options.reload();
  await options.locator('#webhook-url').fill(webhook);
  await options.getByTestId('webhook-check').click();
  await expect(options.getByTestId('webhook-check-result')).toHaveClass(/fail/);
  await options.locator('#webhook-url').fill('');
  await snapshot('options, revoked webhook checked', options);

  // What the worker keeps and shows: notifications, badge, every storage key but the webhook's, storage.sync.
  await portalPage.waitForTimeout(300);
  const kept = await serviceWorker.evaluate(async (tabId) => {
    const local = await chrome.storage.local.get(null);
    return {
      notifications: (self as unknown as { shownNotifications: string[] }).shownNotifications,
      badge: [await chrome.action.getBadgeText({}), await chrome.action.getTitle({}), await chrome.action.getBadgeText({ tabId }), await chrome.action.getTitle({ tabId })],
      webhookKey: JSON.stringify(local['webhook'] ?? null),
      otherKeys: Object.fromEntries(Object.entries(local).filter(([key]) => key !== 'webhook').map(([key, value]) => [key, JSON.stringify(value)])),
      sync: await chrome.storage.sync.get(null),
    };
  }, portalTab!);
  expect(kept.notifications.length, 'notifications were shown').toBeGreaterThanOrEqual(5);
  for (const [i, n] of kept.notifications.entries()) record(`notification ${i}`, n);
  for (const [i, b] of kept.badge.entries()) record(`badge ${i}`, b);
  for (const [key, value] of Object.entries(kept.otherKeys)) record(`storage.local ${key}`, value);
  expect(Object.keys(kept.otherKeys)).toEqual(expect.arrayContaining(['settings', 'bulk:job']));
  expect(kept.sync, 'storage.sync stays empty').toEqual({});
  expect(kept.webhookKey, 'control: the secret is where it belongs').toContain(secret);
  expect(seen.some((s) => s.where.startsWith('worker console') && s.text.includes('secrets-test')), 'control: the worker console is collected').toBe(true);

  expect(seen.length).toBeGreaterThan(20);
  const leaks = seen.filter(({ text }) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
  expect(leaks.map(({ where, text }) => `${where}: ${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 40)}`)).toEqual([]);
  await portalPage.close();
  await options.close();
  await popup.close();
});
