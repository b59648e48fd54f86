// What a bulk read will do, before it does it: the chats it reads, what it leaves and why, its cost.
import { CHAT_KINDS, type ChatKind, type UnreadChat } from './model.ts';
import type { Inventory } from './discover.ts';
import { isDefaultFilters, type BulkFilters } from './filters.ts';
import { readChunks } from './commands.ts';
import { mapKeys } from './counters.ts';

export type ExclusionReason = 'never' | 'kind' | 'muted' | 'not-muted' | 'pinned' | 'mark-only';
export type Strategy = 'read-all' | 'batches';

export interface BulkPlan {
  filters: BulkFilters;
  targets: UnreadChat[];
  byKind: Record<ChatKind, number>;
  excluded: { byReason: Partial<Record<ExclusionReason, number>>; total: number };
  /** Notifications to be read (0 unless `filters.notifications`). */
  notifications: number;
  /** Unread messages in the targets. */
  messages: number;
  /** Manual marks to be removed. */
  manualMarks: number;
  strategy: Strategy;
  /** HTTP requests after discovery. */
  estimatedRequests: number;
  discoveredAt: number;
}

export interface PlanOptions {
  /** Allow `im.dialog.read.all` for "all chats" (default true). */
  allowReadAll?: boolean;
}

function exclusionReason(chat: UnreadChat, f: BulkFilters, never: Set<string>, always: Set<string>): ExclusionReason | null {
  if (never.has(chat.dialogId)) return 'never';
  if (always.has(chat.dialogId)) return null;
  if (!f.kinds.includes(chat.kind)) return 'kind';
  if (f.muted === 'skip' && chat.muted) return 'muted';
  if (f.muted === 'only' && !chat.muted) return 'not-muted';
  if (f.skipPinned && chat.pinned) return 'pinned';
  if (chat.counter === 0 && !f.clearManualMarks) return 'mark-only';
  return null;
}

function hasUnreadOpenLines(inventory: Inventory): boolean {
  return (inventory.counters.TYPE?.LINES ?? 0) > 0 || mapKeys(inventory.counters.LINES).length > 0 || inventory.chats.some((c) => c.kind === 'lines');
}

export function planBulkRead(inventory: Inventory, filters: BulkFilters, options: PlanOptions = {}): BulkPlan {
  const never = new Set(filters.never);
  const always = new Set(filters.always);
  const byKind = Object.fromEntries(CHAT_KINDS.map((kind) => [kind, 0])) as Record<ChatKind, number>;
  const byReason: Partial<Record<ExclusionReason, number>> = {};
  const targets: UnreadChat[] = [];
  const seen = new Set<string>();
  let excludedTotal = 0;
  for (const chat of inventory.chats) {
    if (seen.has(chat.dialogId)) continue;
    seen.add(chat.dialogId);
    const reason = exclusionReason(chat, filters, never, always);
    if (reason) {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      excludedTotal += 1;
      continue;
    }
    targets.push(chat);
    byKind[chat.kind] += 1;
  }
  const notifications = filters.notifications ? inventory.notifications : 0;
  const batchCost = readChunks(targets, { clearManualMarks: filters.clearManualMarks, notifications: notifications > 0 }).length;
  // `im.dialog.read.all` reads "all chats but open lines, marks cleared". It is used only when it saves
  // requests (per-chat reads keep messages that arrive after discovery unread) and when the build
  // differences cannot hurt: older builds also read notifications, newer ones clear open-line counters.
  const readAll =
    options.allowReadAll !== false &&
    isDefaultFilters(filters, { ignoreNotifications: true }) &&
    targets.length > 0 &&
    batchCost > 1 &&
    (filters.notifications || inventory.notifications === 0) &&
    !hasUnreadOpenLines(inventory);
  return {
    filters,
    targets,
    byKind,
    excluded: { byReason, total: excludedTotal },
    notifications,
    messages: targets.reduce((sum, chat) => sum + chat.counter, 0),
    manualMarks: filters.clearManualMarks ? targets.filter((chat) => chat.manualUnread).length : 0,
    strategy: readAll ? 'read-all' : 'batches',
    estimatedRequests: readAll ? 1 : batchCost,
    discoveredAt: inventory.discoveredAt,
  };
}
