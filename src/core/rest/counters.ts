// `im.counters.get` → the portal's total unread (`TYPE.ALL`), read in one place.
import type { Counters } from './types.ts';

/** The total unread of an `im.counters.get` result, or null when it carries none. */
export function totalUnread(counters: unknown): number | null {
  const total = (counters as Partial<Counters> | null | undefined)?.TYPE?.ALL;
  return typeof total === 'number' && Number.isFinite(total) ? total : null;
}
