// The toolbar badge: the active portal's total unread, or a mark for a state that needs the user.
import browser from 'webextension-polyfill';

export type BadgeState = { kind: 'count'; total: number } | { kind: 'logged-out' } | { kind: 'error' } | { kind: 'none' } | { kind: 'working'; percent: number };

export async function showBadge(state: BadgeState): Promise<void> {
  let text = '';
  let color = '#2fc6f6';
  let title = browser.i18n.getMessage('actionTitle');
  switch (state.kind) {
    case 'count':
      text = state.total === 0 ? '' : state.total > 999 ? '999+' : String(state.total);
      color = '#f54819';
      title = browser.i18n.getMessage('badgeUnread', [String(state.total)]);
      break;
    case 'logged-out':
      text = '?';
      color = '#828b95';
      title = browser.i18n.getMessage('badgeLoggedOut');
      break;
    case 'error':
      text = '!';
      color = '#d0021b';
      title = browser.i18n.getMessage('badgeError');
      break;
    case 'working':
      text = `${Math.max(0, Math.min(99, Math.floor(state.percent)))}%`;
      color = '#2fc6f6';
      break;
    case 'none':
      break;
  }
  await Promise.all([
    browser.action.setBadgeText({ text }),
    browser.action.setBadgeBackgroundColor({ color }),
    browser.action.setTitle({ title }),
  ]);
}
