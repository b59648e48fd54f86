// Every message that crosses an extension boundary, with its payload and reply. Receivers
// validate what they get: payloads are typed here, but the sender may be hostile or outdated.
import browser from 'webextension-polyfill';
import type { RawResponse, RestParams } from '../core/rest/types.ts';
import type { Detection, ResolvedContextTarget } from '../content/site-adapter.ts';
import type { PopupState, ActionResult, BulkView } from '../background/view-model.ts';
import type { BulkFilters } from '../core/bulk/filters.ts';

/** Popup / options page → service worker (`runtime.sendMessage`). */
export interface UiToWorker {
  'popup/state': { payload: { tabId: number | null }; reply: PopupState };
  'chat/mark-read': { payload: { tabId: number }; reply: ActionResult };
  'bulk/plan': { payload: { tabId: number | null; filters?: BulkFilters }; reply: BulkView };
  'bulk/resume': { payload: Record<string, never>; reply: BulkView };
  'bulk/start': { payload: { planId: string }; reply: BulkView };
  'bulk/cancel': { payload: Record<string, never>; reply: BulkView };
  'bulk/undo': { payload: Record<string, never>; reply: BulkView };
  'bulk/status': { payload: Record<string, never>; reply: BulkView };
  /** Options page: call a harmless method with a webhook URL (not yet saved) and report in plain words. */
  'options/check-webhook': { payload: { url: string }; reply: WebhookCheckView };
  /** Popup, after the user granted the host permission: run the extension on that self-hosted portal. */
  'site/enable': { payload: { tabId: number; origin: string }; reply: EnableSiteView };
}

export type EnableSiteView = { ok: true; origin: string } | { ok: false; message: { key: string; substitutions?: string[] }; code: string };

export type WebhookCheckView =
  | { ok: true; origin: string; userId: number; totalUnread: number | null }
  | { ok: false; message: { key: string; substitutions?: string[] }; code: string };

/** Service worker → content script in a portal tab (`tabs.sendMessage`). */
export interface WorkerToContent {
  /** `scope: 'messenger'` (sent to every frame): only a frame showing a messenger answers; `'any'`: answer regardless. */
  'cs/detect': { payload: { scope: 'messenger' | 'any' }; reply: Detection | undefined };
  'cs/rest': { payload: { method: string; params: RestParams }; reply: RawResponse | { transportError: string } };
  'cs/refresh-sessid': { payload: Record<string, never>; reply: boolean };
  /** `targetElementId`: the menu's own handle on the right-clicked element, where the browser gives one (Firefox). */
  'cs/context-target': { payload: { targetElementId?: number }; reply: ResolvedContextTarget | null };
}

export type Envelope<M, K extends keyof M> = { type: K } & (M[K] extends { payload: infer P } ? { payload: P } : never);
export type Reply<M, K extends keyof M> = M[K] extends { reply: infer R } ? R : never;

export function sendToWorker<K extends keyof UiToWorker>(type: K, payload: UiToWorker[K]['payload']): Promise<Reply<UiToWorker, K>> {
  return browser.runtime.sendMessage({ type, payload });
}

export function sendToTab<K extends keyof WorkerToContent>(
  tabId: number,
  type: K,
  payload: WorkerToContent[K]['payload'],
  frameId = 0,
): Promise<Reply<WorkerToContent, K>> {
  return browser.tabs.sendMessage(tabId, { type, payload }, { frameId });
}

/** The same message to every frame of a tab; the first frame that answers wins (frames may stay silent). */
export function sendToAllFrames<K extends keyof WorkerToContent>(
  tabId: number,
  type: K,
  payload: WorkerToContent[K]['payload'],
): Promise<Reply<WorkerToContent, K> | undefined> {
  return browser.tabs.sendMessage(tabId, { type, payload });
}

/** Narrow an unknown message to `{type, payload}` with a known type name. */
export function asEnvelope<M>(message: unknown, types: readonly (keyof M)[]): { type: keyof M; payload: Record<string, unknown> } | null {
  if (typeof message !== 'object' || message === null) return null;
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !(types as readonly unknown[]).includes(type)) return null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  return { type: type as keyof M, payload: payload as Record<string, unknown> };
}
