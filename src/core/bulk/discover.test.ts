import { describe, expect, it } from 'vitest';
import recentFixture from '../rest/fixtures/bitrix24-docs/im.recent.list.response.json';
import countersFixture from '../rest/fixtures/bitrix24-docs/im.counters.get.response.json';
import type { BatchOutcome, RestApi } from '../rest/api.ts';
import type { BatchCommand } from '../rest/types.ts';
import { discover } from './discover.ts';
import { portalWith } from './testing/portal-setup.ts';
import { err } from './testing/fake-portal.ts';

/** A RestApi answering from fixed documents. */
function staticApi(recent: unknown, counters: unknown): RestApi & { sent: Array<Record<string, BatchCommand>> } {
  const sent: Array<Record<string, BatchCommand>> = [];
  return {
    sent,
    call: () => Promise.reject(new Error('unused')),
    async batch(commands) {
      sent.push(commands);
      const outcome: BatchOutcome = { results: {}, errors: {}, skipped: [] };
      for (const [key, command] of Object.entries(commands)) outcome.results[key] = command.method === 'im.counters.get' ? counters : command.method === 'im.dialog.get' ? false : recent;
      return outcome;
    },
  };
}

describe('discover', () => {
  it('sends the first page and the counters in one request', async () => {
    const api = staticApi(recentFixture.result, countersFixture.result);
    const inventory = await discover(api, { now: () => 42 });
    // CHAT_MUTED also names chat 1319, which the list did not return: one more request looks it up.
    expect(inventory.requests).toBe(2);
    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]).toEqual({ g_chat1319: { method: 'im.dialog.get', params: { DIALOG_ID: 'chat1319' } } });
    expect(inventory.unresolved).toEqual([{ dialogId: 'chat1319', code: 'RESULT_FALSE' }]);
    expect(api.sent[0]).toEqual({
      counters: { method: 'im.counters.get' },
      p0: { method: 'im.recent.list', params: { UNREAD_ONLY: 'Y', LIMIT: 200, OFFSET: 0, SKIP_OPENLINES: 'Y' } },
    });
    expect(inventory.chats.map((c) => c.dialogId)).toEqual(['547', 'chat1317']);
    expect(inventory.notifications).toBe(4);
    expect(inventory.discoveredAt).toBe(42);
  });

  it('takes muted chats from CHAT_MUTED without a user id, and from mute_list with one', async () => {
    const withoutUser = await discover(staticApi(recentFixture.result, countersFixture.result));
    expect(withoutUser.chats.find((c) => c.dialogId === 'chat1317')?.muted).toBe(true);
    const noCounters = { ...countersFixture.result, CHAT_MUTED: [] };
    expect((await discover(staticApi(recentFixture.result, noCounters))).chats.find((c) => c.dialogId === 'chat1317')?.muted).toBe(false);
    expect((await discover(staticApi(recentFixture.result, noCounters), { myUserId: 503 })).chats.find((c) => c.dialogId === 'chat1317')?.muted).toBe(true);
    expect((await discover(staticApi(recentFixture.result, noCounters), { myUserId: 547 })).chats.find((c) => c.dialogId === 'chat1317')?.muted).toBe(false);
  });

  it('takes manual marks from CHAT_UNREAD (chat id) and DIALOG_UNREAD (user id)', async () => {
    const counters = { ...countersFixture.result, CHAT_UNREAD: [1317], DIALOG_UNREAD: ['547'] };
    const inventory = await discover(staticApi(recentFixture.result, counters));
    expect(inventory.chats.map((c) => c.manualUnread)).toEqual([true, true]);
  });

  it('drops and counts items with invalid ids', async () => {
    const [dialog, chat] = recentFixture.result.items;
    const items = [dialog, { ...chat, id: 'chat1317&MESSAGE_ID=1' }, { ...chat, id: 'chat9', message: { ...chat!.message, id: 0 } }, { ...chat, id: 'chat8', counter: 0 }];
    const inventory = await discover(staticApi({ items, hasMore: false }, countersFixture.result));
    expect(inventory.chats.map((c) => c.dialogId)).toEqual(['547']);
    expect(inventory.dropped).toEqual({ 'invalid-dialog-id': 1, 'invalid-message-id': 1, 'not-unread': 1 });
  });

  it('pages by OFFSET += 200, batching the pages the counters predict, and de-duplicates overlap', async () => {
    const portal = portalWith(450);
    portal.pageOverlap = 7;
    const inventory = await discover(portal, { myUserId: portal.myUserId });
    expect(inventory.chats).toHaveLength(450);
    expect(new Set(inventory.chats.map((c) => c.dialogId)).size).toBe(450);
    expect(inventory.requests).toBe(2); // [counters, p0] then [p200, p400]
    expect(portal.requests).toBe(2);
    const offsets = portal.executed.filter((c) => c.method === 'im.recent.list').map((c) => c.params['OFFSET']);
    expect(offsets).toEqual([0, 200, 400]);
    expect(inventory.chats.filter((c) => c.muted)).toHaveLength(90);
    // 1:1 dialogs carry `mute_list: []`; their mute comes from CHAT_MUTED.
    expect(inventory.chats.find((c) => c.dialogId === '1000')?.muted).toBe(true);
  });

  it('needs 1 request per 2,000 chats after the first page', async () => {
    for (const [n, expected] of [[100, 1], [1000, 2], [5000, 4]] as const) {
      const portal = portalWith(n);
      const inventory = await discover(portal);
      expect(inventory.chats).toHaveLength(n);
      expect(inventory.requests).toBe(expected);
    }
  });

  it('keeps going when the counters under-estimate, and stops at maxPages', async () => {
    const portal = portalWith(650);
    const originalBatch = portal.batch.bind(portal);
    portal.batch = async (commands, options) => {
      const outcome = await originalBatch(commands, options);
      if (outcome.results['counters']) outcome.results['counters'] = { ...(outcome.results['counters'] as object), CHAT: [], DIALOG: [], CHAT_MUTED: [] };
      return outcome;
    };
    const inventory = await discover(portal);
    expect(inventory.chats).toHaveLength(650);
    expect(inventory.requests).toBe(4);
    // Past the page limit the counters still name every chat: the rest are looked up (250 → 5 requests).
    const capped = await discover(portalWith(650), { maxPages: 2 });
    expect(capped.chats).toHaveLength(650);
    expect(capped.resolved).toBe(250);
    expect(capped.requests).toBe(2 + 5);
  });

  it('asks for open lines only when told to', async () => {
    const portal = portalWith(3, [{ dialogId: 'chat900', chatType: 'lines' }]);
    expect((await discover(portal)).chats.some((c) => c.kind === 'lines')).toBe(false);
    const withLines = await discover(portal, { includeLines: true });
    expect(withLines.chats.find((c) => c.dialogId === 'chat900')?.kind).toBe('lines');
  });

  it('fails when a page fails (discovery is read-only: the caller retries)', async () => {
    const portal = portalWith(3);
    portal.subCallError = (key) => (key === 'p0' ? err('server', 'INTERNAL_SERVER_ERROR') : undefined);
    await expect(discover(portal)).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
