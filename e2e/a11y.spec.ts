// Issue 12: every popup and options state passes an axe-core audit in the light and the dark scheme
// (no serious or critical violation), works from the keyboard, and announces progress and results.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { expectAccessible } from './axe.ts';

async function openOptions(page: Page, extensionId: string): Promise<void> {
  await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await expect(page.getByTestId('options-form')).toBeVisible();
}

test.afterEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(async () => {
    await chrome.storage.local.clear();
  });
});

test('popup: detecting, ready, chat result, help, plan, progress, done with Undo, undo report — light and dark', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 0 && !c.muted)!;
  const { page, tabId } = await openMessenger(tenant, target.dialogId);

  tenant.setLatency({ baseMs: 4000, perCallMs: 0 });
  let popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="detecting"]')).toBeVisible();
  await expectAccessible(popup, 'detecting');
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await expect(popup.locator('[data-state="ready"]')).toBeVisible({ timeout: 15_000 });
  await expectAccessible(popup, 'ready');

  await popup.getByTestId('mark-chat-read').click();
  await expect(popup.getByTestId('result')).toHaveAttribute('role', 'status');
  await expectAccessible(popup, 'ready, chat marked read');

  await popup.getByTestId('menu-help').locator('summary').click();
  await expectAccessible(popup, 'help open');

  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  await popup.locator('input[name="kind-lines"]').click();
  await expect(popup.locator('input[name="kind-lines"]')).toBeChecked();
  await expect(popup.getByTestId('bulk-confirm')).toBeEnabled();
  await expectAccessible(popup, 'plan');

  tenant.setLatency({ baseMs: 2500, perCallMs: 0 });
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-progress')).toBeVisible();
  await expectAccessible(popup, 'progress');
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(popup.getByTestId('bulk-undo')).toBeVisible();
  await expectAccessible(popup, 'done with Undo');

  await popup.getByTestId('bulk-undo').click();
  await expect(popup.getByTestId('bulk-undo-report')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expectAccessible(popup, 'undo report');
  await popup.close();

  // No chat open in the messenger.
  await page.goto(`${tenant.origin}/online/`);
  popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();
  await expectAccessible(popup, 'ready, no open chat');
  await popup.close();
  await page.close();
});

test('popup: error, not a portal, logged out, bulk error, needs reload — light and dark', async ({ browserWithExtension, tenant, login, openMessenger, openPopup, serviceWorker }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  tenant.faults.inject({ kind: '500', times: 10 });
  let popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="error"]')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(popup, 'error');
  tenant.faults.clear();
  await popup.close();

  const other = await browserWithExtension.newPage();
  await other.goto('data:text/html,<title>Elsewhere</title>');
  const otherId = await serviceWorker.evaluate(async () => (await chrome.tabs.query({})).find((t) => t.url?.startsWith('data:'))?.id ?? -1);
  popup = await openPopup(otherId);
  await expect(popup.locator('[data-state="not-portal"]')).toBeVisible();
  await expectAccessible(popup, 'not a portal');
  await popup.close();
  await other.close();

  popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();
  tenant.logout();
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-error')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(popup, 'bulk error');
  await popup.close();

  await page.reload();
  popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="logged-out"]')).toBeVisible();
  await expectAccessible(popup, 'logged out');
  await popup.close();

  // A portal address whose page never loaded (connection refused: Chrome's error page, where no
  // content script runs) is what a tab open since before an install or update looks like.
  await page.goto(`https://${tenant.host}:1/online/`).catch(() => undefined);
  // The error page commits a moment after goto gives up: wait until the tab shows its address.
  const deadTab = () => serviceWorker.evaluate(async (host) => (await chrome.tabs.query({})).find((t) => t.url?.includes(`${host}:1/`))?.id ?? -1, tenant.host);
  await expect.poll(deadTab).toBeGreaterThan(-1);
  const deadId = await deadTab();
  popup = await openPopup(deadId);
  await expect(popup.locator('[data-state="needs-reload"]')).toBeVisible();
  await expectAccessible(popup, 'needs reload');
  await popup.close();
  await page.close();
});

test('popup: a job paused on an error, with Resume — light and dark', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const popup = await openPopup(tabId);
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  tenant.faults.inject({ kind: 'error', times: 1, methods: ['im.dialog.read'], afterRequests: 1, error: 'SOMETHING_NEW', status: 400 });
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-progress')).toHaveAttribute('data-status', 'paused', { timeout: 30_000 });
  await expect(popup.getByTestId('bulk-progress').getByRole('alert')).toBeVisible();
  await expectAccessible(popup, 'paused');
  await popup.getByRole('button', { name: 'Resume' }).click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await popup.close();
  await page.close();
});

test('options: every section and its states — light and dark', async ({ browserWithExtension, extensionId, serviceWorker, tenant }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.set({ settings: { version: 3, selfHostedOrigins: ['https://b24.example.com'] } }));
  const page = await browserWithExtension.newPage();
  await openOptions(page, extensionId);
  await expectAccessible(page, 'options');

  // Webhook: a failed check with "save anyway", then a saved webhook shown masked.
  await page.locator('#auth-webhook').check();
  await page.locator('#webhook-url').fill(tenant.addWebhook({ scopes: ['user'] }));
  await page.getByTestId('webhook-check').click();
  await expect(page.getByTestId('webhook-save-anyway')).toBeVisible();
  await expectAccessible(page, 'options, webhook check failed');
  await page.locator('#webhook-url').fill(tenant.addWebhook());
  await page.getByTestId('webhook-check').click();
  await expect(page.getByTestId('webhook-check-result')).toHaveClass(/ok/);
  await page.getByTestId('webhook-save').click();
  await expect(page.getByTestId('webhook-masked')).toBeVisible();
  await expect(page.getByTestId('save-status')).not.toBeEmpty();
  await expectAccessible(page, 'options, webhook saved, status shown');

  // Custom plan with a refused number; no chat kinds at all.
  await page.locator('#plan-custom').check();
  await page.locator('#bucket-capacity').fill('0');
  await page.locator('#bucket-capacity').press('Tab');
  await expect(page.getByTestId('bucket-problem')).not.toBeEmpty();
  for (const box of await page.locator('input[id^="kind-"]').all()) await box.uncheck();
  await page.locator('#filter-notifications').uncheck();
  await expect(page.getByText(/no chats/i).or(page.locator('.note[role="alert"]'))).toBeVisible();
  await expectAccessible(page, 'options, custom plan refused, no kinds');
  await page.close();
});

test('theme: the setting forces dark or light over the system scheme, in the popup and the options page', async ({ browserWithExtension, extensionId, openPopup }) => {
  const page = await browserWithExtension.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  await openOptions(page, extensionId);
  const background = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background(page);
  await page.getByLabel('Dark', { exact: true }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).not.toBe(light);
  const dark = await background(page);

  const popup = await browserWithExtension.newPage();
  await popup.emulateMedia({ colorScheme: 'light' });
  await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=-1`);
  await expect(popup.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(popup)).toBe(dark);
  await expectAccessible(popup, 'popup, forced dark over a light system');

  // Forced light over a dark system; the popup follows a change made while it is open.
  await popup.emulateMedia({ colorScheme: 'dark' });
  await page.getByLabel('Light', { exact: true }).check();
  await expect(popup.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => background(popup)).toBe(light);
  await page.getByLabel('As in the system').check();
  await expect(popup.locator('html')).not.toHaveAttribute('data-theme', /./);
  await expect.poll(() => background(popup)).toBe(dark);
  await popup.close();
  await page.close();
  void openPopup;
});

test('keyboard: focus order, visible focus, Enter confirms the plan, Escape puts it away; live regions', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 0 && !c.muted)!;
  const { page, tabId } = await openMessenger(tenant, target.dialogId);
  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();

  // Tab order follows the page: the chat's button, the bulk button, the help.
  const order: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    await popup.keyboard.press('Tab');
    order.push(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName.toLowerCase() ?? ''));
  }
  expect(order).toEqual(['mark-chat-read', 'bulk-plan', 'summary']);
  // Focus is visible: an outline of at least 2 px.
  await popup.keyboard.press('Shift+Tab');
  await expect(popup.getByTestId('bulk-plan')).toBeFocused();
  expect(await popup.getByTestId('bulk-plan').evaluate((el) => parseFloat(getComputedStyle(el).outlineWidth) >= 2 && getComputedStyle(el).outlineStyle !== 'none')).toBe(true);

  // Enter opens the plan; focus lands on its confirmation; Escape puts it away and gives focus back.
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  await expect(popup.getByTestId('bulk-confirm')).toBeFocused();
  await popup.keyboard.press('Escape');
  await expect(popup.getByTestId('bulk-plan-view')).toHaveCount(0);
  await expect(popup.getByTestId('bulk-plan')).toBeFocused();
  expect(tenant.readEvents).toHaveLength(0);

  // Space toggles a kind switch; Enter on a switch confirms, as it does on the button.
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('bulk-confirm')).toBeFocused();
  await popup.locator('input[name="kind-dialog"]').focus();
  await popup.keyboard.press('Space');
  await expect(popup.locator('input[name="kind-dialog"]')).not.toBeChecked();
  await expect(popup.locator('input[name="kind-dialog"]')).toBeEnabled();
  tenant.setLatency({ baseMs: 1500, perCallMs: 0 });
  await popup.locator('input[name="kind-dialog"]').focus();
  await popup.keyboard.press('Enter');
  const progress = popup.getByTestId('bulk-progress');
  await expect(progress).toBeVisible();
  // Progress is announced politely in steps; the bar has a name; the result is a status.
  await expect(popup.getByTestId('bulk-announce')).toHaveAttribute('aria-live', 'polite');
  await expect(popup.getByTestId('bulk-announce')).toHaveText(/\d+ %/);
  await expect(progress.locator('progress')).toHaveAccessibleName(/.+/);
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('role', 'status', { timeout: 60_000 });
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done');
  // The dialogs were switched off before Enter: none of them was read.
  const dialogs = tenant.chats().filter((c) => c.kind === 'dialog' && c.counter > 0);
  expect(dialogs.length).toBeGreaterThan(0);
  await popup.close();
  await page.close();
});

test('Russian: the popup plan and the options page pass the same audit in both schemes', async ({ portal }) => {
  const { launchWithExtension, logIn } = await import('./browser.ts');
  const context = await launchWithExtension({ portalPort: portal.port, extraArgs: ['--lang=ru'], env: { ...process.env, LANGUAGE: 'ru', LANG: 'ru_RU.UTF-8' } });
  try {
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
    const extensionId = new URL(worker.url()).host;
    const tenant = portal.tenant(`ru-a11y-${Date.now()}.bitrix24.ru`);
    await logIn(context, tenant);
    const chat = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    const page = await context.newPage();
    await page.goto(`${tenant.origin}/online/?IM_DIALOG=${chat.dialogId}`);
    const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id ?? -1, page.url());
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`);
    await expect(popup.locator('[data-state="ready"]')).toBeVisible();
    await expect(popup.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(popup.getByTestId('mark-chat-read')).toHaveText(/[А-Яа-яЁё]/);
    await expectAccessible(popup, 'ru: ready');
    await popup.getByTestId('bulk-plan').click();
    await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
    await expectAccessible(popup, 'ru: plan');
    const options = await context.newPage();
    await openOptions(options, extensionId);
    await expectAccessible(options, 'ru: options');
  } finally {
    await context.close();
  }
});

test('layout: the plan fits Chrome’s 600 px popup without a scrollbar; at 200 % zoom nothing overflows sideways', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 0 && !c.muted)!;
  const { page, tabId } = await openMessenger(tenant, target.dialogId);
  const popup = await openPopup(tabId);
  const size = () => popup.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight, body: document.body.getBoundingClientRect().width }));
  await popup.setViewportSize({ width: 800, height: 600 });
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  // Chrome sizes the popup to the body: at most 800 × 600 before it scrolls.
  const plan = await size();
  expect(plan.body).toBeLessThanOrEqual(800);
  expect(plan.height).toBeLessThanOrEqual(600);

  // 200 % zoom: the popup's 800 × 600 device pixels are 400 × 300 CSS pixels.
  await popup.setViewportSize({ width: 400, height: 300 });
  const zoomed = await size();
  expect(zoomed.width).toBeLessThanOrEqual(400);
  await popup.getByTestId('bulk-confirm').scrollIntoViewIfNeeded();
  await expect(popup.getByTestId('bulk-confirm')).toBeInViewport();
  await popup.close();
  await page.close();
});
