// Server-rendered portal pages (bitrix24-web-ui.md): the login form and the v2 messenger at
// /online/, rendered from the tenant's live state at request time. The messenger markup is the
// one the real templates render, the same as the extension's fixtures (src/content/fixtures/*.html
// name the template of each element).

import { KIND_INFO, type PortalChat, type PortalMessage } from './model.ts';
import { chooseList, esc, messenger26, recentRow, storeData26 } from './pages-26.ts';
import type { Session, Tenant } from './tenant.ts';


/** JSON safe inside <script> */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const MAX_ROWS = 100;
const MESSAGES_SHOWN = 50;

function head(title: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>${esc(title)}</title>
<link rel="stylesheet" href="/bitrix/css/im/messenger.css"></head>`;
}

function globals(tenant: Tenant, session: Session): string {
  const msg = { bitrix_sessid: tenant.currentSessid() ?? '', USER_ID: String(session.userId), SITE_ID: 's1', LANGUAGE_ID: 'en' };
  return `<script src="/bitrix/js/main/core/core.js"></script>
<script>BX.message(${scriptJson(msg)});</script>`;
}

export function renderLoginPage(tenant: Tenant, backurl: string, error: string): string {
  return `${head('Authorization')}
<body class="bx-auth-page">
<div class="bx-authform" id="bx_auth_form">
  <h3 class="bx-title">Log in to ${esc(tenant.host)}</h3>
  ${error ? `<div class="alert alert-danger errortext">${esc(error)}</div>` : ''}
  <form name="form_auth" method="post" action="/auth/?login=yes">
    <input type="hidden" name="AUTH_FORM" value="Y">
    <input type="hidden" name="TYPE" value="AUTH">
    <input type="hidden" name="backurl" value="${esc(backurl)}">
    <label>Login <input type="text" name="USER_LOGIN" maxlength="255" autocomplete="username"></label>
    <label>Password <input type="password" name="USER_PASSWORD" maxlength="255" autocomplete="current-password"></label>
    <input type="submit" class="btn btn-primary" name="Login" value="Log in">
  </form>
</div>
</body></html>`;
}

export function renderHomePage(tenant: Tenant, session: Session): string {
  const counters = tenant.counters();
  return `${head('Activity Stream')}
<body class="bx-layout">
${globals(tenant, session)}
<div class="bx-layout-header"><a class="bx-im-bar__link" href="/online/">Messenger <span class="bx-im-bar__counter">${counters.TYPE.ALL}</span></a></div>
<div class="bx-layout-content"><h1>Activity Stream</h1></div>
</body></html>`;
}

interface RenderedMessage {
  id: number | string;
  chatId: number;
  authorId: number;
  date: string;
  text: string;
  unread: boolean;
  sending?: boolean;
}

/** How the messenger is shown: its own page (/online/), a slider over another page (/crm/...), or the iframe of /desktop_app/. */
export type MessengerMode = 'page' | 'slider' | 'frame';

/** 26.x address parameters: `IM_FOLDER` (folder id; this portal's own) and `IM_RECENT_TYPE` (a recent section). */
export interface MessengerQuery {
  folder?: string | null;
  recentType?: string | null;
}

export function renderMessengerPage(tenant: Tenant, session: Session, imDialog: string | null, mode: MessengerMode = 'page', query: MessengerQuery = {}): string {
  const { markup, store } = tenant.pageOptions;
  const air = markup === 'v2-26';
  const state = tenant.state;
  const isOwner = session.userId === state.userId;
  let open: PortalChat | undefined;
  if (imDialog !== null && isOwner) open = state.accessible(imDialog, session.userId);
  const choice = air ? chooseList(state, query.folder ?? null, query.recentType ?? null, open) : undefined;
  const recent = isOwner ? (choice ? choice.chats : state.recentChats()) : [];
  const rows = recent.slice(0, MAX_ROWS);
  // Without IM_DIALOG the first chat opens, except in a folder (nothing selected there).
  if (imDialog === null && !(air && (query.folder || query.recentType))) open = rows[0];
  if (open && !rows.includes(open)) rows.push(open);

  const chats: Record<string, unknown> = {};
  for (const c of rows) {
    const dialogId = state.dialogIdOf(c);
    chats[dialogId] = {
      dialogId,
      chatId: c.id,
      name: c.title,
      type: c.kind === 'dialog' ? 'user' : air ? KIND_INFO[c.kind].type : c.kind,
      lastMessageId: state.lastMessageIdOf(c),
      lastReadId: c.lastReadId,
      // 26.x: chats/get has no counter (counters/getCounterByChatId has it).
      ...(air ? {} : { counter: state.counter(c) }),
      markedId: c.manualUnread ? c.markedId || state.lastMessageIdOf(c) : 0,
      muteList: c.muted ? [state.userId] : [],
      ...(air ? { isMuted: c.muted, parentChatId: c.parentChatId ?? 0, role: c.ownerId === state.userId ? 'owner' : 'member' } : {}),
    };
  }

  const messages: Record<string, RenderedMessage[]> = {};
  let shown: RenderedMessage[] = [];
  if (open) {
    const chat = open;
    shown = chat.messageIds
      .slice(-MESSAGES_SHOWN)
      .map((id) => state.messages.get(id))
      .filter((m): m is PortalMessage => m !== undefined)
      .map((m) => ({ id: m.id, chatId: m.chatId, authorId: m.authorId, date: new Date(m.date).toISOString(), text: m.text, unread: state.isUnread(chat, m) }));
    // A message of the user still being sent: its id is a temporary UUID (legacy: tempN) until the server answers.
    shown.push({ id: markup === 'legacy' ? `temp${chat.messageIds.length}` : state.nextUuid(), chatId: chat.id, authorId: session.userId, date: new Date().toISOString(), text: 'Sending…', unread: false, sending: true });
    messages[String(chat.id)] = shown;
  }
  const openDialogId = open ? state.dialogIdOf(open) : '';
  const layout = choice ? { ...choice.layout, entityId: choice.layout.name === 'folder' ? choice.layout.entityId : openDialogId }
    : open ? { name: 'chat', entityId: openDialogId, contextId: 0 } : { name: 'chat', entityId: '', contextId: 0 };

  const renderRow = (c: PortalChat): string => {
    const dialogId = state.dialogIdOf(c);
    const counter = state.counter(c);
    const last = state.lastMessage(c);
    const classes = ['bx-im-list-recent-item__wrap'];
    if (c.pinned) classes.push('--pinned');
    if (c === open) classes.push('--selected');
    let counterHtml = '';
    if (c.pinned || counter > 0 || c.manualUnread) {
      const muted = c.muted ? ' --muted' : '';
      const formatted = counter > 99 ? '99+' : String(counter);
      let inner: string;
      if (c.manualUnread && counter === 0) inner = `<div class="bx-im-list-recent-item__counter_number --no-counter${muted}"></div>`;
      else if (c.manualUnread) inner = `<div class="bx-im-list-recent-item__counter_number --with-counter${muted}">${formatted}</div>`;
      else if (counter > 0) inner = `<div class="bx-im-list-recent-item__counter_number${muted}">${formatted}</div>`;
      else inner = '<div class="bx-im-list-recent-item__pinned-icon"></div>';
      const wrapMods = `${counter > 99 ? ' --extended' : ''}${c.manualUnread ? ' --withUnread' : ''}`;
      counterHtml = `<div class="bx-im-list-recent-item__counter_wrap${wrapMods}"><div class="bx-im-list-recent-item__counter_container">${inner}</div></div>`;
    }
    return recentRow(dialogId, classes, c, last, counterHtml);
  };

  const pinnedRows = rows.filter((c) => c.pinned).map(renderRow).join('\n');
  const generalRows = rows.filter((c) => !c.pinned).map(renderRow).join('\n');
  const createChatRow = `<div class="bx-im-list-recent-create-chat__container"><div class="bx-im-list-recent-item__wrap"><div class="bx-im-list-recent-item__container"><div class="bx-im-list-recent-item__content_container"><div class="bx-im-list-recent-item__content_header"><div class="bx-im-list-recent-create-chat__header --ellipsis">New chat</div></div><div class="bx-im-list-recent-item__content_bottom"><div class="bx-im-list-recent-item__message_container">Creating a chat</div></div></div></div></div></div>`;

  const me = session.userId;
  const authorGroups: Array<{ author: number; items: string[] }> = [];
  for (const m of shown) {
    let group = authorGroups[authorGroups.length - 1];
    if (!group || group.author !== m.authorId) {
      group = { author: m.authorId, items: [] };
      authorGroups.push(group);
    }
    const viewed = typeof m.id === 'number' && !m.unread ? ' data-viewed="true"' : '';
    const side = m.authorId === me ? '--self' : m.authorId === 0 ? '--system' : '--opponent';
    group.items.push(
      `<div class="bx-im-message-base__wrap bx-im-message-base__scope ${side}${m.sending ? ' --sending' : ''}" data-id="${esc(m.id)}"${viewed}><div class="bx-im-message-base__container"><div class="bx-im-message-base__content"><div class="bx-im-message-base__body"><div class="bx-im-message-default-content__container"><div class="bx-im-message-default-content__text">${esc(m.text)}</div></div></div></div></div></div>`,
    );
  }
  const groups = authorGroups.map(
    (g) => `<div class="bx-im-message-list-author-group__container ${g.author === me ? '--self' : '--opponent'}">${g.items.join('')}</div>`,
  );

  const content = `<div class="bx-im-messenger__content_container --with-list">
 <div class="bx-im-content-chat__container">
 <div class="bx-im-chat-header__scope bx-im-chat-header__container"><div class="bx-im-chat-header__title">${esc(open?.title ?? '')}</div></div>
 <div class="bx-im-dialog-chat__block bx-im-dialog-chat__scope">
  <div class="bx-im-dialog-chat__scroll-container">
   <div class="bx-im-message-list__container">
    <div class="bx-im-message-list-date-group__container">
${groups.join('\n')}
    </div>
   </div>
  </div>
 </div>
 </div>
 </div>`;
  const messenger = markup === 'legacy'
    ? legacyMessenger(tenant, rows, open, shown, session.userId)
    : choice ? messenger26(state, choice, rows, open, createChatRow, content)
    : `<div class="bx-im-messenger__scope bx-im-messenger__container">
 <div class="bx-im-messenger__navigation_container"><div class="bx-im-navigation__scope bx-im-navigation__container"></div></div>
 <div class="bx-im-messenger__layout_container"><div class="bx-im-messenger__layout_content">
 <div class="bx-im-messenger__list_container">
 <div class="bx-im-list-container-recent__scope bx-im-list-container-recent__container">
  <div class="bx-im-list-container-recent__elements_container">
  <div class="bx-im-list-container-recent__elements">
   <div class="bx-im-list-recent__container">
${createChatRow}
   <div class="bx-im-list-recent__scroll-container">
    <div class="bx-im-list-recent__pinned_container">
${pinnedRows}
    </div>
    <div class="bx-im-list-recent__general_container">
${generalRows}
    </div>
   </div>
   </div>
  </div>
  </div>
 </div>
 </div>
 ${content}
 </div></div>
</div>`;
  const body = mode === 'slider'
    ? `<div class="bx-layout-content"><h1>CRM</h1></div>
<div class="side-panel side-panel-overlay side-panel-overlay-open"><div class="side-panel-container"><div class="side-panel-content-container"><div class="bx-im-messenger__slider">
${messenger}
</div></div></div></div>`
    // The Air template mounts the app into an embedded page container (im.router air template.php).
    : air && mode === 'page' ? `<div id="messenger-embedded-application" class="bx-im-messenger-embedded">
${messenger}
</div>` : messenger;
  const title = mode === 'slider' ? 'CRM' : open ? `Messenger: ${open.title}` : 'Messenger';
  return `${head(title)}
<body class="${mode === 'slider' ? 'bx-layout' : mode === 'frame' ? 'bx-im-desktop' : 'bx-im-messenger'}">
${globals(tenant, session)}
${body}
<script type="application/json" id="bx-im-portal-state">${scriptJson({ markup, store, layout, chats, messages, ...(air ? { air: storeData26(state, isOwner ? rows : []) } : {}) })}</script>
<script src="/bitrix/js/im/messenger.js"></script>
</body></html>`;
}

/** The pre-v2 messenger's markup (older self-hosted portals). */
function legacyMessenger(tenant: Tenant, rows: PortalChat[], open: PortalChat | undefined, shown: RenderedMessage[], me: number): string {
  const state = tenant.state;
  const items = rows.map((c) => {
    const dialogId = state.dialogIdOf(c);
    const counter = state.counter(c);
    const isChat = c.kind !== 'dialog';
    const classes = `bx-messenger-cl-item  bx-messenger-cl-id-${esc(dialogId)} ${c === open ? 'bx-messenger-cl-item-active ' : ''}${isChat ? 'bx-messenger-cl-item-chat ' : ''}${counter > 0 ? 'bx-messenger-cl-status-new-message' : ''}`;
    return `<span class="${classes}" data-userId="${esc(dialogId)}" data-name="${esc(c.title)}" data-userIsChat="${isChat}" data-isPinned="${c.pinned}" data-userIsQueue="false"><span class="bx-messenger-cl-count">${counter > 0 ? `<span class="bx-messenger-cl-count-digit">${counter > 99 ? '99+' : counter}</span>` : ''}</span><span title="${esc(c.title)}" class="bx-messenger-cl-avatar"><span class="bx-messenger-cl-status"></span></span><span class="bx-messenger-cl-user"><div class="bx-messenger-cl-user-title">${esc(c.title)}</div><div class="bx-messenger-cl-user-desc"></div></span></span>`;
  });
  const messages = shown.map((m) => legacyMessageBlock(m, me));
  return `<div class="bx-messenger-box bx-messenger-mark">
 <div class="bx-messenger-box-contact"><div class="bx-messenger-cl-wrap"><div class="bx-messenger-recent-wrap" id="im-contact-list-wrap">
${items.join('\n')}
 </div></div></div>
 <div class="bx-messenger-box-dialog"><div class="bx-messenger-panel"><span class="bx-messenger-panel-title">${esc(open?.title ?? '')}</span></div>
  <div class="bx-messenger-body"><div class="bx-messenger-body-wrap">
${messages.join('\n')}
  </div></div>
 </div>
</div>`;
}

/** One message as common.js drawMessage renders it (one block per message: the blocks here are never merged). */
function legacyMessageBlock(m: RenderedMessage, me: number): string {
  const type = m.authorId === 0 ? 'system' : m.authorId === me ? 'self' : 'other';
  const classes = type === 'system' ? 'bx-messenger-content-item bx-messenger-content-item-system' : type === 'self' ? 'bx-messenger-content-item' : 'bx-messenger-content-item bx-messenger-content-item-2';
  return `<div data-type="${type}" data-senderId="${m.authorId}" data-messageId="${esc(m.id)}" data-blockmessageid="${esc(m.id)}" class="${classes}"><span class="bx-messenger-content-item-content"><span class="bx-messenger-content-item-status"></span><span class="bx-messenger-content-item-text-center"><span class="bx-messenger-content-item-text-message"><span class="bx-messenger-content-item-text-wrap"><span class="bx-messenger-message " id="im-message-${esc(m.id)}">${esc(m.text)}</span></span></span><span class="bx-messenger-content-item-params"><span class="bx-messenger-content-item-date"></span></span></span></span></div>`;
}

/**
 * /desktop_app/: the desktop app's shell page (the portal's globals, no messenger) with the
 * messenger in an iframe (`/desktop_app/?IFRAME=Y&IM_DIALOG=...`), as in the extension's fixtures
 * desktop-app-top.html / desktop-app-frame.html.
 */
export function renderDesktopAppPage(tenant: Tenant, session: Session, imDialog: string | null): string {
  const frame = `/desktop_app/?IFRAME=Y${imDialog ? `&IM_DIALOG=${encodeURIComponent(imDialog)}` : ''}`;
  return `${head('Bitrix24')}
<body class="bx-desktop">
${globals(tenant, session)}
<div class="bx-desktop-layout">
 <iframe class="bx-desktop-frame" src="${esc(frame)}" title="Messenger" style="width:100%;height:760px;border:0"></iframe>
</div>
</body></html>`;
}

export function renderNotFound(): string {
  return `${head('404 Not Found')}<body><h1>404 Not Found</h1></body></html>`;
}
