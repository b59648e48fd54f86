// Service worker: wires browser events to the use cases. Every listener is registered
// synchronously at start so events that wake a stopped worker are not lost.
import browser from 'webextension-polyfill';
import { asEnvelope, type UiToWorker } from '../shared/messages.ts';
import { markChatRead, popupState } from './use-cases.ts';
import { createMenus, onMenuClick } from './menus.ts';
import { activeTabId } from './portal-tab.ts';

const UI_MESSAGES = ['popup/state', 'chat/mark-read', 'bulk/plan', 'bulk/start', 'bulk/cancel', 'bulk/undo', 'bulk/status'] as const;

function fromOwnPage(sender: browser.Runtime.MessageSender): boolean {
  // Only the extension's own pages (popup, options) talk to the worker; content scripts have a tab.
  return sender.id === browser.runtime.id && sender.tab === undefined && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

function tabIdFrom(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!fromOwnPage(sender)) return undefined;
  const envelope = asEnvelope<UiToWorker>(message, UI_MESSAGES);
  if (!envelope) return undefined;
  const tabId = tabIdFrom(envelope.payload.tabId);
  switch (envelope.type) {
    case 'popup/state':
      return popupState(tabId);
    case 'chat/mark-read':
      if (tabId === null) return Promise.resolve({ ok: false, message: { key: 'errorNotPortal' }, code: 'NOT_PORTAL' });
      return markChatRead(tabId);
    default:
      return undefined;
  }
});

browser.runtime.onInstalled.addListener(() => {
  void createMenus();
});

browser.contextMenus.onClicked.addListener((info, tab) => {
  if (tab?.id === undefined) return;
  void onMenuClick(String(info.menuItemId), tab.id, info.frameId ?? 0);
});

browser.commands.onCommand.addListener((command, tab) => {
  void (async () => {
    const tabId = tab?.id ?? (await activeTabId());
    if (tabId === null) return;
    if (command === 'mark-current-read') await markChatRead(tabId);
  })();
});
