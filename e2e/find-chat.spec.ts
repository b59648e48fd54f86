// Issue 4: the chat is found anywhere in the Bitrix24 UI, and the context menu reads the chat the
// user pointed at. For every page variant (v2, slider over /crm/, stale address after a chat
// switch, /desktop_app/ iframe, no store, legacy) the portal's state must show exactly the
// intended chat read up to exactly the intended message, and nothing else touched. Menu items are
// fired inside the worker (`contextMenus.onClicked.dispatch`, its real listener runs) after a real
// right-click on the element, with Alt+Shift where Bitrix24 would otherwise show its own menu.
import type { Frame, Page, Worker } from '@playwright/test';
import { test, expect, tabIdOf, type Tenant } from './fixtures.ts';
import { useReadReceipts } from './read-mode.ts';
import type { ChatView } from './portal/index.ts';
import { fireMenu } from './bulk-driver.ts';

const ROW = '.bx-im-list-recent-item__wrap';
const MESSAGE = '.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap';

/** The extension's frame id of a tab's frame whose address contains `part` (what Chrome passes in `info.frameId`). */
async function frameIdOf(worker: Worker, tabId: number, part: string): Promise<number> {
  const frames = await worker.evaluate(
    async (id) => (await chrome.scripting.executeScript({ target: { tabId: id, allFrames: true }, func: () => location.href })).map((r) => ({ frameId: r.frameId, href: String(r.result) })),
    tabId,
  );
  const frame = frames.find((f) => f.href.includes(part));
  if (!frame) throw new Error(`no frame with ${part} in ${JSON.stringify(frames)}`);
  return frame.frameId;
}

async function numericIds(scope: Page | Frame, selector: string): Promise<number[]> {
  return scope.$$eval(selector, (els) => els.map((el) => el.getAttribute('data-id') ?? '').filter((id) => /^\d+$/.test(id)).map(Number));
}

async function newestOnPage(scope: Page | Frame): Promise<number> {
  return Math.max(...(await numericIds(scope, MESSAGE)));
}

function snapshot(tenant: Tenant): Map<string, ChatView> {
  return new Map(tenant.chats().map((chat) => [chat.dialogId, { ...chat }]));
}

/** Every chat but `changed` is exactly as before. */
function expectOthersUntouched(tenant: Tenant, before: Map<string, ChatView>, changed: string[]): void {
  for (const chat of tenant.chats()) {
    if (changed.includes(chat.dialogId)) continue;
    expect(chat, `${chat.dialogId} untouched`).toEqual(before.get(chat.dialogId));
  }
}

/** Reads that moved the pointer by `im.dialog.read`, per chat. */
const readsOf = (tenant: Tenant, dialogId: string) => tenant.readEvents.filter((e) => e.dialogId === dialogId && e.via === 'im.dialog.read');

/** A rendered row of an unread chat other than `except`, not pinned, not an open line. */
async function otherUnreadRow(tenant: Tenant, scope: Page | Frame, except: string): Promise<ChatView> {
  const rendered = new Set(await scope.$$eval(`${ROW}[data-id]`, (els) => els.map((el) => el.getAttribute('data-id'))));
  const chat = tenant.chats().find((c) => c.dialogId !== except && rendered.has(c.dialogId) && c.counter > 1 && !c.pinned && c.kind !== 'lines' && !c.manualUnread);
  if (!chat) throw new Error('no other unread row on the page');
  return chat;
}

function openTarget(tenant: Tenant): ChatView {
  return tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 3 && !c.muted && !c.pinned && !c.manualUnread)!;
}

test.afterEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
});

test.describe('context menu on the v2 messenger', () => {
  // Judged by exact read pointers and im.dialog.read counts (receipts mode); the default mode: im26-page.spec.ts.
  test.beforeEach(async ({ serviceWorker }) => {
    await useReadReceipts(serviceWorker);
  });

  test('a row right-clicked with Alt+Shift: “Mark this chat read” reads that chat up to its last message the page knows; the open chat is untouched', async ({ tenant, login, openMessenger, serviceWorker }) => {
    await login(tenant);
    const open = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, open.dialogId);
    const other = await otherUnreadRow(tenant, page, open.dialogId);
    const row = page.locator(`${ROW}[data-id="${other.dialogId}"]`);

    // Without Alt+Shift Bitrix24 shows its own menu (the browser's, with our items, does not appear) ...
    await row.click({ button: 'right' });
    await expect(page.locator('.im-recent-context-menu')).toHaveAttribute('data-dialog-id', other.dialogId);
    await page.keyboard.press('Escape');
    // ... with Alt+Shift the content script keeps the page from taking it (stopped in the capture
    // phase on window, before the page's listener: no listener of the page sees it, so nothing
    // calls preventDefault) and the browser's menu opens.
    const prevented = (altShift: boolean) =>
      page.evaluate(
        ({ sel, altShift }) => {
          const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, button: 2, altKey: altShift, shiftKey: altShift });
          document.querySelector(sel)!.dispatchEvent(event);
          return event.defaultPrevented;
        },
        { sel: `${ROW}[data-id="${other.dialogId}"]`, altShift },
      );
    expect(await prevented(false), 'a plain right-click stays Bitrix24’s').toBe(true);
    await page.keyboard.press('Escape');
    expect(await prevented(true), 'with Alt+Shift the browser’s menu is not suppressed').toBe(false);
    await row.click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    await expect(page.locator('.im-recent-context-menu')).toHaveCount(0);

    const late = tenant.pushMessage(other.dialogId, { text: 'arrived after the page rendered' });
    const before = snapshot(tenant);
    await fireMenu(serviceWorker, 'mark-chat-read', tabId);
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(other.lastMessageId);
    expect(tenant.chat(other.dialogId)!.counter).toBe(1);
    expect(late).toBeGreaterThan(other.lastMessageId);
    expect(readsOf(tenant, other.dialogId)).toHaveLength(1);
    expect(tenant.chat(open.dialogId)).toEqual(before.get(open.dialogId));
    expectOthersUntouched(tenant, before, [other.dialogId]);
    await page.close();
  });

  test('a message right-clicked: “Mark read up to this message” reads the open chat up to exactly that message', async ({ tenant, login, openMessenger, serviceWorker }) => {
    await login(tenant);
    const open = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, open.dialogId);
    const ids = await numericIds(page, MESSAGE);
    const pointed = ids.filter((id) => id > open.lastReadId).at(-2)!;
    expect(pointed).toBeGreaterThan(open.lastReadId);
    await page.locator(`${MESSAGE}[data-id="${pointed}"] .bx-im-message-default-content__text`).click({ button: 'right' });
    const before = snapshot(tenant);

    await fireMenu(serviceWorker, 'mark-read-up-to-here', tabId);
    await expect.poll(() => tenant.chat(open.dialogId)!.lastReadId).toBe(pointed);
    expect(tenant.chat(open.dialogId)!.counter).toBeGreaterThan(0);
    expectOthersUntouched(tenant, before, [open.dialogId]);
    await page.close();
  });

  test('“Mark this chat read” anywhere else reads the open chat up to the newest message shown; a placeholder row reads nothing', async ({ tenant, login, openMessenger, serviceWorker }) => {
    await login(tenant);
    const open = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, open.dialogId);
    const newest = await newestOnPage(page);

    // Results of menu clicks go to a notification when notifications are on: wait for each one.
    await serviceWorker.evaluate(() => chrome.storage.local.set({ settings: { version: 3, notifications: true, readReceipts: true } }));
    const outcome = async (): Promise<void> => {
      await expect.poll(() => serviceWorker.evaluate(async () => Object.keys(await chrome.notifications.getAll()))).toContain('chat-result');
      await serviceWorker.evaluate(() => chrome.notifications.clear('chat-result'));
    };
    // The "create chat" placeholder reuses the row class without an id: it is no chat.
    await page.locator(`.bx-im-list-recent-create-chat__container ${ROW}`).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    await fireMenu(serviceWorker, 'mark-chat-read', tabId);
    await outcome();
    // "mark read up to here" without a message under the pointer reads nothing either.
    await fireMenu(serviceWorker, 'mark-read-up-to-here', tabId);
    await outcome();
    expect(tenant.readEvents).toHaveLength(0);

    await page.locator('.bx-im-chat-header__title').click({ button: 'right' });
    const late = tenant.pushMessage(open.dialogId);
    const before = snapshot(tenant);
    await fireMenu(serviceWorker, 'mark-chat-read', tabId);
    await expect.poll(() => tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    expect(late).toBeGreaterThan(newest);
    expect(tenant.chat(open.dialogId)!.counter).toBe(1);
    expect(tenant.readEvents).toHaveLength(1);
    expectOthersUntouched(tenant, before, [open.dialogId]);
    await page.close();
  });

  test('“Mark all chats read…” opens the plan for confirmation and reads nothing by itself', async ({ tenant, login, openMessenger, serviceWorker }) => {
    await login(tenant);
    const { page, tabId } = await openMessenger(tenant);
    await page.locator(MESSAGE).first().click({ button: 'right' });
    await fireMenu(serviceWorker, 'mark-all-read', tabId);
    await expect.poll(() => serviceWorker.evaluate(async () => (await chrome.storage.local.get('ui:open-plan'))['ui:open-plan'] as { tabId?: number } | undefined)).toMatchObject({ tabId });
    expect(tenant.readEvents).toHaveLength(0);
    await page.close();
  });
});

test.describe('page variants', () => {
  test('slider over /crm/: the address names no chat; the slider’s open chat is read up to its newest message', async ({ tenant, login, browserWithExtension, serviceWorker, openPopup }) => {
    await login(tenant);
    const page = await browserWithExtension.newPage();
    await page.goto(`${tenant.origin}/crm/deal/list/`);
    expect(new URL(page.url()).searchParams.get('IM_DIALOG')).toBeNull();
    const openId = await page.locator(`.bx-im-messenger__slider ${ROW}[class~="--selected"]`).getAttribute('data-id');
    const open = tenant.chat(openId!)!;
    const tabId = await tabIdOf(serviceWorker, page.url());
    const newest = await newestOnPage(page);
    const late = tenant.pushMessage(open.dialogId);

    const popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
    const before = snapshot(tenant);
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('result')).toHaveClass(/ok/);
    expect(tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    expect(late).toBeGreaterThan(newest);
    expectOthersUntouched(tenant, before, [open.dialogId]);

    // And from the context menu, on a message of the slider.
    const other = await otherUnreadRow(tenant, page, open.dialogId);
    await page.locator(`${ROW}[data-id="${other.dialogId}"]`).click();
    await expect(page.locator(`${ROW}[data-id="${other.dialogId}"]`)).toHaveClass(/--selected/);
    const otherNewest = await newestOnPage(page);
    await page.locator(`${MESSAGE}[data-id="${otherNewest}"] .bx-im-message-default-content__text`).click({ button: 'right' });
    await fireMenu(serviceWorker, 'mark-read-up-to-here', tabId);
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(otherNewest);
    await popup.close();
    await page.close();
  });

  test('stale address: after switching chats the address still names the first; the chat on screen is read, the first is untouched', async ({ tenant, login, openMessenger, openPopup }) => {
    await login(tenant);
    const first = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, first.dialogId);
    const second = await otherUnreadRow(tenant, page, first.dialogId);
    await page.locator(`${ROW}[data-id="${second.dialogId}"]`).click();
    await expect(page.locator(`${ROW}[data-id="${second.dialogId}"]`)).toHaveClass(/--selected/);
    expect(page.url()).toContain(`IM_DIALOG=${first.dialogId}`);
    const newest = await newestOnPage(page);
    expect(newest).toBe(second.lastMessageId);

    const popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(second.title);
    const before = snapshot(tenant);
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('result')).toHaveClass(/ok/);
    expect(tenant.chat(second.dialogId)!.lastReadId).toBe(newest);
    expect(tenant.chat(first.dialogId)).toEqual(before.get(first.dialogId));
    expectOthersUntouched(tenant, before, [second.dialogId]);
    await popup.close();
    await page.close();
  });

  test('/desktop_app/: the messenger is in an iframe; the popup and the context menu find it there', async ({ tenant, login, browserWithExtension, serviceWorker, openPopup }) => {
    await login(tenant);
    const open = openTarget(tenant);
    const page = await browserWithExtension.newPage();
    await page.goto(`${tenant.origin}/desktop_app/?IM_DIALOG=${open.dialogId}`);
    const frame = page.frameLocator('iframe.bx-desktop-frame');
    await expect(frame.locator(`${ROW}[class~="--selected"]`)).toHaveAttribute('data-id', open.dialogId);
    expect(await page.locator(ROW).count()).toBe(0);
    const inner = page.frames().find((f) => f.url().includes('IFRAME=Y'))!;
    const newest = await newestOnPage(inner);
    const tabId = await tabIdOf(serviceWorker, page.url());

    const popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
    const before = snapshot(tenant);
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('result')).toHaveClass(/ok/);
    expect(tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    expectOthersUntouched(tenant, before, [open.dialogId]);

    // A row right-clicked inside the frame: the menu click names that frame.
    const other = await otherUnreadRow(tenant, inner, open.dialogId);
    await frame.locator(`${ROW}[data-id="${other.dialogId}"]`).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    const frameId = await frameIdOf(serviceWorker, tabId, 'IFRAME=Y');
    expect(frameId).not.toBe(0);
    await fireMenu(serviceWorker, 'mark-chat-read', tabId, frameId);
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(other.lastMessageId);
    expect(tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    await popup.close();
    await page.close();
  });

  test('no store: the DOM says which chat and message; where nothing does, the popup says everything will be read, and it is', async ({ tenant, login, openMessenger, openPopup, serviceWorker }) => {
    await login(tenant);
    tenant.setPageOptions({ store: false });
    const open = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, open.dialogId);
    expect(await page.evaluate(() => (window as unknown as { BX: { Messenger?: unknown } }).BX.Messenger)).toBeUndefined();
    const newest = await newestOnPage(page);
    const late = tenant.pushMessage(open.dialogId);

    let popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
    await expect(popup.getByText('everything in it will be marked read')).toHaveCount(0);
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('result')).toHaveClass(/ok/);
    expect(tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    expect(tenant.chat(open.dialogId)!.counter).toBe(1);
    await popup.close();

    // A row right-clicked: no store to ask for its last message, so that chat is read entirely.
    const other = await otherUnreadRow(tenant, page, open.dialogId);
    const otherLate = tenant.pushMessage(other.dialogId);
    await page.locator(`${ROW}[data-id="${other.dialogId}"]`).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    await fireMenu(serviceWorker, 'mark-chat-read', tabId);
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(otherLate);
    expect(tenant.chat(other.dialogId)!.counter).toBe(0);

    // The open chat opened from search: no row is selected, only the address names it.
    await page.evaluate(() => document.querySelectorAll('[class~="--selected"]').forEach((row) => row.classList.remove('--selected')));
    const later = tenant.pushMessage(open.dialogId);
    popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
    await expect(popup.getByText('everything in it will be marked read')).toBeVisible();
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('read-everything')).toBeVisible();
    expect(tenant.chat(open.dialogId)!.lastReadId).toBe(later);
    expect(late).toBeLessThan(later);
    const sent = tenant.log.filter((e) => e.subCalls?.some((c) => c.startsWith('im.dialog.read'))).at(-1)!.subCalls!.find((c) => c.startsWith('im.dialog.read'))!;
    expect(sent).not.toMatch(/MESSAGE_ID/i);
    await popup.close();
    await page.close();
  });

  test('legacy messenger: the open tab from BXIM, a message and a row from the context menu, a switched chat', async ({ tenant, login, openMessenger, openPopup, serviceWorker }) => {
    await login(tenant);
    tenant.setPageOptions({ markup: 'legacy' });
    const open = openTarget(tenant);
    const { page, tabId } = await openMessenger(tenant, open.dialogId);
    const shown = await page.$$eval('.bx-messenger-body-wrap .bx-messenger-message', (els) => els.map((el) => el.id.replace('im-message-', '')).filter((id) => /^\d+$/.test(id)).map(Number));

    const popup = await openPopup(tabId);
    await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
    await popup.close();

    // A message right-clicked (the browser's menu appears on messages).
    const pointed = shown.filter((id) => id > open.lastReadId).at(-2)!;
    await page.locator(`#im-message-${pointed}`).click({ button: 'right' });
    const before = snapshot(tenant);
    await fireMenu(serviceWorker, 'mark-read-up-to-here', tabId);
    await expect.poll(() => tenant.chat(open.dialogId)!.lastReadId).toBe(pointed);
    expectOthersUntouched(tenant, before, [open.dialogId]);

    // A row right-clicked (Alt+Shift): that chat, the open one untouched.
    const rendered = new Set(await page.$$eval('.bx-messenger-cl-item', (els) => els.map((el) => el.getAttribute('data-userId'))));
    const other = tenant.chats().find((c) => c.dialogId !== open.dialogId && rendered.has(c.dialogId) && c.counter > 1 && !c.manualUnread && c.kind === 'chat')!;
    await page.locator(`.bx-messenger-cl-item[data-userId="${other.dialogId}"] .bx-messenger-cl-user-title`).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    const beforeRow = snapshot(tenant);
    await fireMenu(serviceWorker, 'mark-chat-read', tabId);
    // No v2 store to ask for that chat's last message: it is read entirely.
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(other.lastMessageId);
    expect(tenant.chat(open.dialogId)).toEqual(beforeRow.get(open.dialogId));
    expectOthersUntouched(tenant, beforeRow, [other.dialogId]);

    // Switch chats (the address goes stale): the popup reads the chat on screen up to its newest message.
    const third = tenant.chats().find((c) => c.dialogId !== open.dialogId && c.dialogId !== other.dialogId && rendered.has(c.dialogId) && c.kind === 'dialog' && c.counter > 1 && !c.manualUnread)!;
    const thirdRow = page.locator(`.bx-messenger-cl-item[data-userId="${third.dialogId}"]`);
    await thirdRow.click();
    await expect(page.locator(`#im-message-${third.lastMessageId}`)).toBeVisible();
    expect(page.url()).toContain(`IM_DIALOG=${open.dialogId}`);
    const popup2 = await openPopup(tabId);
    await expect(popup2.getByTestId('chat-title')).toHaveText(third.title);
    const beforeSwitch = snapshot(tenant);
    await popup2.getByTestId('mark-chat-read').click();
    await expect(popup2.getByTestId('result')).toHaveClass(/ok/);
    expect(tenant.chat(third.dialogId)!.lastReadId).toBe(third.lastMessageId);
    expectOthersUntouched(tenant, beforeSwitch, [third.dialogId]);
    await popup2.close();
    await page.close();
  });
});

test('the popup’s help tells about Alt+Shift+right-click', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const popup = await openPopup(tabId);
  const help = popup.getByTestId('menu-help');
  await expect(help).toBeVisible();
  await help.locator('summary').click();
  await expect(help).toContainText('Alt+Shift');
  await popup.close();
  await page.close();
});

