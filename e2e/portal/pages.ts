// Server-rendered portal pages (bitrix24-web-ui.md): the login form and the v2 messenger at
// /online/, rendered from the tenant's live state at request time.

import type { PortalChat, PortalMessage } from './model.ts';
import type { Session, Tenant } from './tenant.ts';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

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

/** How the messenger is shown: its own page (/online/) or a slider over another page (/crm/...). */
export type MessengerMode = 'page' | 'slider';

export function renderMessengerPage(tenant: Tenant, session: Session, imDialog: string | null, mode: MessengerMode = 'page'): string {
  const { markup, store } = tenant.pageOptions;
  const state = tenant.state;
  const isOwner = session.userId === state.userId;
  const recent = isOwner ? state.recentChats() : [];
  const rows = recent.slice(0, MAX_ROWS);
  let open: PortalChat | undefined;
  if (imDialog === null) open = rows[0];
  else if (isOwner) open = state.accessible(imDialog, session.userId);
  if (open && !rows.includes(open)) rows.push(open);

  const chats: Record<string, unknown> = {};
  for (const c of rows) {
    const dialogId = state.dialogIdOf(c);
    chats[dialogId] = {
      dialogId,
      chatId: c.id,
      name: c.title,
      type: c.kind === 'dialog' ? 'user' : c.kind,
      lastMessageId: state.lastMessageIdOf(c),
      lastReadId: c.lastReadId,
      counter: state.counter(c),
      markedId: c.manualUnread ? state.lastMessageIdOf(c) : 0,
      muteList: c.muted ? [state.userId] : [],
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
  const layout = open ? { name: 'chat', entityId: openDialogId, contextId: 0 } : { name: 'chat', entityId: '', contextId: 0 };

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
    const initials = c.title.split(/\s+/).slice(0, 2).map((w) => w[0] ?? '').join('');
    return `<div data-id="${esc(dialogId)}" class="${classes.join(' ')}">
 <div class="bx-im-list-recent-item__container">
  <div class="bx-im-list-recent-item__avatar_container"><div class="bx-im-list-recent-item__avatar_content"><div class="bx-im-avatar__scope bx-im-avatar__container" style="background-color:${esc(c.color)}">${esc(initials)}</div></div></div>
  <div class="bx-im-list-recent-item__content_container">
   <div class="bx-im-list-recent-item__content_header">
    <div class="bx-im-chat-title__scope bx-im-chat-title__container"><span class="bx-im-chat-title__text" title="${esc(c.title)}">${esc(c.title)}</span>${c.muted ? '<div class="bx-im-chat-title__muted-icon"></div>' : ''}</div>
    <div class="bx-im-list-recent-item__date"><span>${last ? esc(new Date(last.date).toISOString().slice(11, 16)) : ''}</span></div>
   </div>
   <div class="bx-im-list-recent-item__content_bottom">
    <div class="bx-im-list-recent-item__message_container"><span class="bx-im-list-recent-item__message_text">${esc(last?.text ?? '')}</span></div>
    ${counterHtml}
   </div>
  </div>
 </div>
</div>`;
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
    group.items.push(
      `<div class="bx-im-message-base__wrap bx-im-message-base__scope${m.sending ? ' --sending' : ''}" data-id="${esc(m.id)}"${viewed}><div class="bx-im-message-base__container"><div class="bx-im-message-default-content__container"><div class="bx-im-message-default-content__text">${esc(m.text)}</div></div></div></div>`,
    );
  }
  const groups = authorGroups.map(
    (g) => `<div class="bx-im-message-list-author-group__container ${g.author === me ? '--self' : '--opponent'}">${g.items.join('')}</div>`,
  );

  const messenger = markup === 'legacy'
    ? legacyMessenger(tenant, rows, open, shown, session.userId)
    : `<div class="bx-im-messenger__scope bx-im-messenger__container">
 <div class="bx-im-list-container-recent__scope bx-im-list-container-recent__container">
  <div class="bx-im-list-container-recent__elements">
   <div class="bx-im-list-recent__scroll-container">
    <div class="bx-im-list-recent__pinned_container">
${pinnedRows}
    </div>
    <div class="bx-im-list-recent__general_container">
${createChatRow}
${generalRows}
    </div>
   </div>
  </div>
 </div>
 <div class="bx-im-dialog-chat__block bx-im-dialog-chat__scope">
  <div class="bx-im-chat-header__scope"><div class="bx-im-chat-header__title">${esc(open?.title ?? '')}</div></div>
  <div class="bx-im-dialog-chat__scroll-container">
${groups.join('\n')}
  </div>
 </div>
</div>`;
  const body = mode === 'slider'
    ? `<div class="bx-layout-content"><h1>CRM</h1></div>
<div class="side-panel side-panel-overlay"><div class="side-panel-container bx-im-messenger__slider" id="im:slider:1">
${messenger}
</div></div>`
    : messenger;
  const title = mode === 'slider' ? 'CRM' : open ? `Messenger: ${open.title}` : 'Messenger';
  return `${head(title)}
<body class="${mode === 'slider' ? 'bx-layout' : 'bx-im-messenger'}">
${globals(tenant, session)}
${body}
<script type="application/json" id="bx-im-portal-state">${scriptJson({ markup, store, layout, chats, messages })}</script>
<script src="/bitrix/js/im/messenger.js"></script>
</body></html>`;
}

/** The pre-v2 messenger's markup (older self-hosted portals). */
function legacyMessenger(tenant: Tenant, rows: PortalChat[], open: PortalChat | undefined, shown: RenderedMessage[], me: number): string {
  const state = tenant.state;
  const items = rows.map((c) => {
    const dialogId = state.dialogIdOf(c);
    const counter = state.counter(c);
    return `<div class="bx-messenger-cl-item${c === open ? ' bx-messenger-cl-item-active' : ''}" data-userId="${esc(dialogId)}" data-userIsChat="${c.kind === 'dialog' ? 'false' : 'true'}"><span class="bx-messenger-cl-user-title">${esc(c.title)}</span>${counter > 0 ? `<span class="bx-messenger-cl-count"><span class="bx-messenger-cl-count-digit">${counter}</span></span>` : ''}</div>`;
  });
  const messages = shown.map(
    (m) => `<div class="bx-messenger-content-item${m.authorId === me ? ' bx-messenger-content-item-1' : ' bx-messenger-content-item-2'}" data-messageId="${esc(m.id)}" data-senderId="${m.authorId}"><span class="bx-messenger-message" id="im-message-${esc(m.id)}">${esc(m.text)}</span></div>`,
  );
  return `<div class="bx-messenger-box bx-messenger-mark">
 <div class="bx-messenger-box-contact"><div class="bx-messenger-recent-wrap">
${items.join('\n')}
 </div></div>
 <div class="bx-messenger-box-dialog"><div class="bx-messenger-panel-title">${esc(open?.title ?? '')}</div>
  <div class="bx-messenger-body-wrap">
${messages.join('\n')}
  </div>
 </div>
</div>`;
}

export function renderNotFound(): string {
  return `${head('404 Not Found')}<body><h1>404 Not Found</h1></body></html>`;
}
