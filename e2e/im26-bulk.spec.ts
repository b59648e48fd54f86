// Issue 9 end to end on today's Bitrix24 (im 26.x portal): "read all" with the default filters
// brings im.counters.get to zero for everything it covers in both counter shapes (comment threads,
// new task chats, collabs, copilot), open lines untouched; each kind's filter reads exactly that
// kind; the default read leaves no receipt and clears marks and anchors, the receipts option
// records them; a message arriving mid-job stays unread in both modes.
import type { Page, Worker } from '@playwright/test';
import { test, expect, type Tenant } from './fixtures.ts';
import { todaySeed, type ChatView } from './portal/index.ts';

/** Portal kind → the extension's filter kind (src/core/bulk/kinds.ts). Comment threads follow their channel. */
const EXTENSION_KIND: Record<string, string> = {
  dialog: 'dialog',
  chat: 'chat',
  open: 'chat',
  videoconf: 'chat',
  calendar: 'chat',
  mail: 'chat',
  call: 'chat',
  channel: 'channel',
  openChannel: 'channel',
  general: 'general',
  generalChannel: 'general',
  announcement: 'general',
  collab: 'collab',
  copilot: 'copilot',
  workgroup: 'workgroup',
  crm: 'crm',
  tasks: 'tasks',
  tasksTask: 'tasks',
  lines: 'lines',
};

function extensionKind(tenant: Tenant, chat: ChatView): string {
  if (chat.kind === 'comment') {
    const parent = tenant.chats().find((c) => c.chatId === chat.parentChatId);
    return parent ? extensionKind(tenant, parent) : 'channel';
  }
  return EXTENSION_KIND[chat.kind] ?? 'other';
}

const isUnread = (chat: ChatView) => chat.counter > 0 || chat.manualUnread;

/** Every map and list of im.counters.get that still names something, open lines aside. */
function leftInCounters(tenant: Tenant): Record<string, unknown> {
  const lines = new Set(tenant.chats().filter((c) => c.kind === 'lines').map((c) => String(c.chatId)));
  const counters = tenant.counters() as unknown as Record<string, unknown>;
  const left: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(counters)) {
    if (key === 'TYPE' || key === 'LINES') continue;
    const ids = Array.isArray(value) ? value.map(String) : Object.keys((value as object) ?? {});
    const rest = ids.filter((id) => !lines.has(id));
    if (rest.length > 0) left[key] = rest;
  }
  const type = counters['TYPE'] as Record<string, number>;
  for (const key of ['CHAT', 'DIALOG', 'COLLAB', 'COPILOT', 'TASKS_TASK']) if ((type[key] ?? 0) > 0) left[`TYPE.${key}`] = type[key];
  return left;
}

async function setSettings(worker: Worker, patch: Record<string, unknown>): Promise<void> {
  await worker.evaluate(async (p) => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...((settings as object) ?? {}), version: 3, ...p } });
  }, patch);
}

/** Plan in the popup, confirm, wait until the job is done. */
async function readAllInPopup(popup: Page): Promise<void> {
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-confirm')).toBeEnabled({ timeout: 20_000 });
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

/** Drive the worker's own routes from an extension page: plan with these filters, start, wait. */
async function readWithFilters(page: Page, tabId: number, filters: Record<string, unknown>): Promise<number> {
  return page.evaluate(
    async ({ tabId, filters }) => {
      const send = (type: string, payload: object) => chrome.runtime.sendMessage({ type, payload });
      const view = await send('bulk/plan', { tabId, filters });
      if (!view.plan) throw new Error(`no plan: ${JSON.stringify(view.error)}`);
      await send('bulk/start', { planId: view.plan.planId });
      for (let i = 0; i < 600; i += 1) {
        const status = await send('bulk/status', {});
        if (status.job && ['done', 'failed', 'cancelled'].includes(status.job.status)) {
          if (status.job.status !== 'done') throw new Error(`job ${status.job.status}`);
          return view.plan.total as number;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('job did not finish');
    },
    { tabId, filters },
  );
}

test.use({ tenantSeed: todaySeed() });

// Tests share one browser: every test here starts from the default settings (read like Bitrix24).
test.beforeEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
});
test.afterEach(async ({ serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.clear());
});

for (const build of ['Y', 'H'] as const) {
  test(`(a)(f) read all with default filters: counters zero for every covered kind, open lines untouched, no receipt, marks and anchors cleared, a mid-job message stays unread — build ${build} (${build === 'H' ? 7 : 14}-key counters)`, async ({
    tenant,
    login,
    openMessenger,
    openPopup,
  }) => {
    tenant.setBuild(build);
    await login(tenant);
    const { tabId } = await openMessenger(tenant);
    const before = new Map(tenant.chats().map((c) => [c.dialogId, { ...c }]));
    const kindsUnread = new Set([...before.values()].filter(isUnread).map((c) => c.kind));
    // The seed holds every kind the issue names, unread.
    for (const kind of ['comment', 'tasksTask', 'collab', 'copilot', 'channel', 'general', 'announcement', 'tasks', 'lines']) expect(kindsUnread, kind).toContain(kind);
    const anchorsBefore = tenant.anchors();
    const receiptsAtStart = tenant.receipts.length;
    const lines = [...before.values()].filter((c) => c.kind === 'lines');

    // A message arrives in a new task chat (read near the end) right after the first read of the job.
    const lateChat = [...before.values()].find((c) => c.kind === 'tasksTask' && c.counter > 0)!;
    let lateId = 0;
    tenant.afterCalls(1, () => void (lateId = tenant.pushMessage(lateChat.dialogId, { text: 'arrived mid-job' })), 'im.dialog.read');

    const popup = await openPopup(tabId);
    await readAllInPopup(popup);

    expect(lateId).toBeGreaterThan(0);
    const late = tenant.chat(lateChat.dialogId)!;
    expect(late.counter, 'the mid-job message stays unread').toBe(1);
    expect(late.firstUnreadId).toBe(lateId);
    expect(leftInCounters(tenant), 'im.counters.get names nothing but the mid-job message and open lines').toEqual(
      build === 'H' ? { CHAT: [String(late.chatId)], 'TYPE.CHAT': 1 } : { TASKS_TASK: [String(late.chatId)], 'TYPE.TASKS_TASK': 1 },
    );
    for (const line of lines) expect(tenant.chat(line.dialogId), `${line.dialogId} untouched`).toEqual(line);
    expect(tenant.receipts.length - receiptsAtStart, 'reading like Bitrix24 records no receipt').toBe(0);
    // Anchors of every chat read are gone (a chat with nothing unread is not read: its badges stay).
    const readChatIds = new Set([...before.values()].filter((c) => c.kind !== 'lines' && isUnread(c)).map((c) => c.chatId));
    expect(anchorsBefore.filter((a) => readChatIds.has(a.chatId)).length, 'the seed has anchors in unread chats').toBeGreaterThan(0);
    expect(tenant.anchors().filter((a) => readChatIds.has(a.chatId)), 'anchors of the chats read cleared').toEqual([]);
    for (const chat of tenant.chats()) if (chat.kind !== 'lines') expect(chat.manualUnread, `${chat.dialogId} mark cleared`).toBe(false);
    await popup.close();
  });
}

test('(f) the "Send read receipts" option records a receipt per message read; marks cleared; a mid-job message stays unread', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
  serviceWorker,
}) => {
  await setSettings(serviceWorker, { readReceipts: true });
  await login(tenant);
  const { tabId } = await openMessenger(tenant);
  const targets = tenant.chats().filter((c) => c.kind !== 'lines' && isUnread(c));
  const receiptsAtStart = tenant.receipts.length;
  const lateChat = targets.find((c) => c.kind === 'tasksTask' && c.counter > 0)!;
  let lateId = 0;
  tenant.afterCalls(1, () => void (lateId = tenant.pushMessage(lateChat.dialogId, { text: 'arrived mid-job' })), 'im.dialog.read');

  const popup = await openPopup(tabId);
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-mode')).toHaveAttribute('data-mode', 'receipts');
  await expect(popup.getByTestId('bulk-warning-collab-guests')).toBeVisible();
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  const receipts = tenant.receipts.slice(receiptsAtStart);
  expect(receipts.length, 'receipts recorded').toBeGreaterThan(0);
  for (const target of targets.filter((c) => c.counter > 0)) expect(receipts.some((r) => r.chatId === target.chatId) || target.kind === 'comment', `${target.dialogId} (${target.kind}, counter ${target.counter}, read ${target.lastReadId}→${tenant.chat(target.dialogId)!.lastReadId}, last ${target.lastMessageId}) has receipts`).toBe(true);
  expect(receipts.some((r) => r.messageId === lateId), 'no receipt for the mid-job message').toBe(false);
  expect(tenant.chat(lateChat.dialogId)!.counter).toBe(1);
  for (const target of targets) expect(tenant.chat(target.dialogId)!.manualUnread, `${target.dialogId} mark cleared`).toBe(false);
  await popup.close();
});

test('(b) each kind’s filter reads exactly that kind', async ({ tenant, login, openMessenger, openPopup }) => {
  await login(tenant);
  const { tabId } = await openMessenger(tenant);
  const page = await openPopup(tabId);
  const kinds = ['dialog', 'chat', 'channel', 'collab', 'workgroup', 'crm', 'tasks', 'copilot', 'general', 'lines'];
  for (const kind of kinds) {
    const before = new Map(tenant.chats().map((c) => [c.dialogId, { ...c }]));
    const ofKind = [...before.values()].filter((c) => extensionKind(tenant, c) === kind && isUnread(c));
    expect(ofKind.length, `${kind}: the seed has unread chats of this kind`).toBeGreaterThan(0);
    const planned = await readWithFilters(page, tabId, { kinds: [kind] });
    expect(planned, `${kind}: the plan names every unread chat of the kind`).toBe(ofKind.length);
    for (const chat of tenant.chats()) {
      const was = before.get(chat.dialogId)!;
      const refused = kind === 'lines' && tenant.readCalls.some((c) => c.dialogId === chat.dialogId) && chat.lastReadId === was.lastReadId;
      if (extensionKind(tenant, chat) === kind && !refused) {
        expect(chat.counter, `${kind}: ${chat.dialogId} read`).toBe(0);
        expect(chat.manualUnread, `${kind}: ${chat.dialogId} mark cleared`).toBe(false);
      } else {
        expect({ counter: chat.counter, lastReadId: chat.lastReadId, manualUnread: chat.manualUnread }, `${kind}: ${chat.dialogId} (${chat.kind}) untouched`).toEqual({
          counter: was.counter,
          lastReadId: was.lastReadId,
          manualUnread: was.manualUnread,
        });
      }
    }
  }
  await page.close();
});
