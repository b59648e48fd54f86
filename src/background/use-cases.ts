// The use cases every trigger (popup, keyboard command, context menu) calls. No trigger has its
// own copy of a flow: each says which tab and which target, and gets the same result back.
import type { DialogReadResult, RestParams } from '../core/rest/types.ts';
import { totalUnread } from '../core/rest/counters.ts';
import { RestError } from '../core/rest/errors.ts';
import { parseDialogId, parseMessageId } from '../core/dialog-id.ts';
import type { ActionResult, PopupState, UserMessage } from '../shared/messages.ts';
import { inspectTab, siteCandidate } from './portal-tab.ts';
import { portalClient, usesWebhook, webhookPortal } from './portal-clients.ts';
import { describeError } from './error-messages.ts';
import { showBadge } from './badge.ts';
import { loadSettings, readModeOf } from '../shared/settings.ts';
import { keepNewerUnread, singleReadCommand } from '../core/bulk/read-chat.ts';
import { dialogLastReadId } from '../core/bulk/model.ts';
import { hasHostAccess, hostPatternFor } from '../shared/browser-target.ts';
import { injectContentScripts } from './content-scripts.ts';
import { PORTAL_MATCHES } from '../core/portal-zones.ts';

/**
 * A tab inspected; where host access is withheld but the user just acted on the tab (toolbar,
 * shortcut, menu: activeTab), the content scripts are started first, so the first press works.
 */
async function inspectActedOnTab(tabId: number | null): Promise<Awaited<ReturnType<typeof inspectTab>>> {
  const tab = await inspectTab(tabId);
  if (tab.kind !== 'needs-reload' || tabId === null || !(await withheldAccess(tab.origin))) return tab;
  return (await injectContentScripts(tabId)) ? inspectTab(tabId) : tab;
}

/** A cloud portal tab with no content script because its host access was withheld: the popup asks for it. */
async function withheldAccess(origin: string): Promise<{ kind: 'needs-access'; origin: string; pattern: string } | null> {
  const pattern = hostPatternFor(origin, PORTAL_MATCHES);
  if (!pattern || (await hasHostAccess(origin))) return null;
  return { kind: 'needs-access', origin, pattern };
}

/** Which chat to read: the one open in the tab, or a given one (context menu on a row or message). */
export type ChatTarget =
  | { kind: 'open' }
  | { kind: 'open-up-to'; messageId: number }
  | { kind: 'dialog'; dialogId: string; messageId: number | null };

/** Show the portal's total on its tab, or on the default badge (`tabId` null: a webhook portal with no tab). */
async function reportCounters(counters: unknown, tabId: number | null): Promise<number | null> {
  const total = totalUnread(counters);
  if (total !== null) await showBadge({ kind: 'count', total }, tabId);
  return total;
}

async function reportFailure(error: unknown, tabId: number | null): Promise<{ message: UserMessage; code: string }> {
  const described = describeError(error);
  await showBadge(error instanceof RestError && error.kind === 'auth' ? { kind: 'logged-out' } : { kind: 'error' }, tabId);
  return described;
}

export async function popupState(tabId: number | null): Promise<PopupState> {
  const tab = await inspectActedOnTab(tabId);
  if (tab.kind === 'not-portal') {
    // A self-hosted portal the extension does not run on yet: offer to enable it.
    const candidate = tabId === null ? null : await siteCandidate(tabId);
    return candidate ? { kind: 'can-enable', origin: candidate } : webhookPortalState();
  }
  if (tab.kind === 'needs-reload') return (await withheldAccess(tab.origin)) ?? tab;
  const { origin, detection } = tab;
  if (!detection.loggedIn && !(await usesWebhook(origin))) {
    await showBadge({ kind: 'logged-out' }, tab.tabId);
    return { kind: 'logged-out', origin };
  }
  try {
    const client = await portalClient(origin, tab.tabId);
    const commands: Record<string, { method: string; params?: RestParams }> = { counters: { method: 'im.counters.get' } };
    if (detection.dialogId) commands.dialog = { method: 'im.dialog.get', params: { DIALOG_ID: detection.dialogId } };
    const outcome = await client.batch(commands);
    const failure = outcome.errors.counters ?? outcome.errors.dialog;
    if (failure && failure.kind === 'auth') throw failure;
    const total = await reportCounters(outcome.results.counters, tab.tabId);
    const dialog = outcome.results.dialog as { name?: unknown; counter?: unknown } | undefined;
    const chat = detection.dialogId
      ? {
          dialogId: detection.dialogId,
          title: typeof dialog?.name === 'string' && dialog.name ? dialog.name : (detection.title ?? detection.dialogId),
          counter: typeof dialog?.counter === 'number' ? dialog.counter : 0,
          messageId: detection.messageId,
          messageSource: detection.messageSource,
          dialogSource: detection.dialogSource,
        }
      : null;
    const folder = detection.folder && detection.folder.dialogIds.length > 0 ? { title: detection.folder.title, chats: detection.folder.dialogIds.length } : null;
    return { kind: 'ready', origin, chat, totalUnread: total, folder };
  } catch (error) {
    if (error instanceof RestError && error.kind === 'auth') {
      await showBadge({ kind: 'logged-out' }, tab.tabId);
      return { kind: 'logged-out', origin };
    }
    const { message, code } = await reportFailure(error, tab.tabId);
    return { kind: 'error', origin, message, code };
  }
}

/** On a tab that is not a portal: the webhook's portal when one is set (no tab needed), else "not a portal". */
async function webhookPortalState(): Promise<PopupState> {
  const origin = await webhookPortal();
  if (!origin) return { kind: 'not-portal' };
  try {
    const client = await portalClient(origin, null);
    const total = await reportCounters((await client.call('im.counters.get')).result, null);
    return { kind: 'ready', origin, chat: null, totalUnread: total };
  } catch (error) {
    const { message, code } = await reportFailure(error, null);
    return { kind: 'error', origin, message, code };
  }
}

/** Mark one chat read up to a message (by default: the open chat, up to the newest message the page shows). */
export async function markChatRead(tabId: number, target: ChatTarget = { kind: 'open' }): Promise<ActionResult> {
  const tab = await inspectActedOnTab(tabId);
  if (tab.kind === 'not-portal') return { ok: false, message: { key: 'errorNotPortal' }, code: 'NOT_PORTAL' };
  if (tab.kind === 'needs-reload') {
    if (await withheldAccess(tab.origin)) return { ok: false, message: { key: 'errorNoHostAccess', substitutions: [tab.origin] }, code: 'NO_HOST_ACCESS' };
    return { ok: false, message: { key: 'errorNeedsReload' }, code: 'NO_CONTENT_SCRIPT' };
  }
  const { origin, detection } = tab;
  if (!detection.loggedIn && !(await usesWebhook(origin))) {
    await showBadge({ kind: 'logged-out' }, tab.tabId);
    return { ok: false, message: { key: 'errorLoggedOut' }, code: 'LOGGED_OUT' };
  }
  const dialogId = target.kind === 'dialog' ? parseDialogId(target.dialogId) : detection.dialogId;
  const messageId = target.kind === 'open' ? detection.messageId : parseMessageId(target.messageId);
  if (!dialogId) return { ok: false, message: { key: 'errorNoOpenChat' }, code: 'NO_DIALOG' };
  // A message on screen belongs to the chat the page shows; an address-only guess may be another chat.
  if (target.kind === 'open-up-to' && detection.dialogSource === 'url') return { ok: false, message: { key: 'errorNoOpenChat' }, code: 'NO_DIALOG' };

  // The same reading as bulk jobs: like Bitrix24's "Read" (default), or with read receipts.
  const mode = readModeOf(await loadSettings());
  try {
    const client = await portalClient(origin, tab.tabId);
    const outcome = await client.batch({ read: singleReadCommand(dialogId, messageId, mode), counters: { method: 'im.counters.get' } }, { retryAmbiguous: false });
    const failure = outcome.errors.read;
    if (failure) throw failure;
    const read = outcome.results.read as DialogReadResult | false | undefined;
    if (!read) {
      await reportCounters(outcome.results.counters, tab.tabId);
      return { ok: false, message: { key: 'errorNothingToRead' }, code: 'RESULT_FALSE' };
    }
    // Chat mode read everything: what is newer than the message the page showed is unread again.
    const keptFrom = mode === 'chat' ? await keepNewerUnread(client, dialogId, messageId, read.lastId) : null;
    if (keptFrom === null) {
      const total = await reportCounters(outcome.results.counters, tab.tabId);
      return { ok: true, dialogId, counter: read.counter, lastId: read.lastId, totalUnread: total, readEverything: messageId === null };
    }
    const after = await client.batch({ dialog: { method: 'im.dialog.get', params: { DIALOG_ID: dialogId } }, counters: { method: 'im.counters.get' } });
    const total = await reportCounters(after.results.counters, tab.tabId);
    const dialog = after.results.dialog as { counter?: unknown } | undefined;
    const counter = typeof dialog?.counter === 'number' ? dialog.counter : read.counter;
    const pointer = dialogLastReadId(after.results.dialog);
    const lastId = Number.isSafeInteger(pointer) ? pointer : read.lastId;
    return { ok: true, dialogId, counter, lastId, totalUnread: total, readEverything: false };
  } catch (error) {
    const { message, code } = await reportFailure(error, tab.tabId);
    return { ok: false, message, code };
  }
}

const BADGE_FRESH_MS = 15_000;
const badgeRefreshedAt = new Map<number, number>();

/** Refresh a portal tab's badge when it becomes active: one `im.counters.get`, through the throttle, at most every 15 s. */
export async function refreshTabBadge(tabId: number, onTotal?: (origin: string, total: number) => void): Promise<void> {
  const last = badgeRefreshedAt.get(tabId) ?? 0;
  if (Date.now() - last < BADGE_FRESH_MS) return;
  badgeRefreshedAt.set(tabId, Date.now());
  const tab = await inspectTab(tabId);
  if (tab.kind !== 'portal') return;
  if (!tab.detection.loggedIn && !(await usesWebhook(tab.origin))) {
    await showBadge({ kind: 'logged-out' }, tabId);
    return;
  }
  try {
    const client = await portalClient(tab.origin, tabId);
    const counters = (await client.call('im.counters.get')).result;
    await reportCounters(counters, tabId);
    const total = totalUnread(counters as Parameters<typeof totalUnread>[0]);
    if (total !== null) onTotal?.(tab.origin, total);
  } catch (error) {
    await reportFailure(error, tabId);
  }
}
