// @vitest-environment happy-dom
// im 26.x on the page: the open chat in the `folder` and `tasksTask` layouts, the open folder from
// the page store, and the right-click that gets past Bitrix24's own menu.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bypassesPageMenu, CHAT_LAYOUTS, detectOpenChat, readPageGlobals } from './site-adapter.ts';
import { validateSnapshot } from './bridge-protocol.ts';

const href = 'https://demo.bitrix24.ru/online/';
const doc = () => new DOMParser().parseFromString(readFileSync(path.join(import.meta.dirname, 'fixtures', 'v2-chat.html'), 'utf8'), 'text/html');

/** A page store with im 26.x folders (J model/src/recent/nested-modules/folders/folders.js). */
function page(layout: unknown) {
  const folders = [
    { id: 1, type: 'system', code: 'default', title: 'Chats', sort: 0, definition: { recentSection: 'default' } },
    { id: 2, type: 'system', code: 'tasksTask', title: 'Tasks', sort: 1, definition: { recentSection: 'tasksTask' } },
    { id: 7, type: 'personal', title: 'Sales', sort: 5, definition: { chats: [{ chatId: 12, dialogId: 'chat12' }, { chatId: 9, dialogId: '547' }, { chatId: 1, dialogId: 'bad id' }] } },
  ];
  const chats: Record<string, unknown> = {
    chat12: { dialogId: 'chat12', chatId: 12, lastMessageId: 84890, name: 'Sales team', type: 'chat' },
    chat5121: { dialogId: 'chat5121', chatId: 5121, lastMessageId: 99001, name: 'Task #1535', type: 'tasksTask' },
  };
  const getters = {
    'application/getLayout': layout,
    'chats/get': (id: string) => chats[id] ?? null,
    'messages/getByChatId': () => [],
    'recent/folders/getList': () => folders,
    'recent/folders/getById': (id: string | number) => folders.find((f) => String(f.id) === String(id)) ?? null,
    'recent/getSortedCollection': ({ type }: { type: string }) => (type === 'tasksTask' ? [{ dialogId: 'chat5121' }, { dialogId: 'chat5122' }] : []),
  };
  return { BX: { bitrix_sessid: () => '0123456789abcdef0123456789abcdef', message: () => '1', Messenger: { v2: { Application: { Core: { getStore: () => ({ getters }) } } } } } };
}

const detect = (layout: unknown) => detectOpenChat(doc(), href, validateSnapshot(readPageGlobals(page(layout))));

describe('im 26.x layouts', () => {
  it('allows exactly the chat layouts of lib/layout isChatLayout', () => {
    expect([...CHAT_LAYOUTS].sort()).toEqual(['channel', 'chat', 'collab', 'copilot', 'folder', 'openlines', 'openlinesV2', 'tasksTask']);
  });

  it('finds the task chat open in the tasksTask layout, up to its newest message', () => {
    expect(detect({ name: 'tasksTask', entityId: 'chat5121', contextId: 0 })).toMatchObject({ dialogId: 'chat5121', dialogSource: 'store', messageId: 99001, title: 'Task #1535' });
  });

  it('in the folder layout entityId is the chat open in the folder, and params.folderId the folder', () => {
    const open = detect({ name: 'folder', entityId: 'chat12', params: { folderId: 7 } });
    expect(open).toMatchObject({ dialogId: 'chat12', dialogSource: 'store', messageId: 84875, messageSource: 'dom' });
    expect(open.folder).toEqual({ id: '7', type: 'personal', title: 'Sales', dialogIds: ['chat12', '547'], section: null });
    // A folder with no chat selected: no open chat (the selected DOM row is not trusted), the folder still known.
    const none = detect({ name: 'folder', entityId: '', params: { folderId: '7' } });
    expect(none).toMatchObject({ dialogId: null, messageId: null });
    expect(none.folder?.dialogIds).toEqual(['chat12', '547']);
  });

  it('a system folder opens its own layout: its chats are the section the page shows', () => {
    expect(detect({ name: 'tasksTask', entityId: '', params: {} }).folder).toEqual({ id: '2', type: 'system', title: 'Tasks', dialogIds: ['chat5121', 'chat5122'], section: 'tasksTask' });
    // The default folder is "all chats": no folder to offer.
    expect(detect({ name: 'chat', entityId: 'chat12' }).folder ?? null).toBeNull();
    // Layouts carrying other ids are not chats.
    expect(detect({ name: 'updateFolder', entityId: '7' })).toMatchObject({ dialogId: null });
  });

  it('drops forged folders', () => {
    expect(validateSnapshot({ folder: { id: '<x>', type: 'personal', dialogIds: ['chat1'] } })?.folder).toBeNull();
    expect(validateSnapshot({ folder: { id: 3, type: 'system', dialogIds: [] } })?.folder).toBeNull();
    expect(validateSnapshot({ folder: { id: 3, type: 'personal', dialogIds: ['chat1', 'chat1;x', 5] } })?.folder?.dialogIds).toEqual(['chat1', '5']);
  });
});

describe('the right-click past Bitrix24’s menu', () => {
  it('is Alt+Shift exactly; a plain right-click (or with other keys) stays Bitrix24’s', () => {
    const keys = (altKey: boolean, shiftKey: boolean, ctrlKey = false, metaKey = false) => ({ altKey, shiftKey, ctrlKey, metaKey });
    expect(bypassesPageMenu(keys(true, true))).toBe(true);
    expect(bypassesPageMenu(keys(false, false))).toBe(false);
    expect(bypassesPageMenu(keys(true, false))).toBe(false);
    expect(bypassesPageMenu(keys(false, true))).toBe(false);
    expect(bypassesPageMenu(keys(true, true, true))).toBe(false);
  });
});
