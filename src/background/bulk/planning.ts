// Planning a bulk read: which portal it acts on, what is unread there, which chats the filters read.
import { totalUnread } from '../../core/rest/counters.ts';
import { discover, lookUpUnreadAuthors, needsAuthorLookup, planBulkRead, validateFilters, type BulkFilters } from '../../core/bulk/index.ts';
import { loadSettings, readModeOf } from '../../shared/settings.ts';
import { scopeInventory } from '../../core/bulk/read-chat.ts';
import { folderFilters, openFolder } from './folder-scope.ts';
import { inspectTab } from '../portal-tab.ts';
import { portalClient, usesWebhook, webhookPortal } from '../portal-clients.ts';
import { describeError } from '../error-messages.ts';
import { showBadge } from '../badge.ts';
import type { BulkView } from '../../shared/messages.ts';
import { savePlan, type StoredPlan } from './job-store.ts';
import { pageAnchors } from './page-anchors.ts';
import { bulkStatus, failure, planView } from './job-view.ts';

/** The portal a bulk read acts on: the tab's, or the webhook's when the tab is not a portal. */
async function bulkTarget(tabId: number | null): Promise<{ origin: string; tabId: number | null; userId: number | null } | BulkView> {
  const tab = await inspectTab(tabId);
  if (tab.kind === 'portal' && (tab.detection.loggedIn || (await usesWebhook(tab.origin)))) {
    return { origin: tab.origin, tabId: tab.tabId, userId: tab.detection.userId };
  }
  const webhook = await webhookPortal();
  if (webhook && (tab.kind !== 'portal' || tab.origin === webhook)) return { origin: webhook, tabId: null, userId: null };
  if (tab.kind === 'not-portal') return failure({ key: 'errorNotPortal' }, 'NOT_PORTAL');
  if (tab.kind === 'needs-reload') return failure({ key: 'errorNeedsReload' }, 'NO_CONTENT_SCRIPT');
  return failure({ key: 'errorLoggedOut' }, 'LOGGED_OUT');
}

/** Discover the unread chats of the tab's portal and plan which ones the filters read. */
export async function planBulk(tabId: number | null, filtersInput?: unknown, options: { folder?: boolean } = {}): Promise<BulkView> {
  const target = await bulkTarget(tabId);
  if (!('origin' in target)) return target;
  let filters: BulkFilters;
  const settings = await loadSettings();
  try {
    filters = filtersInput === undefined ? settings.filters : validateFilters(filtersInput);
  } catch {
    return failure({ key: 'errorBadFilters' }, 'BAD_FILTERS');
  }
  // "Read this folder": the folder open in the tab, read with every kind it holds but open lines.
  const folder = options.folder === true ? await openFolder(target.tabId) : null;
  if (options.folder === true && !folder) return failure({ key: 'errorNoFolder' }, 'NO_FOLDER');
  if (folder) filters = folderFilters(filters);
  try {
    const api = await portalClient(target.origin, target.tabId);
    const found = await discover(api, { myUserId: target.userId ?? undefined, includeLines: filters.kinds.includes('lines') });
    const inventory = folder ? scopeInventory(found, folder.dialogIds) : found;
    const mode = readModeOf(settings);
    // System-only: the recent items settle most chats; a batched look-up asks only for the rest.
    const authors = filters.systemOnly ? (await lookUpUnreadAuthors(api, needsAuthorLookup(planBulkRead(inventory, { ...filters, systemOnly: false }, { mode }).targets))).authors : new Map();
    // Skip mentioned: the page's anchors; without a page that can tell, the filter is off and the plan says so.
    const anchored = filters.skipMentioned ? await pageAnchors(target.tabId, inventory.chats) : null;
    const plan = planBulkRead(inventory, filters, { mode, facts: { now: Date.now(), anchored, authors } });
    const stored: StoredPlan = { planId: crypto.randomUUID(), origin: target.origin, tabId: target.tabId, plan, folder };
    await savePlan(stored);
    const total = totalUnread(inventory.counters);
    if (total !== null) await showBadge({ kind: 'count', total }, target.tabId);
    return { ...(await bulkStatus()), plan: planView(stored) };
  } catch (error) {
    const { message, code } = describeError(error);
    return failure(message, code);
  }
}
