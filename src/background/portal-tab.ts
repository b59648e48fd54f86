// Which portal a tab shows, and what its content script sees there.
import browser from 'webextension-polyfill';
import { isCloudPortalUrl } from '../core/portal-zones.ts';
import { sendToTab } from '../shared/messages.ts';
import type { Detection } from '../content/site-adapter.ts';

export type TabPortal =
  | { kind: 'not-portal' }
  | { kind: 'needs-reload'; origin: string }
  | { kind: 'portal'; origin: string; tabId: number; detection: Detection };

export async function inspectTab(tabId: number | null): Promise<TabPortal> {
  if (tabId === null) return { kind: 'not-portal' };
  let url: string | undefined;
  try {
    url = (await browser.tabs.get(tabId)).url;
  } catch {
    return { kind: 'not-portal' };
  }
  // Without the `tabs` permission a tab's URL is visible only on hosts the extension may access.
  if (!url || !isCloudPortalUrl(url)) return { kind: 'not-portal' };
  const origin = new URL(url).origin;
  try {
    const detection = await sendToTab(tabId, 'cs/detect', {});
    if (!detection || detection.origin !== origin) return { kind: 'needs-reload', origin };
    return { kind: 'portal', origin, tabId, detection };
  } catch {
    // No content script in the tab: it was open before the extension was installed or updated.
    return { kind: 'needs-reload', origin };
  }
}

export async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id ?? null;
}
