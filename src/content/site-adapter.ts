// Every Bitrix24 selector and page-global path lives here, so a markup change is a one-file fix.
// Each one names the template it comes from in the public source of the `im` module (v2:
// alex-jazzman/bitrix24_source bitrix/modules/im/install/js/im/v2/...; legacy:
// avshatalov48/bitrix-core-business modules/im/install/js/im/{im,common}.js). The unit tests pin
// each selector to fixtures copied from those templates (./fixtures/, site-adapter.test.ts).
// Detection is layered and re-run on every request; nothing here is cached.
import { parseDialogId, parseMessageId } from '../core/dialog-id.ts';
import { MAX_FOLDER_CHATS, MAX_LOADED_IDS, type PageSnapshot } from './bridge-protocol.ts';
import type { Detection, DialogSource, FolderSummary, MessageSource, ResolvedContextTarget } from '../shared/messages.ts';

export const SELECTORS = {
  // --- v2 (Vue) messenger -------------------------------------------------------------------
  /** component/messenger/src/messenger.js: the full messenger's root. */
  messengerRoot: '.bx-im-messenger__container',
  /** lib/slider/src/slider.js `SLIDER_CONTAINER_CLASS`: the messenger opened as a slider over /crm/... */
  messengerSlider: '.bx-im-messenger__slider',
  /**
   * component/list/items/recent/src/components/recent-item/recent-item.js: `div[data-id=dialogId]`.
   * The create-chat placeholder (create-chat.js) reuses the class without `data-id`; active-call rows
   * (active-call.js) add `bx-im-list-recent-active-call-item__wrap`.
   */
  recentRow: '.bx-im-list-recent-item__wrap',
  /** recent-item.js `wrapClasses`: `--selected` / `--pinned` are classes of their own. */
  selectedRow: '.bx-im-list-recent-item__wrap[class~="--selected"]',
  /** component/elements/chat-title/src/base/chat-title.js; the `--self` span is the "(it's you)" suffix. */
  rowTitle: '.bx-im-chat-title__text:not([class~="--self"])',
  /** component/dialog/chat/src/chat-dialog.js: the open dialog's scroll container. */
  messageList: '.bx-im-dialog-chat__scroll-container',
  /** component/message/base/src/base-message.js: `data-id` = message id, or a UUID while it is being sent. */
  message: '.bx-im-message-base__wrap',
  /**
   * component/messenger/src/messenger.js keeps an open-lines chat seen earlier in the DOM under
   * `.bx-im-messenger__openlines_container.--hidden` (v-show: inline `display: none`): its list is not the open chat's.
   */
  hidden: '[class~="--hidden"], [style*="display: none"], [style*="display:none"], [hidden]',

  // --- legacy messenger (BX.IM.Messenger, BX.MessengerCommon) -------------------------------
  /** im.js: the messenger popup's box. */
  legacyBox: '.bx-messenger-box',
  /** common.js drawContactListElement: `span[data-userId=dialogId]` (also `queueN`, `structureN` rows). */
  legacyRow: '.bx-messenger-cl-item',
  /** common.js: set on the open chat's row (mobile layout only). */
  legacyActiveRow: '.bx-messenger-cl-item.bx-messenger-cl-item-active',
  legacyRowTitle: '.bx-messenger-cl-user-title',
  /** im.js `popupMessengerBodyWrap`: the open chat's messages. */
  legacyMessageList: '.bx-messenger-body-wrap',
  /** common.js drawMessage: a block of one sender's messages; `data-messageId` = its newest. */
  legacyMessageBlock: '.bx-messenger-content-item',
  /** common.js drawMessage: one message, `span#im-message-<id>` (`tempN` while being sent). */
  legacyMessage: '.bx-messenger-message',
} as const;

/** Anything that says a messenger is on this page (in this frame). */
const MESSENGER_MARKERS = [
  SELECTORS.messengerRoot,
  SELECTORS.messengerSlider,
  SELECTORS.messageList,
  SELECTORS.recentRow,
  SELECTORS.legacyBox,
  SELECTORS.legacyMessageList,
  SELECTORS.legacyRow,
].join(', ');

/**
 * `application/getLayout` names whose `entityId` is the open dialog (J lib/layout/src/layout.js
 * `isChatLayout`, im 26.900). An allow-list: `updateFolder` carries a folder id, `createChat` none.
 * `tasksTask`: a task's chat (opened from the task, or the tasks folder). `folder`: a personal
 * folder (`params.folderId`); `entityId` is the chat open in it, or `''` when none is.
 */
export const CHAT_LAYOUTS = ['chat', 'channel', 'collab', 'copilot', 'openlines', 'openlinesV2', 'tasksTask', 'folder'] as const;

/**
 * System folders open their own layout (J lib/folder): the folder's recent section by layout. The
 * default folder (`chat`) is "all chats", open lines and channels have their own ways: not offered.
 */
export const SYSTEM_FOLDER_LAYOUTS: Readonly<Record<string, string>> = { tasksTask: 'tasksTask', copilot: 'copilot', collab: 'collab' };

// The detection's shape is a contract with the worker: it lives in src/shared/messages.ts.
export type { Detection, DialogSource, MessageSource } from '../shared/messages.ts';

// --- page globals (read by the MAIN-world bridge) ---------------------------------------------

type Getters = Record<string, unknown>;

function chatSummary(getters: Getters, dialogId: unknown): Record<string, unknown> | undefined {
  const getChat = getters['chats/get'];
  if (typeof getChat !== 'function' || typeof dialogId !== 'string' || dialogId.length > 40) return undefined;
  const chat = getChat(dialogId) as Record<string, unknown> | null | undefined;
  if (!chat || typeof chat !== 'object') return undefined;
  return { dialogId: chat.dialogId ?? dialogId, chatId: chat.chatId, lastMessageId: chat.lastMessageId, counter: chat.counter, name: chat.name };
}

function loadedIds(getters: Getters, chatId: unknown): unknown[] {
  const getMessages = getters['messages/getByChatId'];
  if (typeof getMessages !== 'function') return [];
  const list = getMessages(chatId) as unknown;
  if (!Array.isArray(list)) return [];
  const ids: unknown[] = [];
  for (const message of list.slice(-MAX_LOADED_IDS)) {
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id === 'number' || typeof id === 'string') ids.push(id);
  }
  return ids;
}

function dialogIdsOf(list: unknown, pick: (item: Record<string, unknown>) => unknown): unknown[] {
  if (!Array.isArray(list)) return [];
  return list.slice(0, MAX_FOLDER_CHATS).map((item) => (item && typeof item === 'object' ? pick(item as Record<string, unknown>) : undefined));
}

/**
 * The open folder (im 26.x): layout `folder` + `params.folderId` → `recent/folders/getById` (a personal
 * folder's `definition.chats`); a system folder's layout → the folder whose `definition.recentSection`
 * it is, its chats from `recent/getSortedCollection({type: section})` (J model/src/recent/nested-modules/folders).
 */
function folderSummary(getters: Getters, layout: { name?: unknown; params?: unknown }): Record<string, unknown> | undefined {
  const name = String(layout.name);
  let folder: Record<string, unknown> | null | undefined;
  if (name === 'folder') {
    const folderId = (layout.params as { folderId?: unknown } | undefined)?.folderId;
    const getById = getters['recent/folders/getById'];
    if (typeof getById === 'function' && (typeof folderId === 'string' || typeof folderId === 'number')) folder = getById(folderId) as typeof folder;
  } else if (Object.hasOwn(SYSTEM_FOLDER_LAYOUTS, name)) {
    const getList = getters['recent/folders/getList'];
    const list = typeof getList === 'function' ? (getList() as unknown) : undefined;
    if (Array.isArray(list)) folder = list.find((f) => f?.type === 'system' && f?.definition?.recentSection === SYSTEM_FOLDER_LAYOUTS[name]);
  }
  if (!folder || typeof folder !== 'object') return undefined;
  const definition = (folder.definition ?? {}) as { chats?: unknown; recentSection?: unknown };
  if (folder.type === 'personal') return { id: folder.id, type: 'personal', title: folder.title, dialogIds: dialogIdsOf(definition.chats, (c) => c.dialogId), section: null };
  const section = definition.recentSection;
  const getSorted = getters['recent/getSortedCollection'];
  const items = typeof getSorted === 'function' && typeof section === 'string' ? (getSorted({ type: section }) as unknown) : [];
  return { id: folder.id, type: 'system', title: folder.title, dialogIds: dialogIdsOf(items, (i) => i.dialogId), section };
}

/**
 * Reads the page's own globals — run in the page's MAIN world (page-bridge.iife.ts). Every path:
 * `BX.bitrix_sessid()` / `BX.message('bitrix_sessid')`, `BX.message('USER_ID')`,
 * `BX.Messenger.v2.Application.Core.getStore().getters` → `application/getLayout`, `chats/get`,
 * `messages/getByChatId`; `BXIM.messenger.currentTab` (legacy). The answer is unvalidated on
 * purpose: the page can forge it, so the isolated side validates (bridge-protocol.ts).
 */
export function readPageGlobals(win: unknown, requestedDialogId?: unknown, anchorChatIds?: unknown): Record<string, unknown> {
  const w = (win ?? {}) as { BX?: any; BXIM?: any };
  const BX = w.BX;
  const snapshot: Record<string, unknown> = { hasStore: false };
  try {
    snapshot.sessid = typeof BX?.bitrix_sessid === 'function' ? BX.bitrix_sessid() : BX?.message?.('bitrix_sessid');
    snapshot.userId = BX?.message?.('USER_ID');
  } catch {
    /* a page without BX: no session data */
  }
  try {
    const store = BX?.Messenger?.v2?.Application?.Core?.getStore?.();
    const getters: Getters | undefined = store?.getters;
    if (getters) {
      snapshot.hasStore = true;
      const layout = getters['application/getLayout'] as { name?: unknown; entityId?: unknown; params?: unknown } | undefined;
      if (layout && typeof layout.name === 'string') {
        snapshot.layoutName = layout.name;
        try {
          snapshot.folder = folderSummary(getters, layout);
        } catch {
          /* folders unknown to this build */
        }
        if ((CHAT_LAYOUTS as readonly string[]).includes(layout.name)) {
          snapshot.openDialogId = layout.entityId;
          const chat = chatSummary(getters, layout.entityId);
          if (chat) {
            snapshot.chat = chat;
            snapshot.loadedMessageIds = loadedIds(getters, chat.chatId);
          }
        }
      }
      if (requestedDialogId !== undefined) snapshot.requested = chatSummary(getters, requestedDialogId);
      // Mentions and reactions (im 26.x anchors module): only a build that has the getter can tell.
      const hasAnchors = getters['messages/anchors/isChatHasAnchors'];
      if (Array.isArray(anchorChatIds) && typeof hasAnchors === 'function') {
        snapshot.anchoredChatIds = anchorChatIds.filter((id) => {
          try {
            return (hasAnchors as (chatId: unknown) => unknown)(id) === true;
          } catch {
            return false;
          }
        });
      }
    }
  } catch {
    /* store shape changed: the DOM layers still work */
  }
  try {
    if (!snapshot.hasStore) snapshot.legacyDialogId = w.BXIM?.messenger?.currentTab;
  } catch {
    /* no legacy messenger */
  }
  return snapshot;
}

/**
 * Whether a page looks like a Bitrix24 portal: the `BX` core plus a trace of the `im` module
 * (its globals, its scripts or the messenger's markup). Runs in the page's MAIN world through
 * `scripting.executeScript` (for an origin not enabled yet), so it must not use anything outside
 * its own body; `markers` are the messenger selectors.
 */
export function probeBitrix24Page(markers: string): boolean {
  const w = window as unknown as { BX?: { message?: unknown; Messenger?: unknown; MessengerCommon?: unknown }; BXIM?: unknown };
  const core = typeof w.BX?.message === 'function';
  if (!core) return false;
  const im = w.BXIM !== undefined || w.BX?.Messenger !== undefined || w.BX?.MessengerCommon !== undefined;
  return im || document.querySelector(`${markers}, script[src*="/bitrix/js/im/"], link[href*="/bitrix/js/im/"], link[href*="/bitrix/css/im/"]`) !== null;
}

/** The selectors `probeBitrix24Page` looks for. */
export const PROBE_MARKERS = MESSENGER_MARKERS;

// --- DOM layers -------------------------------------------------------------------------------

export function hasMessengerMarkup(doc: Document): boolean {
  return doc.querySelector(MESSENGER_MARKERS) !== null;
}

/** Where the visible messenger is: the topmost messenger slider, else the messenger root, else the page. */
export function messengerScope(doc: Document): ParentNode {
  const sliders = doc.querySelectorAll(SELECTORS.messengerSlider);
  const top = sliders[sliders.length - 1];
  if (top) return top;
  return doc.querySelector(SELECTORS.messengerRoot) ?? doc;
}

/** The dialog the v2 recent list marks as open (rows without a valid `data-id` are skipped). */
export function findSelectedRowDialog(scope: ParentNode): string | null {
  for (const row of scope.querySelectorAll(SELECTORS.selectedRow)) {
    const dialogId = parseDialogId(row.getAttribute('data-id'));
    if (dialogId) return dialogId;
  }
  return null;
}

/** The open dialog's message list: the first one in the scope that no hidden container holds. */
export function findMessageList(scope: ParentNode): Element | null {
  for (const list of scope.querySelectorAll(SELECTORS.messageList)) {
    if (!list.closest(SELECTORS.hidden)) return list;
  }
  return null;
}

/** Newest numeric message id in the open dialog's message list (UUIDs of messages being sent are skipped). */
export function findNewestMessageId(scope: ParentNode): number | null {
  const list = findMessageList(scope);
  if (!list) return null;
  let newest: number | null = null;
  for (const el of list.querySelectorAll(SELECTORS.message)) {
    const id = parseMessageId(el.getAttribute('data-id'));
    if (id !== null && (newest === null || id > newest)) newest = id;
  }
  return newest;
}

function legacyMessageIdOf(el: Element): number | null {
  const match = /^im-message-(.+)$/.exec(el.id);
  return match ? parseMessageId(match[1]) : null;
}

/** Newest message id the legacy messenger shows (`tempN` ids of messages being sent are skipped). */
export function findLegacyNewestMessageId(doc: Document): number | null {
  const list = doc.querySelector(SELECTORS.legacyMessageList) ?? doc;
  let newest: number | null = null;
  const consider = (id: number | null): void => {
    if (id !== null && (newest === null || id > newest)) newest = id;
  };
  for (const el of list.querySelectorAll(SELECTORS.legacyMessage)) consider(legacyMessageIdOf(el));
  for (const el of list.querySelectorAll(SELECTORS.legacyMessageBlock)) consider(parseMessageId(el.getAttribute('data-messageId')));
  return newest;
}

export function findLegacyActiveRowDialog(doc: Document): string | null {
  for (const row of doc.querySelectorAll(SELECTORS.legacyActiveRow)) {
    const dialogId = parseDialogId(row.getAttribute('data-userId'));
    if (dialogId) return dialogId;
  }
  return null;
}

/** `IM_DIALOG` / `IM_MESSAGE` in the address: read once at page load, so only a hint. */
export function readAddressHint(href: string): { dialogId: string | null; messageId: number | null } {
  try {
    const params = new URL(href).searchParams;
    return { dialogId: parseDialogId(params.get('IM_DIALOG')), messageId: parseMessageId(params.get('IM_MESSAGE')) };
  } catch {
    return { dialogId: null, messageId: null };
  }
}

function cleanTitle(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed.slice(0, 200) : null;
}

/** The title of a chat's row (v2 or legacy), if the page lists it. */
export function rowTitle(doc: Document, dialogId: string): string | null {
  for (const row of doc.querySelectorAll(SELECTORS.recentRow)) {
    if (parseDialogId(row.getAttribute('data-id')) === dialogId) return cleanTitle(row.querySelector(SELECTORS.rowTitle)?.textContent);
  }
  for (const row of doc.querySelectorAll(SELECTORS.legacyRow)) {
    if (parseDialogId(row.getAttribute('data-userId')) === dialogId) return cleanTitle(row.querySelector(SELECTORS.legacyRowTitle)?.textContent);
  }
  return null;
}

/**
 * Layered detection, re-run on every request: the page store, then v2 markup, then legacy
 * markup, then the address. Only a frame that shows a messenger names a chat. The message id
 * comes from the same chat the dialog id names, or is null (REST then reads everything).
 */
export function detectOpenChat(doc: Document, href: string, snapshot: PageSnapshot | null): Detection {
  const origin = new URL(href).origin;
  const hasMessenger = hasMessengerMarkup(doc);
  const detection: Detection = {
    origin,
    looksLikePortal: hasMessenger || snapshot?.sessid != null || snapshot?.hasStore === true,
    hasMessenger,
    loggedIn: snapshot?.sessid != null || readInlineSessid(doc) !== null,
    userId: snapshot?.userId ?? null,
    dialogId: null,
    dialogSource: null,
    messageId: null,
    messageSource: null,
    title: null,
  };
  if (!hasMessenger) return detection;
  if (snapshot?.folder) detection.folder = snapshot.folder;

  const scope = messengerScope(doc);
  const domDialog = findSelectedRowDialog(scope);
  const legacyActive = findLegacyActiveRowDialog(doc);
  const storeKnows = snapshot?.hasStore === true && snapshot.layoutName !== null;
  if (storeKnows) {
    // The store's layout is the truth when it has one: no chat in it means none is open (a closed slider).
    if (snapshot.openDialogId) [detection.dialogId, detection.dialogSource] = [snapshot.openDialogId, 'store'];
  } else if (domDialog) {
    [detection.dialogId, detection.dialogSource] = [domDialog, 'dom'];
  } else if (snapshot?.legacyDialogId) {
    [detection.dialogId, detection.dialogSource] = [snapshot.legacyDialogId, 'legacy'];
  } else if (legacyActive) {
    [detection.dialogId, detection.dialogSource] = [legacyActive, 'legacy'];
  } else {
    const address = readAddressHint(href);
    if (address.dialogId) [detection.dialogId, detection.dialogSource] = [address.dialogId, 'url'];
  }
  const dialogId = detection.dialogId;
  if (!dialogId) return detection;

  const fromStore = snapshot?.openDialogId === dialogId ? snapshot : null;
  const loaded = fromStore?.loadedMessageIds ?? [];
  const domNewest = findNewestMessageId(scope);
  // The message list on screen belongs to the open chat only when nothing on the page disagrees:
  // the selected row names the same chat, and the store has the message among the chat's own.
  const domAgrees =
    (detection.dialogSource === 'store' || detection.dialogSource === 'dom') &&
    domNewest !== null &&
    (domDialog === null || domDialog === dialogId) &&
    (loaded.length === 0 || loaded.includes(domNewest));
  if (domAgrees) {
    [detection.messageId, detection.messageSource] = [domNewest, 'dom'];
  } else if (loaded.length > 0) {
    [detection.messageId, detection.messageSource] = [loaded[loaded.length - 1]!, 'store'];
  } else if (fromStore?.chat?.lastMessageId) {
    [detection.messageId, detection.messageSource] = [fromStore.chat.lastMessageId, 'store'];
  } else if (detection.dialogSource === 'legacy') {
    const newest = findLegacyNewestMessageId(doc);
    if (newest !== null) [detection.messageId, detection.messageSource] = [newest, 'legacy'];
  }
  detection.title = fromStore?.chat?.name ?? rowTitle(doc, dialogId);
  return detection;
}

/** The sessid printed inline by the page (`BX.message({'bitrix_sessid':'…'})`), for pages where the bridge is absent. */
export function readInlineSessid(doc: Document): string | null {
  for (const script of doc.querySelectorAll('script:not([src])')) {
    const match = /bitrix_sessid['"]?\s*:\s*['"]([0-9a-f]{32})['"]/i.exec(script.textContent ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}

// --- what a right-click landed on -------------------------------------------------------------

/**
 * The right-click that reaches the browser's menu (with the extension's items) on today's page:
 * hold **Alt+Shift**. Bitrix24 26.x takes every right-click on chat rows and messages
 * (`preventDefault()` in base-list.js / base-message.js, no modifier bypass); the content script's
 * capture-phase listener on `window` runs before any of the page's handlers and, with these keys
 * held, stops the event there, so the page never cancels it. A plain right-click stays Bitrix24's.
 */
export function bypassesPageMenu(event: Pick<MouseEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey'>): boolean {
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey;
}

/** A recent-list row (that chat), a row that is no chat (placeholder), or a message (the open chat, up to it). */
export type ContextTarget =
  | { kind: 'row'; dialogId: string; title: string | null }
  | { kind: 'placeholder' }
  | { kind: 'message'; messageId: number };

/** A context target as the worker gets it: a row also says up to which message that chat can be read. */
export type { ResolvedContextTarget } from '../shared/messages.ts';

/**
 * Up to which message a right-clicked row's chat can be read: the open chat's detection when the
 * row is the open chat, else the store's `chats/get(dialogId).lastMessageId`, else nothing (REST
 * then reads everything; recent rows carry no message id in their markup).
 */
export function resolveRowTarget(
  row: { dialogId: string; title: string | null },
  open: Detection,
  snapshot: PageSnapshot | null,
): ResolvedContextTarget {
  if (open.dialogId === row.dialogId && open.messageId !== null) {
    return { kind: 'row', ...row, title: row.title ?? open.title, messageId: open.messageId, messageSource: open.messageSource };
  }
  const fromStore = snapshot?.requested?.dialogId === row.dialogId ? snapshot.requested : null;
  if (fromStore?.lastMessageId) {
    return { kind: 'row', ...row, title: row.title ?? fromStore.name, messageId: fromStore.lastMessageId, messageSource: 'store' };
  }
  return { kind: 'row', ...row, messageId: null, messageSource: null };
}

export function contextTargetOf(element: Element | null): ContextTarget | null {
  if (!element) return null;
  const row = element.closest(SELECTORS.recentRow);
  if (row) {
    const dialogId = parseDialogId(row.getAttribute('data-id'));
    return dialogId ? { kind: 'row', dialogId, title: cleanTitle(row.querySelector(SELECTORS.rowTitle)?.textContent) } : { kind: 'placeholder' };
  }
  const legacyRow = element.closest(SELECTORS.legacyRow);
  if (legacyRow) {
    const dialogId = parseDialogId(legacyRow.getAttribute('data-userId'));
    return dialogId ? { kind: 'row', dialogId, title: cleanTitle(legacyRow.querySelector(SELECTORS.legacyRowTitle)?.textContent) } : { kind: 'placeholder' };
  }
  const message = element.closest(SELECTORS.message);
  if (message?.closest(SELECTORS.messageList)) {
    // Only the open chat's list counts: not a chat embedded elsewhere on the page (a task's), not a hidden one.
    const list = findMessageList(messengerScope(message.ownerDocument));
    if (!list?.contains(message)) return null;
    const messageId = parseMessageId(message.getAttribute('data-id'));
    return messageId === null ? null : { kind: 'message', messageId };
  }
  if (element.closest(SELECTORS.legacyMessageList)) {
    // One message if the pointer is on it; else the block's oldest, never more than was pointed at.
    const span = element.closest(SELECTORS.legacyMessage);
    const block = element.closest(SELECTORS.legacyMessageBlock);
    const target = span ?? block?.querySelector(SELECTORS.legacyMessage);
    const messageId = target ? legacyMessageIdOf(target) : null;
    return messageId === null ? null : { kind: 'message', messageId };
  }
  return null;
}
