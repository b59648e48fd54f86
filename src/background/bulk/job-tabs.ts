// The portal tabs a session-auth job can run through.
import browser from 'webextension-polyfill';
import { inspectTab } from '../portal-tab.ts';
import { originPattern } from '../../shared/origins.ts';

/** A tab of the portal whose page is logged in, preferring `preferred` (the job's own), or null. */
export async function loggedInPortalTab(portal: string, preferred: number | null): Promise<number | null> {
  const candidates = preferred === null ? [] : [preferred];
  const others = await browser.tabs.query({ url: originPattern(portal) });
  for (const tab of others) if (tab.id !== undefined && !candidates.includes(tab.id)) candidates.push(tab.id);
  for (const tabId of candidates) {
    if (await isLoggedInTab(tabId, portal)) return tabId;
  }
  return null;
}

export async function isLoggedInTab(tabId: number, portal: string): Promise<boolean> {
  const tab = await inspectTab(tabId);
  return tab.kind === 'portal' && tab.origin === portal && tab.detection.loggedIn;
}

const TAB_READY_TRIES = 10;
const TAB_READY_PAUSE_MS = 300;

/** A freshly loaded tab of the portal that turns out logged in; the content script may start a moment after the page is complete. */
export async function becomesLoggedIn(tabId: number, portal: string): Promise<boolean> {
  for (let attempt = 0; attempt < TAB_READY_TRIES; attempt++) {
    const tab = await inspectTab(tabId);
    if (tab.kind === 'not-portal') return false;
    if (tab.kind === 'portal' && tab.origin === portal && tab.detection.loggedIn) return true;
    await new Promise((resolve) => setTimeout(resolve, TAB_READY_PAUSE_MS));
  }
  return false;
}
