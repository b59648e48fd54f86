// Context-menu items on portal pages. The content script remembers what was right-clicked (a
// recent-list row or a message); the item then calls the same use case as the popup.
import browser from 'webextension-polyfill';
import { PORTAL_MATCHES } from '../core/portal-zones.ts';
import { sendToTab } from '../shared/messages.ts';
import { loadSettings } from '../shared/settings.ts';
import { markChatRead, type ChatTarget } from './use-cases.ts';
import { contextMenus } from '../shared/browser-target.ts';
import type { ActionResult } from '../shared/messages.ts';
import { originPattern } from '../shared/origins.ts';

export const MENU_IDS = ['mark-chat-read', 'mark-read-up-to-here', 'mark-folder-read', 'mark-all-read'] as const;
export type MenuId = (typeof MENU_IDS)[number];

let building: Promise<void> = Promise.resolve();

/**
 * (Re)creates the items for the cloud zones plus `extraPatterns` (self-hosted portals; by
 * default the ones in the settings). Calls run one after another, so two callers never race
 * into duplicate ids.
 */
export function createMenus(extraPatterns?: string[]): Promise<void> {
  const run = building.then(async () => {
    const extra = extraPatterns ?? (await loadSettings()).selfHostedOrigins.map(originPattern);
    await contextMenus().removeAll();
    const documentUrlPatterns = [...PORTAL_MATCHES, ...extra];
    const contexts: browser.Menus.ContextType[] = ['page', 'link', 'selection', 'image', 'frame'];
    contextMenus().create({ id: 'mark-chat-read', title: browser.i18n.getMessage('menuMarkChatRead'), contexts, documentUrlPatterns });
    contextMenus().create({ id: 'mark-read-up-to-here', title: browser.i18n.getMessage('menuMarkReadUpToHere'), contexts, documentUrlPatterns });
    // im 26.x folders: the folder open in the messenger (its header, its rows, the folder panel).
    contextMenus().create({ id: 'mark-folder-read', title: browser.i18n.getMessage('menuMarkFolderRead'), contexts, documentUrlPatterns });
    contextMenus().create({ id: 'mark-all-read', title: browser.i18n.getMessage('menuMarkAllRead'), contexts, documentUrlPatterns });
  });
  building = run.catch(() => undefined);
  return run;
}

/** Resolve a menu click into the chat it means, from what the content script saw under the pointer. */
export async function targetForMenu(menuId: MenuId, tabId: number, frameId: number, targetElementId?: number): Promise<ChatTarget | ActionResult | null> {
  let clicked: Awaited<ReturnType<typeof sendToTab<'cs/context-target'>>> = null;
  try {
    clicked = await sendToTab(tabId, 'cs/context-target', targetElementId === undefined ? {} : { targetElementId }, frameId);
  } catch {
    clicked = null;
  }
  if (menuId === 'mark-chat-read') {
    if (clicked?.kind === 'placeholder') return { ok: false, message: { key: 'errorNotAChatRow' }, code: 'NO_TARGET' };
    // A row: that chat, up to what the page knows of it; anywhere else: the open chat.
    return clicked?.kind === 'row' ? { kind: 'dialog', dialogId: clicked.dialogId, messageId: clicked.messageId } : { kind: 'open' };
  }
  if (menuId === 'mark-read-up-to-here') {
    return clicked?.kind === 'message' ? { kind: 'open-up-to', messageId: clicked.messageId } : null;
  }
  return null;
}

export async function onMenuClick(menuId: string, tabId: number, frameId: number, targetElementId?: number): Promise<ActionResult | null> {
  if (menuId !== 'mark-chat-read' && menuId !== 'mark-read-up-to-here') return null;
  const target = await targetForMenu(menuId, tabId, frameId, targetElementId);
  if (!target) return { ok: false, message: { key: 'errorNoMessageUnderPointer' }, code: 'NO_TARGET' };
  if ('ok' in target) return target;
  return markChatRead(tabId, target);
}
