// Issue 13: the Firefox build (dist-firefox/) in a real Firefox ESR, headed under Xvfb, against the
// local portal. Real key presses and a real right-click go through xdotool; extension pages are
// reached the way a user reaches them (the address bar); results are judged by the portal.
// Run: npm run test:firefox (node's test runner; one browser for the whole file, < 2 minutes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'puppeteer-core';
import { startPortal, type PortalServer, type Tenant } from '../portal/index.ts';
import { audit, startAudit, defaultTarget } from '../read-audit.ts';
import { pressKeys, startXvfb } from '../xvfb.ts';
import { badgeText, chromeEval, extensionTab, launchFirefox, SCREEN_ORIGIN_SCRIPT, startMappingProxy, waitFor, type FirefoxSession, type MappingProxy } from './firefox.ts';

const ROW = '.bx-im-list-recent-item__wrap';
/** Screen point (device pixels) of the middle of a menu element: its popup's screen position plus its offset in the popup. */
const SCREEN_POINT_IN_POPUP = `((el) => { const popup = el.closest('menupopup'); const p = popup.getBoundingClientRect(); const r = el.getBoundingClientRect(); return { x: Math.round((popup.screenX + r.left - p.left + r.width / 2) * devicePixelRatio), y: Math.round((popup.screenY + r.top - p.top + r.height / 2) * devicePixelRatio) }; })`;

let xvfb: { display: string; process: ChildProcess };
let portal: PortalServer;
let proxy: MappingProxy;
let firefox: FirefoxSession;
let hostCounter = 0;

function xdotool(...args: string[]): void {
  execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: xvfb.display } });
}

function freshTenant(): Tenant {
  hostCounter += 1;
  return portal.tenant(`ff${hostCounter}.bitrix24.ru`);
}

/** Log in through the portal's own form, as a user does, and land on `path`. */
async function logInAndOpen(tenant: Tenant, path: string): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(`${tenant.origin}${path}`);
  await page.type('input[name=USER_LOGIN]', 'user');
  await page.type('input[name=USER_PASSWORD]', 'secret');
  await Promise.all([page.waitForNavigation(), page.click('input[name=Login]')]);
  assert.equal(new URL(page.url()).pathname, '/online/');
  await page.bringToFront();
  return page;
}

/** Type a URL into the address bar on the real keyboard (extension pages cannot be opened over BiDi). */
function typeIntoAddressBar(url: string): void {
  pressKeys(xvfb.display, 'ctrl+l', 'firefox');
  xdotool('type', '--delay', '2', url);
  xdotool('key', 'Return');
}

/** The portal tab's id, as the extension sees it. */
async function tabIdOf(url: string): Promise<number> {
  const page = await openExtensionPage('/src/options/index.html');
  try {
    return await waitFor(`a tab at ${url}`, () => page.tab.evaluate<number | null>(`browser.tabs.query({}).then((tabs) => tabs.find((t) => t.url === ${JSON.stringify(url)})?.id ?? null)`));
  } finally {
    await page.close();
  }
}

async function openExtensionPage(pathAndQuery: string): Promise<{ tab: Awaited<ReturnType<typeof extensionTab>>; close(): Promise<void> }> {
  const url = `${firefox.extensionOrigin}${pathAndQuery}`;
  const blank = await firefox.browser.newPage();
  await blank.bringToFront();
  typeIntoAddressBar(url);
  const tab = await extensionTab(firefox, url);
  return { tab, close: () => blank.close() };
}

before(async () => {
  xvfb = await startXvfb(400);
  portal = await startPortal({ port: 0 });
  proxy = await startMappingProxy(portal.port);
  firefox = await launchFirefox({ proxyPort: proxy.port, headless: false, display: xvfb.display });
  const version = await firefox.browser.version();
  console.log(`# Firefox under test: ${version}; add-on ${firefox.extensionId}`);
});

after(async () => {
  await firefox?.close();
  await proxy?.close();
  await portal?.close();
  xvfb?.process.kill();
});

describe('Firefox build in Firefox ESR', () => {
  test('installed with the cloud portals\' host access granted, the manifest\'s shortcuts bound, the button on the toolbar', async () => {
    const state = await chromeEval<{ origins: string[]; area: string | null; shortcuts: Record<string, string> }>(
      firefox.browser,
      `(async () => {
        const policy = WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)});
        const widget = ${JSON.stringify(firefox.extensionId.toLowerCase().replace(/[^a-z0-9_-]/g, '_') + '-browser-action')};
        const commands = await policy.extension.shortcuts.allCommands();
        return {
          origins: policy.allowedOrigins.patterns.map((p) => p.pattern),
          area: window.CustomizableUI.getPlacementOfWidget(widget)?.area ?? null,
          shortcuts: Object.fromEntries(commands.map((c) => [c.name, c.shortcut])),
        };
      })()`,
    );
    assert.deepEqual(state.shortcuts, { _execute_action: 'Alt+Shift+U', 'mark-current-read': 'Alt+Shift+M', 'mark-all-read': 'Alt+Shift+L' });
    assert.ok(state.origins.includes('https://*.bitrix24.ru/*'), 'host permission granted at install');
    assert.equal(state.area, 'nav-bar', 'the action sits on the toolbar, its badge in sight');
  });

  test('Alt+Shift+M on the real keyboard reads the open chat up to the newest message on the page; a later one stays unread; the badge shows the portal total', { timeout: 60_000 }, async () => {
    const tenant = freshTenant();
    const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 2 && !c.muted && !c.pinned && !c.manualUnread)!;
    const page = await logInAndOpen(tenant, `/online/?IM_DIALOG=${target.dialogId}`);
    const rendered = await page.$$eval('.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap[data-id]', (els) =>
      els.map((el) => el.getAttribute('data-id') ?? '').filter((id) => /^\d+$/.test(id)).map(Number),
    );
    const newestOnPage = Math.max(...rendered);
    assert.equal(newestOnPage, target.lastMessageId);
    const late = tenant.pushMessage(target.dialogId, { text: 'arrived after the page rendered' });
    await page.click('.bx-im-dialog-chat__scroll-container');

    pressKeys(xvfb.display, 'alt+shift+m', 'firefox');

    await waitFor('the chat read up to the page\'s newest message', () => tenant.chat(target.dialogId)!.lastReadId === newestOnPage);
    assert.equal(tenant.chat(target.dialogId)!.counter, 1, 'the later message stays unread');
    assert.ok(late > newestOnPage);
    // The default mode reads like Bitrix24's own "Read": the whole chat, no receipt, then the later
    // message is put back unread (two pointer moves; what a person sees is one read).
    assert.ok(tenant.readEvents.filter((e) => e.dialogId === target.dialogId).length <= 2);
    assert.equal(tenant.receipts.filter((r) => r.dialogId === target.dialogId).length, 0, 'no read receipt');
    const total = String(tenant.counters().TYPE.ALL);
    await waitFor(`badge ${total}`, async () => (await badgeText(firefox)) === total);
    await page.close();
  });

  test('Shift+right-click on a row and the menu\'s "Mark this chat read": that chat is read up to its last message, the open chat untouched', { timeout: 60_000 }, async () => {
    const tenant = freshTenant();
    const open = tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 2 && !c.muted && !c.pinned && !c.manualUnread)!;
    const page = await logInAndOpen(tenant, `/online/?IM_DIALOG=${open.dialogId}`);
    // Rows a pointer can reach: the middle of the row is the row (not clipped by the list or covered).
    const rows = await page.$$eval(ROW, (els) =>
      els
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return el.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
        })
        .map((el) => el.getAttribute('data-id')),
    );
    const other = tenant.chats().find((c) => c.dialogId !== open.dialogId && rows.includes(c.dialogId) && c.counter > 1 && !c.pinned && c.kind !== 'lines' && !c.manualUnread)!;
    assert.ok(other, 'an unread row in sight');
    const late = tenant.pushMessage(other.dialogId, { text: 'arrived after the page rendered' });
    const openBefore = { ...tenant.chat(open.dialogId)! };

    // Where the row is on the screen: its box inside the page plus the page's place on the screen.
    const point = await page.$eval(
      `${ROW}[data-id="${other.dialogId}"]`,
      (el, script) => {
        const box = el.getBoundingClientRect();
        const origin = (0, eval)(script) as { x: number; y: number; ratio: number };
        return { x: Math.round((origin.x + box.left + box.width / 2) * origin.ratio), y: Math.round((origin.y + box.top + box.height / 2) * origin.ratio) };
      },
      SCREEN_ORIGIN_SCRIPT,
    );
    // Bitrix24 shows its own menu on a plain right-click; Shift+right-click is Firefox's way to its
    // own menu (the page gets no contextmenu event: the extension learns the row from the menu).
    xdotool('mousemove', String(point.x), String(point.y));
    xdotool('keydown', 'shift');
    xdotool('click', '3');
    xdotool('keyup', 'shift');

    // Choose the item on the keyboard, as a user without a mouse does: Down until the add-on's
    // entry is highlighted (Firefox groups several items of one add-on under its name), Right into
    // it, Down to the item, Enter.
    const label = 'Mark this chat read';
    const menuState = () =>
      chromeEval<{ open: boolean; active: string[]; grouped: string | null }>(
        firefox.browser,
        `(() => {
          const menu = document.getElementById('contentAreaContextMenu');
          const item = [...menu.querySelectorAll('menuitem')].find((m) => m.getAttribute('label') === ${JSON.stringify(label)});
          const group = item && item.parentElement !== menu ? item.closest('menu') : null;
          return { open: menu.state === 'open' && !!item, active: [...menu.querySelectorAll('[_moz-menuactive]')].map((el) => el.getAttribute('label')), grouped: group ? group.getAttribute('label') : null };
        })()`,
      );
    const first = await waitFor('the context menu with the extension\'s item', async () => ((await menuState()).open ? menuState() : null));
    const highlight = async (wanted: string) => {
      for (let presses = 0; presses < 60; presses += 1) {
        const now = await menuState();
        if (now.active.at(-1) === wanted) return;
        xdotool('key', 'Down');
      }
      throw new Error(`never reached "${wanted}" in the context menu`);
    };
    if (first.grouped) {
      await highlight(first.grouped);
      xdotool('key', 'Right');
    }
    await highlight(label);
    xdotool('key', 'Return');

    await waitFor('the right-clicked chat read', () => tenant.chat(other.dialogId)!.lastReadId === other.lastMessageId);
    assert.equal(tenant.chat(other.dialogId)!.counter, 1, 'the message that came after the page stays unread');
    assert.ok(late > other.lastMessageId);
    assert.ok(tenant.readEvents.filter((e) => e.dialogId === other.dialogId).length <= 2);
    assert.equal(tenant.receipts.filter((r) => r.dialogId === other.dialogId).length, 0, 'no read receipt');
    assert.deepEqual(tenant.chat(open.dialogId), openBefore, 'the open chat is untouched');
    assert.equal(await page.$$eval('.im-recent-context-menu', (els) => els.length), 0, 'Bitrix24\'s own menu did not open');
    await page.close();
  });

  test('bulk read of every unread chat from the popup, confirmed: 0 × 503, every target read once, the badge shows the portal total', { timeout: 90_000 }, async () => {
    const tenant = freshTenant();
    const page = await logInAndOpen(tenant, '/online/');
    const tabId = await tabIdOf(page.url());
    const start = startAudit(tenant, defaultTarget);
    assert.ok(start.targets.length > 200, `a few hundred targets (${start.targets.length})`);

    const popup = await openExtensionPage(`/src/popup/index.html?tabId=${tabId}`);
    const click = (testId: string) => popup.tab.evaluate<boolean>(`(() => { const el = document.querySelector('[data-testid="${testId}"]'); if (!el || el.disabled) return false; el.click(); return true; })()`);
    const text = (testId: string) => popup.tab.evaluate<string | null>(`document.querySelector('[data-testid="${testId}"]')?.textContent ?? null`);
    await waitFor('the popup ready', () => click('bulk-plan'));
    const confirm = await waitFor('the confirmation', () => text('bulk-confirm'));
    assert.match(confirm, new RegExp(`\\b${start.targets.length}\\b`), 'the confirmation names the count');
    assert.ok(await click('bulk-confirm'));
    await waitFor('the job done', () => popup.tab.evaluate<boolean>(`document.querySelector('[data-testid="bulk-result"]')?.getAttribute('data-status') === 'done'`), 60_000);

    const figures = audit(tenant, start, 'firefox: bulk read from the popup');
    console.log(`# READ-AUDIT ${JSON.stringify(figures)}`);
    assert.equal(figures.http503, 0);
    assert.equal(figures.lost, 0);
    assert.equal(figures.read, figures.targets);
    assert.equal(figures.readTwice, 0);
    assert.equal(figures.pointerMovedTwice, 0);
    assert.equal(figures.nonTargetsRead, 0);
    await popup.close();

    await page.bringToFront();
    const total = String(tenant.counters().TYPE.ALL);
    await waitFor(`badge ${total}`, async () => (await badgeText(firefox)) === total);
    await page.close();
  });
  test('access to the cloud portals turned off (about:addons): the real shortcut on the tab is the grant (activeTab), the chat is read, access stays off', { timeout: 60_000 }, async () => {
    const zone = 'https://*.bitrix24.ru/*';
    const permissions = (method: 'add' | 'remove') =>
      chromeEval<boolean>(
        firefox.browser,
        `(async () => {
          const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
          const policy = WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)});
          await ExtensionPermissions.${method}(policy.id, { permissions: [], origins: [${JSON.stringify(zone)}] }, policy.extension);
          return policy.allowedOrigins.patterns.some((p) => p.pattern === ${JSON.stringify(zone)});
        })()`,
      );
    // What the add-on manager's "Access your data for sites in the *.bitrix24.ru domain" switch does.
    assert.equal(await permissions('remove'), false);
    try {
      const tenant = freshTenant();
      const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 2 && !c.muted && !c.pinned && !c.manualUnread)!;
      const page = await logInAndOpen(tenant, `/online/?IM_DIALOG=${target.dialogId}`);
      const before = tenant.readEvents.length;
      await page.click('.bx-im-dialog-chat__scroll-container');

      // Firefox treats the key press as the user's grant for this tab: it runs the manifest's
      // content scripts there and the command reads the chat, as with access on.
      pressKeys(xvfb.display, 'alt+shift+m', 'firefox');
      await waitFor('the chat read with access off', () => tenant.chat(target.dialogId)!.lastReadId === target.lastMessageId);
      assert.equal(tenant.readEvents.length - before, 1);
      assert.equal(await chromeEval<boolean>(firefox.browser, `WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)}).allowedOrigins.patterns.some((p) => p.pattern === ${JSON.stringify(zone)})`), false, 'access stays off');
      await page.close();
    } finally {
      await permissions('add');
    }
  });
  test('no confirmation: Alt+Shift+L reads every unread chat, and Firefox\'s button-less notification is the Undo: a click on it restores them', { timeout: 90_000 }, async () => {
    const tenant = freshTenant();
    const page = await logInAndOpen(tenant, '/online/');
    const start = startAudit(tenant, defaultTarget);
    const options = await openExtensionPage('/src/options/index.html');
    // The options page, as a user unticks "Ask before reading many chats".
    await waitFor('the options page', () => options.tab.evaluate<boolean>(`(() => { const box = document.getElementById('confirm-bulk'); if (!box || !box.checked) return false; box.click(); return true; })()`));
    await waitFor('the setting saved', () => options.tab.evaluate<boolean>(`browser.storage.local.get('settings').then((s) => s.settings?.confirmBulk === false)`));
    await options.close();

    await page.bringToFront();
    await page.click('.bx-im-list-recent-item__wrap');
    pressKeys(xvfb.display, 'alt+shift+l', 'firefox');
    await waitFor('every target read', () => audit(tenant, start, 'firefox: shortcut without confirmation').read === start.targets.length, 60_000);
    const figures = audit(tenant, start, 'firefox: shortcut without confirmation');
    assert.equal(figures.http503, 0);
    assert.equal(figures.readTwice, 0);
    assert.equal(figures.nonTargetsRead, 0);

    // Firefox's own alert window (no system notification service under Xvfb): its text says what a click does.
    const alert = await waitFor('the notification', () =>
      chromeEval<{ text: string; x: number; y: number } | null>(
        firefox.browser,
        `(() => {
          const win = Services.wm.getMostRecentWindow('alert:alert');
          if (!win || win.document.readyState !== 'complete') return null;
          const text = win.document.getElementById('alertTextLabel')?.textContent ?? '';
          const box = win.document.getElementById('alertBox') ?? win.document.documentElement;
          const r = box.getBoundingClientRect();
          return text ? { text, x: Math.round((win.mozInnerScreenX + r.left + r.width / 2) * win.devicePixelRatio), y: Math.round((win.mozInnerScreenY + r.top + r.height / 2) * win.devicePixelRatio) } : null;
        })()`,
      ),
    );
    assert.match(alert.text, /Click this notification: Undo/);
    xdotool('mousemove', String(alert.x), String(alert.y));
    xdotool('click', '1');

    await waitFor('the read undone', () => start.targets.every((chat) => tenant.chat(chat.dialogId)!.counter === chat.counter), 30_000);
    await page.close();
  });
});
