// Where the worker keeps the bulk job and its plan in storage.local, and how a page follows the
// job without asking the portal anything. The worker's job supervisor is the only writer.
import browser from 'webextension-polyfill';

/** The saved bulk job (`StoredJob` in background/bulk/job-store.ts). */
export const JOB_KEY = 'bulk:job';
/** The plan last shown to the user, waiting for confirmation. */
export const PLAN_KEY = 'bulk:plan';

/** Calls `listener` whenever the saved job changes (progress is saved after every batch). Returns an unsubscribe. */
export function onJobChanged(listener: () => void): () => void {
  const handler = (changes: Record<string, browser.Storage.StorageChange>, area: string): void => {
    if (area === 'local' && JOB_KEY in changes) listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
