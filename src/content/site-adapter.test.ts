// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { contextTargetOf, detectOpenChat, findNewestMessageId, readAddressHint, readInlineSessid } from './site-adapter.ts';
import { validateSnapshot, type PageSnapshot } from './bridge-protocol.ts';

// Markup shaped like the v2 templates (im/v2/component/list/items/recent/.../recent-item.js,
// elements/chat-title): row wrap with data-id and --pinned/--selected, title in .bx-im-chat-title__text.
const V2_PAGE = `
<script>BX.message({'bitrix_sessid':'0123456789abcdef0123456789abcdef','USER_ID':'1'});</script>
<div class="bx-im-messenger__scope">
  <div class="bx-im-list-container-recent__elements">
    <div class="bx-im-list-recent__pinned_container">
      <div data-id="chat7" class="bx-im-list-recent-item__wrap --pinned"><span class="bx-im-chat-title__text">Pinned</span></div>
    </div>
    <div class="bx-im-list-recent__general_container">
      <div class="bx-im-list-recent-item__wrap"><span class="bx-im-chat-title__text">Create chat</span></div>
      <div data-id="chat12" class="bx-im-list-recent-item__wrap --selected"><span class="bx-im-chat-title__text">Sales team</span>
        <div class="bx-im-list-recent-item__counter_number">3</div></div>
      <div data-id="547" class="bx-im-list-recent-item__wrap"><span class="bx-im-chat-title__text">John Doe</span></div>
    </div>
  </div>
  <div class="bx-im-dialog-chat__scroll-container"><div class="bx-im-message-list-author-group__container">
    <div class="bx-im-message-base__wrap bx-im-message-base__scope" data-id="84870"><span id="m1">one</span></div>
    <div class="bx-im-message-base__wrap bx-im-message-base__scope" data-id="84875">two</div>
    <div class="bx-im-message-base__wrap bx-im-message-base__scope" data-id="3f0e5a1c-1b2a-4c3d-9e8f-0a1b2c3d4e5f">sending…</div>
  </div></div>
</div>`;

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

const HREF = 'https://demo.bitrix24.ru/online/?IM_DIALOG=chat99';

describe('site adapter on v2 markup', () => {
  it('finds the selected row and the newest numeric message, skipping UUIDs and placeholder rows', () => {
    const doc = page(V2_PAGE);
    expect(findNewestMessageId(doc)).toBe(84875);
    const detection = detectOpenChat(doc, HREF, null);
    expect(detection).toMatchObject({ dialogId: 'chat12', dialogSource: 'dom', messageId: 84875, messageSource: 'dom', title: 'Sales team', looksLikePortal: true });
  });

  it('prefers the store over a stale address, and ignores DOM messages of another chat', () => {
    const doc = page(V2_PAGE);
    const snapshot: PageSnapshot = { sessid: null, userId: 1, openDialogId: '547', chat: { dialogId: '547', chatId: 9, lastMessageId: 90000, counter: 1, name: 'John' }, hasStore: true, legacyDialogId: null };
    const detection = detectOpenChat(doc, HREF, snapshot);
    expect(detection).toMatchObject({ dialogId: '547', dialogSource: 'store', messageId: 90000, messageSource: 'store' });
  });

  it('uses the address only as the last hint, never a malformed one', () => {
    const doc = page('<div class="bx-im-messenger__scope"></div>');
    expect(detectOpenChat(doc, HREF, null)).toMatchObject({ dialogId: 'chat99', dialogSource: 'url', messageId: null });
    expect(readAddressHint('https://x.bitrix24.ru/online/?IM_DIALOG=chat1;x')).toEqual({ dialogId: null, messageId: null });
    expect(readAddressHint('https://x.bitrix24.ru/online/?IM_DIALOG=../1&IM_MESSAGE=12')).toEqual({ dialogId: null, messageId: 12 });
  });

  it('reads the inline sessid', () => {
    expect(readInlineSessid(page(V2_PAGE))).toBe('0123456789abcdef0123456789abcdef');
  });

  it('remembers right-click targets: a row is that chat, a message is the open chat up to it', () => {
    const doc = page(V2_PAGE);
    expect(contextTargetOf(doc.querySelector('[data-id="547"] .bx-im-chat-title__text'))).toEqual({ kind: 'row', dialogId: '547', title: 'John Doe' });
    expect(contextTargetOf(doc.getElementById('m1'))).toEqual({ kind: 'message', messageId: 84870 });
    expect(contextTargetOf(doc.querySelector('[data-id^="3f0e"]'))).toBeNull();
    expect(contextTargetOf(doc.querySelectorAll('.bx-im-list-recent-item__wrap')[1]!)).toBeNull();
  });
});

describe('bridge snapshot validation', () => {
  it('drops hostile values', () => {
    expect(validateSnapshot({ sessid: 'x', userId: '1', openDialogId: 'chat1;x', chat: { dialogId: 'chat1;x', lastMessageId: 5 } })).toMatchObject({ sessid: null, userId: 1, openDialogId: null, chat: null });
    expect(validateSnapshot({ openDialogId: 'chat5', chat: { dialogId: 'chat6', lastMessageId: 5 } })?.chat).toBeNull();
    expect(validateSnapshot({ openDialogId: '1234567890123456789012345678901234567890' })?.openDialogId).toBeNull();
    expect(validateSnapshot({ openDialogId: 'chat5', chat: { dialogId: 'chat5', lastMessageId: '3f0e5a1c-1b2a' } })?.chat?.lastMessageId).toBeNull();
    expect(validateSnapshot(null)).toBeNull();
    expect(validateSnapshot('x')).toBeNull();
  });
});
