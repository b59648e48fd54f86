// `npm run screenshots`: the popup in its main states, from the built extension against the local
// portal, for the README (docs/screenshots/). Re-run after UI changes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright';
import { startPortal } from './portal/index.ts';
import { launchWithExtension, logIn } from './browser.ts';

const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const portal = await startPortal({ port: 0 });
const context = await launchWithExtension({ portalPort: portal.port });
try {
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const extensionId = new URL(worker.url()).host;
  const tenant = portal.tenant('demo.bitrix24.ru');
  await logIn(context, tenant);
  const chat = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 2 && !c.muted)!;
  const portalPage = await context.newPage();
  await portalPage.goto(`${tenant.origin}/online/?IM_DIALOG=${chat.dialogId}`);
  const tabIdOf = (url: string) => worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, url);
  const tabId = await tabIdOf(portalPage.url());

  async function popupFor(tab: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width: 380, height: 700 });
    await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tab}`);
    return page;
  }
  async function shoot(page: Page, name: string): Promise<void> {
    await page.locator('main').screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  }

  let popup = await popupFor(tabId);
  await popup.locator('[data-state="ready"]').waitFor();
  await shoot(popup, 'popup-ready');
  await popup.getByTestId('bulk-plan').click();
  await popup.getByTestId('bulk-plan-view').waitFor();
  await shoot(popup, 'popup-plan');
  tenant.setLatency({ baseMs: 1500, perCallMs: 0 });
  await popup.getByTestId('bulk-confirm').click();
  await popup.getByTestId('bulk-progress').waitFor();
  await popup.waitForTimeout(2000);
  await shoot(popup, 'popup-progress');
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });
  await popup.getByTestId('bulk-result').waitFor({ timeout: 60_000 });
  await shoot(popup, 'popup-done');
  await popup.close();

  const other = await context.newPage();
  await other.goto('data:text/html,<title>Elsewhere</title>');
  popup = await popupFor(await worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? -1));
  await popup.locator('[data-state="not-portal"]').waitFor();
  await shoot(popup, 'popup-not-portal');
  await popup.close();

  tenant.logout();
  await portalPage.reload();
  popup = await popupFor(await tabIdOf(portalPage.url()));
  await popup.locator('[data-state="logged-out"]').waitFor();
  await shoot(popup, 'popup-logged-out');
} finally {
  await context.close();
  await portal.close();
}
