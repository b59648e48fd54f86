// The finer filters of a bulk read or a rule: the last message's age, mentions and reactions, chats
// whose unread messages are all system or bot messages, the title. Pure: what cannot be known from
// the inventory comes in as facts (the page's anchors, looked-up authors), and where a fact is
// missing the plan says so instead of guessing.
import type { BatchCommand } from '../rest/types.ts';
import type { RestApi } from '../rest/api.ts';
import { isRecord } from '../is-record.ts';
import { toInt, type UnreadChat } from './model.ts';
import type { BulkFilters } from './filters.ts';

/** Why a finer filter leaves a chat out. */
export type FinerReason = 'too-recent' | 'mentioned' | 'not-system' | 'title';

/** A filter that was asked for but cannot be applied here, so it is left off. */
export type FilterOff = 'mentions-unknown';

/** Authors of a chat's unread messages: all system/bot, some person, or not checkable (too many). */
export type AuthorVerdict = 'system-or-bot' | 'people' | 'unknown';

export interface FinerFacts {
  /** Plan time (epoch ms). */
  now: number;
  /**
   * Dialog ids with a mention or reaction anchor for me (the page store's `messages/anchors/*`);
   * null when no page tells (webhook mode without a portal tab).
   */
  anchored: ReadonlySet<string> | null;
  /** Looked-up authors of unread messages, by dialog id (see `lookUpUnreadAuthors`). */
  authors: ReadonlyMap<string, AuthorVerdict>;
}

/** What the recent item alone tells about a chat's unread authors; null when a look-up is needed. */
export function authorsFromItem(chat: UnreadChat): AuthorVerdict | null {
  if (chat.botDialog === true) return 'system-or-bot';
  // Only a manual mark: the user's own flag, not noise; "system-only" leaves it.
  if (chat.counter === 0) return 'people';
  // One unread message, and it is the newest one: its author is the item's.
  if (chat.counter === 1 && chat.lastAuthorId !== undefined) {
    return chat.lastAuthorId === 0 || chat.lastAuthorBot === true ? 'system-or-bot' : 'people';
  }
  // The newest message is a person's, so not all unread ones are system or bot.
  if (chat.lastAuthorId !== undefined && chat.lastAuthorId > 0 && chat.lastAuthorBot !== true && chat.lastMessageId > chat.lastReadId) return 'people';
  return null;
}

/** Chats whose unread authors the item does not tell: `lookUpUnreadAuthors` asks for those. */
export function needsAuthorLookup(chats: readonly UnreadChat[]): UnreadChat[] {
  return chats.filter((chat) => authorsFromItem(chat) === null);
}

/** Messages per `im.dialog.messages.get` (the server's maximum). */
const PAGE = 50;

function verdictOf(chat: UnreadChat, result: unknown): AuthorVerdict {
  if (!isRecord(result) || !Array.isArray(result['messages'])) return 'unknown';
  const bots = new Set<number>();
  for (const user of Array.isArray(result['users']) ? result['users'] : []) {
    if (isRecord(user) && user['bot'] === true) bots.add(toInt(user['id']));
  }
  const unread = result['messages'].filter((m) => isRecord(m) && toInt(m['id']) > chat.lastReadId) as Record<string, unknown>[];
  if (unread.length < Math.min(chat.counter, PAGE)) return 'unknown';
  if (unread.some((m) => { const a = toInt(m['author_id']); return !(a === 0 || bots.has(a)); })) return 'people';
  // More unread than one page shows: the rest cannot be vouched for.
  return chat.counter > PAGE ? 'unknown' : 'system-or-bot';
}

/**
 * The authors of the unread messages of `chats`: one `im.dialog.messages.get` per chat from its
 * last read message, all in `batch` requests of 50 through the caller's (throttled) client.
 */
export async function lookUpUnreadAuthors(api: RestApi, chats: readonly UnreadChat[], signal?: AbortSignal): Promise<{ authors: Map<string, AuthorVerdict>; requests: number }> {
  const authors = new Map<string, AuthorVerdict>();
  if (chats.length === 0) return { authors, requests: 0 };
  const commands: Record<string, BatchCommand> = {};
  for (const chat of chats) {
    commands[`a_${chat.dialogId}`] = { method: 'im.dialog.messages.get', params: { DIALOG_ID: chat.dialogId, FIRST_ID: chat.lastReadId, LIMIT: PAGE } };
  }
  const outcome = await api.batch(commands, signal ? { signal } : {});
  for (const chat of chats) {
    authors.set(chat.dialogId, outcome.errors[`a_${chat.dialogId}`] ? 'unknown' : verdictOf(chat, outcome.results[`a_${chat.dialogId}`]));
  }
  return { authors, requests: Math.ceil(chats.length / PAGE) };
}

/** Which filters asked for cannot be applied with these facts (the plan shows them as "off"). */
export function filtersOff(f: BulkFilters, facts: FinerFacts): FilterOff[] {
  return f.skipMentioned && facts.anchored === null ? ['mentions-unknown'] : [];
}

/** Why the finer filters leave `chat` out, or null. */
export function finerReason(chat: UnreadChat, f: BulkFilters, facts: FinerFacts): FinerReason | null {
  const title = chat.title.toLocaleLowerCase();
  if (f.titleContains !== '' && !title.includes(f.titleContains.toLocaleLowerCase())) return 'title';
  if (f.titleNotContains !== '' && title.includes(f.titleNotContains.toLocaleLowerCase())) return 'title';
  if (f.olderThanHours !== null) {
    // Age unknown (a chat found through the counters): not provably old, so not read.
    if (chat.lastMessageAt === undefined || facts.now - chat.lastMessageAt < f.olderThanHours * 3_600_000) return 'too-recent';
  }
  if (f.skipMentioned && facts.anchored !== null && facts.anchored.has(chat.dialogId)) return 'mentioned';
  if (f.systemOnly) {
    const verdict = authorsFromItem(chat) ?? facts.authors.get(chat.dialogId) ?? 'unknown';
    if (verdict !== 'system-or-bot') return 'not-system';
  }
  return null;
}
