// Issue 2's path end to end: the popup on a portal tab reads the open chat up to exactly the newest
// message the page shows, with the built dist/ in Chromium against the local portal.
import { test, expect } from './fixtures.ts';
import { useReadReceipts } from './read-mode.ts';

test('popup marks the open chat read up to the newest message on the page; later messages stay unread', async ({ tenant, login, openMessenger, openPopup, serviceWorker }) => {
  // One im.dialog.read up to the newest message: the receipts mode (the default mode: im26-page.spec.ts).
  await useReadReceipts(serviceWorker);
  await login(tenant);
  const target = tenant.chats().find((chat) => chat.kind === 'chat' && chat.counter >= 2 && !chat.muted);
  expect(target, 'the seed has an unread group chat').toBeDefined();
  const { page, tabId } = await openMessenger(tenant, target!.dialogId);

  // The newest message id the page rendered (UUIDs of messages being sent excluded).
  const rendered = await page.$$eval('.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap[data-id]', (els) =>
    els.map((el) => el.getAttribute('data-id') ?? '').filter((id) => /^\d+$/.test(id)).map(Number),
  );
  const newestOnPage = Math.max(...rendered);
  expect(newestOnPage).toBe(target!.lastMessageId);

  // A message arrives on the server after the page rendered: the page does not show it.
  const late = tenant.pushMessage(target!.dialogId, { text: 'arrived after render' });
  const before = new Map(tenant.chats().map((chat) => [chat.dialogId, { ...chat }]));

  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="ready"]')).toBeVisible();
  await expect(popup.getByTestId('chat-title')).toHaveText(target!.title);
  await expect(popup.getByTestId('chat-counter')).toHaveText(String(target!.counter + 1));
  await popup.getByTestId('mark-chat-read').click();
  await expect(popup.getByTestId('result')).toHaveClass(/ok/);

  const after = tenant.chat(target!.dialogId)!;
  expect(after.lastReadId).toBe(newestOnPage);
  expect(after.counter).toBe(1);
  expect(late).toBeGreaterThan(newestOnPage);
  expect(tenant.readEvents.filter((e) => e.dialogId === target!.dialogId)).toHaveLength(1);
  for (const chat of tenant.chats()) {
    if (chat.dialogId === target!.dialogId) continue;
    expect(chat, `${chat.dialogId} untouched`).toEqual(before.get(chat.dialogId));
  }

  // The popup shows the counter returned and the portal's total; the badge shows that total.
  await expect(popup.getByTestId('chat-counter')).toHaveText('1');
  const total = tenant.counters().TYPE.ALL;
  await expect(popup.getByTestId('total-unread')).toHaveText(String(total));
  const badge = await serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  expect(badge).toBe(total > 999 ? '999+' : String(total));

  // Session auth: the call carried the page's sessid from the tab, never a webhook.
  const reads = tenant.log.filter((entry) => entry.subCalls?.some((call) => call.startsWith('im.dialog.read')));
  expect(reads).toHaveLength(1);
  expect(reads[0]!.auth).toBe('session');
  await popup.close();
  await page.close();
});

test('on a tab that is not a Bitrix24 portal the popup says so plainly', async ({ browserWithExtension, openPopup, serviceWorker }) => {
  const page = await browserWithExtension.newPage();
  await page.goto('data:text/html,<title>Not a portal</title><h1>Hello</h1>');
  const tabId = await serviceWorker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? -1);
  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="not-portal"]')).toBeVisible();
  await expect(popup.locator('[data-state="not-portal"]')).toContainText('not a Bitrix24 portal');
  await popup.close();
  await page.close();
});

test('a logged-out portal tab gets a clear "log in" state, and nothing is read', async ({ tenant, openMessenger, openPopup }) => {
  const { page, tabId } = await openMessenger(tenant);
  // Not logged in: the portal shows its login page; the extension must not call REST.
  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-state="logged-out"], [data-state="not-portal"]')).toBeVisible();
  expect(tenant.readEvents).toHaveLength(0);
  await popup.close();
  await page.close();
});
