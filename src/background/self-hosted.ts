// Self-hosted portals on their own domains. The manifest only reaches the cloud zones; for any
// other origin the popup asks for that origin's optional host permission (a user gesture), and
// this module then runs the content scripts there (`scripting.registerContentScripts`, kept across
// browser restarts), lists the origin in the settings and adds it to the context menu.
// What is registered always follows settings ∩ granted permissions (`syncSelfHosted`), so
// disabling from the options page, or revoking the site in Chrome, unregisters everything.
import browser from 'webextension-polyfill';
import { isCloudPortalUrl, PORTAL_MATCHES } from '../core/portal-zones.ts';
import { loadSettings, normaliseOrigin, onSettingsChanged, saveSettings } from '../shared/settings.ts';
import { asEnvelope, type EnableSiteView, type UiToWorker } from '../shared/messages.ts';
import { createMenus } from './menus.ts';
import { asPendingSite, PENDING_SITE_KEY } from '../shared/site-handoff.ts';
import { originPattern } from '../shared/origins.ts';
import { fromOwnPage } from './senders.ts';
import { builtContentScripts, injectContentScripts } from './content-scripts.ts';

const ID_PREFIX = 'b24mr';

function scriptIds(origin: string): { bridge: string; content: string } {
  return { bridge: `${ID_PREFIX}:bridge:${origin}`, content: `${ID_PREFIX}:content:${origin}` };
}

function originOfScriptId(id: string): string | null {
  const match = /^b24mr:(?:bridge|content):(.+)$/.exec(id);
  return match?.[1] ?? null;
}

/** Self-hosted origins that are both in the settings and granted. */
async function enabledOrigins(): Promise<string[]> {
  const [settings, granted] = await Promise.all([loadSettings(), browser.permissions.getAll()]);
  const patterns = new Set(granted.origins ?? []);
  return settings.selfHostedOrigins.filter((origin) => patterns.has(originPattern(origin)));
}

let syncing: Promise<void> = Promise.resolve();

/** Registers the content scripts and menu patterns of every enabled origin, and unregisters the rest. */
export function syncSelfHosted(): Promise<void> {
  const run = syncing.then(async () => {
    const wanted = await enabledOrigins();
    const registered = await browser.scripting.getRegisteredContentScripts();
    const stale = registered.filter((script) => {
      const origin = originOfScriptId(script.id);
      return origin !== null && !wanted.includes(origin);
    });
    if (stale.length > 0) await browser.scripting.unregisterContentScripts({ ids: stale.map((script) => script.id) });
    const have = new Set(registered.map((script) => script.id));
    const files = builtContentScripts();
    const missing = wanted.filter((origin) => {
      const ids = scriptIds(origin);
      return !have.has(ids.bridge) || !have.has(ids.content);
    });
    for (const origin of missing) {
      const ids = scriptIds(origin);
      const present = [ids.bridge, ids.content].filter((id) => have.has(id));
      if (present.length > 0) await browser.scripting.unregisterContentScripts({ ids: present });
      const matches = [originPattern(origin)];
      await browser.scripting.registerContentScripts([
        { id: ids.bridge, js: files.bridge, matches, runAt: 'document_start', allFrames: true, world: 'MAIN', persistAcrossSessions: true },
        { id: ids.content, js: files.content, matches, runAt: 'document_start', allFrames: true, persistAcrossSessions: true },
      ] as browser.Scripting.RegisteredContentScript[]);
    }
    await createMenus(wanted.map(originPattern));
  });
  syncing = run.catch(() => undefined);
  return run;
}

/** After the popup got the host permission: remember the origin, register the scripts, start them in the tab. */
export async function enableSite(tabId: number, requested: unknown): Promise<EnableSiteView> {
  const origin = normaliseOrigin(requested);
  if (!origin || isCloudPortalUrl(origin)) return { ok: false, message: { key: 'errorSiteNotEnabled' }, code: 'BAD_ORIGIN' };
  if (!(await browser.permissions.contains({ origins: [originPattern(origin)] }))) {
    return { ok: false, message: { key: 'errorSitePermission' }, code: 'NO_PERMISSION' };
  }
  const settings = await loadSettings();
  if (!settings.selfHostedOrigins.includes(origin)) await saveSettings({ selfHostedOrigins: [...settings.selfHostedOrigins, origin] });
  await syncSelfHosted();
  await startInTab(tabId, origin);
  return { ok: true, origin };
}

/** Registered scripts run on the next page load; the tab at hand gets them now. */
async function startInTab(tabId: number, origin: string): Promise<void> {
  try {
    const tab = await browser.tabs.get(tabId);
    if (!tab.url || new URL(tab.url).origin !== origin) return;
    await injectContentScripts(tabId);
  } catch {
    /* the tab went away or navigated: the registered scripts take over on its next load */
  }
}

/**
 * Cloud-zone access given back (the popup's "Allow access", or the browser's add-on settings):
 * the open tabs of those zones get the content scripts now, no reload needed. Firefox may close
 * the popup when its prompt shows, so the worker does this, not the popup.
 */
async function startInCloudTabs(origins: string[]): Promise<void> {
  const cloud = origins.filter((pattern) => PORTAL_MATCHES.includes(pattern));
  if (cloud.length === 0) return;
  // A tab that cannot be scripted keeps waiting for its next load, which runs the manifest's scripts.
  for (const tab of await browser.tabs.query({ url: cloud })) if (tab.id !== undefined) await injectContentScripts(tab.id);
}

/** A permission arrived: if the popup asked for it (and may have been closed by the prompt), finish enabling. */
async function onGranted(added: browser.Permissions.Permissions): Promise<void> {
  await startInCloudTabs(added.origins ?? []);
  const stored = (await browser.storage.session.get(PENDING_SITE_KEY))[PENDING_SITE_KEY];
  const pending = asPendingSite(stored, Date.now());
  if (pending && (added.origins ?? []).includes(originPattern(pending.origin))) {
    await browser.storage.session.remove(PENDING_SITE_KEY);
    await enableSite(pending.tabId, pending.origin);
  } else {
    await syncSelfHosted();
  }
}

/** When the user takes a site's access back (options page or Chrome's own settings), forget the site. */
async function forgetRevoked(removed: browser.Permissions.Permissions): Promise<void> {
  const revoked = new Set(removed.origins ?? []);
  if (revoked.size === 0) return;
  const settings = await loadSettings();
  const kept = settings.selfHostedOrigins.filter((origin) => !revoked.has(originPattern(origin)));
  if (kept.length !== settings.selfHostedOrigins.length) await saveSettings({ selfHostedOrigins: kept });
  await syncSelfHosted();
}

/** Wires the self-hosted listeners; call once, synchronously, when the worker starts. */
export function listenForSelfHosted(): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    if (!fromOwnPage(sender)) return undefined;
    const envelope = asEnvelope<UiToWorker>(message, ['site/enable']);
    if (!envelope) return undefined;
    const tabId = envelope.payload.tabId;
    if (typeof tabId !== 'number' || !Number.isSafeInteger(tabId) || tabId < 0) {
      return Promise.resolve<EnableSiteView>({ ok: false, message: { key: 'errorNotPortal' }, code: 'NOT_PORTAL' });
    }
    return enableSite(tabId, envelope.payload.origin);
  });
  browser.permissions.onAdded.addListener((added) => void onGranted(added));
  browser.permissions.onRemoved.addListener((removed) => void forgetRevoked(removed));
  onSettingsChanged(() => void syncSelfHosted());
  browser.runtime.onInstalled.addListener(() => void syncSelfHosted());
  browser.runtime.onStartup.addListener(() => void syncSelfHosted());
}
