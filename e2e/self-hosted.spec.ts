// Issue 4: a self-hosted portal on its own domain (portal.example-corp.test, served by the local
// portal as a tenant of its own). The toolbar popup is opened the way a user opens it — a real
// Alt+Shift+U on the keyboard (headed Chromium on its own Xvfb display, xdotool), which gives the
// extension `activeTab` on that tab: only then can it see the address and probe the page. Its
// "Enable on this site" button is clicked with real input events (CDP Input, a user gesture).
// The browser's permission prompt is the one thing not driven: the site is allowed beforehand in
// Chrome's own extension settings (chrome://extensions, `developerPrivate.addHostPermission`, what
// "Site access → Add a site" does), so `permissions.request` answers at once without a prompt.
import type { BrowserContext, CDPSession, Worker } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { startPortal } from './portal/index.ts';
import { pressKeys, startXvfb } from './xvfb.ts';
import { launchWithExtension } from './browser.ts';
import { fireMenu } from './bulk-driver.ts';

const HOST = 'portal.example-corp.test';
const ORIGIN = `https://${HOST}`;

/** The real toolbar popup (Playwright does not list it as a page): Runtime and Input through the browser's CDP session. */
class ToolbarPopup {
  private nextId = 1;
  private readonly pending = new Map<number, (value: { result?: unknown; error?: unknown }) => void>();
  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== this.sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
    });
  }

  static async find(context: BrowserContext, extensionId: string): Promise<ToolbarPopup> {
    const cdp = await context.browser()!.newBrowserCDPSession();
    let targetId: string | undefined;
    await expect
      .poll(async () => {
        const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; url: string }> };
        targetId = targetInfos.find((t) => t.url.startsWith(`chrome-extension://${extensionId}/src/popup/index.html`))?.targetId;
        return targetId !== undefined;
      })
      .toBe(true);
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: targetId!, flatten: false })) as { sessionId: string };
    return new ToolbarPopup(cdp, sessionId);
  }

  private send(method: string, params: Record<string, unknown> = {}): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const answer = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    return (answer.result as { result: { value: T } }).result.value;
  }

  /** The text of the element matching `selector`, or null. */
  text(selector: string): Promise<string | null> {
    return this.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`);
  }

  /** A real click (trusted input events) in the middle of the element. */
  async click(selector: string): Promise<void> {
    const at = await this.evaluate<{ x: number; y: number }>(
      `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`,
    );
    for (const type of ['mousePressed', 'mouseReleased']) await this.send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 });
  }
}

const registered = (worker: Worker) => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).map((s) => ({ id: s.id, js: s.js, matches: s.matches, world: s.world, persist: s.persistAcrossSessions })));

test('a self-hosted portal: the popup offers “Enable on this site”; the extension then runs there; disabling revokes it', async () => {
  test.setTimeout(120_000);
  const xvfb = await startXvfb(300);
  const env = { ...process.env, DISPLAY: xvfb.display };
  const portal = await startPortal({ port: 0 });
  const context = await launchWithExtension({ portalPort: portal.port, headless: false, env, extraHosts: [HOST] });
  try {
    const tenant = portal.tenant(HOST);
    const { cookieName, cookieValue } = tenant.login();
    await context.addCookies([{ name: cookieName, value: cookieValue, domain: HOST, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
    const extensionId = new URL(worker.url()).host;

    const open = tenant.chats().find((c) => c.kind === 'chat' && c.counter >= 2 && !c.muted && !c.pinned)!;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${ORIGIN}/online/?IM_DIALOG=${open.dialogId}`);
    const tabId = await worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]!.id!);
    // Not a cloud zone: no content script, no access, nothing registered yet.
    expect(await worker.evaluate((origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }), ORIGIN)).toBe(false);
    expect(await registered(worker)).toEqual([]);

    // The user allows the site in Chrome (see the header comment).
    const settingsPage = await context.newPage();
    await settingsPage.goto(`chrome://extensions/?id=${extensionId}`);
    await settingsPage.evaluate(
      ([id, pattern]) => (chrome as unknown as { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } }).developerPrivate.addHostPermission(id!, pattern!),
      [extensionId, `${ORIGIN}/*`],
    );
    await settingsPage.close();
    expect(await worker.evaluate((origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }), ORIGIN)).toBe(false);

    // The toolbar popup, opened from the keyboard on the self-hosted tab.
    await page.bringToFront();
    pressKeys(xvfb.display, 'alt+shift+u');
    const popup = await ToolbarPopup.find(context, extensionId);
    await expect.poll(() => popup.text('[data-state="can-enable"] p')).toContain(ORIGIN);

    await popup.click('[data-testid="enable-site"]');
    // Enabled: the popup looks at the tab again and finds the open chat.
    await expect.poll(() => popup.text('[data-testid="chat-title"]'), { timeout: 15_000 }).toBe(open.title);
    expect(await worker.evaluate((origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }), ORIGIN)).toBe(true);
    const scripts = await registered(worker);
    expect(scripts).toEqual([
      { id: `b24mr:bridge:${ORIGIN}`, js: ['src/content/page-bridge.iife.js'], matches: [`${ORIGIN}/*`], world: 'MAIN', persist: true },
      { id: `b24mr:content:${ORIGIN}`, js: ['src/content/index.iife.js'], matches: [`${ORIGIN}/*`], world: 'ISOLATED', persist: true },
    ]);
    expect(await worker.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as { selfHostedOrigins: string[] }).selfHostedOrigins)).toEqual([ORIGIN]);
    // The worker took the popup's hand-off too (the path that works when the prompt closes the popup).
    await expect.poll(() => worker.evaluate(async () => Object.keys(await chrome.storage.session.get(null)))).not.toContain('ui:pending-site');

    // The popup's own button reads the open chat up to the newest message on the page.
    const newest = Math.max(...(await page.$$eval('.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap', (els) => els.map((el) => el.getAttribute('data-id') ?? '').filter((id) => /^\d+$/.test(id)).map(Number))));
    const late = tenant.pushMessage(open.dialogId);
    await popup.click('[data-testid="mark-chat-read"]');
    await expect.poll(() => tenant.chat(open.dialogId)!.lastReadId).toBe(newest);
    expect(late).toBeGreaterThan(newest);
    const reads = tenant.log.filter((entry) => entry.subCalls?.some((call) => call.startsWith('im.dialog.read')));
    expect(reads.at(-1)!.auth).toBe('session');

    // After a reload the registered scripts run by themselves: the context menu on a row works.
    await page.keyboard.press('Escape');
    await page.reload();
    const rendered = new Set(await page.$$eval('.bx-im-list-recent-item__wrap[data-id]', (els) => els.map((el) => el.getAttribute('data-id'))));
    const other = tenant.chats().find((c) => c.dialogId !== open.dialogId && rendered.has(c.dialogId) && c.kind !== 'lines' && c.counter > 1 && !c.pinned && !c.manualUnread)!;
    await page.locator(`.bx-im-list-recent-item__wrap[data-id="${other.dialogId}"]`).click({ button: 'right', modifiers: ['Alt', 'Shift'] });
    await page.keyboard.press('Escape');
    await fireMenu(worker, 'mark-chat-read', tabId);
    await expect.poll(() => tenant.chat(other.dialogId)!.lastReadId).toBe(other.lastMessageId);

    // Disable from the options page: the access goes back and the scripts are unregistered.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/src/options/index.html`);
    await options.getByRole('button', { name: new RegExp(HOST.replace(/\./g, '\\.')) }).click();
    await expect.poll(() => registered(worker)).toEqual([]);
    expect(await worker.evaluate((origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }), ORIGIN)).toBe(false);
    expect(await worker.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as { selfHostedOrigins: string[] }).selfHostedOrigins)).toEqual([]);
    await options.close();
  } finally {
    await context.close();
    await portal.close();
    xvfb.process.kill();
  }
});
