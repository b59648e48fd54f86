// Playwright fixtures in the style of copy-as-markdown's test/e2e/fixtures.ts: one local portal
// and one Chromium with the built extension per worker; each test gets its own portal host
// (tenant), so state never leaks between tests.
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { startPortal, type PortalServer, type SeedOptions } from './portal/index.ts';
import { launchWithExtension, logIn } from './browser.ts';

type Tenant = ReturnType<PortalServer['tenant']>;

interface WorkerFixtures {
  portal: PortalServer;
  browserWithExtension: BrowserContext;
  extensionId: string;
}

interface TestFixtures {
  /** The seed of this test's tenant (`test.use({ tenantSeed: bulkSeed(1000) })`); default: the server's demo seed. */
  tenantSeed: SeedOptions | undefined;
  serviceWorker: Worker;
  /** A fresh portal host for this test, e.g. `t3.bitrix24.ru`. */
  tenant: Tenant;
  /** Log the browser in to a tenant (session cookie, as after the login form). */
  login: (tenant: Tenant) => Promise<void>;
  /** Open the messenger of a tenant; returns the page and its tab id. */
  openMessenger: (tenant: Tenant, dialogId?: string) => Promise<{ page: Page; tabId: number }>;
  /** Open the popup as a page acting on a tab. */
  openPopup: (tabId: number) => Promise<Page>;
  /** Stop the extension's service worker the way Chrome does when idle (CDP ServiceWorker.stopWorker). */
  stopServiceWorker: () => Promise<void>;
}

let hostCounter = 0;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  portal: [
    async ({}, use) => {
      const portal = await startPortal({ port: 0 });
      await use(portal);
      await portal.close();
    },
    { scope: 'worker' },
  ],
  browserWithExtension: [
    async ({ portal }, use) => {
      const context = await launchWithExtension({ portalPort: portal.port });
      await use(context);
      await context.close();
    },
    { scope: 'worker' },
  ],
  extensionId: [
    async ({ browserWithExtension: context }, use) => {
      let [worker] = context.serviceWorkers();
      worker ??= await context.waitForEvent('serviceworker');
      await use(new URL(worker.url()).host);
    },
    { scope: 'worker' },
  ],
  serviceWorker: async ({ browserWithExtension: context, extensionId }, use) => {
    let worker = context.serviceWorkers().find((w) => w.url().includes(extensionId));
    worker ??= await context.waitForEvent('serviceworker', { predicate: (w) => w.url().includes(extensionId) });
    await use(worker);
  },
  tenantSeed: [undefined, { option: true }],
  tenant: async ({ portal, tenantSeed }, use, testInfo) => {
    hostCounter += 1;
    const host = `t${testInfo.workerIndex}x${hostCounter}.bitrix24.ru`;
    await use(portal.tenant(host, tenantSeed));
  },
  login: async ({ browserWithExtension: context }, use) => {
    await use(async (tenant) => {
      await logIn(context, tenant);
    });
  },
  openMessenger: async ({ browserWithExtension: context, serviceWorker }, use) => {
    await use(async (tenant, dialogId) => {
      const page = await context.newPage();
      await page.goto(`${tenant.origin}/online/${dialogId ? `?IM_DIALOG=${dialogId}` : ''}`);
      const tabId = await tabIdOf(serviceWorker, page.url());
      return { page, tabId };
    });
  },
  openPopup: async ({ browserWithExtension: context, extensionId }, use) => {
    await use(async (tabId) => {
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`);
      return popup;
    });
  },
  stopServiceWorker: async ({ browserWithExtension: context, extensionId }, use) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=-1`);
    const cdp = await context.newCDPSession(page);
    const versions = new Map<string, { scriptURL: string; runningStatus: string }>();
    let stops = 0;
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions) {
        if (v.scriptURL.includes(extensionId) && v.runningStatus === 'stopped' && versions.get(v.versionId)?.runningStatus !== 'stopped') stops += 1;
        versions.set(v.versionId, v);
      }
    });
    await cdp.send('ServiceWorker.enable');
    await use(async () => {
      await expect.poll(() => [...versions.values()].some((v) => v.scriptURL.includes(extensionId))).toBe(true);
      const before = stops;
      for (const [versionId, v] of versions) {
        if (v.scriptURL.includes(extensionId) && v.runningStatus !== 'stopped') await cdp.send('ServiceWorker.stopWorker', { versionId });
      }
      // It really stopped (an event may wake it again right after, as in real life).
      await expect.poll(() => stops).toBeGreaterThan(before);
    });
    await cdp.detach().catch(() => undefined);
    await page.close();
  },
});

/** The extension's tab id for a page, asked inside the service worker (host permission lets it see portal URLs). */
export async function tabIdOf(worker: Worker, url: string): Promise<number> {
  const id = await worker.evaluate(async (target) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === target)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`no tab with ${url}`);
  return id;
}

export { expect };
export type { SeedOptions, Tenant };
