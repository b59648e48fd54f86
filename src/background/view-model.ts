// What the worker tells the popup. Plain JSON; user-visible text is a `_locales` key plus substitutions.
import type { ChatKind } from '../core/bulk/model.ts';
import type { BulkFilters } from '../core/bulk/filters.ts';

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
  | { kind: 'ready'; origin: string; chat: OpenChatView | null; totalUnread: number | null }
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
