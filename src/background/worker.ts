// The service worker's wiring, in one place: every browser event the extension listens to is
// registered here, synchronously at start, so events that wake a stopped worker are not lost.
// Each one calls a use case, or wakes the job supervisor with its reason.
import browser from 'webextension-polyfill';
import { asEnvelope, type UiToWorker } from '../shared/messages.ts';
import { loadSettings, onSettingsChanged, WEBHOOK_KEY } from '../shared/settings.ts';
import { OPEN_PLAN_KEY } from '../shared/ui-handoff.ts';
import { markChatRead, popupState, refreshTabBadge } from './use-cases.ts';
import { createMenus, onMenuClick } from './menus.ts';
import { listenForSelfHosted } from './self-hosted.ts';
import { activeTabId } from './portal-tab.ts';
import { PortalClients, usePortalClients, type ClientFactory } from './portal-clients.ts';
import { checkWebhook } from './webhook-check.ts';
import { notifyChatResult, notifyProblem, UNDO_NOTIFICATION } from './feedback.ts';
import { fromOwnPage } from './senders.ts';
import { JobSupervisor, RESUME_ALARM } from './bulk/supervisor.ts';
import { planBulk } from './bulk/planning.ts';
import { bulkStatus } from './bulk/job-view.ts';
import { contextMenus, onNotificationAction } from '../shared/browser-target.ts';
import { RuleRunner } from './rules/rule-runner.ts';

const UI_MESSAGES = ['popup/state', 'chat/mark-read', 'bulk/plan', 'bulk/start', 'bulk/resume', 'bulk/cancel', 'bulk/undo', 'bulk/status', 'options/check-webhook', 'rules/list', 'rules/run', 'rules/approve', 'rules/undo'] as const;

export interface WorkerDeps {
  /** Builds each portal's one client (production: `restClientFactory`). */
  clientFactory: ClientFactory;
}

function tabIdFrom(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Registers every listener and wakes the supervisor once for the start-up. Returns the supervisor (tests drive it). */
export function startWorker(deps: WorkerDeps): JobSupervisor {
  const clients = new PortalClients(deps.clientFactory);
  usePortalClients(clients);
  const supervisor = new JobSupervisor();
  const rules = new RuleRunner(supervisor);

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
        return planBulk(tabId, payload.filters, { folder: payload.folder === true });
      case 'bulk/start':
        return typeof payload.planId === 'string' ? supervisor.start(payload.planId) : bulkStatus();
      case 'bulk/resume':
        void supervisor.wake('popup');
        return bulkStatus();
      case 'bulk/cancel':
        return supervisor.cancel();
      case 'bulk/undo':
        return supervisor.undo();
      case 'bulk/status':
        return bulkStatus();
      case 'options/check-webhook':
        return checkWebhook(typeof payload.url === 'string' ? payload.url : '');
      case 'rules/list': {
        const origin = typeof payload.origin === 'string' ? payload.origin : '';
        return loadSettings().then((settings) => settings.rules.filter((rule) => rule.portal === origin && rule.enabled).map((rule) => ({ id: rule.id, name: rule.name, approved: rule.approved })));
      }
      case 'rules/run':
        return typeof payload.ruleId === 'string' ? rules.run(payload.ruleId, 'run-now') : Promise.resolve({ ok: false, code: 'NO_RULE' });
      case 'rules/approve':
        return typeof payload.ruleId === 'string' ? rules.approve(payload.ruleId) : Promise.resolve({ ok: false, code: 'NO_RULE' });
      case 'rules/undo':
        return typeof payload.ruleId === 'string' ? rules.undoLast(payload.ruleId) : Promise.resolve({ ok: false, code: 'NO_RULE' });
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
  async function requestBulkRead(tabId: number | null, folder = false): Promise<void> {
    if ((await loadSettings()).confirmBulk) {
      await browser.storage.local.set({ [OPEN_PLAN_KEY]: { tabId, at: Date.now(), ...(folder ? { folder: true } : {}) } });
      try {
        await browser.action.openPopup();
      } catch {
        const query = `${tabId === null ? '' : `tabId=${tabId}&`}plan=${folder ? 'folder' : '1'}`;
        await browser.windows.create({ url: browser.runtime.getURL(`src/popup/index.html?${query}`), type: 'popup', width: 420, height: 620 });
      }
      return;
    }
    const view = await planBulk(tabId, undefined, { folder });
    const started = view.plan ? await supervisor.start(view.plan.planId, false) : view;
    if (started.error) await notifyProblem(started.error.message, true);
  }

  contextMenus().onClicked.addListener((info, tab) => {
    if (tab?.id === undefined) return;
    if (info.menuItemId === 'mark-all-read' || info.menuItemId === 'mark-folder-read') {
      void requestBulkRead(tab.id, info.menuItemId === 'mark-folder-read');
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
      const view = await supervisor.undo();
      if (view.error) await notifyProblem(view.error.message, true);
      else if (view.job?.undo) await notifyProblem({ key: 'notifyUndone', substitutions: [String(view.job.undo.restored)] }, true);
    })();
  });

  browser.tabs.onActivated.addListener(({ tabId }) => {
    void refreshTabBadge(tabId, (origin, total) => void rules.totalSeen(origin, total));
  });

  browser.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
    // Only portal tabs show their URL here (no `tabs` permission); others are ignored.
    if (changeInfo.status === 'complete' && tab.url) {
      void supervisor.tabLoaded(tabId, tab.url);
      void rules.tabLoaded(tabId, tab.url);
    }
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RESUME_ALARM) void supervisor.wake('alarm');
    else void rules.onAlarm(alarm.name);
  });

  // Settings changed (plan, auth mode, webhook): later calls build fresh clients; a running job keeps its own.
  onSettingsChanged((settings) => {
    clients.invalidate();
    void rules.syncAlarms(settings.rules);
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(WEBHOOK_KEY in changes)) return;
    clients.invalidate();
    if (changes[WEBHOOK_KEY]?.newValue !== undefined) void supervisor.wake('webhook-saved');
  });

  // A worker stopped mid-job picks it up again as soon as it starts.
  void supervisor.wake('startup');
  void loadSettings().then((settings) => rules.syncAlarms(settings.rules));
  return supervisor;
}
