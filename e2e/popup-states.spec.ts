// Issue 5: the popup has a designed view for every state — detecting, not a portal, needs reload,
// logged out, ready, working with progress, done with counter and Undo, error with what to do.
import { test, expect } from './fixtures.ts';

test('detecting, then ready: slow portal answers keep the popup in "detecting" until they arrive', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  tenant.setLatency({ baseMs: 1500, perCallMs: 0 });
  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="detecting"]')).toBeVisible();
  await expect(popup.locator('[data-state="ready"]')).toBeVisible({ timeout: 10_000 });
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await popup.close();
  await page.close();
});

test('error with what to do: a portal failing with 500s', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  tenant.faults.inject({ kind: '500', times: 10 });
  const popup = await openPopup(tabId);
  const error = popup.locator('[data-state="error"]');
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText('internal error');
  await expect(error).toHaveAttribute('role', 'alert');
  tenant.faults.clear();
  expect(tenant.readEvents).toHaveLength(0);
  await popup.close();
  await page.close();
});

test('working with progress and Cancel, then the cancelled result', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const popup = await openPopup(tabId);
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  tenant.setLatency({ baseMs: 700, perCallMs: 0 });
  await popup.getByTestId('bulk-confirm').click();
  const progress = popup.getByTestId('bulk-progress');
  await expect(progress).toBeVisible();
  await expect(progress.locator('progress')).toHaveAttribute('aria-label', /.+/);
  await expect(progress).toContainText(/of \d+ chats/);
  await popup.getByTestId('bulk-cancel').click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await expect(popup.getByTestId('bulk-result')).toContainText('Cancelled');
  await popup.close();
  await page.close();
});

test('the popup is keyboard accessible: Tab reaches the main button and Enter activates it', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const target = tenant.chats().find((c) => c.kind === 'workgroup' && c.counter > 0)!;
  const { page, tabId } = await openMessenger(tenant, target.dialogId);
  const popup = await openPopup(tabId);
  await expect(popup.getByTestId('mark-chat-read')).toBeVisible();
  for (let i = 0; i < 10 && !(await popup.getByTestId('mark-chat-read').evaluate((el) => el === document.activeElement)); i += 1) await popup.keyboard.press('Tab');
  await expect(popup.getByTestId('mark-chat-read')).toBeFocused();
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('result')).toHaveAttribute('role', 'status');
  await expect.poll(() => tenant.chat(target.dialogId)!.counter).toBe(0);
  await popup.close();
  await page.close();
});

test('the popup shows the shortcuts as Chrome bound them, with a way to change them', async ({ tenant, login, openMessenger, openPopup, serviceWorker }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const popup = await openPopup(tabId);
  await popup.getByTestId('menu-help').locator('summary').click();
  const bound = await serviceWorker.evaluate(async () => (await chrome.commands.getAll()).map((c) => c.shortcut).filter(Boolean));
  expect(bound).toEqual(expect.arrayContaining(['Alt+Shift+M', 'Alt+Shift+L']));
  for (const key of bound) await expect(popup.getByTestId('popup-shortcuts')).toContainText(key!);
  await expect(popup.getByTestId('popup-shortcuts')).toContainText('Mark the open chat read');
  await expect(popup.getByTestId('popup-shortcuts-change')).toBeVisible();
  await popup.close();
  await page.close();
});
