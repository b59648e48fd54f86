// Issue 5: a real key press. Headed Chromium on its own Xvfb display; xdotool types Alt+Shift+M
// (the suggested key of `mark-current-read`) into the portal tab, and the open chat is read.
// (Chromium 156 refuses to bind Alt+Shift+R and Alt+Shift+A from `suggested_key`: reserved.)
import { test, expect } from '@playwright/test';
import { startPortal } from './portal/index.ts';
import { pressKeys, startXvfb } from './xvfb.ts';
import { launchWithExtension, logIn } from './browser.ts';

test('Alt+Shift+M pressed on the real keyboard reads the open chat', async () => {
  const xvfb = await startXvfb(90);
  const portal = await startPortal({ port: 0 });
  const context = await launchWithExtension({ portalPort: portal.port, headless: false, env: { ...process.env, DISPLAY: xvfb.display } });
  try {
    const tenant = portal.tenant('keys.bitrix24.ru');
    await logIn(context, tenant);
    const target = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 1 && !c.muted)!;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${tenant.origin}/online/?IM_DIALOG=${target.dialogId}`);
    await page.bringToFront();
    await page.locator('.bx-im-dialog-chat__scroll-container').click();
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
    // The suggested key is bound at install; check it before pressing it.
    const shortcut = await worker.evaluate(async () => (await chrome.commands.getAll()).find((c) => c.name === 'mark-current-read')?.shortcut);
    expect(shortcut).toBe('Alt+Shift+M');

    pressKeys(xvfb.display, 'alt+shift+m');

    await expect.poll(() => tenant.chat(target.dialogId)!.lastReadId, { timeout: 15_000 }).toBe(target.lastMessageId);
    expect(tenant.chat(target.dialogId)!.counter).toBe(0);
  } finally {
    await context.close();
    await portal.close();
    xvfb.process.kill();
  }
});
