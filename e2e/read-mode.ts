// The "Send read receipts" option (settings v3, issue 9). Specs written before im 26.x judge reads
// by exact read pointers and MESSAGE_ID (the receipts mode): they switch it on here; the default
// mode (read like Bitrix24's own "Read") is judged by e2e/im26-*.spec.ts.
import type { Worker } from '@playwright/test';

export async function useReadReceipts(worker: Worker, on = true): Promise<void> {
  await worker.evaluate(async (readReceipts) => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...((settings as object | undefined) ?? {}), version: 3, readReceipts } });
  }, on);
}
