// Service worker: wires browser events to the use cases. Every listener is registered
// synchronously at start so events that wake a stopped worker are not lost.
import browser from 'webextension-polyfill';
import { asEnvelope, type UiToWorker } from '../shared/messages.ts';
import { markChatRead, popupState } from './use-cases.ts';
import { createMenus, onMenuClick } from './menus.ts';
import { activeTabId } from './portal-tab.ts';
import { bulkStatus, cancelBulk, planBulk, resumeBulk, startBulk, undoBulk, RESUME_ALARM } from './bulk.ts';
import { checkWebhook } from './webhook-check.ts';

const UI_MESSAGES = ['popup/state', 'chat/mark-read', 'bulk/plan', 'bulk/start', 'bulk/resume', 'bulk/cancel', 'bulk/undo', 'bulk/status', 'options/check-webhook'] as const;

function fromOwnPage(sender: browser.Runtime.MessageSender): boolean {
  // Only the extension's own pages (popup, options) talk to the worker; a content script's URL is its page's.
  return sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

function tabIdFrom(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!fromOwnPage(sender)) return undefined;
  const envelope = asEnvelope<UiToWorker>(message, UI_MESSAGES);
  if (!envelope) return undefined;
  const { payload } = envelope;
  const tabId = tabIdFrom(payload.tabId);
  switch (envelope.type) {
    case 'popup/state':
      return popupState(tabId);
    case 'chat/mark-read':
      if (tabId === null) return Promise.resolve({ ok: false, message: { key: 'errorNotPortal' }, code: 'NOT_PORTAL' });
      return markChatRead(tabId);
    case 'bulk/plan':
      return planBulk(tabId, payload.filters);
    case 'bulk/start':
      return typeof payload.planId === 'string' ? startBulk(payload.planId) : bulkStatus();
    case 'bulk/resume':
      void resumeBulk();
      return bulkStatus();
    case 'bulk/cancel':
      return cancelBulk();
    case 'bulk/undo':
      return undoBulk();
    case 'bulk/status':
      return bulkStatus();
    case 'options/check-webhook':
      return checkWebhook(typeof payload.url === 'string' ? payload.url : '');
  }
  return undefined;
});

browser.runtime.onInstalled.addListener(() => {
  void createMenus();
});

/** Run the bulk job with the saved filters, from a shortcut or the menu; Undo stays offered. */
async function markAllRead(tabId: number): Promise<void> {
  const view = await planBulk(tabId);
  if (view.plan) await startBulk(view.plan.planId);
}

browser.contextMenus.onClicked.addListener((info, tab) => {
  if (tab?.id === undefined) return;
  if (info.menuItemId === 'mark-all-read') void markAllRead(tab.id);
  else void onMenuClick(String(info.menuItemId), tab.id, info.frameId ?? 0);
});

browser.commands.onCommand.addListener((command, tab) => {
  void (async () => {
    const tabId = tab?.id ?? (await activeTabId());
    if (tabId === null) return;
    if (command === 'mark-current-read') await markChatRead(tabId);
    else if (command === 'mark-all-read') await markAllRead(tabId);
  })();
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RESUME_ALARM) void resumeBulk();
});

// A worker stopped mid-job picks it up again as soon as it starts.
void resumeBulk();
