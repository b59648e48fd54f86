// Issue 9 on today's page (im 26.x markup and store, the local portal's 'v2-26' variant), in the
// default read mode (like Bitrix24's "Read": no receipts; what is newer than the page showed stays
// unread): (c) the open chat in a folder and in a task is read exactly; (d) "Read this folder" reads
// exactly the folder's chats; (e) with Alt+Shift a real right-click on a row and on a message reaches
// the extension's items (defaultPrevented stays false) and each reads exactly its chat or message.
import type { Page, Worker } from '@playwright/test';
import { test, expect, tabIdOf, type Tenant } from './fixtures.ts';
import { todaySeed, type ChatView } from './portal/index.ts';
import { fireMenu } from './bulk-driver.ts';

test.use({ tenantSeed: todaySeed() });

// Tests share one browser: every test here starts from the default settings (read like Bitrix24).
test.beforeEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
});
test.afterEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
});

const ROW = '.bx-im-list-recent-item__wrap';
const MESSAGE = '.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap';

interface Folder {
  id: number | string;
  type: string;
  title?: string;
  definition?: { chats?: Array<{ chatId: number; dialogId: string }>; recentSection?: string };
}

function snapshot(tenant: Tenant): Map<string, ChatView> {
  return new Map(tenant.chats().map((c) => [c.dialogId, { ...c }]));
}

function expectOthersUntouched(tenant: Tenant, before: Map<string, ChatView>, changed: Set<string>): void {
  for (const chat of tenant.chats()) {
    if (changed.has(chat.dialogId)) continue;
    const was = before.get(chat.dialogId)!;
    expect({ lastReadId: chat.lastReadId, counter: chat.counter, manualUnread: chat.manualUnread }, `${chat.dialogId} (${chat.kind}) untouched`).toEqual({
      lastReadId: was.lastReadId,
      counter: was.counter,
      manualUnread: was.manualUnread,
    });
  }
}

async function open(context: import('@playwright/test').BrowserContext, worker: Worker, tenant: Tenant, query: string): Promise<{ page: Page; tabId: number }> {
  const page = await context.newPage();
  await page.goto(`${tenant.origin}/online/?${query}`);
  return { page, tabId: await tabIdOf(worker, page.url()) };
}

/** Dispatches a right-click on `selector` and says whether anything called preventDefault. */
function defaultPrevented(page: Page, selector: string, altShift: boolean): Promise<boolean> {
  return page.evaluate(
    ({ selector, altShift }) => {
      const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, button: 2, altKey: altShift, shiftKey: altShift });
      document.querySelector(selector)!.dispatchEvent(event);
      return event.defaultPrevented;
    },
    { selector, altShift },
  );
}

async function newestOnPage(page: Page): Promise<number> {
  const ids = await page.$$eval(MESSAGE, (els) => els.map((el) => Number(el.getAttribute('data-id'))).filter((n) => Number.isSafeInteger(n) && n > 0));
  return Math.max(...ids);
}

function personalFolder(tenant: Tenant): Folder & { definition: { chats: Array<{ chatId: number; dialogId: string }> } } {
  const folders = tenant.folders() as unknown as Folder[];
  const folder = folders.find((f) => f.type === 'personal' && (f.definition?.chats ?? []).some((c) => (tenant.chat(c.dialogId)?.counter ?? 0) > 0));
  if (!folder) throw new Error(`no personal folder with an unread chat: ${JSON.stringify(folders)}`);
  return folder as never;
}

test('(c) the chat open in a personal folder is read exactly, up to the newest message shown; a later message stays unread, no receipt', async ({
  tenant,
  login,
  browserWithExtension,
  serviceWorker,
  openPopup,
}) => {
  tenant.setPageOptions({ markup: 'v2-26' });
  await login(tenant);
  const folder = personalFolder(tenant);
  const target = tenant.chat(folder.definition.chats.find((c) => (tenant.chat(c.dialogId)?.counter ?? 0) > 0)!.dialogId)!;
  const { page, tabId } = await open(browserWithExtension, serviceWorker, tenant, `IM_FOLDER=${folder.id}&IM_DIALOG=${target.dialogId}`);
  const shown = await newestOnPage(page);
  const late = tenant.pushMessage(target.dialogId, { text: 'after the page rendered' });
  const before = snapshot(tenant);
  const receipts = tenant.receipts.length;

  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-dialog-id]')).toHaveAttribute('data-dialog-id', target.dialogId);
  await popup.getByTestId('mark-chat-read').click();
  await expect(popup.getByTestId('result')).toHaveClass(/ok/);
  const after = tenant.chat(target.dialogId)!;
  expect(after.lastReadId).toBe(shown);
  expect(after.counter, 'the later message stays unread').toBe(1);
  expect(after.firstUnreadId).toBe(late);
  expect(tenant.receipts.slice(receipts), 'no receipt').toEqual([]);
  expectOthersUntouched(tenant, before, new Set([target.dialogId]));
  await popup.close();
  await page.close();
});

test('(c) the task chat open in the tasksTask layout is read exactly', async ({ tenant, login, browserWithExtension, serviceWorker, openPopup }) => {
  tenant.setPageOptions({ markup: 'v2-26' });
  await login(tenant);
  const task = tenant.chats().find((c) => c.kind === 'tasksTask' && c.counter > 0)!;
  const { page, tabId } = await open(browserWithExtension, serviceWorker, tenant, `IM_DIALOG=${task.dialogId}`);
  const shown = await newestOnPage(page);
  const before = snapshot(tenant);

  const popup = await openPopup(tabId);
  await expect(popup.locator('[data-dialog-id]')).toHaveAttribute('data-dialog-id', task.dialogId);
  await popup.getByTestId('mark-chat-read').click();
  await expect(popup.getByTestId('result')).toHaveClass(/ok/);
  expect(tenant.chat(task.dialogId)).toMatchObject({ counter: 0, lastReadId: shown });
  expectOthersUntouched(tenant, before, new Set([task.dialogId]));
  await popup.close();
  await page.close();
});

test('(d) "Read this folder" reads exactly the folder’s chats, through the plan, the job and undo', async ({ tenant, login, browserWithExtension, serviceWorker, openPopup }) => {
  tenant.setPageOptions({ markup: 'v2-26' });
  await login(tenant);
  const folder = personalFolder(tenant);
  const inFolder = new Set(folder.definition.chats.map((c) => tenant.chat(c.dialogId)?.dialogId ?? c.dialogId));
  const unreadInFolder = [...inFolder].filter((id) => {
    const chat = tenant.chat(id);
    return chat !== undefined && chat.kind !== 'lines' && (chat.counter > 0 || chat.manualUnread);
  });
  expect(unreadInFolder.length).toBeGreaterThan(0);
  const { page, tabId } = await open(browserWithExtension, serviceWorker, tenant, `IM_FOLDER=${folder.id}`);
  const before = snapshot(tenant);

  const popup = await openPopup(tabId);
  await expect(popup.getByTestId('bulk-plan-folder')).toContainText(String(folder.definition.chats.length));
  await popup.getByTestId('bulk-plan-folder').click();
  await expect(popup.getByTestId('bulk-plan-folder-title')).toBeVisible();
  await expect(popup.getByTestId('bulk-confirm')).toHaveText(new RegExp(`\\b${unreadInFolder.length}\\b`));
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  for (const id of unreadInFolder) expect(tenant.chat(id), `${id} read`).toMatchObject({ counter: 0, manualUnread: false });
  expectOthersUntouched(tenant, before, new Set(unreadInFolder));

  // Undo puts the folder's chats back.
  await popup.getByTestId('bulk-undo').click();
  await expect(popup.getByTestId('bulk-undo-report')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  for (const id of unreadInFolder) expect(tenant.chat(id)!.counter, `${id} unread again`).toBe(before.get(id)!.counter);
  await popup.close();
  await page.close();
});

test('(d) the context menu "Read this folder…" on the folder header reads exactly the folder’s chats (confirmation off)', async ({ tenant, login, browserWithExtension, serviceWorker }) => {
  tenant.setPageOptions({ markup: 'v2-26' });
  await login(tenant);
  await serviceWorker.evaluate(() => chrome.storage.local.set({ settings: { version: 3, confirmBulk: false } }));
  const folder = personalFolder(tenant);
  const unreadInFolder = folder.definition.chats.map((c) => tenant.chat(c.dialogId)!).filter((c) => c.kind !== 'lines' && (c.counter > 0 || c.manualUnread)).map((c) => c.dialogId);
  const { page, tabId } = await open(browserWithExtension, serviceWorker, tenant, `IM_FOLDER=${folder.id}`);
  const header = '.bx-im-list-container-folder__header_container';
  await page.locator(header).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
  const before = snapshot(tenant);
  await fireMenu(serviceWorker, 'mark-folder-read', tabId);
  await expect.poll(() => unreadInFolder.every((id) => tenant.chat(id)!.counter === 0 && !tenant.chat(id)!.manualUnread), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => serviceWorker.evaluate(async () => ((await chrome.storage.local.get('bulk:job'))['bulk:job'] as { job?: { status?: string } } | undefined)?.job?.status)).toBe('done');
  expectOthersUntouched(tenant, before, new Set(unreadInFolder));
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
  await page.close();
});

test('(e) Alt+Shift right-click on a row and on a message reaches the items (defaultPrevented false); each reads exactly its chat or message', async ({
  tenant,
  login,
  openMessenger,
  serviceWorker,
}) => {
  tenant.setPageOptions({ markup: 'v2-26' });
  await login(tenant);
  const openChat = tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 3 && !c.muted && !c.pinned && !c.manualUnread)!;
  const { page, tabId } = await openMessenger(tenant, openChat.dialogId);
  const rendered = new Set(await page.$$eval(`${ROW}[data-id]`, (els) => els.map((el) => el.getAttribute('data-id'))));
  const other = tenant.chats().find((c) => c.dialogId !== openChat.dialogId && rendered.has(c.dialogId) && c.counter > 1 && !c.pinned && c.kind !== 'lines' && !c.manualUnread)!;
  const rowSelector = `${ROW}[data-id="${other.dialogId}"]`;

  // A row: plain right-click is Bitrix24's (its menu, defaultPrevented); with Alt+Shift the page never sees it.
  expect(await defaultPrevented(page, rowSelector, false)).toBe(true);
  await page.keyboard.press('Escape');
  expect(await defaultPrevented(page, rowSelector, true)).toBe(false);
  await page.locator(rowSelector).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
  await expect(page.locator('.im-recent-context-menu')).toHaveCount(0);
  let before = snapshot(tenant);
  await fireMenu(serviceWorker, 'mark-chat-read', tabId);
  await expect.poll(() => tenant.chat(other.dialogId)!.counter).toBe(0);
  expect(tenant.chat(other.dialogId)!.lastReadId).toBe(other.lastMessageId);
  expectOthersUntouched(tenant, before, new Set([other.dialogId]));

  // A message of the open chat: read up to exactly that message; the ones after it stay unread.
  const ids = await page.$$eval(MESSAGE, (els) => els.map((el) => Number(el.getAttribute('data-id'))).filter((n) => Number.isSafeInteger(n) && n > 0));
  const unreadIds = ids.filter((id) => id > openChat.lastReadId);
  const pointed = unreadIds.at(-2)!;
  expect(pointed).toBeGreaterThan(openChat.lastReadId);
  const messageSelector = `${MESSAGE}[data-id="${pointed}"]`;
  expect(await defaultPrevented(page, messageSelector, false)).toBe(true);
  await page.keyboard.press('Escape');
  expect(await defaultPrevented(page, messageSelector, true)).toBe(false);
  await page.locator(messageSelector).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
  await expect(page.locator('.bx-im-message-context-menu')).toHaveCount(0);
  before = snapshot(tenant);
  const receipts = tenant.receipts.length;
  await fireMenu(serviceWorker, 'mark-read-up-to-here', tabId);
  await expect.poll(() => tenant.chat(openChat.dialogId)!.lastReadId).toBe(pointed);
  expect(tenant.chat(openChat.dialogId)!.counter, 'messages after the one pointed at stay unread').toBe(unreadIds.filter((id) => id > pointed).length);
  expect(tenant.receipts.slice(receipts), 'no receipt').toEqual([]);
  expectOthersUntouched(tenant, before, new Set([openChat.dialogId]));
  await page.close();
});
