// Finds every unread chat: paged `im.recent.list` (UNREAD_ONLY) plus `im.counters.get`, batched so
// that up to `pagesPerRequest` pages travel in one HTTP request.
import type { RestApi } from '../rest/api.ts';
import type { BatchCommand, Counters, RestParams } from '../rest/types.ts';
import { RestError } from '../rest/errors.ts';
import { chatKindOf, classifyRecentItem, normaliseDialogId, toInt, type ChatKind, type DropReason, type UnreadChat } from './model.ts';
import { BATCH_LIMIT, batchRequests, COUNTERS_KEY } from './commands.ts';
import { countedChats, hasManualMark, isOpenLineOnly, listIds, mapKeys, mutedChatIds, notificationCount, type CountedChat } from './counters.ts';
import { resolveCounted, type Unresolved } from './resolve.ts';

export const RECENT_PAGE_SIZE = 200;

export interface Inventory {
  chats: UnreadChat[];
  counters: Counters;
  /** Unread notifications (`TYPE.NOTIFY`). */
  notifications: number;
  /** HTTP requests discovery made. */
  requests: number;
  discoveredAt: number;
  /** Items left out, by reason (invalid ids are never sent). */
  dropped: Partial<Record<DropReason, number>>;
  /** Whether open-line chats were asked for. */
  includeLines: boolean;
  /** Chats the counters name that the recent list did not return, resolved with `im.dialog.get`. */
  resolved?: number;
  /** Chats the counters name that could not be resolved (left unread; the plan says so). */
  unresolved?: Unresolved[];
  /** Open lines the counters name, not asked for (left unread). */
  openLinesLeft?: number;
}

export interface DiscoverOptions {
  /** Needed to read `mute_list`; without it only counters' CHAT_MUTED says what is muted. */
  myUserId?: number;
  signal?: AbortSignal;
  /** Ask for open-line chats too (default: `SKIP_OPENLINES=Y`). */
  includeLines?: boolean;
  /** Most recent-list pages sent in one batch request (default 10, ≤ 2,000 chats per response). */
  pagesPerRequest?: number;
  /** Safety stop for a server that always says `hasMore` (default 100 pages = 20,000 chats). */
  maxPages?: number;
  now?: () => number;
}

interface RecentPage {
  items: unknown[];
  hasMore: boolean;
}

function readPage(value: unknown): RecentPage {
  if (typeof value !== 'object' || value === null) return { items: [], hasMore: false };
  const page = value as Record<string, unknown>;
  return {
    items: Array.isArray(page['items']) ? page['items'] : [],
    hasMore: page['hasMore'] === true || (page['hasMore'] === undefined && page['hasMorePages'] === true),
  };
}

function readCounters(value: unknown): Counters {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RestError('unknown', 'BAD_COUNTERS', 'im.counters.get returned no counters', 200);
  }
  const counters = value as Counters;
  if (typeof counters.TYPE !== 'object' || counters.TYPE === null) {
    return { ...counters, TYPE: { ALL: 0, NOTIFY: 0, CHAT: 0, LINES: 0, DIALOG: 0 } };
  }
  return counters;
}

/** How many unread chats the counters suggest (an estimate for speculative paging). */
export function estimateUnreadChats(counters: Counters, includeLines: boolean): number {
  const chats = new Set([...mapKeys(counters.CHAT), ...mapKeys(counters.CHAT_MUTED), ...listIds(counters.CHAT_UNREAD)]);
  if (includeLines) for (const key of mapKeys(counters.LINES)) chats.add(key);
  const dialogs = new Set([...mapKeys(counters.DIALOG), ...listIds(counters.DIALOG_UNREAD)]);
  return chats.size + dialogs.size;
}

function pageParams(offset: number, includeLines: boolean): RestParams {
  const params: RestParams = { UNREAD_ONLY: 'Y', LIMIT: RECENT_PAGE_SIZE, OFFSET: offset };
  if (!includeLines) params['SKIP_OPENLINES'] = 'Y';
  return params;
}

function rememberKind(item: unknown, kinds: Map<number, ChatKind>): void {
  if (typeof item !== 'object' || item === null) return;
  const record = item as Record<string, unknown>;
  const chatId = toInt(record['chat_id']);
  const dialogId = normaliseDialogId(record['id']);
  if (Number.isSafeInteger(chatId) && chatId > 0 && dialogId) kinds.set(chatId, chatKindOf(record, dialogId));
}

export async function discover(api: RestApi, options: DiscoverOptions = {}): Promise<Inventory> {
  const includeLines = options.includeLines === true;
  const pagesPerRequest = Math.max(1, Math.min(BATCH_LIMIT - 1, options.pagesPerRequest ?? 10));
  const maxPages = Math.max(1, options.maxPages ?? 100);
  const now = options.now ?? Date.now;
  const byId = new Map<string, UnreadChat>();
  /** Kinds of every listed chat, unread or not: a comment thread is read with (and as) its channel. */
  const kindByChatId = new Map<number, ChatKind>();
  const dropped: Partial<Record<DropReason, number>> = {};
  let counters: Counters | undefined;
  let requests = 0;
  let nextOffset = 0;
  let pagesAsked = 0;
  let hasMore = true;

  while (hasMore && pagesAsked < maxPages) {
    const commands: Record<string, BatchCommand> = {};
    if (!counters) commands[COUNTERS_KEY] = { method: 'im.counters.get' };
    // First request: page 0 only; later ones: as many pages as the counters suggest are left.
    const remainingGuess = counters ? Math.max(1, Math.ceil((estimateUnreadChats(counters, includeLines) - nextOffset) / RECENT_PAGE_SIZE)) : 1;
    const pages = Math.min(remainingGuess, pagesPerRequest, maxPages - pagesAsked);
    const offsets: number[] = [];
    for (let i = 0; i < pages; i += 1) {
      const offset = nextOffset + i * RECENT_PAGE_SIZE;
      offsets.push(offset);
      commands[`p${offset}`] = { method: 'im.recent.list', params: pageParams(offset, includeLines) };
    }
    const outcome = await api.batch(commands, { halt: false, signal: options.signal });
    requests += batchRequests(Object.keys(commands).length);
    const firstError = Object.values(outcome.errors)[0];
    if (firstError) throw firstError;
    if (!counters) counters = readCounters(outcome.results[COUNTERS_KEY]);

    for (const offset of offsets) {
      const page = readPage(outcome.results[`p${offset}`]);
      for (const item of page.items) {
        rememberKind(item, kindByChatId);
        const classified = classifyRecentItem(item, options.myUserId);
        if (!classified.ok) {
          dropped[classified.reason] = (dropped[classified.reason] ?? 0) + 1;
          continue;
        }
        const known = byId.get(classified.chat.dialogId);
        // Pages overlap when the list shifts between requests: keep the freshest copy.
        if (!known || classified.chat.lastMessageId > known.lastMessageId) byId.set(classified.chat.dialogId, classified.chat);
      }
      hasMore = page.hasMore;
      pagesAsked += 1;
      nextOffset = offset + RECENT_PAGE_SIZE;
      if (!hasMore) break;
    }
  }

  const finalCounters = counters ?? readCounters(undefined);
  // The counters are the truth: every chat they name that the recent list did not return (new task
  // chats, comment threads, copilot, chats past the list's reach) is resolved chat by chat, in batches.
  const knownChats = new Set([...byId.values()].map((chat) => String(chat.chatId)));
  const knownDialogs = new Set(byId.keys());
  const missing: CountedChat[] = [];
  let openLinesLeft = 0;
  for (const counted of countedChats(finalCounters)) {
    const known = counted.by === 'user' ? knownDialogs.has(counted.id) : knownChats.has(counted.id) || knownDialogs.has(`chat${counted.id}`);
    if (known) continue;
    if (!includeLines && isOpenLineOnly(counted)) {
      openLinesLeft += 1;
      continue;
    }
    missing.push(counted);
  }
  const resolution = await resolveCounted(api, missing, { signal: options.signal });
  requests += resolution.requests;
  for (const chat of resolution.chats) if (!byId.has(chat.dialogId)) byId.set(chat.dialogId, chat);
  for (const chat of byId.values()) kindByChatId.set(chat.chatId, kindByChatId.get(chat.chatId) ?? chat.kind);
  // A comment thread takes its parent's kind (the general channel's threads are "general"), so a
  // kind filter reads exactly that kind: reading a channel the Bitrix24 way reads its threads too.
  for (const chat of byId.values()) {
    const parentKind = chat.parentChatId ? kindByChatId.get(chat.parentChatId) : undefined;
    if (parentKind && parentKind !== 'lines') chat.kind = parentKind;
  }
  const muted = mutedChatIds(finalCounters);
  // Open lines that slip through (builds ignoring SKIP_OPENLINES) stay listed; the plan excludes them.
  const chats = [...byId.values()].map((chat) => ({
    ...chat,
    muted: chat.muted || (chat.chatId > 0 && muted.has(String(chat.chatId))),
    manualUnread: chat.manualUnread || hasManualMark(finalCounters, chat),
  }));
  return {
    chats,
    counters: finalCounters,
    notifications: notificationCount(finalCounters),
    requests,
    discoveredAt: now(),
    dropped,
    includeLines,
    resolved: resolution.chats.length,
    unresolved: resolution.unresolved,
    openLinesLeft,
  };
}
