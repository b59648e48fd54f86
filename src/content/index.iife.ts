// Content script on portal pages, in every frame: reports the open chat (only from a frame that
// shows a messenger, unless asked for any answer), runs same-origin session REST calls for the
// service worker (the page's cookies + sessid), and remembers what was right-clicked.
import browser from 'webextension-polyfill';
import { asEnvelope, type WorkerToContent } from '../shared/messages.ts';
import { menuTargetElement } from '../shared/browser-target.ts';
import { BRIDGE_TAG, MAX_ANCHOR_CHATS, validateSnapshot, type BridgeRequest, type PageSnapshot } from './bridge-protocol.ts';
import {
  bypassesPageMenu,
  contextTargetOf,
  detectOpenChat,
  hasMessengerMarkup,
  readInlineSessid,
  resolveRowTarget,
  type ContextTarget,
  type Detection,
  type ResolvedContextTarget,
} from './site-adapter.ts';
import type { RawResponse, RestParams } from '../core/rest/types.ts';
import { readRawResponse } from '../core/rest/read-response.ts';

const BRIDGE_TIMEOUT_MS = 300;
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const METHOD_NAME = /^[a-z][a-z0-9_.]{1,80}$/i;
const CONTEXT_TARGET_TTL_MS = 60_000;
/** Set once per frame: enabling a site injects this script into tabs that may already run it. */
const LOADED_FLAG = '__b24MarkReadContentScript';

let sessid: string | null = null;
/** What the last right-click landed on, remembered in the capture phase (the v2 list cancels the event later). */
let lastContextTarget: { target: ContextTarget; at: number } | null = null;

function askPageBridge(dialogId?: string, anchorChatIds?: number[]): Promise<PageSnapshot | null> {
  const id = crypto.randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), BRIDGE_TIMEOUT_MS);
    function finish(value: PageSnapshot | null): void {
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(value);
    }
    function onMessage(event: MessageEvent): void {
      if (event.source !== window) return;
      const data = event.data as { tag?: unknown; kind?: unknown; id?: unknown; snapshot?: unknown } | null;
      if (!data || data.tag !== BRIDGE_TAG || data.kind !== 'response' || data.id !== id) return;
      finish(validateSnapshot(data.snapshot, dialogId ?? null, anchorChatIds ?? null));
    }
    window.addEventListener('message', onMessage);
    const request: BridgeRequest = { tag: BRIDGE_TAG, kind: 'request', id, ...(dialogId ? { dialogId } : {}), ...(anchorChatIds ? { anchorChatIds } : {}) };
    window.postMessage(request, window.location.origin);
  });
}

function remember(snapshot: PageSnapshot | null): void {
  if (snapshot?.sessid) sessid = snapshot.sessid;
  else sessid ??= readInlineSessid(document);
}

async function detect(): Promise<Detection> {
  const snapshot = await askPageBridge();
  remember(snapshot);
  return detectOpenChat(document, window.location.href, snapshot);
}

async function contextTarget(targetElementId: unknown): Promise<ResolvedContextTarget | null> {
  // Firefox names the right-clicked element itself (its Shift+right-click reaches no page listener).
  const element = menuTargetElement(targetElementId);
  const recorded = lastContextTarget && Date.now() - lastContextTarget.at < CONTEXT_TARGET_TTL_MS ? lastContextTarget.target : null;
  const fresh = element ? contextTargetOf(element) : recorded;
  if (fresh?.kind !== 'row') return fresh;
  const snapshot = await askPageBridge(fresh.dialogId);
  remember(snapshot);
  return resolveRowTarget(fresh, detectOpenChat(document, window.location.href, snapshot), snapshot);
}

async function currentSessid(): Promise<string | null> {
  if (sessid) return sessid;
  await detect();
  return sessid;
}

/** After `session_failed`: take the page's token again, or read it from a fresh copy of the page. */
async function refreshSessid(): Promise<boolean> {
  const before = sessid;
  const snapshot = await askPageBridge();
  if (snapshot?.sessid && snapshot.sessid !== before) {
    sessid = snapshot.sessid;
    return true;
  }
  try {
    const response = await fetch(window.location.pathname, { credentials: 'same-origin', cache: 'no-store' });
    const html = await response.text();
    const fresh = readInlineSessid(new DOMParser().parseFromString(html, 'text/html'));
    if (fresh && fresh !== before) {
      sessid = fresh;
      return true;
    }
  } catch {
    /* offline: the caller reports the auth error */
  }
  return false;
}

async function sessionRest(method: string, params: RestParams): Promise<RawResponse | { transportError: string }> {
  if (!METHOD_NAME.test(method)) return { transportError: 'invalid method name' };
  const token = await currentSessid();
  try {
    const response = await fetch(`/rest/${method}.json`, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(token ? { 'X-Bitrix-Csrf-Token': token } : {}),
      },
      body: JSON.stringify(params),
    });
    return await readRawResponse(response, MAX_BODY_BYTES);
  } catch (error) {
    return { transportError: error instanceof Error ? error.message : 'network error' };
  }
}

function start(): void {
  // On `window`, in the capture phase, registered at document_start: before any listener of the
  // page. It remembers what was right-clicked; with Alt+Shift held it also keeps the page from
  // taking the event (stopImmediatePropagation, never preventDefault), so the browser's menu opens.
  window.addEventListener(
    'contextmenu',
    (event) => {
      const target = contextTargetOf(event.target instanceof Element ? event.target : null);
      lastContextTarget = target ? { target, at: Date.now() } : null;
      if (bypassesPageMenu(event)) event.stopImmediatePropagation();
    },
    { capture: true },
  );

  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const envelope = asEnvelope<WorkerToContent>(message, ['cs/detect', 'cs/rest', 'cs/refresh-sessid', 'cs/context-target', 'cs/anchors']);
    if (!envelope) return undefined;
    switch (envelope.type) {
      case 'cs/detect':
        // Asked of every frame at once: only a frame that shows a messenger answers, so the
        // worker gets the messenger's frame (a /desktop_app/ iframe) without listing frames.
        if (envelope.payload.scope === 'messenger' && !hasMessengerMarkup(document)) return undefined;
        return detect();
      case 'cs/rest': {
        const { method, params } = envelope.payload;
        if (typeof method !== 'string' || typeof params !== 'object' || params === null) {
          return Promise.resolve({ transportError: 'malformed request' });
        }
        return sessionRest(method, params as RestParams);
      }
      case 'cs/refresh-sessid':
        return refreshSessid();
      case 'cs/context-target':
        return contextTarget(envelope.payload.targetElementId);
      case 'cs/anchors': {
        const ids = Array.isArray(envelope.payload.chatIds) ? envelope.payload.chatIds.filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, MAX_ANCHOR_CHATS) : [];
        return askPageBridge(undefined, ids).then((snapshot) => snapshot?.anchoredChatIds ?? null);
      }
    }
    return undefined;
  });
}

const flags = globalThis as unknown as Record<string, boolean | undefined>;
if (!flags[LOADED_FLAG]) {
  flags[LOADED_FLAG] = true;
  start();
}
