// Every runtime difference between Chrome and Firefox, in one place (the build-side ones are in
// scripts/browser-targets.ts). Each function finds out what the running browser has (no user-agent
// sniffing), so one bundle of src/ is right in both, and a unit test can fake either.
//
//   context menus   Chrome `contextMenus`; Firefox `menus` (its `contextMenus` alias is absent
//                   when the manifest asks for `menus`).
//   notification    Chrome shows action buttons (Undo); Firefox has none: the whole notification
//   buttons         is the action, and its text says so.
//   shortcuts page  Chrome's chrome://extensions/shortcuts; Firefox's own dialog
//                   (`commands.openShortcutSettings`).
//   host access     Chrome grants the manifest's host permissions at install. Firefox (127+)
//                   grants them at install too, but shows them as a switch the user may turn off
//                   (about:addons → Permissions), and older installs asked later: either way a
//                   cloud portal can be without access, and the popup then asks for it.
//   right-clicked   Chrome: the page's `contextmenu` event (Alt+Shift+right-click gets past
//   element         Bitrix24's own menu). Firefox: Shift+right-click opens the browser's menu
//                   without any `contextmenu` event in the page, so the menu's `targetElementId`
//                   and `menus.getTargetElement` name the element instead.
import browser from 'webextension-polyfill';

type MenusApi = typeof browser.contextMenus;

interface Runtime {
  menus?: MenusApi & { getTargetElement?: (targetElementId: number) => Element | null };
  contextMenus?: MenusApi;
  commands?: { openShortcutSettings?: () => Promise<void> };
  runtime?: { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
}

function api(): Runtime {
  return browser as unknown as Runtime;
}

/** Firefox (any Gecko browser): the only one with `runtime.getBrowserInfo`. */
export function isFirefox(): boolean {
  return typeof api().runtime?.getBrowserInfo === 'function';
}

/** The context-menu API: `menus` in Firefox, `contextMenus` in Chrome. */
export function contextMenus(): MenusApi {
  const menus = api().menus ?? api().contextMenus;
  if (!menus) throw new Error('this browser has no context-menu API');
  return menus;
}

/**
 * In a content script: the element a context-menu click was made on, from the menu's
 * `targetElementId` (Firefox); null where the browser has no such handle (Chrome).
 */
export function menuTargetElement(targetElementId: unknown): Element | null {
  const lookUp = api().menus?.getTargetElement;
  if (typeof targetElementId !== 'number' || typeof lookUp !== 'function') return null;
  try {
    return lookUp.call(api().menus, targetElementId) ?? null;
  } catch {
    return null;
  }
}

/** The manifest's host-permission pattern for a cloud portal origin (`https://*.bitrix24.ru/*`), or null. */
export function hostPatternFor(origin: string, patterns: readonly string[]): string | null {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return null;
  }
  return patterns.find((pattern) => host.endsWith(`.${pattern.slice('https://*.'.length, -'/*'.length)}`)) ?? null;
}

/** Whether the extension may reach `origin` (host access granted and not revoked). */
export async function hasHostAccess(origin: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [`${origin}/*`] });
  } catch {
    return false;
  }
}

/** Whether notifications can carry buttons (Chrome); in Firefox a click on the notification is the action. */
export function notificationButtonsSupported(): boolean {
  return !isFirefox();
}

/**
 * Calls `listener` when the user takes a notification's action: its first button in Chrome, a
 * click on the notification itself in Firefox (which has no buttons).
 */
export function onNotificationAction(listener: (notificationId: string) => void): void {
  if (notificationButtonsSupported()) browser.notifications.onButtonClicked.addListener((id) => listener(id));
  else browser.notifications.onClicked.addListener((id) => listener(id));
}

export const CHROME_SHORTCUTS_PAGE = 'chrome://extensions/shortcuts';

/**
 * Opens the browser's page for changing the extension's shortcuts. Returns false when the browser
 * offers no way to open it from an extension, so the caller shows where to find it instead.
 */
export async function openShortcutSettings(): Promise<boolean> {
  if (!isFirefox()) {
    await browser.tabs.create({ url: CHROME_SHORTCUTS_PAGE });
    return true;
  }
  const open = api().commands?.openShortcutSettings;
  if (typeof open !== 'function') return false;
  await open.call(api().commands);
  return true;
}
