// The window-message protocol between the MAIN-world page bridge and the isolated content
// script. The page can read and forge these messages, so the isolated side validates every field
// and treats the answer as a hint that the DOM must agree with.
import { parseDialogId, parseMessageId } from '../core/dialog-id.ts';

export const BRIDGE_TAG = 'b24-mark-read';

export interface BridgeRequest {
  tag: typeof BRIDGE_TAG;
  kind: 'request';
  id: string;
}

/** What the page's own globals say (BX.message, the v2 Vuex store). */
export interface PageSnapshot {
  sessid: string | null;
  userId: number | null;
  /** The store's open dialog (`application/getLayout` entityId when the layout is a chat). */
  openDialogId: string | null;
  /** `chats/get(openDialogId)`. */
  chat: { dialogId: string; chatId: number | null; lastMessageId: number | null; counter: number | null; name: string | null } | null;
  /** Whether a v2 store was found at all. */
  hasStore: boolean;
  /** The legacy messenger's open tab (`BXIM.messenger.currentTab`), only when no v2 store exists. */
  legacyDialogId: string | null;
}

export interface BridgeResponse {
  tag: typeof BRIDGE_TAG;
  kind: 'response';
  id: string;
  snapshot: unknown;
}

const SESSID = /^[0-9a-f]{32}$/i;

function cleanName(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : null;
}

function cleanCount(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n < 1e9 ? n : null;
}

/** Validate a snapshot that arrived over `window.postMessage`; anything off becomes null. */
export function validateSnapshot(raw: unknown): PageSnapshot | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  const sessid = typeof s.sessid === 'string' && SESSID.test(s.sessid) ? s.sessid : null;
  const userId = parseMessageId(s.userId);
  const openDialogId = parseDialogId(s.openDialogId);
  let chat: PageSnapshot['chat'] = null;
  if (typeof s.chat === 'object' && s.chat !== null) {
    const c = s.chat as Record<string, unknown>;
    const dialogId = parseDialogId(c.dialogId);
    if (dialogId && dialogId === openDialogId) {
      chat = {
        dialogId,
        chatId: parseMessageId(c.chatId),
        lastMessageId: parseMessageId(c.lastMessageId),
        counter: cleanCount(c.counter),
        name: cleanName(c.name),
      };
    }
  }
  return {
    sessid,
    userId,
    openDialogId,
    chat,
    hasStore: s.hasStore === true,
    legacyDialogId: parseDialogId(s.legacyDialogId),
  };
}
