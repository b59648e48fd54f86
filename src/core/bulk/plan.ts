// What a bulk read will do, before it does it: the chats it reads, what it leaves and why, its cost.
import { CHAT_KINDS, type ChatKind, type UnreadChat } from './model.ts';
import type { Inventory } from './discover.ts';
import { isDefaultFilters, type BulkFilters } from './filters.ts';
import { readChunks, type ReadMode } from './commands.ts';
import { mapKeys } from './counters.ts';
import { filtersOff, finerReason, type FilterOff, type FinerFacts, type FinerReason } from './finer-filters.ts';

export type ExclusionReason = 'never' | 'kind' | 'muted' | 'not-muted' | 'pinned' | 'mark-only' | FinerReason;
export type Strategy = 'read-all' | 'batches';

/** Something the user must know before confirming. */
export type PlanWarning = 'collab-guests' | 'open-lines';

/** What the plan leaves unread, and why: the popup names each. */
export interface LeftUnread {
  /** Unread chats of the kinds not chosen. */
  byKind: Partial<Record<ChatKind, number>>;
  /** Open lines the counters name that were not asked for (reading them notifies customers). */
  openLines: number;
  /** Chats the counters name that could not be looked up (`im.dialog.get` refused). */
  unresolved: number;
}

export interface BulkPlan {
  filters: BulkFilters;
  mode: ReadMode;
  targets: UnreadChat[];
  byKind: Record<ChatKind, number>;
  excluded: { byReason: Partial<Record<ExclusionReason, number>>; total: number };
  leftUnread: LeftUnread;
  warnings: PlanWarning[];
  /** Targets found through the counters (not in the recent list). */
  resolved: number;
  /** Notifications to be read (0 unless `filters.notifications`). */
  notifications: number;
  /** Unread messages in the targets. */
  messages: number;
  /** Manual marks to be removed. */
  manualMarks: number;
  /** Finer filters asked for that cannot be applied here and were left off (e.g. mentions without a page). */
  filtersOff: FilterOff[];
  strategy: Strategy;
  /** HTTP requests after discovery. */
  estimatedRequests: number;
  discoveredAt: number;
}

export interface PlanOptions {
  /**
   * Allow `im.dialog.read.all` for "all chats" (default false: it also reads what arrives during
   * the job, and 2026 builds clear open-line counters with it).
   */
  allowReadAll?: boolean;
  /** How chats are read (default `chat`: like Bitrix24's "Read", no receipts). */
  mode?: ReadMode;
  /** What the finer filters need beyond the inventory (defaults: now, no page anchors, no looked-up authors). */
  facts?: Partial<FinerFacts>;
}

function exclusionReason(chat: UnreadChat, f: BulkFilters, never: Set<string>, always: Set<string>, facts: FinerFacts): ExclusionReason | null {
  if (never.has(chat.dialogId)) return 'never';
  if (always.has(chat.dialogId)) return null;
  if (!f.kinds.includes(chat.kind)) return 'kind';
  if (f.muted === 'skip' && chat.muted) return 'muted';
  if (f.muted === 'only' && !chat.muted) return 'not-muted';
  if (f.skipPinned && chat.pinned) return 'pinned';
  if (chat.counter === 0 && !f.clearManualMarks) return 'mark-only';
  return finerReason(chat, f, facts);
}

function hasUnreadOpenLines(inventory: Inventory): boolean {
  return (inventory.counters.TYPE?.LINES ?? 0) > 0 || mapKeys(inventory.counters.LINES).length > 0 || inventory.chats.some((c) => c.kind === 'lines');
}

export function planBulkRead(inventory: Inventory, filters: BulkFilters, options: PlanOptions = {}): BulkPlan {
  const never = new Set(filters.never);
  const always = new Set(filters.always);
  const byKind = Object.fromEntries(CHAT_KINDS.map((kind) => [kind, 0])) as Record<ChatKind, number>;
  const byReason: Partial<Record<ExclusionReason, number>> = {};
  const excludedByKind: Partial<Record<ChatKind, number>> = {};
  const mode = options.mode ?? 'chat';
  const facts: FinerFacts = { now: options.facts?.now ?? inventory.discoveredAt, anchored: options.facts?.anchored ?? null, authors: options.facts?.authors ?? new Map() };
  const targets: UnreadChat[] = [];
  const seen = new Set<string>();
  let excludedTotal = 0;
  for (const chat of inventory.chats) {
    if (seen.has(chat.dialogId)) continue;
    seen.add(chat.dialogId);
    const reason = exclusionReason(chat, filters, never, always, facts);
    if (reason) {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      if (reason === 'kind') excludedByKind[chat.kind] = (excludedByKind[chat.kind] ?? 0) + 1;
      excludedTotal += 1;
      continue;
    }
    targets.push(chat);
    byKind[chat.kind] += 1;
  }
  const notifications = filters.notifications ? inventory.notifications : 0;
  const batchCost = readChunks(targets, { clearManualMarks: filters.clearManualMarks, notifications: notifications > 0, mode }).length;
  // `im.dialog.read.all` reads "all chats but open lines, marks cleared". It is used only when it saves
  // requests (per-chat reads keep messages that arrive after discovery unread) and when the build
  // differences cannot hurt: older builds also read notifications, newer ones clear open-line counters.
  const readAll =
    options.allowReadAll === true &&
    isDefaultFilters(filters, { ignoreNotifications: true }) &&
    targets.length > 0 &&
    batchCost > 1 &&
    (filters.notifications || inventory.notifications === 0) &&
    !hasUnreadOpenLines(inventory);
  const warnings: PlanWarning[] = [];
  // Outside guests of a collab see who read what: only per-message receipts tell them.
  if (mode === 'receipts' && targets.some((chat) => chat.kind === 'collab')) warnings.push('collab-guests');
  if (targets.some((chat) => chat.kind === 'lines')) warnings.push('open-lines');
  return {
    filters,
    mode,
    targets,
    byKind,
    excluded: { byReason, total: excludedTotal },
    leftUnread: {
      byKind: Object.fromEntries(Object.entries(excludedByKind).filter(([kind]) => kind !== 'lines')),
      openLines: (inventory.openLinesLeft ?? 0) + (excludedByKind.lines ?? 0),
      unresolved: inventory.unresolved?.length ?? 0,
    },
    warnings,
    resolved: targets.filter((chat) => chat.resolved === true).length,
    notifications,
    messages: targets.reduce((sum, chat) => sum + chat.counter, 0),
    manualMarks: filters.clearManualMarks || mode === 'chat' ? targets.filter((chat) => chat.manualUnread).length : 0,
    filtersOff: filtersOff(filters, facts),
    strategy: readAll ? 'read-all' : 'batches',
    estimatedRequests: readAll ? 1 : batchCost,
    discoveredAt: inventory.discoveredAt,
  };
}
