// Feedback when the popup is not open (keyboard shortcuts, context menu): system notifications,
// shown only when the user turned them on — except that a bulk read started without
// confirmation always offers its Undo there.
import browser from 'webextension-polyfill';
import { loadSettings } from '../shared/settings.ts';
import type { ActionResult, UserMessage } from '../shared/messages.ts';
import { notificationButtonsSupported } from '../shared/browser-target.ts';

export const UNDO_NOTIFICATION = 'bulk-undo';

function text(message: UserMessage): string {
  return browser.i18n.getMessage(message.key, message.substitutions) || message.key;
}

async function notify(id: string, title: string, message: string, buttons: string[] = []): Promise<void> {
  // Where notifications have no buttons (Firefox), a click on the notification is the action: say so.
  const withButtons = buttons.length > 0 && notificationButtonsSupported();
  const options = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title,
    message: buttons.length > 0 && !withButtons ? `${message}\n${text({ key: 'notifyClickTo', substitutions: [buttons[0]!] })}` : message,
    ...(withButtons ? { buttons: buttons.map((b) => ({ title: b })), requireInteraction: true } : {}),
  };
  try {
    await browser.notifications.clear(id);
    await browser.notifications.create(id, options as browser.Notifications.CreateNotificationOptions);
  } catch {
    /* notifications blocked by the system: the badge still tells */
  }
}

/** Report a single-chat result (shortcut or menu) when notifications are on. */
export async function notifyChatResult(result: ActionResult): Promise<void> {
  if (!(await loadSettings()).notifications) return;
  const message = result.ok
    ? text({ key: result.totalUnread === null ? 'notifyChatReadNoTotal' : 'notifyChatRead', substitutions: [String(result.counter), String(result.totalUnread ?? '')] })
    : text(result.message);
  await notify('chat-result', text({ key: 'extName' }), message);
}

/** Report a finished bulk read; `offerUndo` forces the notification (the job ran without confirmation). */
export async function notifyBulkResult(summary: { read: number; total: number; failed: number; totalUnread: number | null }, offerUndo: boolean): Promise<void> {
  if (!offerUndo && !(await loadSettings()).notifications) return;
  const message = text({ key: 'notifyBulkDone', substitutions: [String(summary.read), String(summary.total), String(summary.totalUnread ?? '—')] });
  await notify(UNDO_NOTIFICATION, text({ key: 'extName' }), message, summary.read > 0 ? [text({ key: 'bulkUndo' })] : []);
}

/** Report why a bulk read could not start or stopped. */
export async function notifyProblem(message: UserMessage, force = false): Promise<void> {
  if (!force && !(await loadSettings()).notifications) return;
  await notify('problem', text({ key: 'extName' }), text(message));
}
