// The popup's "Enable on this site" hands its request to the worker through storage.session before
// it opens the browser's permission prompt: if the prompt closes the popup, the worker still
// finishes the job when the permission arrives (`permissions.onAdded`).
export const PENDING_SITE_KEY = 'ui:pending-site';
/** How long such a request stays valid. */
export const PENDING_SITE_TTL_MS = 5 * 60_000;

export interface PendingSite {
  tabId: number;
  origin: string;
  at: number;
}

export function asPendingSite(value: unknown, now: number): PendingSite | null {
  if (typeof value !== 'object' || value === null) return null;
  const { tabId, origin, at } = value as Partial<PendingSite>;
  if (typeof tabId !== 'number' || !Number.isSafeInteger(tabId) || tabId < 0) return null;
  if (typeof origin !== 'string' || typeof at !== 'number' || now - at > PENDING_SITE_TTL_MS || at > now) return null;
  return { tabId, origin, at };
}
