// Runs in the page's MAIN world: reads the page's own globals (BX.message, the v2 messenger
// store, the legacy BXIM) that an isolated content script cannot see, and answers the content
// script's requests. It never changes the page and never calls REST. The global paths themselves
// live in site-adapter.ts (`readPageGlobals`), with every selector.
import { BRIDGE_TAG, type BridgeRequest, type BridgeResponse } from './bridge-protocol.ts';
import { readPageGlobals } from './site-adapter.ts';

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const data = event.data as Partial<BridgeRequest> | null;
  if (!data || data.tag !== BRIDGE_TAG || data.kind !== 'request' || typeof data.id !== 'string') return;
  const response: BridgeResponse = { tag: BRIDGE_TAG, kind: 'response', id: data.id, snapshot: readPageGlobals(window, data.dialogId, data.anchorChatIds) };
  window.postMessage(response, window.location.origin);
});
