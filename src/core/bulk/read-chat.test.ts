import { describe, expect, it } from 'vitest';
import { keepNewerUnread, scopeInventory, singleReadCommand } from './read-chat.ts';
import { FakePortal } from './testing/fake-portal.ts';
import { inventory, chat } from './testing/inventory.ts';

describe('reading one chat', () => {
  it('receipts: up to the message; chat mode: the whole chat, no MESSAGE_ID', () => {
    expect(singleReadCommand('chat5', 90, 'receipts')).toEqual({ method: 'im.dialog.read', params: { DIALOG_ID: 'chat5', MESSAGE_ID: 90 } });
    expect(singleReadCommand('chat5', 90, 'chat')).toEqual({ method: 'im.dialog.read', params: { DIALOG_ID: 'chat5' } });
    expect(singleReadCommand('chat5', null, 'receipts')).toEqual({ method: 'im.dialog.read', params: { DIALOG_ID: 'chat5' } });
  });

  it('chat mode puts back what is newer than the message the user saw, and records no receipt', async () => {
    const portal = new FakePortal();
    const c = portal.add({ dialogId: 'chat5', unread: 3, anchors: 1, manual: true });
    const seen = c.messages[c.messages.length - 1]!;
    const late = portal.post('chat5');
    const read = await portal.call<{ lastId: number }>('im.dialog.read', singleReadCommand('chat5', seen, 'chat').params);
    expect(await keepNewerUnread(portal, 'chat5', seen, read.result.lastId)).toBe(late);
    expect(portal.counter(c)).toBe(1);
    expect(c.lastRead).toBe(seen);
    expect(c.manual).toBe(false);
    expect(c.anchors).toBe(0);
    expect(portal.receipts).toEqual([]);
    // Nothing newer: no further call.
    const calls = portal.executed.length;
    expect(await keepNewerUnread(portal, 'chat5', late, late)).toBeNull();
    expect(portal.executed).toHaveLength(calls);
  });

  it('scopes a plan to a folder by dialog id or chat id', () => {
    const inv = inventory([chat({ dialogId: '547', chatId: 9 }), chat({ dialogId: 'chat12', chatId: 12 }), chat({ dialogId: 'chat13', chatId: 13 })]);
    expect(scopeInventory(inv, ['547', 'chat13']).chats.map((c) => c.dialogId)).toEqual(['547', 'chat13']);
    expect(scopeInventory(inv, ['chat9']).chats.map((c) => c.dialogId)).toEqual(['547']);
  });
});
