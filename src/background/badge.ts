// The toolbar badge: the portal's total unread on its tabs (and globally for a webhook portal),
// or a distinct mark for logged out, error and work in progress. Other tabs show nothing.
import browser from 'webextension-polyfill';

export type BadgeState =
  | { kind: 'count'; total: number }
  | { kind: 'logged-out' }
  | { kind: 'error' }
  | { kind: 'none' }
  | { kind: 'working'; percent: number };

function look(state: BadgeState): { text: string; color: string; title: string } {
  const i18n = (key: string, sub?: string) => browser.i18n.getMessage(key, sub) || key;
  switch (state.kind) {
    case 'count':
      return { text: state.total === 0 ? '' : state.total > 999 ? '999+' : String(state.total), color: '#f54819', title: i18n('badgeUnread', String(state.total)) };
    case 'logged-out':
      return { text: '?', color: '#828b95', title: i18n('badgeLoggedOut') };
    case 'error':
      return { text: '!', color: '#d0021b', title: i18n('badgeError') };
    case 'working':
      return { text: `${Math.max(0, Math.min(99, Math.floor(state.percent)))}%`, color: '#2fc6f6', title: i18n('badgeWorking') };
    case 'none':
      return { text: '', color: '#2fc6f6', title: i18n('actionTitle') };
  }
}

/** Show a state on one tab, or on the default badge (every tab without its own) when `tabId` is null. */
export async function showBadge(state: BadgeState, tabId: number | null = null): Promise<void> {
  const { text, color, title } = look(state);
  const where = tabId === null ? {} : { tabId };
  try {
    await Promise.all([
      browser.action.setBadgeText({ text, ...where }),
      browser.action.setBadgeBackgroundColor({ color, ...where }),
      browser.action.setTitle({ title, ...where }),
    ]);
  } catch {
    /* the tab was closed meanwhile */
  }
}
