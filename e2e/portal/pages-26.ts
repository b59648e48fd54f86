// The messenger page as im 26.x ("Air", bitrix24-im-26.md §6) renders it: the folder panel, the
// base list with renamed classes (`bx-im-list-base__*`), row counters (`__counters_wrap`, mention,
// children), the folder list, and the layouts `folder` / `tasksTask` / a system folder's own one.
// Also the extra store data of 26.x (counters, anchors, folders, recent sections).

import { SYSTEM_FOLDERS, folderList } from './im-v2-methods.ts';
import type { MessengerState, PortalChat, PortalMessage } from './model.ts';

/** HTML-escapes a value for the page templates. */
export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The layout a system folder opens (J lib/folder). */
export const SECTION_LAYOUT: Record<string, string> = {
  default: 'chat', tasksTask: 'tasksTask', copilot: 'copilot', openChannel: 'channel', collab: 'collab', lines: 'openlines',
};

export interface Layout26 {
  name: string;
  entityId: string;
  contextId: number;
  params: Record<string, unknown>;
}

/** Which list is open: the default recent list, a system folder's section, or a personal folder. */
export interface ListChoice {
  /** The system folder's recent section, or undefined for a personal folder. */
  section?: string;
  folderId: number;
  title: string;
  chats: PortalChat[];
  layout: Layout26;
}

/**
 * Resolves `IM_FOLDER` (a folder id) / `IM_RECENT_TYPE` (a recent section) and the open chat into
 * the list and the layout. Without either: the default list, layout `chat` (or `tasksTask` for a
 * task chat opened by link, as `openTaskComments` does).
 */
export function chooseList(state: MessengerState, folderParam: string | null, recentType: string | null, open: PortalChat | undefined): ListChoice {
  const openId = open ? state.dialogIdOf(open) : '';
  const personal = folderParam ? state.folders.find((f) => String(f.id) === folderParam) : undefined;
  if (personal) {
    const chats = state.recentRows().filter((c) => personal.chatIds.includes(c.id));
    return {
      folderId: personal.id, title: personal.title, chats,
      layout: { name: 'folder', entityId: open && chats.includes(open) ? openId : '', contextId: 0, params: { folderId: personal.id } },
    };
  }
  let system = folderParam ? SYSTEM_FOLDERS.find((f) => String(f.id) === folderParam) : undefined;
  if (!system && recentType) system = SYSTEM_FOLDERS.find((f) => f.section === recentType);
  if (!system && open && open.kind === 'tasksTask') system = SYSTEM_FOLDERS.find((f) => f.section === 'tasksTask');
  system ??= SYSTEM_FOLDERS[0]!;
  const chats = system.section === 'default' ? state.recentChats() : state.recentRows().filter((c) => state.sectionsOf(c).includes(system.section));
  return {
    section: system.section, folderId: system.id, title: system.title, chats,
    layout: { name: SECTION_LAYOUT[system.section] ?? 'chat', entityId: openId, contextId: 0, params: {} },
  };
}

/** The row counter of 26.x (item-counter.js): own + children's count, mention icon, marks. */
function rowCounters(state: MessengerState, c: PortalChat): string {
  const own = state.counter(c);
  const children = state.childrenCounter(c);
  const total = own + children;
  const mention = state.anchorsIn(c).length > 0 || state.children(c).some((x) => state.anchorsIn(x).length > 0);
  if (total === 0 && !c.manualUnread && !mention) return c.pinned ? '<div class="bx-im-list-recent-item__pinned-icon"></div>' : '';
  const mods: string[] = [];
  if (c.muted) mods.push('--muted');
  if (own === 0 && children > 0) mods.push('--children-only');
  else if (children > 0) mods.push('--with-children');
  if (mention && total > 0) mods.push('--with-mention-and-counter');
  const numberMods = c.manualUnread ? (total === 0 ? ' --no-counter' : ' --with-unread') : '';
  const number = total > 0 || c.manualUnread
    ? `<div class="bx-im-list-recent-item__counter_number${numberMods}">${total === 0 ? '' : total > 99 ? '99+' : total}</div>`
    : '';
  return `<div class="bx-im-list-recent-item__counters_wrap${mods.length ? ` ${mods.join(' ')}` : ''}"><div class="bx-im-list-recent-item__counters_container"><div class="bx-im-list-recent-item__counters">${mention ? '<div class="bx-im-list-recent-item__mention"></div>' : ''}${number}</div></div></div>`;
}

/** One chat row of the v2 list (recent-item.js): the same frame in 25.x and 26.x; only the counters differ. */
export function recentRow(dialogId: string, classes: string[], c: PortalChat, last: PortalMessage | undefined, counters: string): string {
  const initials = c.title.split(/\s+/).slice(0, 2).map((w) => w[0] ?? '').join('');
  return `<div data-id="${esc(dialogId)}" class="${classes.join(' ')}">
 <div class="bx-im-list-recent-item__container">
  <div class="bx-im-list-recent-item__avatar_container"><div class="bx-im-list-recent-item__avatar_content"><div class="bx-im-avatar__scope bx-im-avatar__container" style="background-color:${esc(c.color)}">${esc(initials)}</div></div></div>
  <div class="bx-im-list-recent-item__content_container">
   <div class="bx-im-list-recent-item__content_header">
    <div class="bx-im-chat-title__scope bx-im-chat-title__container"><span class="bx-im-chat-title__content"><span title="${esc(c.title)}" class="bx-im-chat-title__text">${esc(c.title)}</span>${c.muted ? '<span class="bx-im-chat-title__muted-icon"></span>' : ''}</span></div>
    <div class="bx-im-list-recent-item__date"><span>${last ? esc(new Date(last.date).toISOString().slice(11, 16)) : ''}</span></div>
   </div>
   <div class="bx-im-list-recent-item__content_bottom">
    <div class="bx-im-list-recent-item__message_container"><span class="bx-im-list-recent-item__message_text">${esc(last?.text ?? '')}</span></div>
    ${counters}
   </div>
  </div>
 </div>
</div>`;
}

function row26(state: MessengerState, c: PortalChat, open: PortalChat | undefined): string {
  const dialogId = state.dialogIdOf(c);
  const last = state.lastMessage(c);
  const classes = ['bx-im-list-recent-item__wrap'];
  if (c.pinned) classes.push('--pinned');
  if (c === open) classes.push('--selected');
  return recentRow(dialogId, classes, c, last, rowCounters(state, c));
}

/** The base list (base-list.js): fixed, scroll > pinned / general. */
function baseList(state: MessengerState, rows: PortalChat[], open: PortalChat | undefined): string {
  return `<div class="bx-im-list-base__container">
    <div class="bx-im-list-base__fixed_container"></div>
    <div class="bx-im-list-base__scroll-container">
     <div class="bx-im-list-base__pinned_container">
${rows.filter((c) => c.pinned).map((c) => row26(state, c, open)).join('\n')}
     </div>
     <div class="bx-im-list-base__general_container">
${rows.filter((c) => !c.pinned).map((c) => row26(state, c, open)).join('\n')}
     </div>
    </div>
   </div>`;
}

function folderCounter(state: MessengerState, f: Record<string, unknown>): number {
  const chats = state.memberChats();
  const counted = (c: PortalChat): number => (c.muted ? 0 : state.counter(c) || (c.manualUnread ? 1 : 0));
  if (f.type === 'system') {
    const section = (f.definition as { recentSection: string }).recentSection;
    if (section === 'openChannel') return 0;
    return chats.filter((c) => state.sectionsOf(c).includes(section)).reduce((n, c) => n + counted(c), 0);
  }
  const ids = new Set((f.definition as { chats: Array<{ chatId: number }> }).chats.map((x) => x.chatId));
  return chats
    .filter((c) => ids.has(c.id) || (ids.has(c.parentChatId ?? 0) && !state.chats.get(c.parentChatId ?? 0)?.muted))
    .reduce((n, c) => n + counted(c), 0);
}

/** The folder side panel (folder-panel/*). */
function folderPanel(state: MessengerState, selected: number): string {
  const items = folderList(state).map((f) => {
    const n = folderCounter(state, f);
    const icon = f.type === 'system' ? ` --${esc(f.code)}` : ' --personal';
    return `<div class="bx-im-messenger-folder-panel__item${f.id === selected ? ' --selected' : ''}" data-id="${esc(f.id)}" data-type="${esc(f.type)}">
   <div class="bx-im-messenger-folder-panel-item__icon${icon}"></div>
   ${n > 0 ? `<div class="bx-im-messenger-folder-panel-item__counter">${n > 99 ? '99+' : n}</div>` : ''}
   <div class="bx-im-messenger-folder-panel-item__title">${esc(f.title)}</div>
  </div>`;
  });
  return `<div class="bx-im-messenger-folder-panel__container">
${items.join('\n')}
 </div>`;
}

/** The whole 26.x messenger (root > folder panel, list, content). */
export function messenger26(
  state: MessengerState, choice: ListChoice, rows: PortalChat[], open: PortalChat | undefined, createChatRow: string, content: string,
): string {
  const list = choice.section === 'default'
    ? `<div class="bx-im-list-container-recent__scope bx-im-list-container-recent__container">
  <div class="bx-im-list-container-header-menu__container"></div>
  <div class="bx-im-list-container-recent__elements_container">
  <div class="bx-im-list-container-recent__elements">
${createChatRow}
   ${baseList(state, rows, open)}
  </div>
  </div>
 </div>`
    : `<div class="bx-im-list-container-folder__container" data-folder-id="${esc(choice.folderId)}">
  <div class="bx-im-list-container-folder__header_container"><div class="bx-im-list-container-folder__header_title">${esc(choice.title)}</div></div>
  <div class="bx-im-list-container-folder__elements_container">
  <div class="bx-im-list-container-folder__elements">
   ${baseList(state, rows, open)}
  </div>
  </div>
 </div>`;
  return `<div class="bx-im-messenger__scope bx-im-messenger__container">
 <div class="bx-im-messenger__navigation_container"><div class="bx-im-navigation__scope bx-im-navigation__container"></div></div>
 ${folderPanel(state, choice.folderId)}
 <div class="bx-im-messenger__layout_container"><div class="bx-im-messenger__layout_content">
 <div class="bx-im-messenger__list_container">
 ${list}
 </div>
 ${content}
 </div></div>
</div>`;
}

/** `Core.getApplicationData()` of 26.x and the store's counters/anchors/recent/folders modules. */
export function storeData26(state: MessengerState, rows: PortalChat[]): Record<string, unknown> {
  const recent = state.recentRows().map((c) => ({
    dialogId: state.dialogIdOf(c),
    chatId: c.id,
    messageId: state.lastMessageIdOf(c),
    pinned: c.pinned,
    unread: c.manualUnread,
    dateLastActivity: new Date(state.activityOf(c)).toISOString(),
    recentSections: state.sectionsOf(c),
  }));
  const rendered = new Set(rows.map((c) => c.id));
  return {
    counters: state.userCounters(),
    notificationCounter: state.unreadNotifications(),
    anchors: state.anchors.map((a) => ({ chatId: a.chatId, messageId: a.messageId, type: a.type, subType: a.subType, userId: state.userId, fromUserId: a.fromUserId })),
    folders: folderList(state),
    recent: recent.filter((r) => rendered.has(r.chatId) || r.recentSections.some((s) => s !== 'default')).slice(0, 400),
  };
}
