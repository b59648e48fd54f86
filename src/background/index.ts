// Service worker: wires browser events to the use cases. Every listener is registered
// synchronously at start so events that wake a stopped worker are not lost.
import browser from 'webextension-polyfill';
import { asEnvelope, type UiToWorker } from '../shared/messages.ts';
import { markChatRead, popupState, refreshTabBadge } from './use-cases.ts';
import { createMenus, onMenuClick } from './menus.ts';
import { listenForSelfHosted } from './self-hosted.ts';
import { activeTabId } from './portal-tab.ts';
import { bulkStatus, cancelBulk, planBulk, resumeBulk, startBulk, undoBulk, RESUME_ALARM } from './bulk.ts';
import { checkWebhook } from './webhook-check.ts';
import { notifyChatResult, notifyProblem, UNDO_NOTIFICATION } from './feedback.ts';
import { loadSettings } from '../shared/settings.ts';
import { OPEN_PLAN_KEY } from '../shared/ui-handoff.ts';
import { contextMenus, onNotificationAction } from '../shared/browser-target.ts';

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

// Self-hosted portals: enabling from the popup, and following permission and settings changes.
listenForSelfHosted();

browser.runtime.onInstalled.addListener(() => {
  void createMenus();
});

/**
 * "Mark all chats read" from a shortcut or the menu. With confirmation on (the default) it opens
 * the plan in the popup; otherwise it runs with the saved filters and the result offers Undo, so
 * a stray keystroke never silently reads hundreds of chats.
 */
async function requestBulkRead(tabId: number | null): Promise<void> {
  if ((await loadSettings()).confirmBulk) {
    await browser.storage.local.set({ [OPEN_PLAN_KEY]: { tabId, at: Date.now() } });
    try {
      await browser.action.openPopup();
    } catch {
      const query = tabId === null ? 'plan=1' : `tabId=${tabId}&plan=1`;
      await browser.windows.create({ url: browser.runtime.getURL(`src/popup/index.html?${query}`), type: 'popup', width: 420, height: 620 });
    }
    return;
  }
  const view = await planBulk(tabId);
  if (view.plan) await startBulk(view.plan.planId, false);
  else if (view.error) await notifyProblem(view.error.message, true);
}

contextMenus().onClicked.addListener((info, tab) => {
  if (tab?.id === undefined) return;
  if (info.menuItemId === 'mark-all-read') {
    void requestBulkRead(tab.id);
    return;
  }
  void (async () => {
    const result = await onMenuClick(String(info.menuItemId), tab.id!, info.frameId ?? 0, info.targetElementId);
    if (result) await notifyChatResult(result);
  })();
});

browser.commands.onCommand.addListener((command, tab) => {
  void (async () => {
    const tabId = tab?.id ?? (await activeTabId());
    if (command === 'mark-current-read') {
      if (tabId === null) return;
      await notifyChatResult(await markChatRead(tabId));
    } else if (command === 'mark-all-read') {
      await requestBulkRead(tabId);
    }
  })();
});

onNotificationAction((notificationId) => {
  if (notificationId !== UNDO_NOTIFICATION) return;
  void (async () => {
    await browser.notifications.clear(notificationId);
    const view = await undoBulk();
    if (view.error) await notifyProblem(view.error.message, true);
    else if (view.job?.undo) await notifyBulkUndone(view.job.undo.restored);
  })();
});

async function notifyBulkUndone(restored: number): Promise<void> {
  await notifyProblem({ key: 'notifyUndone', substitutions: [String(restored)] }, true);
}

browser.tabs.onActivated.addListener(({ tabId }) => {
  void refreshTabBadge(tabId);
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RESUME_ALARM) void resumeBulk();
});

// A worker stopped mid-job picks it up again as soon as it starts.
void resumeBulk();
