// Issue 6, bad input: everything a user, a page, another extension or a broken portal can throw at
// the built extension. Each case gets a clear error, and the portal shows nothing read that should
// not be. (Pure cases — every malformed webhook form, hostile ids in markup and REST answers,
// oversized bodies — are unit tests next to the code; these need the browser.)
import type { Page, Worker } from '@playwright/test';
import { test, expect, type Tenant } from './fixtures.ts';
import { useReadReceipts } from './read-mode.ts';
import { audit, reportAudit, startAudit } from './read-audit.ts';
import { fireCommand, planAndConfirm, resetExtension, storedJob } from './bulk-driver.ts';

test.afterEach(async ({ browserWithExtension, extensionId }) => {
  await resetExtension(browserWithExtension, extensionId);
});

const HOSTILE_DIALOG_IDS = ['chat1;x', '../1', '1'.repeat(40), 'c0ffee00-1234-4abc-8def-0123456789ab'];
const HOSTILE_MESSAGE_IDS = ['../1', '9'.repeat(40), '5f0c7a2e-9d1b-4c3e-8a6f-2b7d9e1c4a30'];

/** True when any request the portal got carries one of these strings (raw or URL-encoded). */
function portalSaw(tenant: Tenant, values: string[]): string[] {
  const seen: string[] = [];
  for (const entry of tenant.log) {
    const text = `${entry.path} ${(entry.subCalls ?? []).join(' ')}`;
    for (const value of values) if (text.includes(value) || text.includes(encodeURIComponent(value))) seen.push(value);
  }
  return seen;
}

async function clickMenu(worker: Worker, menuItemId: string, tabId: number): Promise<void> {
  await worker.evaluate(
    async ({ menuItemId, tabId }) => {
      const tab = await chrome.tabs.get(tabId);
      const info = { menuItemId, editable: false, frameId: 0, pageUrl: tab.url ?? '' };
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: unknown, t?: chrome.tabs.Tab): void }).dispatch(info, tab);
    },
    { menuItemId, tabId },
  );
}

/** Tab ids the worker can see (no URLs without host access): a new page's id is the new one. */
async function tabIds(worker: Worker): Promise<number[]> {
  return worker.evaluate(async () => (await chrome.tabs.query({})).map((tab) => tab.id!));
}

/** Runs an expression in the extension's content-script (isolated) world of a page, through CDP. */
async function inContentScript<T>(page: Page, extensionId: string, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  try {
    await expect.poll(() => contexts.some((c) => c.origin === `chrome-extension://${extensionId}` && c.auxData?.type === 'isolated')).toBe(true);
    const context = contexts.find((c) => c.origin === `chrome-extension://${extensionId}` && c.auxData?.type === 'isolated')!;
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: context.id, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`content-script world: ${exceptionDetails.text}`);
    return result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function hasContentScript(page: Page, extensionId: string): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  const origins: string[] = [];
  cdp.on('Runtime.executionContextCreated', (event) => origins.push(event.context.origin));
  await cdp.send('Runtime.enable');
  await page.waitForTimeout(300);
  await cdp.detach();
  return origins.includes(`chrome-extension://${extensionId}`);
}

test('malformed webhook URLs — credentials in it, another host, a look-alike host, megabytes long: a clear error, nothing saved or sent', async ({
  browserWithExtension,
  extensionId,
  serviceWorker,
  tenant,
}) => {
  const page = await browserWithExtension.newPage();
  await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await page.getByLabel('Incoming webhook').check();
  const result = page.getByTestId('webhook-check-result');
  const secret = 'a1b2c3d4e5f6a7b8';
  const cases: Array<[string, string]> = [
    [`https://admin:hunter2@${tenant.host}/rest/1/${secret}/`, 'Remove the user name or password before the portal address.'],
    [`https://intranet.example.com/rest/1/${secret}/`, 'The extension has no access to https://intranet.example.com.'],
    [`https://${tenant.host}.example.com/rest/1/${secret}/`, `The extension has no access to https://${tenant.host}.example.com.`],
    [`https://${tenant.host}/rest/1/${secret}/${'a'.repeat(3 * 1024 * 1024)}`, 'This is too long for a webhook URL.'],
  ];
  for (const [url, message] of cases) {
    await page.locator('#webhook-url').fill(url);
    await page.getByTestId('webhook-check').click();
    await expect(result).toHaveClass(/fail/);
    await expect(result).toContainText(message);
    await expect(page.getByTestId('webhook-save')).toBeDisabled();
    expect(await result.textContent()).not.toContain(secret);
  }
  const stored = await serviceWorker.evaluate(() => chrome.storage.local.get(null));
  expect(stored['webhook']).toBeUndefined();
  expect(tenant.log, 'nothing was sent to the portal').toEqual([]);
  await page.close();
});

test('a non-Bitrix page dressed as a portal (BX globals, messenger markup, real chat ids, on other origins): no content script, nothing read or sent', async ({
  browserWithExtension: context,
  serviceWorker,
  extensionId,
  portal,
  tenant,
  openPopup,
}) => {
  // The dress: the real messenger page of a logged-in tenant, served from hosts that are not Bitrix24 cloud portals.
  const { cookieValue } = tenant.login();
  const html = await (await portal.fetch(`${tenant.origin}/online/`, { headers: { Cookie: `PHPSESSID=${cookieValue}` } })).text();
  const restCalls: string[] = [];
  for (const host of ['intranet.example.com', `${tenant.host}.example.com`]) {
    await context.route(`https://${host}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.startsWith('/rest/')) {
        restCalls.push(url.pathname);
        await route.fulfill({ status: 200, contentType: 'application/json', body: '{"result":true}' });
      } else if (url.pathname.startsWith('/bitrix/')) {
        await route.fulfill({ status: 200, body: await (await portal.fetch(`${tenant.origin}${url.pathname}`)).text(), contentType: url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript' });
      } else {
        await route.fulfill({ status: 200, contentType: 'text/html', body: html });
      }
    });
    const before = await tabIds(serviceWorker);
    const page = await context.newPage();
    await page.goto(`https://${host}/online/`);
    expect(await page.evaluate(() => typeof (window as unknown as { BX?: { bitrix_sessid?: unknown } }).BX?.bitrix_sessid)).toBe('function');
    const tabId = (await tabIds(serviceWorker)).find((id) => !before.includes(id))!;
    expect(await hasContentScript(page, extensionId), `no content script on ${host}`).toBe(false);

    const popup = await openPopup(tabId);
    await expect(popup.locator('[data-state]')).not.toHaveAttribute('data-state', 'detecting');
    await expect(popup.locator('[data-state="ready"]')).toHaveCount(0);
    await expect(popup.getByTestId('mark-chat-read')).toHaveCount(0);
    await fireCommand(serviceWorker, 'mark-current-read', tabId);
    await clickMenu(serviceWorker, 'mark-chat-read', tabId);
    await page.waitForTimeout(300);
    await popup.close();
    await page.close();
  }
  expect(restCalls, 'no REST call to the look-alike hosts').toEqual([]);
  expect(tenant.readCalls, 'nothing read on the real portal either').toEqual([]);
  for (const host of ['intranet.example.com', `${tenant.host}.example.com`]) await context.unroute(`https://${host}/**`);
});

test('hostile values on a portal page — dialog ids chat1;x, ../1, 40 digits, a UUID in the DOM, the address and the page store: "no chat open", nothing read', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
  serviceWorker,
  extensionId,
}) => {
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  expect(await hasContentScript(page, extensionId), 'control: the content script runs on a portal page').toBe(true);
  for (const [i, dialogId] of HOSTILE_DIALOG_IDS.entries()) {
    const messageId = HOSTILE_MESSAGE_IDS[i % HOSTILE_MESSAGE_IDS.length]!;
    await page.evaluate(
      ({ dialogId, messageId }) => {
        const row = document.querySelector('.bx-im-list-recent-item__wrap[class~="--selected"]') ?? document.querySelector('[data-hostile]');
        row!.setAttribute('data-id', dialogId);
        row!.setAttribute('data-hostile', '1');
        for (const message of document.querySelectorAll('.bx-im-message-base__wrap')) message.setAttribute('data-id', messageId);
        const w = window as unknown as { BX: { Messenger: { v2: { Application: { Core: { getStore(): { getters: Record<string, unknown> } } } } } } };
        const getters = w.BX.Messenger.v2.Application.Core.getStore().getters;
        getters['application/getLayout'] = { name: 'chat', entityId: dialogId, contextId: 0 };
        getters['chats/get'] = () => ({ dialogId, chatId: dialogId, lastMessageId: messageId, counter: 3, name: 'Hostile' });
        getters['messages/getByChatId'] = () => [{ id: messageId }];
        history.replaceState(null, '', `/online/?IM_DIALOG=${encodeURIComponent(dialogId)}&IM_MESSAGE=${encodeURIComponent(messageId)}`);
      },
      { dialogId, messageId },
    );
    const popup = await openPopup(tabId);
    await expect(popup.locator('[data-state="ready"]')).toContainText('No chat is open in this tab. Open a chat in the messenger.');
    await expect(popup.getByTestId('mark-chat-read')).toHaveCount(0);
    await fireCommand(serviceWorker, 'mark-current-read', tabId);
    // Right-click the hostile row, then "Mark this chat read": never falls back to another chat.
    await page.locator('[data-hostile]').click({ button: 'right' });
    await clickMenu(serviceWorker, 'mark-chat-read', tabId);
    await page.waitForTimeout(300);
    await popup.close();
  }
  expect(tenant.readCalls, 'nothing read').toEqual([]);
  expect(portalSaw(tenant, [...HOSTILE_DIALOG_IDS, ...HOSTILE_MESSAGE_IDS]), 'no hostile value reached the portal').toEqual([]);
});

test('forged window messages to the MAIN-world bridge: hostile snapshots are dropped, the DOM decides, only the open chat is read', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
  serviceWorker,
}) => {
  // The read is judged by its MESSAGE_ID (receipts mode).
  await useReadReceipts(serviceWorker);
  await login(tenant);
  const open = tenant.chats().find((chat) => chat.kind === 'chat' && chat.counter >= 2 && !chat.pinned)!;
  const { page, tabId } = await openMessenger(tenant, open.dialogId);
  // The page rewrites every bridge answer (it can: the bridge shares its world) and floods fake ones.
  await page.evaluate(() => {
    const hostile = {
      sessid: '"><img src=x onerror=alert(1)>',
      userId: -5,
      openDialogId: 'chat1;x',
      chat: { dialogId: 'chat1;x', chatId: '../1', lastMessageId: '9'.repeat(40), counter: -1, name: 'x'.repeat(100_000) },
      loadedMessageIds: ['../1', 'c0ffee00-1234-4abc-8def-0123456789ab', 1e300],
      hasStore: 'yes',
      layoutName: '<script>',
      legacyDialogId: '../1',
      requested: { dialogId: '1'.repeat(40), lastMessageId: -3 },
    };
    const post = window.postMessage.bind(window);
    const w = window as unknown as { forged: number };
    w.forged = 0;
    window.postMessage = ((message: unknown, ...rest: unknown[]) => {
      const m = message as { tag?: string; kind?: string } | null;
      if (m?.tag === 'b24-mark-read' && m.kind === 'response') {
        w.forged += 1;
        return (post as (...a: unknown[]) => void)({ ...m, snapshot: hostile }, ...rest);
      }
      return (post as (...a: unknown[]) => void)(message, ...rest);
    }) as typeof window.postMessage;
    setInterval(() => post({ tag: 'b24-mark-read', kind: 'response', id: crypto.randomUUID(), snapshot: hostile }, location.origin), 5);
  });
  const popup = await openPopup(tabId);
  await expect(popup.getByTestId('chat-title')).toHaveText(open.title);
  await popup.getByTestId('mark-chat-read').click();
  await expect(popup.getByTestId('result')).toHaveClass(/ok/);
  expect(await page.evaluate(() => (window as unknown as { forged: number }).forged), 'the bridge answers were forged').toBeGreaterThan(0);
  expect(tenant.readCalls.map((call) => [call.dialogId, call.messageId])).toEqual([[open.dialogId, open.lastMessageId]]);
  expect(portalSaw(tenant, ['chat1;x', '../1', '9'.repeat(40), '1'.repeat(40), 'onerror']), 'no forged value reached the portal').toEqual([]);
});

test('messages to the worker from web pages, content scripts (UI routes) and other extensions are not served', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
  serviceWorker,
  extensionId,
}) => {
  expect(await serviceWorker.evaluate(() => [chrome.runtime.onMessageExternal.hasListeners(), chrome.runtime.onConnectExternal.hasListeners()])).toEqual([false, false]);
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  // A web page has no channel to the extension at all (no externally_connectable).
  expect(await page.evaluate(() => typeof (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');

  // A real plan, made from the popup, that a content script would love to start.
  const popup = await openPopup(tabId);
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-confirm')).toBeVisible();
  const planId = await popup.evaluate(async () => ((await chrome.storage.local.get('bulk:plan'))['bulk:plan'] as { planId: string }).planId);
  const webhook = tenant.addWebhook();
  const replies = await inContentScript<unknown[]>(
    page,
    extensionId,
    `(async () => {
      const messages = ${JSON.stringify([
        { type: 'bulk/start', payload: { planId } },
        { type: 'bulk/plan', payload: { tabId } },
        { type: 'chat/mark-read', payload: { tabId } },
        { type: 'popup/state', payload: { tabId } },
        { type: 'bulk/status', payload: {} },
        { type: 'options/check-webhook', payload: { url: webhook } },
      ])};
      const replies = [chrome.runtime.id];
      for (const message of messages) {
        try { replies.push((await chrome.runtime.sendMessage(message)) ?? null); } catch (error) { replies.push('refused'); }
      }
      return replies;
    })()`,
  );
  expect(replies.shift(), 'sent from the content-script world').toBe(extensionId);
  expect(replies).toHaveLength(6);
  for (const reply of replies) expect(reply === null || reply === 'refused', JSON.stringify(reply)).toBe(true);
  await page.waitForTimeout(500);
  expect(await storedJob(popup), 'no job started').toBeNull();
  expect(tenant.readCalls).toEqual([]);
  expect(tenant.log.filter((entry) => entry.auth === 'webhook'), 'the webhook check did not run').toEqual([]);
});

test('non-JSON, oversized and unknown answers (a login page, truncated JSON, 21 MB, an error code nobody knows): a clear error, nothing read', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
}) => {
  await login(tenant);
  const open = tenant.chats().find((chat) => chat.kind === 'chat' && chat.counter > 0 && !chat.pinned)!;
  const { tabId } = await openMessenger(tenant, open.dialogId);
  const cases: Array<[Parameters<Tenant['faults']['inject']>[0], string]> = [
    [{ kind: 'html', times: 1, methods: ['im.dialog.read'] }, 'The portal answered with a page instead of data'],
    [{ kind: 'garbage', times: 1, methods: ['im.dialog.read'] }, 'The portal answered with a page instead of data'],
    [{ kind: 'huge', times: 1, methods: ['im.dialog.read'] }, 'The portal’s answer was too large (over 20 MB) and was refused.'],
    [{ kind: 'error', times: 1, methods: ['im.dialog.read'], error: 'BRAND_NEW_CODE', status: 400 }, 'Bitrix24 rejected the request (BRAND_NEW_CODE).'],
  ];
  for (const [fault, message] of cases) {
    const popup = await openPopup(tabId);
    await expect(popup.getByTestId('mark-chat-read')).toBeEnabled();
    tenant.faults.inject(fault);
    await popup.getByTestId('mark-chat-read').click();
    await expect(popup.getByTestId('result')).toHaveClass(/fail/);
    await expect(popup.getByTestId('result')).toContainText(message);
    expect(tenant.faults.pending()).toEqual([]);
    await popup.close();
  }
  // Discovery answered with garbage: the plan says so and nothing is read.
  const popup = await openPopup(tabId);
  tenant.faults.inject({ kind: 'garbage', times: 1, methods: ['im.recent.list'] });
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-error')).toContainText('The portal answered with a page instead of data');
  await expect(popup.getByTestId('bulk-plan-view')).toHaveCount(0);
  expect(tenant.readCalls, 'nothing read').toEqual([]);
});

test('an unknown error code mid-job: paused with the code named, resumed by the user, nothing lost or read twice', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
}, testInfo) => {
  await login(tenant);
  const { tabId } = await openMessenger(tenant);
  const start = startAudit(tenant);
  const popup = await openPopup(tabId);
  await planAndConfirm(popup, start.targets.length, () =>
    tenant.faults.inject({ kind: 'error', times: 1, methods: ['im.dialog.read'], afterRequests: 2, error: 'SOMETHING_NEW', status: 400 }),
  );
  const progress = popup.getByTestId('bulk-progress');
  await expect(progress).toHaveAttribute('data-status', 'paused');
  await expect(progress).toContainText('Bitrix24 rejected the request (SOMETHING_NEW).');
  await popup.getByRole('button', { name: 'Resume' }).click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const figures = audit(tenant, start, 'unknown error code mid-job, resumed');
  await reportAudit(testInfo, figures);
  expect(figures).toMatchObject({ lost: 0, readTwice: 0, pointerMovedTwice: 0, nonTargetsRead: 0, beyondDiscovered: 0, read: start.targets.length });
});

