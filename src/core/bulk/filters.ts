// Which unread chats a bulk read touches: the user's selection, validated wherever it comes from.
import { CHAT_KINDS, isValidDialogId, type ChatKind } from './model.ts';

export type MutedFilter = 'include' | 'only' | 'skip';

export interface BulkFilters {
  kinds: ChatKind[];
  /** Also read notifications (`im.notify.read.all`). */
  notifications: boolean;
  muted: MutedFilter;
  skipPinned: boolean;
  /** Remove manual "unread" marks of the chats read. */
  clearManualMarks: boolean;
  /** Dialog ids never read (wins over `always`). */
  never: string[];
  /** Dialog ids read even when another filter excludes them (an open line only when listed here). */
  always: string[];
  /** Only chats whose last message is older than this many hours (null: any age). */
  olderThanHours: number | null;
  /** Skip chats where I am mentioned or have a reaction (the page's anchors; off where they cannot be known). */
  skipMentioned: boolean;
  /** Only chats whose unread messages are all system messages (author 0) or from bots. */
  systemOnly: boolean;
  /** Only chats whose title contains this (case-insensitive; '' = any). */
  titleContains: string;
  /** Skip chats whose title contains this (case-insensitive; '' = none). */
  titleNotContains: string;
}

/** "All chats": every kind except open lines (reading those notifies customers). */
export const DEFAULT_FILTERS: Readonly<BulkFilters> = Object.freeze({
  kinds: Object.freeze(CHAT_KINDS.filter((kind) => kind !== 'lines')) as ChatKind[],
  notifications: false,
  muted: 'include',
  skipPinned: false,
  clearManualMarks: true,
  never: Object.freeze<string[]>([]) as string[],
  always: Object.freeze<string[]>([]) as string[],
  olderThanHours: null,
  skipMentioned: false,
  systemOnly: false,
  titleContains: '',
  titleNotContains: '',
});

/** The longest "older than": a year. */
export const MAX_OLDER_THAN_HOURS = 24 * 366;
const MAX_TITLE_FILTER = 200;

const MAX_LISTED_IDS = 10_000;

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** True when `f` selects exactly what "all chats" does; `ignoreNotifications` ignores that flag. */
export function isDefaultFilters(f: BulkFilters, options: { ignoreNotifications?: boolean } = {}): boolean {
  return (
    sameSet(f.kinds, DEFAULT_FILTERS.kinds) &&
    (options.ignoreNotifications === true || f.notifications === DEFAULT_FILTERS.notifications) &&
    f.muted === DEFAULT_FILTERS.muted &&
    f.skipPinned === DEFAULT_FILTERS.skipPinned &&
    f.clearManualMarks === DEFAULT_FILTERS.clearManualMarks &&
    f.never.length === 0 &&
    f.always.length === 0 &&
    !hasFinerFilters(f)
  );
}

/** True when one of the finer filters (age, mentions, system-only, title) narrows the selection. */
export function hasFinerFilters(f: BulkFilters): boolean {
  return f.olderThanHours !== null || f.skipMentioned || f.systemOnly || f.titleContains !== '' || f.titleNotContains !== '';
}

export class InvalidFiltersError extends Error {
  override readonly name = 'InvalidFiltersError';
}

function fail(message: string): never {
  throw new InvalidFiltersError(message);
}

function readBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : fail(`${field} must be a boolean`);
}

function readIds(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_LISTED_IDS) fail(`${field} must be a list of dialog ids`);
  const ids = value.map((id) => (typeof id === 'number' ? String(id) : id));
  if (!ids.every(isValidDialogId)) fail(`${field} holds an invalid dialog id`);
  return [...new Set(ids as string[])];
}

function readHours(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_OLDER_THAN_HOURS) {
    fail(`olderThanHours must be a number of hours from 0 to ${MAX_OLDER_THAN_HOURS}`);
  }
  return value;
}

function readTitle(value: unknown, field: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > MAX_TITLE_FILTER) fail(`${field} must be a text of at most ${MAX_TITLE_FILTER} characters`);
  return value.trim();
}

/**
 * Filters from storage or the UI: missing fields take the defaults, anything malformed throws
 * `InvalidFiltersError` (a caller falls back to `DEFAULT_FILTERS`).
 */
export function validateFilters(input: unknown): BulkFilters {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('filters must be an object');
  const raw = input as Record<string, unknown>;
  let kinds: ChatKind[] = [...DEFAULT_FILTERS.kinds];
  if (raw['kinds'] !== undefined) {
    const list = raw['kinds'];
    if (!Array.isArray(list) || !list.every((k) => (CHAT_KINDS as readonly unknown[]).includes(k))) fail('kinds must list known chat kinds');
    kinds = CHAT_KINDS.filter((kind) => (list as unknown[]).includes(kind));
  }
  const muted = raw['muted'] ?? DEFAULT_FILTERS.muted;
  if (muted !== 'include' && muted !== 'only' && muted !== 'skip') fail('muted must be include, only or skip');
  return {
    kinds,
    notifications: readBoolean(raw['notifications'], 'notifications', DEFAULT_FILTERS.notifications),
    muted,
    skipPinned: readBoolean(raw['skipPinned'], 'skipPinned', DEFAULT_FILTERS.skipPinned),
    clearManualMarks: readBoolean(raw['clearManualMarks'], 'clearManualMarks', DEFAULT_FILTERS.clearManualMarks),
    never: readIds(raw['never'], 'never'),
    always: readIds(raw['always'], 'always'),
    olderThanHours: readHours(raw['olderThanHours']),
    skipMentioned: readBoolean(raw['skipMentioned'], 'skipMentioned', false),
    systemOnly: readBoolean(raw['systemOnly'], 'systemOnly', false),
    titleContains: readTitle(raw['titleContains'], 'titleContains'),
    titleNotContains: readTitle(raw['titleNotContains'], 'titleNotContains'),
  };
}
