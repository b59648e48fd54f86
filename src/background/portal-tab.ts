// Which portal a tab shows, and what its content scripts see there. The messenger may live in
// any frame (a /desktop_app/ iframe): the question goes to every frame at once and only a frame
// showing a messenger answers, so no frame list (and no `webNavigation` permission) is needed.
import browser from 'webextension-polyfill';
import { isCloudPortalUrl } from '../core/portal-zones.ts';
import { sendToAllFrames, sendToTab } from '../shared/messages.ts';
import { loadSettings, normaliseOrigin } from '../shared/settings.ts';
import type { Detection } from '../shared/messages.ts';
import { PROBE_RESULT_KEY, takeProbeResult } from '../shared/site-probe.ts';
// The probe's built file name (crxjs `?iife`): the worker bundle carries no page selector.
import probeScript from '../content/site-probe.iife.ts?iife';

export type TabPortal =
  | { kind: 'not-portal' }
  | { kind: 'needs-reload'; origin: string }
  | { kind: 'portal'; origin: string; tabId: number; detection: Detection };

/** The portal origin of a URL: a cloud portal, or a self-hosted one the user enabled. */
export async function portalOriginOf(url: string | undefined): Promise<string | null> {
  if (!url) return null;
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') return null;
    origin = parsed.origin;
  } catch {
    return null;
  }
  if (isCloudPortalUrl(url)) return origin;
  return (await loadSettings()).selfHostedOrigins.includes(origin) ? origin : null;
}

/** The detection of the frame that shows the messenger, else the top frame's. Throws when no content script runs. */
async function detectInTab(tabId: number, origin: string): Promise<Detection | undefined> {
  let fromMessenger: Detection | undefined;
  try {
    fromMessenger = await sendToAllFrames(tabId, 'cs/detect', { scope: 'messenger' });
  } catch {
    fromMessenger = undefined;
  }
  // A frame of another origin (an embedded page of some other portal) does not speak for this tab.
  if (fromMessenger && fromMessenger.origin === origin) return fromMessenger;
  return sendToTab(tabId, 'cs/detect', { scope: 'any' }, 0);
}

export async function inspectTab(tabId: number | null): Promise<TabPortal> {
  if (tabId === null) return { kind: 'not-portal' };
  let url: string | undefined;
  try {
    url = (await browser.tabs.get(tabId)).url;
  } catch {
    return { kind: 'not-portal' };
  }
  // Without the `tabs` permission a tab's URL is visible only on hosts the extension may access.
  const origin = await portalOriginOf(url);
  if (!origin) return { kind: 'not-portal' };
  try {
    const detection = await detectInTab(tabId, origin);
    if (!detection || detection.origin !== origin) return { kind: 'needs-reload', origin };
    return { kind: 'portal', origin, tabId, detection };
  } catch {
    // No content script in the tab: it was open before the extension was installed or updated.
    return { kind: 'needs-reload', origin };
  }
}

/**
 * The origin of a tab that looks like a Bitrix24 portal the extension does not run on yet, or
 * null. The tab's URL and the probe need access to it: the popup opened from the toolbar gives
 * that for the active tab (`activeTab`).
 */
export async function siteCandidate(tabId: number): Promise<string | null> {
  let url: string | undefined;
  try {
    url = (await browser.tabs.get(tabId)).url;
  } catch {
    return null;
  }
  if (!url || isCloudPortalUrl(url)) return null;
  let origin: string | null;
  try {
    const parsed = new URL(url);
    origin = parsed.protocol === 'https:' ? normaliseOrigin(parsed.origin) : null;
  } catch {
    origin = null;
  }
  if (!origin) return null;
  try {
    await browser.scripting.executeScript({ target: { tabId }, world: 'MAIN', files: [probeScript] });
    const [frame] = await browser.scripting.executeScript({ target: { tabId }, world: 'MAIN', func: takeProbeResult, args: [PROBE_RESULT_KEY] });
    return frame?.result === true ? origin : null;
  } catch {
    return null;
  }
}

export async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id ?? null;
}
