// `npm run screenshots`: pictures of the real built extension against the local portal, in one run.
//   docs/screenshots/popup-<state>[-dark].png  the popup in its main states, light and dark (README)
//   docs/screenshots/options-rules[-dark].png  the options page's Rules section with a rule that ran once (README)
//   store/screenshots/<locale>/NN-<what>.png   1280×800 store screenshots, en and ru, light and dark
//   store/promo-tile.png                       the 440×280 promo tile, from store/promo-tile.html
// Chromium's PNGs are 24-bit RGB (no alpha), as the stores want. Re-run after UI changes.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright';
import { startPortal, type PortalServer } from './portal/index.ts';
import { launchWithExtension, logIn } from './browser.ts';

type Theme = 'light' | 'dark';
type Locale = 'en' | 'ru';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = path.join(ROOT, 'docs', 'screenshots');
const STORE = path.join(ROOT, 'store');
const POPUP_WIDTH = 400;

/** Which popup states become store screenshots, in the listing's order (at most 5 per locale). */
const STORE_SHOTS: Array<{ name: string; state: 'plan' | 'progress' | 'done' | 'options'; theme: Theme }> = [
  { name: '01-plan-light', state: 'plan', theme: 'light' },
  { name: '02-progress-light', state: 'progress', theme: 'light' },
  { name: '03-done-undo-dark', state: 'done', theme: 'dark' },
  { name: '04-plan-dark', state: 'plan', theme: 'dark' },
  { name: '05-options-dark', state: 'options', theme: 'dark' },
];

interface Caption {
  title: string;
  text: string;
}

function captions(locale: Locale): Record<string, Caption> {
  return JSON.parse(readFileSync(path.join(STORE, locale, 'screenshots.json'), 'utf8')) as Record<string, Caption>;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function log(file: string): void {
  console.log(path.relative(ROOT, file));
}

async function extensionIdOf(context: BrowserContext): Promise<string> {
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  return new URL(worker.url()).host;
}

/** One locale: a browser whose UI language is that locale (Chrome picks _locales by it). */
async function shootLocale(portal: PortalServer, locale: Locale): Promise<void> {
  const context = await launchWithExtension({
    portalPort: portal.port,
    extraArgs: [`--lang=${locale}`],
    env: { ...process.env, LANGUAGE: locale, LANG: locale === 'ru' ? 'ru_RU.UTF-8' : 'en_US.UTF-8' },
  });
  const storeDir = path.join(STORE, 'screenshots', locale);
  mkdirSync(storeDir, { recursive: true });
  const text = captions(locale);
  try {
    const extensionId = await extensionIdOf(context);
    const worker = context.serviceWorkers().find((w) => w.url().includes(extensionId))!;
    const tabIdOf = (url: string) => worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, url);
    /** Popup pictures of this locale: element shots, and the portal page behind them. */
    const popups = new Map<string, { popup: Buffer; portal: Buffer }>();

    async function popupFor(tab: number, theme: Theme): Promise<Page> {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width: POPUP_WIDTH, height: 600 });
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tab}`);
      return page;
    }

    for (const theme of ['light', 'dark'] as const) {
      // A fresh portal host per theme: every run starts with the same unread chats.
      const tenant = portal.tenant(`demo-${locale}-${theme}.bitrix24.ru`);
      // The last run's bulk job and plan are not this portal's: start clean.
      await worker.evaluate(() => chrome.storage.local.remove(['bulk:job', 'bulk:plan']));
      await logIn(context, tenant);
      const chat = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 2 && !c.muted)!;
      const portalPage = await context.newPage();
      await portalPage.emulateMedia({ colorScheme: theme });
      await portalPage.goto(`${tenant.origin}/online/?IM_DIALOG=${chat.dialogId}`);
      const tabId = await tabIdOf(portalPage.url());
      const portalShot = await portalPage.screenshot();
      const suffix = theme === 'dark' ? '-dark' : '';

      async function shoot(page: Page, state: string): Promise<void> {
        // The pointer off the rows (no hover highlight), a pause for the progress bar's transition.
        await page.mouse.move(POPUP_WIDTH - 1, 0);
        await page.waitForTimeout(150);
        const popup = await page.locator('main').screenshot();
        popups.set(`${state}-${theme}`, { popup, portal: portalShot });
        if (locale === 'en') {
          const file = path.join(DOCS, `popup-${state}${suffix}.png`);
          await page.locator('main').screenshot({ path: file });
          log(file);
        }
      }

      let popup = await popupFor(tabId, theme);
      await popup.locator('[data-state="ready"]').waitFor();
      await shoot(popup, 'ready');
      await popup.getByTestId('bulk-plan').click();
      await popup.getByTestId('bulk-plan-view').waitFor();
      await popup.getByTestId('bulk-confirm').blur();
      await shoot(popup, 'plan');
      tenant.setLatency({ baseMs: 1500, perCallMs: 0 });
      await popup.getByTestId('bulk-confirm').click();
      await popup.getByTestId('bulk-progress').waitFor();
      await popup.waitForFunction(() => Number(document.querySelector('progress')?.value ?? 0) > 0, undefined, { timeout: 30_000 });
      await shoot(popup, 'progress');
      tenant.setLatency({ baseMs: 0, perCallMs: 0 });
      await popup.getByTestId('bulk-result').waitFor({ timeout: 60_000 });
      await popup.getByTestId('bulk-undo').waitFor();
      await shoot(popup, 'done');

      if (locale === 'en') {
        // The Rules section with one rule that has run once (README "Rules").
        for (const c of tenant.chats().filter((c) => c.kind === 'crm' || c.kind === 'tasks').slice(0, 4)) tenant.pushMessage(c.dialogId, { text: 'Deal stage changed' });
        const rule = { id: 'noise', name: 'CRM and tasks', portal: tenant.origin, filters: { kinds: ['crm', 'tasks'] }, trigger: { kind: 'every', minutes: 30 } };
        await worker.evaluate(async (r) => {
          const { settings } = await chrome.storage.local.get('settings');
          await chrome.storage.local.set({ settings: { ...((settings as object) ?? {}), version: 4, rules: [r] }, ruleLog: {} });
        }, rule);
        const send = (type: string, payload: object) => popup.evaluate(({ type, payload }) => chrome.runtime.sendMessage({ type, payload }), { type, payload });
        await send('rules/run', { ruleId: 'noise' });
        await send('rules/approve', { ruleId: 'noise' });
        const options = await context.newPage();
        await options.emulateMedia({ colorScheme: theme });
        await options.setViewportSize({ width: 900, height: 900 });
        await options.goto(`chrome-extension://${extensionId}/src/options/index.html`);
        await options.getByTestId('rule-run').first().waitFor();
        const file = path.join(DOCS, `options-rules${suffix}.png`);
        await options.getByTestId('rules').screenshot({ path: file });
        log(file);
        await options.close();
        await worker.evaluate(async () => {
          const { settings } = await chrome.storage.local.get('settings');
          await chrome.storage.local.set({ settings: { ...((settings as object) ?? {}), rules: [] } });
          await chrome.storage.local.remove(['ruleLog', 'bulk:job', 'bulk:plan']);
        });
      }
      await popup.close();

      if (locale === 'en') {
        const other = await context.newPage();
        await other.goto('data:text/html,<title>Elsewhere</title>');
        popup = await popupFor(await worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? -1), theme);
        await popup.locator('[data-state="not-portal"]').waitFor();
        await shoot(popup, 'not-portal');
        await popup.close();
        await other.close();

        tenant.logout();
        await portalPage.reload();
        popup = await popupFor(await tabIdOf(portalPage.url()), theme);
        await popup.locator('[data-state="logged-out"]').waitFor();
        await shoot(popup, 'logged-out');
        await popup.close();
      }
      await portalPage.close();
    }

    for (const shot of STORE_SHOTS) {
      const file = path.join(storeDir, `${shot.name}.png`);
      const caption = text[shot.state]!;
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      if (shot.state === 'options') {
        await page.emulateMedia({ colorScheme: shot.theme });
        await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
        await page.getByTestId('options-form').waitFor();
        await page.screenshot({ path: file });
      } else {
        const pictures = popups.get(`${shot.state}-${shot.theme}`)!;
        await page.setContent(storeFrame(pictures.portal, pictures.popup, caption, shot.theme));
        await page.waitForFunction(() => [...document.images].every((img) => img.complete));
        await page.screenshot({ path: file });
      }
      await page.close();
      log(file);
    }
  } finally {
    await context.close();
  }
}

/** A store screenshot: the portal as it was, the popup open at the toolbar, a caption on the left. */
function storeFrame(portal: Buffer, popup: Buffer, caption: Caption, theme: Theme): string {
  const dark = theme === 'dark';
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: 1280px; height: 800px; overflow: hidden; font-family: system-ui, sans-serif; }
    .portal { position: absolute; inset: 0; width: 1280px; height: 800px; filter: ${dark ? 'brightness(.45) saturate(.8)' : 'brightness(.92)'}; }
    .popup { position: absolute; top: 16px; right: 56px; width: ${POPUP_WIDTH}px; border-radius: 12px; box-shadow: 0 12px 40px rgb(0 0 0 / 35%), 0 0 0 1px rgb(0 0 0 / 12%); }
    .caption { position: absolute; left: 56px; bottom: 64px; width: 560px; padding: 28px 32px; border-radius: 20px;
      background: ${dark ? '#222831' : '#ffffff'}; color: ${dark ? '#eef1f4' : '#151a1f'}; box-shadow: 0 12px 40px rgb(0 0 0 / 25%); }
    .caption h1 { margin: 0 0 10px; font-size: 34px; line-height: 1.15; }
    .caption p { margin: 0; font-size: 19px; line-height: 1.4; color: ${dark ? '#b9c1ca' : '#525c69'}; }
    .caption::before { content: ''; display: block; width: 48px; height: 6px; border-radius: 3px; background: #0066e0; margin-bottom: 18px; }
  </style></head><body>
    <img class="portal" src="data:image/png;base64,${portal.toString('base64')}" alt="">
    <img class="popup" src="data:image/png;base64,${popup.toString('base64')}" alt="">
    <div class="caption"><h1>${escapeHtml(caption.title)}</h1><p>${escapeHtml(caption.text)}</p></div>
  </body></html>`;
}

/** The 440×280 promo tile, drawn from HTML by the same Chromium. */
async function shootPromoTile(portal: PortalServer): Promise<void> {
  const context = await launchWithExtension({ portalPort: portal.port });
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 440, height: 280 });
    await page.goto(`file://${path.join(STORE, 'promo-tile.html')}`);
    const file = path.join(STORE, 'promo-tile.png');
    await page.screenshot({ path: file });
    log(file);
  } finally {
    await context.close();
  }
}

mkdirSync(DOCS, { recursive: true });
const portal = await startPortal({ port: 0 });
try {
  const only = process.argv.find((a) => a.startsWith('--locale='))?.slice(9) as Locale | undefined;
  for (const locale of only ? [only] : (['en', 'ru'] as const)) await shootLocale(portal, locale);
  await shootPromoTile(portal);
} finally {
  await portal.close();
}
