// Runs in the page's MAIN world: reads the page's own globals (BX.message, the v2 messenger
// store) that an isolated content script cannot see, and answers the content script's requests.
// It never changes the page and never calls REST.
import { BRIDGE_TAG, type BridgeRequest, type BridgeResponse } from './bridge-protocol.ts';

type Getters = Record<string, unknown>;

function readSnapshot(): Record<string, unknown> {
  const w = window as unknown as { BX?: any; BXIM?: any };
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
      const layout = getters['application/getLayout'] as { name?: unknown; entityId?: unknown } | undefined;
      const chatLayouts = ['chat', 'channel', 'collab', 'copilot', 'openlines', 'openlinesV2'];
      if (layout && typeof layout.name === 'string' && chatLayouts.includes(layout.name)) {
        snapshot.openDialogId = layout.entityId;
        const getChat = getters['chats/get'];
        const chat = typeof getChat === 'function' ? getChat(layout.entityId) : undefined;
        if (chat && typeof chat === 'object') {
          snapshot.chat = {
            dialogId: chat.dialogId ?? layout.entityId,
            chatId: chat.chatId,
            lastMessageId: chat.lastMessageId,
            counter: chat.counter,
            name: chat.name,
          };
        }
      }
    }
  } catch {
    /* store shape changed: the DOM adapter still works */
  }
  try {
    if (!snapshot.hasStore) snapshot.legacyDialogId = w.BXIM?.messenger?.currentTab;
  } catch {
    /* no legacy messenger */
  }
  return snapshot;
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const data = event.data as Partial<BridgeRequest> | null;
  if (!data || data.tag !== BRIDGE_TAG || data.kind !== 'request' || typeof data.id !== 'string') return;
  const response: BridgeResponse = { tag: BRIDGE_TAG, kind: 'response', id: data.id, snapshot: readSnapshot() };
  window.postMessage(response, window.location.origin);
});
