// Every Bitrix24 selector and page-global path lives here, so a markup change is a one-file fix.
// Sources: ../shared/docs/bitrix24-web-ui.md (v2 Vue messenger, legacy messenger).
import { parseDialogId, parseMessageId } from '../core/dialog-id.ts';
import type { PageSnapshot } from './bridge-protocol.ts';

export const SELECTORS = {
  recentRow: '.bx-im-list-recent-item__wrap',
  recentRowSelected: '.bx-im-list-recent-item__wrap[class~="--selected"]',
  recentRowCounter: '.bx-im-list-recent-item__counter_number',
  recentRowTitle: '.bx-im-chat-title__text',
  messageList: '.bx-im-dialog-chat__scroll-container',
  message: '.bx-im-message-base__wrap',
  legacyRecentRow: '.bx-messenger-cl-item',
  legacyMessage: '.bx-messenger-content-item',
  messenger: '.bx-im-messenger__scope, .bx-im-messenger__slider, .bx-im-list-container-recent__elements, .bx-messenger-box',
} as const;

export type DialogSource = 'store' | 'dom' | 'legacy' | 'url';
export type MessageSource = 'dom' | 'store' | 'legacy' | 'url';

/** What the content script reports about the page; carries no secret (the sessid stays in the tab). */
export interface Detection {
  origin: string;
  /** The page looks like a Bitrix24 portal (its globals or messenger markup). */
  looksLikePortal: boolean;
  /** The page carries a session token (the user is logged in). */
  loggedIn: boolean;
  userId: number | null;
  dialogId: string | null;
  dialogSource: DialogSource | null;
  /** Newest message of the open chat that the page shows; null ⇒ read everything via REST. */
  messageId: number | null;
  messageSource: MessageSource | null;
  title: string | null;
}

/** The dialog the v2 recent list marks as open. */
export function findSelectedRowDialog(doc: Document): string | null {
  const row = doc.querySelector(SELECTORS.recentRowSelected);
  return parseDialogId(row?.getAttribute('data-id'));
}

/** Newest numeric message id in the open dialog's message list (UUIDs of messages being sent are skipped). */
export function findNewestMessageId(doc: Document): number | null {
  const list = doc.querySelector(SELECTORS.messageList);
  if (!list) return null;
  let newest: number | null = null;
  for (const el of list.querySelectorAll(SELECTORS.message)) {
    const id = parseMessageId(el.getAttribute('data-id'));
    if (id !== null && (newest === null || id > newest)) newest = id;
  }
  return newest;
}

export function findLegacyNewestMessageId(doc: Document): number | null {
  let newest: number | null = null;
  for (const el of doc.querySelectorAll(SELECTORS.legacyMessage)) {
    const id = parseMessageId(el.getAttribute('data-messageId') ?? el.getAttribute('data-messageid'));
    if (id !== null && (newest === null || id > newest)) newest = id;
  }
  return newest;
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

function rowTitle(doc: Document, dialogId: string): string | null {
  for (const row of doc.querySelectorAll(SELECTORS.recentRow)) {
    if (parseDialogId(row.getAttribute('data-id')) !== dialogId) continue;
    const text = row.querySelector(SELECTORS.recentRowTitle)?.textContent?.trim();
    return text ? text.slice(0, 200) : null;
  }
  return null;
}

/**
 * Layered detection, re-run on every request: the page store, then v2 markup, then legacy
 * markup, then the address. The message id must come from the same chat the dialog id names.
 */
export function detectOpenChat(doc: Document, href: string, snapshot: PageSnapshot | null): Detection {
  const origin = new URL(href).origin;
  const hasMarkup = doc.querySelector(SELECTORS.messenger) !== null || doc.querySelector(SELECTORS.recentRow) !== null;
  const detection: Detection = {
    origin,
    looksLikePortal: hasMarkup || snapshot?.sessid != null || snapshot?.hasStore === true,
    loggedIn: snapshot?.sessid != null || readInlineSessid(doc) !== null,
    userId: snapshot?.userId ?? null,
    dialogId: null,
    dialogSource: null,
    messageId: null,
    messageSource: null,
    title: null,
  };

  const domDialog = findSelectedRowDialog(doc);
  const address = readAddressHint(href);
  if (snapshot?.openDialogId) {
    detection.dialogId = snapshot.openDialogId;
    detection.dialogSource = 'store';
  } else if (domDialog) {
    detection.dialogId = domDialog;
    detection.dialogSource = 'dom';
  } else if (snapshot?.legacyDialogId) {
    detection.dialogId = snapshot.legacyDialogId;
    detection.dialogSource = 'legacy';
  } else if (address.dialogId) {
    detection.dialogId = address.dialogId;
    detection.dialogSource = 'url';
  }
  if (!detection.dialogId) return detection;

  // The message list on screen belongs to the open chat only when the DOM agrees on which one it is.
  const domAgrees = domDialog === null || domDialog === detection.dialogId;
  const domMessage = domAgrees ? findNewestMessageId(doc) : null;
  if (domMessage !== null) {
    detection.messageId = domMessage;
    detection.messageSource = 'dom';
  } else if (snapshot?.chat?.dialogId === detection.dialogId && snapshot.chat.lastMessageId !== null) {
    detection.messageId = snapshot.chat.lastMessageId;
    detection.messageSource = 'store';
  } else if (detection.dialogSource === 'legacy' && findLegacyNewestMessageId(doc) !== null) {
    detection.messageId = findLegacyNewestMessageId(doc);
    detection.messageSource = 'legacy';
  }
  detection.title = snapshot?.chat?.name ?? rowTitle(doc, detection.dialogId);
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

/** What a right-click landed on: a recent-list row (that chat) or a message (the open chat, up to it). */
export type ContextTarget =
  | { kind: 'row'; dialogId: string; title: string | null }
  | { kind: 'message'; messageId: number };

export function contextTargetOf(element: Element | null): ContextTarget | null {
  if (!element) return null;
  const row = element.closest(`${SELECTORS.recentRow}, ${SELECTORS.legacyRecentRow}`);
  if (row) {
    const dialogId = parseDialogId(row.getAttribute('data-id') ?? row.getAttribute('data-userId') ?? row.getAttribute('data-userid'));
    if (!dialogId) return null;
    const title = row.querySelector(SELECTORS.recentRowTitle)?.textContent?.trim() ?? null;
    return { kind: 'row', dialogId, title: title ? title.slice(0, 200) : null };
  }
  const message = element.closest(`${SELECTORS.message}, ${SELECTORS.legacyMessage}`);
  if (message) {
    const messageId = parseMessageId(message.getAttribute('data-id') ?? message.getAttribute('data-messageId') ?? message.getAttribute('data-messageid'));
    return messageId === null ? null : { kind: 'message', messageId };
  }
  return null;
}
