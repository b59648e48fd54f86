// Issue 3 end to end: a filtered bulk read of a few hundred chats through the built extension,
// the service worker stopped twice mid-job, then Undo. Judged by the local portal's state and log.
import { test, expect } from './fixtures.ts';
import { useReadReceipts } from './read-mode.ts';

test('filtered bulk read survives two worker stops: no 503, every target read once up to its discovered message, nothing else touched; undo restores', async ({
  tenant,
  login,
  openMessenger,
  openPopup,
  stopServiceWorker,
  serviceWorker,
}) => {
  // Judged by exact pointers at the discovered message: the receipts mode (the default mode: im26-bulk.spec.ts).
  await useReadReceipts(serviceWorker);
  await login(tenant);
  const { page, tabId } = await openMessenger(tenant);
  const before = new Map(tenant.chats().map((chat) => [chat.dialogId, { ...chat }]));
  const countersBefore = tenant.counters();

  // Filter: group-like chats only (no 1:1 dialogs, no open lines), skip pinned.
  const isTarget = (c: { kind: string; pinned: boolean; counter: number; manualUnread: boolean }) =>
    ['chat', 'workgroup', 'crm', 'tasks'].includes(c.kind) && !c.pinned && (c.counter > 0 || c.manualUnread);
  const targets = [...before.values()].filter(isTarget);
  expect(targets.length).toBeGreaterThan(100);

  let popup = await openPopup(tabId);
  await popup.getByTestId('bulk-plan').click();
  await expect(popup.getByTestId('bulk-plan-view')).toBeVisible();
  await popup.locator('input[name="kind-dialog"]').click();
  await expect(popup.locator('input[name="kind-dialog"]')).not.toBeChecked();
  await popup.locator('input[name="skip-pinned"]').click();
  await expect(popup.locator('input[name="skip-pinned"]')).toBeChecked();
  await expect(popup.getByTestId('bulk-confirm')).toHaveText(new RegExp(`\\b${targets.length}\\b`));

  // A message that arrives after the plan stays unread.
  const late = targets[0]!;
  const lateId = tenant.pushMessage(late.dialogId, { text: 'arrived after the plan' });

  tenant.setLatency({ baseMs: 400, perCallMs: 1 }); // long enough to stop the worker mid-job
  const logStart = tenant.log.length;
  await popup.getByTestId('bulk-confirm').click();

  for (let stop = 1; stop <= 2; stop += 1) {
    await expect.poll(() => tenant.readEvents.length, { timeout: 30_000 }).toBeGreaterThan(stop * 30);
    await stopServiceWorker();
    expect(tenant.readEvents.length, 'the worker was stopped mid-job').toBeLessThan(targets.length);
    // Reopening the popup wakes the worker, which resumes the saved job.
    await popup.close();
    popup = await openPopup(tabId);
  }
  await expect(popup.getByTestId('bulk-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  tenant.setLatency({ baseMs: 0, perCallMs: 0 });

  const log = tenant.log.slice(logStart);
  expect(log.filter((entry) => entry.status === 503)).toHaveLength(0);
  expect(log.length, 'a handful of batches, not one request per chat').toBeLessThan(targets.length / 10);

  const reads = new Map<string, number[]>();
  for (const event of tenant.readEvents) reads.set(event.dialogId, [...(reads.get(event.dialogId) ?? []), event.toId]);
  for (const target of targets) {
    const after = tenant.chat(target.dialogId)!;
    if (target.counter > 0) expect(reads.get(target.dialogId), `${target.dialogId} read exactly once, up to its discovered message`).toEqual([target.lastMessageId]);
    expect(after.manualUnread, `${target.dialogId} manual mark cleared`).toBe(false);
  }
  expect(tenant.chat(late.dialogId)!.counter, 'the late message stays unread').toBe(1);
  expect(tenant.chat(late.dialogId)!.lastMessageId).toBe(lateId);
  for (const chat of tenant.chats()) {
    if (isTarget(before.get(chat.dialogId)!)) continue;
    expect(reads.has(chat.dialogId), `${chat.dialogId} not a target`).toBe(false);
    expect(chat).toEqual(before.get(chat.dialogId));
  }

  // Undo: every chat back to its previous unread state; counters as before plus the late message.
  await popup.getByTestId('bulk-undo').click();
  await expect(popup.getByTestId('bulk-undo-report')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  for (const target of targets) {
    const after = tenant.chat(target.dialogId)!;
    const expected = target.dialogId === late.dialogId ? target.counter + 1 : target.counter;
    expect(after.counter, `${target.dialogId} unread again`).toBe(expected);
    expect(after.lastReadId).toBe(target.lastReadId);
    expect(after.manualUnread).toBe(target.manualUnread);
  }
  const countersAfterUndo = tenant.counters();
  expect(countersAfterUndo.TYPE.ALL).toBe(countersBefore.TYPE.ALL + (late.muted ? 0 : 1));
  await popup.close();
  await page.close();
});
