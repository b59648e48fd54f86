// The window-message protocol between the MAIN-world page bridge and the isolated content
// script. The page can read and forge these messages, so the isolated side validates every field
// and treats the answer as a hint that the DOM must agree with.
import type { FolderSummary } from '../shared/messages.ts';
import { parseDialogId, parseMessageId } from '../core/dialog-id.ts';

export const BRIDGE_TAG = 'b24-mark-read';

/** At most this many loaded message ids cross the bridge (the newest ones). */
export const MAX_LOADED_IDS = 500;

export interface BridgeRequest {
  tag: typeof BRIDGE_TAG;
  kind: 'request';
  id: string;
  /** Also report `chats/get(dialogId)` for this chat (a right-clicked row). */
  dialogId?: string;
  /** Also report which of these chats have a mention or reaction anchor (`messages/anchors/isChatHasAnchors`). */
  anchorChatIds?: number[];
}

/** Most chats whose anchors one request asks about. */
export const MAX_ANCHOR_CHATS = 5000;

/** What the store's `chats/get(dialogId)` says about one chat. */
export interface ChatSummary {
  dialogId: string;
  chatId: number | null;
  lastMessageId: number | null;
  counter: number | null;
  name: string | null;
}

/** Most chats a folder can name across the bridge (a personal folder holds ≤ 50; a system folder's section what the page loaded). */
export const MAX_FOLDER_CHATS = 1000;

// The folder's shape is a contract with the worker: it lives in src/shared/messages.ts.
export type { FolderSummary } from '../shared/messages.ts';

/** What the page's own globals say (BX.message, the v2 Vuex store, the legacy BXIM). */
export interface PageSnapshot {
  sessid: string | null;
  userId: number | null;
  /** The store's open dialog (`application/getLayout` entityId when the layout is a chat). */
  openDialogId: string | null;
  /** `chats/get(openDialogId)`. */
  chat: ChatSummary | null;
  /** Numeric ids of the open chat's messages loaded in the store (`messages/getByChatId`), ascending. */
  loadedMessageIds: number[];
  /** Whether a v2 store was found at all. */
  hasStore: boolean;
  /** The store's layout name (`chat`, `notification`, ...) when it has one: then it alone says which chat is open. */
  layoutName: string | null;
  /** The legacy messenger's open tab (`BXIM.messenger.currentTab`), only when no v2 store exists. */
  legacyDialogId: string | null;
  /** `chats/get(request.dialogId)`, when the request named a chat. */
  requested: ChatSummary | null;
  /** The folder open in the messenger, when the layout says one is. */
  folder?: FolderSummary | null;
  /** Of the asked chats, those with anchors for me; null when the store cannot tell (no anchors module). */
  anchoredChatIds?: number[] | null;
}

export interface BridgeResponse {
  tag: typeof BRIDGE_TAG;
  kind: 'response';
  id: string;
  snapshot: unknown;
}

const SESSID = /^[0-9a-f]{32}$/i;
const LAYOUT_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;

function cleanName(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : null;
}

function cleanCount(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n < 1e9 ? n : null;
}

/** A chat summary whose dialog id is exactly `expected`; anything else is dropped. */
function validateChat(raw: unknown, expected: string | null): ChatSummary | null {
  if (!expected || typeof raw !== 'object' || raw === null) return null;
  const c = raw as Record<string, unknown>;
  const dialogId = parseDialogId(c.dialogId);
  if (dialogId !== expected) return null;
  return {
    dialogId,
    chatId: parseMessageId(c.chatId),
    lastMessageId: parseMessageId(c.lastMessageId),
    counter: cleanCount(c.counter),
    name: cleanName(c.name),
  };
}

const FOLDER_ID = /^[A-Za-z0-9_-]{1,40}$/;
const SECTION = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;

function validateFolder(raw: unknown): FolderSummary | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const f = raw as Record<string, unknown>;
  const id = typeof f.id === 'number' ? String(f.id) : f.id;
  if (typeof id !== 'string' || !FOLDER_ID.test(id)) return null;
  if (f.type !== 'personal' && f.type !== 'system') return null;
  const section = typeof f.section === 'string' && SECTION.test(f.section) ? f.section : null;
  if (f.type === 'system' && section === null) return null;
  const list = Array.isArray(f.dialogIds) ? f.dialogIds.slice(0, MAX_FOLDER_CHATS) : [];
  const dialogIds = [...new Set(list.map((d) => parseDialogId(d)).filter((d): d is string => d !== null))];
  return { id, type: f.type, title: cleanName(f.title)?.slice(0, 60) ?? null, dialogIds, section };
}

function validateIds(raw: unknown): number[] {
  if (!Array.isArray(raw)) return [];
  const ids = raw
    .slice(-MAX_LOADED_IDS)
    .map((value) => parseMessageId(value))
    .filter((id): id is number => id !== null);
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * Validate a snapshot that arrived over `window.postMessage`; anything off becomes null.
 * `requestedDialogId` is the chat the request named: a `requested` summary for any other is dropped.
 */
export function validateSnapshot(raw: unknown, requestedDialogId: string | null = null, asked: readonly number[] | null = null): PageSnapshot | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  const sessid = typeof s.sessid === 'string' && SESSID.test(s.sessid) ? s.sessid : null;
  const userId = parseMessageId(s.userId);
  const openDialogId = parseDialogId(s.openDialogId);
  const chat = validateChat(s.chat, openDialogId);
  return {
    sessid,
    userId,
    openDialogId,
    chat,
    loadedMessageIds: openDialogId ? validateIds(s.loadedMessageIds) : [],
    hasStore: s.hasStore === true,
    layoutName: typeof s.layoutName === 'string' && LAYOUT_NAME.test(s.layoutName) ? s.layoutName : null,
    legacyDialogId: parseDialogId(s.legacyDialogId),
    requested: validateChat(s.requested, parseDialogId(requestedDialogId)),
    folder: validateFolder(s.folder),
    ...(asked === null ? {} : { anchoredChatIds: validateAnchored(s.anchoredChatIds, asked) }),
  };
}

/** Only ids that were asked about, each a valid chat id; anything else about anchors means "unknown". */
function validateAnchored(raw: unknown, asked: readonly number[] | null): number[] | null {
  if (asked === null || !Array.isArray(raw) || raw.length > MAX_ANCHOR_CHATS) return null;
  const allowed = new Set(asked);
  return [...new Set(raw.map((v) => parseMessageId(v)).filter((id): id is number => id !== null && allowed.has(id)))];
}
