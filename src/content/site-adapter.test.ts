// @vitest-environment happy-dom
// The site adapter against fixtures copied from the real Bitrix24 templates (./fixtures/*.html,
// each naming its source): every selector is pinned to the markup it came from, and every
// detection layer to the page variant it exists for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SELECTORS,
  contextTargetOf,
  detectOpenChat,
  findLegacyNewestMessageId,
  findNewestMessageId,
  findSelectedRowDialog,
  hasMessengerMarkup,
  messengerScope,
  probeBitrix24Page,
  PROBE_MARKERS,
  readAddressHint,
  readInlineSessid,
  readPageGlobals,
  resolveRowTarget,
} from './site-adapter.ts';
import { MAX_LOADED_IDS, validateSnapshot, type PageSnapshot } from './bridge-protocol.ts';

const fixtures = new Map<string, string>();
function fixture(name: string): Document {
  if (!fixtures.has(name)) fixtures.set(name, readFileSync(path.join(import.meta.dirname, 'fixtures', `${name}.html`), 'utf8'));
  // happy-dom would try (and fail, noisily) to load an iframe: the frame is a fixture of its own.
  const html = fixtures.get(name)!.replace(/<(\/?)iframe\b/g, '<$1x-iframe');
  return new DOMParser().parseFromString(html, 'text/html');
}

const ORIGIN = 'https://demo.bitrix24.ru';

/** A bridge snapshot as it would arrive validated, with the parts a test names. */
function snapshot(parts: Partial<PageSnapshot>): PageSnapshot {
  return {
    sessid: null,
    userId: 1,
    openDialogId: null,
    chat: null,
    loadedMessageIds: [],
    hasStore: false,
    layoutName: null,
    legacyDialogId: null,
    requested: null,
    ...parts,
  };
}

function storeSnapshot(dialogId: string, lastMessageId: number, loaded: number[], name = 'Chat'): PageSnapshot {
  return snapshot({
    hasStore: true,
    layoutName: 'chat',
    openDialogId: dialogId,
    chat: { dialogId, chatId: 12, lastMessageId, counter: 3, name },
    loadedMessageIds: loaded,
  });
}

describe('every selector', () => {
  // The fixture each selector was taken from; legacyActiveRow only exists on the mobile layout.
  const source: Record<keyof typeof SELECTORS, string | null> = {
    messengerRoot: 'v2-chat',
    messengerSlider: 'slider-crm',
    recentRow: 'v2-chat',
    selectedRow: 'v2-chat',
    rowTitle: 'v2-chat',
    messageList: 'v2-chat',
    message: 'v2-chat',
    hidden: 'v2-chat',
    legacyBox: 'legacy',
    legacyRow: 'legacy',
    legacyActiveRow: null,
    legacyRowTitle: 'legacy',
    legacyMessageList: 'legacy',
    legacyMessageBlock: 'legacy',
    legacyMessage: 'legacy',
  };

  it('matches the markup of the template it names, and nothing of the other generation', () => {
    for (const [name, selector] of Object.entries(SELECTORS) as Array<[keyof typeof SELECTORS, string]>) {
      const from = source[name];
      if (from === null) continue;
      expect(fixture(from).querySelector(selector), `${name} in ${from}`).not.toBeNull();
      const other = from === 'legacy' ? 'v2-chat' : 'legacy';
      if (name !== 'hidden') expect(fixture(other).querySelector(selector), `${name} not in ${other}`).toBeNull();
    }
  });
});

describe('v2 chat page (recent-item.js, chat-title.js, chat-dialog.js, base-message.js)', () => {
  const href = `${ORIGIN}/online/?IM_DIALOG=chat12`;

  it('pins the row, title, list and message selectors to the v2 markup', () => {
    const doc = fixture('v2-chat');
    const rows = [...doc.querySelectorAll(SELECTORS.recentRow)];
    // active call, create-chat placeholder, pinned chat7, chat12, 547, SG3
    expect(rows.map((row) => row.getAttribute('data-id'))).toEqual(['chat40', null, 'chat7', 'chat12', '547', 'SG3']);
    expect([...doc.querySelectorAll(SELECTORS.selectedRow)].map((row) => row.getAttribute('data-id'))).toEqual(['chat12']);
    expect(doc.querySelector(`${SELECTORS.recentRow}[data-id="chat7"]`)!.classList.contains('--pinned')).toBe(true);
    expect(doc.querySelector(`[data-id="547"] ${SELECTORS.rowTitle}`)!.textContent).toBe('John Doe');
    // The open chat's list, and a hidden open-lines chat's list kept in the DOM before it.
    expect(doc.querySelectorAll(SELECTORS.messageList)).toHaveLength(2);
    expect(doc.querySelector(SELECTORS.messageList)!.closest(SELECTORS.hidden)).not.toBeNull();
    expect([...doc.querySelectorAll(`.bx-im-content-chat__container ${SELECTORS.messageList} ${SELECTORS.message}`)].map((m) => m.getAttribute('data-id'))).toEqual([
      '84870',
      '84871',
      '84875',
      '3f0e5a1c-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
    ]);
    expect(doc.querySelector(SELECTORS.messengerRoot)).not.toBeNull();
    expect(hasMessengerMarkup(doc)).toBe(true);
  });

  it('DOM only: the --selected row and the newest numeric message (no UUID, no "newMessages" block, no placeholder)', () => {
    const doc = fixture('v2-chat');
    expect(findSelectedRowDialog(doc)).toBe('chat12');
    expect(findNewestMessageId(doc)).toBe(84875);
    expect(detectOpenChat(doc, href, null)).toEqual({
      origin: ORIGIN,
      looksLikePortal: true,
      hasMessenger: true,
      loggedIn: true,
      userId: null,
      dialogId: 'chat12',
      dialogSource: 'dom',
      messageId: 84875,
      messageSource: 'dom',
      title: 'Sales team',
    });
  });

  it('the store names the chat; the DOM gives the newest message when the store has it among the chat’s own', () => {
    const doc = fixture('v2-chat');
    const detection = detectOpenChat(doc, href, storeSnapshot('chat12', 84890, [84870, 84871, 84875], 'Sales team'));
    expect(detection).toMatchObject({ dialogId: 'chat12', dialogSource: 'store', messageId: 84875, messageSource: 'dom', title: 'Sales team' });
  });

  it('a DOM message the store does not know for the open chat is not trusted: the store’s loaded messages are', () => {
    const doc = fixture('v2-chat');
    expect(detectOpenChat(doc, href, storeSnapshot('chat12', 84890, [84860, 84861]))).toMatchObject({ messageId: 84861, messageSource: 'store' });
  });

  it('when the store and the selected row disagree the store wins and the row’s messages are not used', () => {
    const doc = fixture('v2-chat');
    expect(detectOpenChat(doc, href, storeSnapshot('547', 90000, []))).toMatchObject({ dialogId: '547', dialogSource: 'store', messageId: 90000, messageSource: 'store' });
  });

  it('a store whose layout is no chat means no chat is open; a store without a layout getter falls back to the DOM', () => {
    const doc = fixture('v2-chat');
    expect(detectOpenChat(doc, href, snapshot({ hasStore: true, layoutName: 'notification' }))).toMatchObject({ dialogId: null, messageId: null });
    expect(detectOpenChat(doc, href, snapshot({ hasStore: true, layoutName: null }))).toMatchObject({ dialogId: 'chat12', dialogSource: 'dom', messageId: 84875 });
  });

  it('remembers right-click targets: a row is that chat, a message the open chat up to it, placeholders are no chat', () => {
    const doc = fixture('v2-chat');
    expect(contextTargetOf(doc.querySelector(`[data-id="547"] ${SELECTORS.rowTitle}`))).toEqual({ kind: 'row', dialogId: '547', title: 'John Doe' });
    expect(contextTargetOf(doc.querySelector('[data-id="SG3"]'))).toEqual({ kind: 'row', dialogId: 'sg3', title: 'Project X' });
    expect(contextTargetOf(doc.querySelector('[data-id="chat40"] .bx-im-list-recent-active-call__title_container'))).toEqual({ kind: 'row', dialogId: 'chat40', title: 'Daily call' });
    expect(contextTargetOf(doc.querySelector('.bx-im-list-recent-create-chat__header'))).toEqual({ kind: 'placeholder' });
    expect(contextTargetOf(doc.getElementById('m4'))).toEqual({ kind: 'message', messageId: 84875 });
    expect(contextTargetOf(doc.getElementById('m1'))).toEqual({ kind: 'message', messageId: 84870 });
    expect(contextTargetOf(doc.getElementById('sending'))).toBeNull();
    expect(contextTargetOf(doc.querySelector('[data-id="newMessages"]'))).toBeNull();
    expect(contextTargetOf(doc.getElementById('openline-message'))).toBeNull();
    expect(contextTargetOf(doc.querySelector('.bx-im-chat-header__scope .bx-im-chat-title__text'))).toBeNull();
  });

  it('a right-clicked row is read up to: the open chat’s newest shown message, else the store’s lastMessageId, else nothing known', () => {
    const doc = fixture('v2-chat');
    const open = detectOpenChat(doc, href, null);
    expect(resolveRowTarget({ dialogId: 'chat12', title: 'Sales team' }, open, null)).toEqual({
      kind: 'row', dialogId: 'chat12', title: 'Sales team', messageId: 84875, messageSource: 'dom',
    });
    const withRequested = snapshot({ requested: { dialogId: '547', chatId: 9, lastMessageId: 91000, counter: 100, name: 'John Doe' } });
    expect(resolveRowTarget({ dialogId: '547', title: 'John Doe' }, open, withRequested)).toEqual({
      kind: 'row', dialogId: '547', title: 'John Doe', messageId: 91000, messageSource: 'store',
    });
    expect(resolveRowTarget({ dialogId: 'chat7', title: 'Board' }, open, withRequested)).toEqual({
      kind: 'row', dialogId: 'chat7', title: 'Board', messageId: null, messageSource: null,
    });
  });

  it('reads the inline sessid', () => {
    expect(readInlineSessid(fixture('v2-chat'))).toBe('0123456789abcdef0123456789abcdef');
  });
});

describe('slider over /crm/ (lib/slider: .bx-im-messenger__slider; a task chat embedded in the page underneath)', () => {
  const href = `${ORIGIN}/crm/deal/list/`;

  it('reads the slider’s messenger, not the task chat under it, although the address names no chat', () => {
    const doc = fixture('slider-crm');
    expect(doc.querySelectorAll(SELECTORS.messageList)).toHaveLength(2);
    expect(messengerScope(doc)).toBe(doc.querySelector(SELECTORS.messengerSlider));
    expect(readAddressHint(href)).toEqual({ dialogId: null, messageId: null });
    expect(detectOpenChat(doc, href, null)).toMatchObject({ dialogId: '547', dialogSource: 'dom', messageId: 70012, messageSource: 'dom', title: 'John Doe' });
    expect(detectOpenChat(doc, href, storeSnapshot('547', 70015, [70010, 70012]))).toMatchObject({ dialogId: '547', dialogSource: 'store', messageId: 70012 });
  });

  it('right-clicks: the slider’s message is a target, the covered task chat’s is not', () => {
    const doc = fixture('slider-crm');
    expect(contextTargetOf(doc.getElementById('slider-newest'))).toEqual({ kind: 'message', messageId: 70012 });
    expect(contextTargetOf(doc.querySelector('[data-id="99003"]'))).toBeNull();
  });

  it('a closed slider (the store’s layout has no chat) names no chat', () => {
    const doc = fixture('slider-crm');
    doc.querySelector('.side-panel')!.remove();
    expect(detectOpenChat(doc, href, snapshot({ hasStore: true, layoutName: 'chat', openDialogId: null }))).toMatchObject({ dialogId: null, messageId: null });
  });
});

describe('stale address (IM_DIALOG read once at load, then the user switched chats)', () => {
  const href = `${ORIGIN}/online/?IM_DIALOG=chat12`;

  it('the --selected row and its messages win over the address; with a store, the store', () => {
    const doc = fixture('stale-address');
    expect(readAddressHint(href).dialogId).toBe('chat12');
    expect(detectOpenChat(doc, href, null)).toMatchObject({ dialogId: 'chat31', dialogSource: 'dom', messageId: 85004, title: 'Support' });
    expect(detectOpenChat(doc, href, storeSnapshot('chat31', 85004, [85000, 85004], 'Support'))).toMatchObject({ dialogId: 'chat31', dialogSource: 'store', messageId: 85004, messageSource: 'dom' });
  });
});

describe('/desktop_app/ (the messenger in an iframe)', () => {
  it('the top frame has the session but no messenger, so it names no chat (and stays silent when asked for a messenger)', () => {
    const doc = fixture('desktop-app-top');
    expect(hasMessengerMarkup(doc)).toBe(false);
    expect(detectOpenChat(doc, `${ORIGIN}/desktop_app/`, null)).toMatchObject({ hasMessenger: false, loggedIn: true, dialogId: null, messageId: null });
  });

  it('the frame names the chat and its newest message', () => {
    const doc = fixture('desktop-app-frame');
    expect(detectOpenChat(doc, `${ORIGIN}/desktop_app/?IFRAME=Y&IM_DIALOG=chat12`, null)).toMatchObject({
      hasMessenger: true, dialogId: 'chat12', dialogSource: 'dom', messageId: 84880, messageSource: 'dom', title: 'Sales team',
    });
  });
});

describe('no store and no selected row (a chat opened from search)', () => {
  it('only the address names the chat, and nothing says which message is newest: REST reads everything', () => {
    const doc = fixture('no-store');
    expect(findSelectedRowDialog(doc)).toBeNull();
    expect(findNewestMessageId(doc)).toBe(61000);
    expect(detectOpenChat(doc, `${ORIGIN}/online/?IM_DIALOG=chat77`, null)).toMatchObject({ dialogId: 'chat77', dialogSource: 'url', messageId: null, messageSource: null, title: null });
    expect(detectOpenChat(doc, `${ORIGIN}/online/`, null)).toMatchObject({ dialogId: null });
  });

  it('never returns an id that fails validation', () => {
    const doc = fixture('no-store');
    expect(detectOpenChat(doc, `${ORIGIN}/online/?IM_DIALOG=chat77;drop`, null).dialogId).toBeNull();
    expect(readAddressHint(`${ORIGIN}/online/?IM_DIALOG=../1&IM_MESSAGE=12`)).toEqual({ dialogId: null, messageId: 12 });
    doc.querySelector('[data-id="61000"]')!.setAttribute('data-id', '9007199254740993');
    expect(findNewestMessageId(doc)).toBeNull();
  });
});

describe('legacy messenger (im.js, common.js)', () => {
  const href = `${ORIGIN}/online/?IM_DIALOG=chat5`;

  it('pins the legacy selectors: rows with data-userId, message blocks, message spans', () => {
    const doc = fixture('legacy');
    expect([...doc.querySelectorAll(SELECTORS.legacyRow)].map((row) => row.getAttribute('data-userId'))).toEqual(['chat5', '17', 'queue3']);
    expect(doc.querySelector(`[data-userId="17"] ${SELECTORS.legacyRowTitle}`)!.textContent).toBe('Anna Smith');
    expect([...doc.querySelectorAll(`${SELECTORS.legacyMessageList} ${SELECTORS.legacyMessageBlock}`)].map((b) => b.getAttribute('data-messageId'))).toEqual(['9001', '9003', 'temp7']);
    expect([...doc.querySelectorAll(SELECTORS.legacyMessage)].map((m) => m.id)).toEqual(['im-message-9001', 'im-message-9002', 'im-message-9003', 'im-message-temp7']);
    expect(findLegacyNewestMessageId(doc)).toBe(9003);
  });

  it('BXIM.messenger.currentTab names the chat; the newest shown message skips tempN', () => {
    const doc = fixture('legacy');
    expect(detectOpenChat(doc, href, snapshot({ legacyDialogId: 'chat5', sessid: 'fedcba9876543210fedcba9876543210' }))).toMatchObject({
      hasMessenger: true, loggedIn: true, dialogId: 'chat5', dialogSource: 'legacy', messageId: 9003, messageSource: 'legacy', title: 'Sales',
    });
  });

  it('without the bridge: the (mobile) active row, else only the address — and then no message id', () => {
    const doc = fixture('legacy');
    expect(detectOpenChat(doc, href, null)).toMatchObject({ dialogId: 'chat5', dialogSource: 'url', messageId: null });
    doc.querySelector('[data-userId="chat5"]')!.classList.add('bx-messenger-cl-item-active');
    expect(detectOpenChat(doc, `${ORIGIN}/online/`, null)).toMatchObject({ dialogId: 'chat5', dialogSource: 'legacy', messageId: 9003 });
  });

  it('right-clicks: a row, a queue row (no chat), one message, a block’s margin (its oldest message), a message being sent', () => {
    const doc = fixture('legacy');
    expect(contextTargetOf(doc.querySelector('[data-userId="chat5"] .bx-messenger-cl-user-desc'))).toEqual({ kind: 'row', dialogId: 'chat5', title: 'Sales' });
    expect(contextTargetOf(doc.querySelector('[data-userId="queue3"]'))).toEqual({ kind: 'placeholder' });
    expect(contextTargetOf(doc.getElementById('im-message-9002'))).toEqual({ kind: 'message', messageId: 9002 });
    expect(contextTargetOf(doc.querySelector('[data-messageId="9003"] .bx-messenger-content-item-date'))).toEqual({ kind: 'message', messageId: 9002 });
    expect(contextTargetOf(doc.getElementById('im-message-temp7'))).toBeNull();
  });
});

describe('page globals (read in the MAIN world) and the bridge validation', () => {
  function fakeWindow(layout: unknown, extra: Record<string, unknown> = {}): unknown {
    const chats: Record<string, unknown> = {
      chat12: { dialogId: 'chat12', chatId: 12, lastMessageId: 84890, counter: 3, name: 'Sales team' },
      '547': { dialogId: '547', chatId: 9, lastMessageId: 91000, counter: 100, name: 'John Doe' },
    };
    const getters = {
      'application/getLayout': layout,
      'chats/get': (id: string) => chats[id] ?? null,
      'messages/getByChatId': (chatId: number) => (chatId === 12 ? [{ id: 84870 }, { id: 84875 }, { id: '3f0e5a1c-1b2a-4c3d-9e8f-0a1b2c3d4e5f' }] : []),
    };
    return {
      BX: {
        bitrix_sessid: () => '0123456789abcdef0123456789abcdef',
        message: (key: string) => (key === 'USER_ID' ? '1' : ''),
        Messenger: { v2: { Application: { Core: { getStore: () => ({ getters }) } } } },
      },
      ...extra,
    };
  }

  it('reads the open dialog, its chat and loaded messages from the v2 store, and a requested chat', () => {
    const raw = readPageGlobals(fakeWindow({ name: 'chat', entityId: 'chat12', contextId: 0 }), '547');
    expect(validateSnapshot(raw, '547')).toEqual({
      sessid: '0123456789abcdef0123456789abcdef',
      userId: 1,
      openDialogId: 'chat12',
      chat: { dialogId: 'chat12', chatId: 12, lastMessageId: 84890, counter: 3, name: 'Sales team' },
      loadedMessageIds: [84870, 84875],
      hasStore: true,
      layoutName: 'chat',
      legacyDialogId: null,
      requested: { dialogId: '547', chatId: 9, lastMessageId: 91000, counter: 100, name: 'John Doe' },
      folder: null,
    });
    expect(validateSnapshot(readPageGlobals(fakeWindow({ name: 'notification', entityId: '' })))).toMatchObject({ layoutName: 'notification', openDialogId: null, chat: null });
  });

  it('reads BXIM.messenger.currentTab only when there is no v2 store; survives a throwing store', () => {
    expect(validateSnapshot(readPageGlobals({ BX: { message: () => '' }, BXIM: { messenger: { currentTab: 'chat5' } } }))?.legacyDialogId).toBe('chat5');
    const throwing = { BX: { message: () => '', Messenger: { v2: { Application: { Core: { getStore: () => { throw new Error('x'); } } } } } } };
    expect(validateSnapshot(readPageGlobals(throwing))).toMatchObject({ hasStore: false, openDialogId: null });
    expect(validateSnapshot(readPageGlobals(undefined))).toMatchObject({ hasStore: false, sessid: null });
  });

  it('drops hostile values', () => {
    expect(validateSnapshot({ sessid: 'x', userId: '1', openDialogId: 'chat1;x', chat: { dialogId: 'chat1;x', lastMessageId: 5 } })).toMatchObject({ sessid: null, userId: 1, openDialogId: null, chat: null });
    expect(validateSnapshot({ openDialogId: 'chat5', chat: { dialogId: 'chat6', lastMessageId: 5 } })?.chat).toBeNull();
    expect(validateSnapshot({ openDialogId: '1234567890123456789012345678901234567890' })?.openDialogId).toBeNull();
    expect(validateSnapshot({ openDialogId: 'chat5', chat: { dialogId: 'chat5', lastMessageId: '3f0e5a1c-1b2a' } })?.chat?.lastMessageId).toBeNull();
    expect(validateSnapshot({ layoutName: '<img>' })?.layoutName).toBeNull();
    // A requested chat other than the one asked for, or ids for no open chat, are dropped.
    expect(validateSnapshot({ requested: { dialogId: 'chat9', lastMessageId: 5 } }, 'chat8')?.requested).toBeNull();
    expect(validateSnapshot({ loadedMessageIds: [1, 2] })?.loadedMessageIds).toEqual([]);
    const many = Array.from({ length: MAX_LOADED_IDS + 50 }, (_, i) => i + 1);
    const capped = validateSnapshot({ openDialogId: 'chat5', loadedMessageIds: [...many, 'x', -1, 1.5] })!.loadedMessageIds;
    expect(capped).toHaveLength(MAX_LOADED_IDS - 3);
    expect(capped.at(-1)).toBe(MAX_LOADED_IDS + 50);
    expect(validateSnapshot(null)).toBeNull();
    expect(validateSnapshot('x')).toBeNull();
  });
});

describe('does a page look like a Bitrix24 portal (probe for self-hosted origins)', () => {
  const w = window as unknown as Record<string, unknown>;
  afterEach(() => {
    delete w.BX;
    delete w.BXIM;
    document.body.innerHTML = '';
  });

  it('needs the BX core plus a trace of the im module', () => {
    expect(probeBitrix24Page(PROBE_MARKERS)).toBe(false);
    w.BX = { message: () => '' };
    expect(probeBitrix24Page(PROBE_MARKERS)).toBe(false); // any 1C-Bitrix site has BX
    w.BXIM = {};
    expect(probeBitrix24Page(PROBE_MARKERS)).toBe(true);
    delete w.BXIM;
    document.body.innerHTML = fixture('legacy').body.innerHTML;
    expect(probeBitrix24Page(PROBE_MARKERS)).toBe(true);
  });
});
