// Every message that crosses an extension boundary, with its payload and reply. Receivers
// validate what they get: payloads are typed here, but the sender may be hostile or outdated.
import browser from 'webextension-polyfill';
import type { RawResponse, RestParams } from '../core/rest/types.ts';
import type { ChatKind } from '../core/bulk/model.ts';
import type { BulkFilters } from '../core/bulk/filters.ts';
import type { LeftUnread, PlanWarning } from '../core/bulk/plan.ts';
import type { FilterOff } from '../core/bulk/finer-filters.ts';
import type { ReadMode } from '../core/bulk/commands.ts';

/** Popup / options page → service worker (`runtime.sendMessage`). */
export interface UiToWorker {
  'popup/state': { payload: { tabId: number | null }; reply: PopupState };
  'chat/mark-read': { payload: { tabId: number }; reply: ActionResult };
  /** `folder`: "Read this folder", limited to the folder open in the tab. */
  'bulk/plan': { payload: { tabId: number | null; filters?: BulkFilters; folder?: boolean }; reply: BulkView };
  'bulk/resume': { payload: Record<string, never>; reply: BulkView };
  'bulk/start': { payload: { planId: string }; reply: BulkView };
  'bulk/cancel': { payload: Record<string, never>; reply: BulkView };
  'bulk/undo': { payload: Record<string, never>; reply: BulkView };
  'bulk/status': { payload: Record<string, never>; reply: BulkView };
  /** Options page: call a harmless method with a webhook URL (not yet saved) and report in plain words. */
  'options/check-webhook': { payload: { url: string }; reply: WebhookCheckView };
  /** A rule (issue 11): run it now, approve its first plan and run it, or undo its last run. */
  /** The popup's "Run now": the enabled rules of one portal, named (the worker reads and validates the settings). */
  'rules/list': { payload: { origin: string }; reply: RuleSummary[] };
  'rules/run': { payload: { ruleId: string }; reply: RuleActionView };
  'rules/approve': { payload: { ruleId: string }; reply: RuleActionView };
  'rules/undo': { payload: { ruleId: string }; reply: RuleActionView };
  /** Popup, after the user granted the host permission: run the extension on that self-hosted portal. */
  'site/enable': { payload: { tabId: number; origin: string }; reply: EnableSiteView };
}

export type RuleActionView = { ok: true; status: string } | { ok: false; code: string };

/** A rule as the popup lists it. */
export interface RuleSummary {
  id: string;
  name: string;
  approved: boolean;
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
  /** Which of these chats have a mention or reaction for me (the page store's anchors); null: the page cannot tell. */
  'cs/anchors': { payload: { chatIds: number[] }; reply: number[] | null };
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

// --- what the worker tells the popup: plain JSON; user-visible text is a `_locales` key plus substitutions ---

export interface UserMessage {
  key: string;
  substitutions?: string[];
}

export interface OpenChatView {
  dialogId: string;
  title: string;
  counter: number;
  /** Newest message the page shows; null when the page did not say (REST then reads everything). */
  messageId: number | null;
  messageSource: string | null;
  dialogSource: string | null;
}

export type PopupState =
  | { kind: 'not-portal' }
  /** A page that looks like a self-hosted Bitrix24 portal the extension does not run on yet. */
  | { kind: 'can-enable'; origin: string }
  | { kind: 'needs-reload'; origin: string }
  /** A cloud portal whose host access the user withheld (Firefox asks at install; both let it be revoked). */
  | { kind: 'needs-access'; origin: string; pattern: string }
  | { kind: 'logged-out'; origin: string }
  | { kind: 'ready'; origin: string; chat: OpenChatView | null; totalUnread: number | null; folder?: { title: string | null; chats: number } | null }
  | { kind: 'error'; origin: string | null; message: UserMessage; code: string };

export type ActionResult =
  | { ok: true; dialogId: string; counter: number; lastId: number; totalUnread: number | null; readEverything: boolean }
  | { ok: false; message: UserMessage; code: string };

export interface BulkPlanView {
  planId: string;
  origin: string;
  total: number;
  byKind: Partial<Record<ChatKind, number>>;
  messages: number;
  manualMarks: number;
  notifications: number;
  strategy: 'read-all' | 'batches';
  estimatedRequests: number;
  /** First few targets, for the user to see which chats will be read. */
  sample: Array<{ dialogId: string; title: string; kind: ChatKind; counter: number }>;
  filters: BulkFilters;
  /** How the chats will be read (`chat`: like Bitrix24's "Read", no receipts). */
  mode: ReadMode;
  /** What stays unread, and why. */
  leftUnread: LeftUnread;
  warnings: PlanWarning[];
  /** Finer filters asked for that cannot be applied here and were left off (issue 11). */
  filtersOff?: FilterOff[];
  /** Targets the counters named that the recent list did not return. */
  resolved: number;
  /** "Read this folder": its title and how many chats it holds. */
  folder: { title: string | null; chats: number } | null;
}

export interface BulkJobView {
  id: string;
  status: string;
  done: number;
  total: number;
  failed: number;
  skipped: number;
  requests: number;
  etaMs: number | null;
  totalUnreadAfter: number | null;
  pauseMessage: UserMessage | null;
  canUndo: boolean;
  undo: { restored: number; skipped: number; failed: number; cannotRestore: string[]; status: string } | null;
}

export interface BulkView {
  plan: BulkPlanView | null;
  job: BulkJobView | null;
  error: { message: UserMessage; code: string } | null;
}

// --- what the content script tells the worker about its page ---

export type DialogSource = 'store' | 'dom' | 'legacy' | 'url';
export type MessageSource = 'dom' | 'store' | 'legacy';

/** What the content script reports about the page; carries no secret (the sessid stays in the tab). */
export interface Detection {
  origin: string;
  /** The page looks like a Bitrix24 portal (its globals or messenger markup). */
  looksLikePortal: boolean;
  /** This frame shows a messenger (v2 or legacy markup). */
  hasMessenger: boolean;
  /** The page carries a session token (the user is logged in). */
  loggedIn: boolean;
  userId: number | null;
  dialogId: string | null;
  dialogSource: DialogSource | null;
  /** Newest message of the open chat that the page shows; null ⇒ REST reads everything. */
  messageId: number | null;
  messageSource: MessageSource | null;
  title: string | null;
  /** The folder open in the messenger (im 26.x), from the page store. */
  folder?: FolderSummary | null;
}

/** The folder open in the messenger (im 26.x): a personal one's chats, or a system folder's recent section. */
export interface FolderSummary {
  id: string;
  type: 'personal' | 'system';
  title: string | null;
  /** `personal`: `definition.chats`; `system`: the page's `recent/getSortedCollection({type: section})`. */
  dialogIds: string[];
  /** `system`: `definition.recentSection` (`tasksTask`, `copilot`, `collab`, ...). */
  section: string | null;
}

/** What was right-clicked, as the content script resolved it. */
export type ResolvedContextTarget =
  | { kind: 'row'; dialogId: string; title: string | null; messageId: number | null; messageSource: MessageSource | null }
  | { kind: 'placeholder' }
  | { kind: 'message'; messageId: number };
