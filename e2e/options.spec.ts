// The options page end to end: webhook check (in the worker, against the local portal), saving the
// secret to storage.local only, showing it masked; and settings that save as soon as they change.
import type { Page, Worker } from '@playwright/test';
import { test, expect } from './fixtures.ts';

async function openOptions(page: Page, extensionId: string): Promise<void> {
  await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await expect(page.getByTestId('options-form')).toBeVisible();
}

function storageOf(worker: Worker) {
  return worker.evaluate(async () => ({
    local: await chrome.storage.local.get(null),
    sync: await chrome.storage.sync.get(null),
  }));
}

async function checkUrl(page: Page, url: string): Promise<void> {
  await page.locator('#webhook-url').fill(url);
  await page.getByTestId('webhook-check').click();
}

test.afterEach(async ({ serviceWorker }) => {
  // The worker is shared by the tests of this file: start each from empty storage.
  await serviceWorker.evaluate(async () => {
    await chrome.storage.local.clear();
    await chrome.storage.sync.clear();
  });
});

test('webhook: malformed URL, good webhook, missing scope, unknown and no-REST portals; saved only to storage.local, shown masked', async ({
  browserWithExtension,
  extensionId,
  serviceWorker,
  tenant,
}) => {
  const page = await browserWithExtension.newPage();
  await openOptions(page, extensionId);
  await expect(page.locator('#auth-session')).toBeChecked();
  await page.getByLabel('Incoming webhook').check();

  const result = page.getByTestId('webhook-check-result');

  // Malformed: answered on the page in plain words, nothing sent anywhere.
  await checkUrl(page, `http://${tenant.host}/rest/1/abcdefgh12345678/`);
  await expect(result).toHaveClass(/fail/);
  await expect(result).toContainText('must start with https://');
  await checkUrl(page, 'my webhook');
  await expect(result).toContainText('not a web address');
  await checkUrl(page, `${tenant.origin}/rest/1/abcdefgh12345678/im.counters.get.json`);
  await expect(result).toContainText('This is not a webhook URL');
  await expect(page.getByTestId('webhook-save')).toBeDisabled();
  await expect(page.getByTestId('webhook-save-anyway')).toHaveCount(0);
  expect(tenant.log).toHaveLength(0);

  // A webhook without the im scope.
  const noIm = tenant.addWebhook({ scopes: ['user'] });
  await checkUrl(page, noIm);
  await expect(result).toHaveClass(/fail/);
  await expect(result).toContainText('lacks the im (Chats) scope');
  await expect(page.getByTestId('webhook-save')).toBeDisabled();
  await expect(page.getByTestId('webhook-save-anyway')).toBeVisible();

  // Expired (or deleted): Bitrix24 does not recognise it.
  await checkUrl(page, tenant.addWebhook({ expired: true }));
  await expect(result).toContainText('does not recognise this webhook');

  // REST switched off on the plan.
  const good = tenant.addWebhook();
  tenant.setRestAvailable(false);
  await checkUrl(page, good);
  await expect(result).toContainText('REST is not available on this portal’s plan');
  tenant.setRestAvailable(true);

  // A good webhook: OK with the unread total.
  const total = (tenant.counters() as { TYPE: { ALL: number } }).TYPE.ALL;
  await checkUrl(page, good);
  await expect(result).toHaveClass(/ok/);
  await expect(result).toContainText(`It works: ${tenant.origin}`);
  await expect(result).toContainText(`Unread: ${total}.`);
  // Editing the URL after a check takes the permission to save away again.
  await page.locator('#webhook-url').press('End');
  await page.locator('#webhook-url').press('Backspace');
  await expect(page.getByTestId('webhook-save')).toBeDisabled();
  await checkUrl(page, good);
  await expect(result).toHaveClass(/ok/);
  await page.getByTestId('webhook-save').click();
  await expect(page.getByTestId('save-status')).toHaveText('Webhook saved.');

  // Shown masked; the secret is nowhere in the page.
  const secret = /\/rest\/\d+\/([^/]+)\//.exec(good)![1]!;
  const userId = /\/rest\/(\d+)\//.exec(good)![1]!;
  await expect(page.getByTestId('webhook-masked')).toHaveText(`${tenant.origin}/rest/${userId}/***/`);
  await expect(page.locator('#webhook-url')).toHaveValue('');
  expect(await page.content()).not.toContain(secret);

  // storage.local has it under its own key; the settings object and storage.sync do not.
  const stored = await storageOf(serviceWorker);
  expect(stored.local.webhook).toEqual({ origin: tenant.origin, userId: Number(userId), secret });
  expect(stored.local.settings).toMatchObject({ version: 4, authMode: 'webhook' });
  expect(JSON.stringify(stored.local.settings)).not.toContain(secret);
  expect(stored.sync).toEqual({});

  // The portal saw the checks; its log masks the secret, and no check read anything.
  const checks = tenant.log.filter((entry) => entry.auth === 'webhook');
  expect(checks.length).toBeGreaterThanOrEqual(4);
  for (const entry of checks) expect(entry.path).toMatch(/^\/rest\/\d+\/\*\*\*\/im\.counters\.get/);
  expect(tenant.readEvents).toHaveLength(0);

  // After a reload it is still shown masked only.
  await page.reload();
  await expect(page.getByTestId('webhook-masked')).toHaveText(`${tenant.origin}/rest/${userId}/***/`);
  expect(await page.content()).not.toContain(secret);

  // Remove: gone from storage, back to the session.
  await page.getByTestId('webhook-remove').click();
  await expect(page.getByTestId('save-status')).toHaveText('Webhook removed.');
  const after = await storageOf(serviceWorker);
  expect(after.local.webhook).toBeUndefined();
  expect(after.local.settings).toMatchObject({ authMode: 'session' });
  await page.close();
});

test('settings save as soon as they change; bad custom numbers are refused', async ({ browserWithExtension, extensionId, serviceWorker }) => {
  const page = await browserWithExtension.newPage();
  await openOptions(page, extensionId);
  const status = page.getByTestId('save-status');
  const settings = async () => ((await storageOf(serviceWorker)).local.settings ?? {}) as Record<string, unknown>;

  await page.locator('#plan-enterprise').check();
  await expect(status).toHaveText('Saved.');
  expect(await settings()).toMatchObject({ plan: 'enterprise', bucket: { capacity: 250, drainPerSec: 5 } });

  await page.locator('#plan-custom').check();
  await page.locator('#bucket-capacity').fill('0');
  await page.locator('#bucket-capacity').press('Tab');
  await expect(page.getByTestId('bucket-problem')).toContainText('whole number from 1 to 10000');
  await expect(page.locator('#bucket-capacity')).toHaveAttribute('aria-invalid', 'true');
  expect(await settings()).toMatchObject({ plan: 'custom', bucket: { capacity: 250, drainPerSec: 5 } });
  await page.locator('#bucket-capacity').fill('120');
  await page.locator('#bucket-capacity').press('Tab');
  await page.locator('#bucket-drain').fill('3.5');
  await page.locator('#bucket-drain').press('Tab');
  await expect(page.getByTestId('bucket-problem')).toHaveText('');
  await expect.poll(settings).toMatchObject({ plan: 'custom', bucket: { capacity: 120, drainPerSec: 3.5 } });

  // Filters: open lines carry the read-receipt note; muted and pinned choices save.
  await expect(page.locator('#kind-lines')).not.toBeChecked();
  await expect(page.locator('#kind-lines')).toHaveAccessibleDescription(/read receipt/);
  await page.getByLabel('Open lines').check();
  await page.getByLabel('Skip muted chats').check();
  await page.getByLabel('Skip pinned chats').check();
  await page.getByLabel('Group chats', { exact: true }).uncheck();
  await expect
    .poll(async () => (await settings()).filters)
    .toMatchObject({ kinds: ['dialog', 'channel', 'collab', 'workgroup', 'crm', 'tasks', 'copilot', 'general', 'lines', 'other'], muted: 'skip', skipPinned: true });

  await page.getByLabel('Ask before marking many chats read').uncheck();
  await page.getByLabel('Show a system notification with the result').check();
  await expect.poll(settings).toMatchObject({ confirmBulk: false, notifications: true });

  // The page reads back what was saved.
  await page.reload();
  await expect(page.locator('#plan-custom')).toBeChecked();
  await expect(page.locator('#bucket-capacity')).toHaveValue('120');
  await expect(page.locator('#kind-lines')).toBeChecked();
  await expect(page.locator('#confirm-bulk')).not.toBeChecked();

  // Shortcuts: one line per command, and a way to Chrome's shortcuts page.
  await expect(page.getByTestId('shortcuts').locator('dt')).toHaveCount(3);
  await expect(page.getByTestId('shortcuts')).toContainText('Mark the open chat read');
  await expect(page.getByTestId('shortcuts-change')).toBeEnabled();
  expect((await storageOf(serviceWorker)).sync).toEqual({});
  await page.close();
});

test('a self-hosted portal can be disabled from the list', async ({ browserWithExtension, extensionId, serviceWorker }) => {
  await serviceWorker.evaluate(async () => {
    await chrome.storage.local.set({ settings: { version: 2, selfHostedOrigins: ['https://b24.example.com', 'https://crm.example.org:8443'] } });
  });
  const page = await browserWithExtension.newPage();
  await openOptions(page, extensionId);
  await expect(page.getByTestId('portals').locator('li')).toHaveCount(2);
  await page.getByRole('button', { name: 'Disable https://b24.example.com' }).click();
  await expect(page.getByTestId('save-status')).toHaveText('Access to https://b24.example.com removed.');
  await expect(page.getByTestId('portals').locator('li')).toHaveCount(1);
  const stored = await storageOf(serviceWorker);
  expect(stored.local.settings).toMatchObject({ selfHostedOrigins: ['https://crm.example.org:8443'] });
  await page.close();
});
