// Login flow and the /online/ messenger page: v2 markup from live state, page globals, and the
// page script (run in happy-dom against the real server) that switches chats without reading.

import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, todaySeed, type PortalServer, type Tenant } from './index.ts';
import { CORE_JS, MESSENGER_JS } from './page-assets.ts';
import { SMALL_SEED, freshHost } from './test-helpers.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

async function page(t: Tenant, path: string, cookie?: string): Promise<{ status: number; html: string; location: string | null }> {
  const r = await portal.fetch(`${t.origin}${path}`, { headers: cookie ? { Cookie: `PHPSESSID=${cookie}` } : {} });
  return { status: r.status, html: await r.text(), location: r.headers.get('location') };
}

function parse(html: string): Window {
  const w = new Window({ url: 'https://demo.bitrix24.ru/online/' });
  w.document.write(html.replace(/<script[\s\S]*?<\/script>/g, ''));
  return w;
}

describe('login', () => {
  it('/online/ and / redirect to /auth/ with backurl when logged out', async () => {
    const t = portal.tenant(freshHost());
    expect(await page(t, '/online/?IM_DIALOG=chat5')).toMatchObject({ status: 302, location: '/auth/?backurl=%2Fonline%2F%3FIM_DIALOG%3Dchat5' });
    expect((await page(t, '/')).location).toBe('/auth/?backurl=%2F');
    const s = t.login();
    t.logout();
    expect((await page(t, '/online/', s.cookieValue)).status).toBe(302);
  });

  it('the login form logs in with any non-empty credentials and goes to backurl', async () => {
    const t = portal.tenant(freshHost());
    const form = await page(t, '/auth/?backurl=%2Fonline%2F');
    expect(form.html).toMatch(/name="USER_LOGIN"/);
    expect(form.html).toMatch(/name="USER_PASSWORD"/);
    const post = (body: string): Promise<Response> =>
      portal.fetch(`${t.origin}/auth/?login=yes`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const bad = await post('AUTH_FORM=Y&TYPE=AUTH&backurl=%2Fonline%2F&USER_LOGIN=&USER_PASSWORD=');
    expect(bad.status).toBe(200);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const ok = await post('AUTH_FORM=Y&TYPE=AUTH&backurl=%2Fonline%2F%3FIM_DIALOG%3D15&USER_LOGIN=admin&USER_PASSWORD=x');
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/online/?IM_DIALOG=15');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^PHPSESSID=[0-9a-f]+; path=\/; secure; HttpOnly$/);
    const id = /PHPSESSID=([0-9a-f]+)/.exec(cookie)![1]!;
    expect((await page(t, '/online/', id)).status).toBe(200);
    const evil = await post('backurl=https%3A%2F%2Fevil.example%2F&USER_LOGIN=a&USER_PASSWORD=b');
    expect(evil.headers.get('location')).toBe('/');
  });
});

describe('/online/', () => {
  it('renders the recent list like the v2 messenger from live state', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0 && !c.pinned)!;
    const { status, html } = await page(t, `/online/?IM_DIALOG=${open.dialogId}`, s.cookieValue);
    expect(status).toBe(200);
    const doc = parse(html).document;
    const rows = [...doc.querySelectorAll('.bx-im-list-container-recent__elements .bx-im-list-recent-item__wrap')];
    const withId = rows.filter((r) => r.hasAttribute('data-id'));
    expect(rows.length).toBe(withId.length + 1); // the "create chat" placeholder has no data-id
    expect(withId.map((r) => r.getAttribute('data-id'))).toEqual(t.state.recentChats().map((c) => t.state.dialogIdOf(c)));
    const pinned = [...doc.querySelectorAll('.bx-im-list-recent__pinned_container > .bx-im-list-recent-item__wrap.--pinned')];
    expect(pinned.length).toBe(t.chats().filter((c) => c.pinned).length);
    expect(doc.querySelectorAll('.bx-im-list-recent__general_container .--pinned')).toHaveLength(0);
    const selected = doc.querySelectorAll('.bx-im-list-recent-item__wrap.--selected');
    expect([...selected].map((r) => r.getAttribute('data-id'))).toEqual([open.dialogId]);
    for (const row of withId) {
      const view = t.chat(row.getAttribute('data-id')!)!;
      const number = row.querySelector('.bx-im-list-recent-item__counter_number');
      if (view.counter > 0) expect(number?.textContent).toBe(String(view.counter));
      else if (view.manualUnread) expect(number?.className).toContain('--no-counter');
      else expect(number).toBeNull();
    }
  });

  it('renders the open chat\'s messages with numeric ids plus one being sent (UUID id)', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const open = t.chats().find((c) => c.kind === 'dialog' && c.counter > 0)!;
    const { html } = await page(t, `/online/?IM_DIALOG=${open.dialogId}`, s.cookieValue);
    const doc = parse(html).document;
    const ids = [...doc.querySelectorAll('.bx-im-dialog-chat__scroll-container > .bx-im-message-list__container > .bx-im-message-list-date-group__container > .bx-im-message-list-author-group__container > div.bx-im-message-base__wrap.bx-im-message-base__scope[data-id]')]
      .map((m) => m.getAttribute('data-id')!);
    expect(ids.slice(0, -1)).toEqual(t.state.chats.get(open.chatId)!.messageIds.map(String));
    expect(ids.at(-1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(html).toContain(`BX.message({"bitrix_sessid":"${s.sessid}","USER_ID":"1","SITE_ID":"s1"`);
    expect(html).toContain('<script src="/bitrix/js/im/messenger.js"></script>');
    // A message pushed after render is not on the page; the page read nothing.
    const late = t.pushMessage(open.dialogId);
    expect(html).not.toContain(`data-id="${late}"`);
    expect(t.readEvents).toEqual([]);
  });

  it('without IM_DIALOG opens the first chat; sgN opens the workgroup chat; page loads skip the bucket', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const first = t.state.dialogIdOf(t.state.recentChats()[0]!);
    expect(parse((await page(t, '/online/', s.cookieValue)).html).document.querySelector('.--selected')?.getAttribute('data-id')).toBe(first);
    const wg = [...t.state.chats.values()].find((c) => c.kind === 'workgroup')!;
    expect(parse((await page(t, `/online/?IM_DIALOG=sg${wg.workgroupId}`, s.cookieValue)).html).document.querySelector('.--selected')?.getAttribute('data-id')).toBe(`chat${wg.id}`);
    expect(t.bucketLevel()).toBe(0);
  });

  it('serves the page scripts', async () => {
    const t = portal.tenant(freshHost());
    for (const p of ['/bitrix/js/main/core/core.js', '/bitrix/js/im/messenger.js']) {
      const r = await portal.fetch(`${t.origin}${p}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('javascript');
    }
  });
});

describe('page script', () => {
  async function load(t: Tenant, dialogId: string, path = `/online/?IM_DIALOG=${dialogId}`): Promise<{ w: Window; cookie: string; sessid: string }> {
    const s = t.login();
    const { html } = await page(t, path, s.cookieValue);
    const w = new Window({ url: `${t.origin}${path}` });
    w.document.write(html.replace(/<script[\s\S]*?<\/script>/g, (tag) => (tag.includes('application/json') ? tag : '')));
    const win = w as unknown as { eval(code: string): unknown; fetch: unknown };
    // Same-origin fetch with the session cookie, as the browser would send it.
    win.fetch = (url: string, init: RequestInit = {}) =>
      portal.fetch(new URL(url, t.origin), { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: `PHPSESSID=${s.cookieValue}` } });
    win.eval(CORE_JS);
    win.eval(/<script>(BX\.message\([\s\S]*?)<\/script>/.exec(html)![1]!);
    win.eval(MESSENGER_JS);
    return { w, cookie: s.cookieValue, sessid: s.sessid };
  }

  it('exposes BX globals and the v2 store as rendered', async () => {
    const t = portal.tenant(freshHost());
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    const { w, sessid } = await load(t, open.dialogId);
    const BX = (w as unknown as { BX: Record<string, any> }).BX; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(BX.bitrix_sessid()).toBe(sessid);
    expect(BX.message('USER_ID')).toBe('1');
    const store = BX.Messenger.v2.Application.Core.getStore();
    expect(store.getters['application/getLayout']).toEqual({ name: 'chat', entityId: open.dialogId, contextId: 0 });
    t.pushMessage(open.dialogId);
    expect(store.getters['chats/get'](open.dialogId)).toMatchObject({
      chatId: open.chatId, dialogId: open.dialogId, lastMessageId: open.lastMessageId, lastReadId: open.lastReadId, counter: open.counter,
    });
    const msgs = store.getters['messages/getByChatId'](open.chatId) as Array<{ id: number | string }>;
    expect(msgs.filter((m) => typeof m.id === 'number').at(-1)!.id).toBe(open.lastMessageId);
    const counters = await BX.rest.callMethod('im.counters.get', {});
    expect(counters.data()).toEqual(t.counters());
    const failed = await BX.rest.callMethod('im.dialog.read', { DIALOG_ID: '' }).catch((e: { error(): unknown }) => e.error());
    expect(failed).toMatchObject({ error: 'DIALOG_ID_EMPTY', status: 400 });
    await w.happyDOM.close();
  });

  it('a row click switches the chat client-side (address stale, nothing read); every row right-click shows the Bitrix popup', async () => {
    const t = portal.tenant(freshHost());
    const [a, b] = t.chats().filter((c) => c.counter > 0 && c.kind !== 'lines');
    const { w } = await load(t, a!.dialogId);
    const doc = w.document;
    const row = doc.querySelector(`.bx-im-list-recent-item__wrap[data-id="${b!.dialogId}"]`)!;
    const opened = new Promise((resolve) => doc.addEventListener('bx-im-portal:chat-opened', resolve));
    (row as unknown as { click(): void }).click();
    await opened;
    const store = (w as unknown as { BX: { Messenger: { v2: { Application: { Core: { getStore(): { getters: Record<string, unknown> } } } } } } }).BX.Messenger.v2.Application.Core.getStore();
    expect(store.getters['application/getLayout']).toEqual({ name: 'chat', entityId: b!.dialogId, contextId: 0 });
    expect(w.location.href).toContain(`IM_DIALOG=${a!.dialogId}`);
    expect([...doc.querySelectorAll('.--selected')].map((r) => r.getAttribute('data-id'))).toEqual([b!.dialogId]);
    const ids = [...doc.querySelectorAll('.bx-im-dialog-chat__scroll-container .bx-im-message-base__wrap')].map((m) => m.getAttribute('data-id'));
    expect(ids).toEqual(t.state.chats.get(b!.chatId)!.messageIds.map(String));
    expect(t.readEvents).toEqual([]);
    expect(t.log.at(-1)).toMatchObject({ restMethod: 'im.dialog.messages.get', auth: 'session', status: 200 });

    const menuEvent = (alt: boolean): boolean => {
      const ev = new w.MouseEvent('contextmenu', { bubbles: true, cancelable: true, altKey: alt, shiftKey: alt, clientX: 10, clientY: 10 });
      row.dispatchEvent(ev);
      return ev.defaultPrevented;
    };
    // 26.x has no Alt+Shift bypass (bitrix24-web-ui.md, "Right-click"): modifiers change nothing.
    expect(menuEvent(true)).toBe(true);
    expect(doc.querySelector('.im-recent-context-menu')?.getAttribute('data-dialog-id')).toBe(b!.dialogId);
    expect(menuEvent(false)).toBe(true);
    expect(doc.querySelector('.im-recent-context-menu')?.getAttribute('data-dialog-id')).toBe(b!.dialogId);
    await w.happyDOM.close();
  });

  it('variants: no store (DOM only), legacy markup with BXIM.messenger.currentTab, slider over /crm/', async () => {
    const t = portal.tenant(freshHost());
    const [a, b] = t.chats().filter((c) => c.counter > 0 && c.kind !== 'lines');
    t.setPageOptions({ store: false });
    const bare = await load(t, a!.dialogId);
    const bareWin = bare.w as unknown as { BX: { Messenger?: unknown }; BXIM?: unknown };
    expect(bareWin.BX.Messenger).toBeUndefined();
    expect(bareWin.BXIM).toEqual({});
    expect(bare.w.document.querySelector('.bx-im-list-recent-item__wrap.--selected')?.getAttribute('data-id')).toBe(a!.dialogId);
    await bare.w.happyDOM.close();

    t.setPageOptions({ store: true, markup: 'legacy' });
    const old = await load(t, a!.dialogId);
    const doc = old.w.document;
    const bxim = (old.w as unknown as { BXIM: { messenger: { currentTab: string } } }).BXIM;
    expect(bxim.messenger.currentTab).toBe(a!.dialogId);
    expect((old.w as unknown as { BX: { Messenger?: unknown } }).BX.Messenger).toBeUndefined();
    expect(doc.querySelector('.bx-im-list-recent-item__wrap')).toBeNull();
    expect(doc.querySelector('.bx-messenger-cl-item.bx-messenger-cl-item-active')?.getAttribute('data-userId')).toBe(a!.dialogId);
    const msgIds = [...doc.querySelectorAll('.bx-messenger-content-item[data-messageId]')].map((m) => m.getAttribute('data-messageId'));
    expect(msgIds.slice(0, -1)).toEqual(t.state.chats.get(a!.chatId)!.messageIds.map(String));
    expect(msgIds.at(-1)).toMatch(/^temp\d+$/);
    expect(doc.querySelector(`span.bx-messenger-message#im-message-${a!.lastMessageId}`)).not.toBeNull();
    const opened = new Promise((resolve) => doc.addEventListener('bx-im-portal:chat-opened', resolve));
    (doc.querySelector(`.bx-messenger-cl-item[data-userId="${b!.dialogId}"]`) as unknown as { click(): void }).click();
    await opened;
    expect(bxim.messenger.currentTab).toBe(b!.dialogId);
    expect(doc.querySelector(`#im-message-${b!.lastMessageId}`)).not.toBeNull();
    // The legacy page takes row and message right-clicks as well.
    for (const sel of [`.bx-messenger-cl-item[data-userId="${a!.dialogId}"]`, `#im-message-${b!.lastMessageId}`]) {
      const ev = new old.w.MouseEvent('contextmenu', { bubbles: true, cancelable: true, altKey: true, shiftKey: true });
      (doc.querySelector(sel) as unknown as { dispatchEvent(e: unknown): boolean }).dispatchEvent(ev);
      expect(ev.defaultPrevented, sel).toBe(true);
    }
    await old.w.happyDOM.close();

    t.setPageOptions({ markup: 'v2' });
    const slider = await load(t, '', '/crm/deal/list/');
    const sdoc = slider.w.document;
    expect(sdoc.querySelector('.side-panel .side-panel-content-container > .bx-im-messenger__slider > .bx-im-messenger__container')).not.toBeNull();
    expect(sdoc.querySelectorAll('.bx-im-messenger__slider .bx-im-list-recent-item__wrap[data-id]').length).toBe(t.chats().length);
    const layout = (slider.w as unknown as { BX: { Messenger: { v2: { Application: { Core: { getStore(): { getters: Record<string, { entityId: string }> } } } } } } })
      .BX.Messenger.v2.Application.Core.getStore().getters['application/getLayout']!;
    expect(layout.entityId).toBe(t.state.dialogIdOf(t.state.recentChats()[0]!));
    expect(slider.w.location.pathname).toBe('/crm/deal/list/');
    await slider.w.happyDOM.close();
    expect((await page(portal.tenant(freshHost()), '/crm/')).status).toBe(302);
    expect(t.readEvents).toEqual([]);
  });

  it('right-click on a message: Bitrix menu, except selected text in it or [data-use-native-context-menu]; a capture listener on window runs first', async () => {
    const t = portal.tenant(freshHost());
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    const { w } = await load(t, open.dialogId);
    const doc = w.document;
    const msg = doc.querySelector(`.bx-im-message-base__wrap[data-id="${open.lastMessageId}"]`)!;
    const text = msg.querySelector('.bx-im-message-default-content__text')!;
    const fire = (el: unknown): boolean => {
      const ev = new w.MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 5, clientY: 5 });
      (el as { dispatchEvent(e: unknown): boolean }).dispatchEvent(ev);
      return ev.defaultPrevented;
    };
    expect(fire(text)).toBe(true);
    expect(doc.querySelector('.bx-im-message-context-menu')?.getAttribute('data-message-id')).toBe(String(open.lastMessageId));
    const sel = w.getSelection()!;
    const range = doc.createRange();
    range.selectNodeContents(text);
    sel.removeAllRanges();
    sel.addRange(range);
    expect(fire(text)).toBe(false);
    sel.removeAllRanges();
    text.setAttribute('data-use-native-context-menu', 'true');
    expect(fire(text)).toBe(false);
    text.removeAttribute('data-use-native-context-menu');
    // What a content script does: a capture-phase listener on window stops the event before the page's.
    const stop = (e: { stopPropagation(): void }): void => e.stopPropagation();
    const win = w as unknown as { addEventListener(t: string, f: unknown, c: boolean): void; removeEventListener(t: string, f: unknown, c: boolean): void };
    win.addEventListener('contextmenu', stop, true);
    const row = doc.querySelector('.bx-im-list-recent-item__wrap[data-id]')!;
    expect(fire(row)).toBe(false);
    expect(fire(text)).toBe(false);
    win.removeEventListener('contextmenu', stop, true);
    expect(fire(row)).toBe(true);
    // Outside rows and messages (the chat header) the page leaves the right-click alone.
    expect(fire(doc.querySelector('.bx-im-chat-header__title')!)).toBe(false);
    await w.happyDOM.close();
  });

  it('26.x page: folder panel, base list classes, row counters with children and mentions, store without chats/get counter', async () => {
    const t = portal.tenant(freshHost(), todaySeed());
    t.setPageOptions({ markup: 'v2-26' });
    const channel = t.chats().find((c) => c.kind === 'channel' && c.counter === 0 && c.childrenCounter > 0 && !c.muted)!;
    const { w } = await load(t, channel.dialogId);
    const doc = w.document;
    expect(doc.querySelector('#messenger-embedded-application > .bx-im-messenger__container > .bx-im-messenger-folder-panel__container')).not.toBeNull();
    const panel = [...doc.querySelectorAll('.bx-im-messenger-folder-panel__item')];
    expect(panel.map((p) => p.getAttribute('data-id'))).toEqual(t.folders().map((f) => String(f.id)));
    expect(doc.querySelector('.bx-im-messenger-folder-panel__item.--selected')?.getAttribute('data-id')).toBe('1');
    expect(doc.querySelector('.bx-im-messenger-folder-panel-item__icon.--tasksTask')).not.toBeNull();
    expect(doc.querySelector('.bx-im-list-container-recent__elements > .bx-im-list-base__container > .bx-im-list-base__scroll-container > .bx-im-list-base__general_container')).not.toBeNull();
    expect(doc.querySelector('.bx-im-list-base__container > .bx-im-list-base__fixed_container')).not.toBeNull();
    expect(doc.querySelector('.bx-im-list-recent__general_container')).toBeNull();
    const row = doc.querySelector(`.bx-im-list-recent-item__wrap[data-id="${channel.dialogId}"]`)!;
    expect(row.querySelector('.bx-im-list-recent-item__counters_wrap')?.className).toContain('--children-only');
    expect(row.querySelector('.bx-im-list-recent-item__counters_container > .bx-im-list-recent-item__counters > .bx-im-list-recent-item__counter_number')?.textContent).toBe(String(channel.childrenCounter));
    expect(doc.querySelector('.bx-im-list-recent-item__counter_wrap')).toBeNull();
    const anchored = t.anchors().map((a) => a.dialogId).find((id) => doc.querySelector(`.bx-im-list-recent-item__wrap[data-id="${id}"]`));
    if (anchored) expect(doc.querySelector(`.bx-im-list-recent-item__wrap[data-id="${anchored}"] .bx-im-list-recent-item__mention`)).not.toBeNull();
    // No task chat (X) in the default list.
    for (const c of t.chats().filter((x) => x.kind === 'tasksTask')) expect(doc.querySelector(`[data-id="${c.dialogId}"]`)).toBeNull();

    const core = (w as unknown as { BX: { Messenger: { v2: { Application: { Core: { getStore(): { getters: Record<string, any> }; getApplicationData(): Record<string, any> } } } } } }).BX.Messenger.v2.Application.Core; // eslint-disable-line @typescript-eslint/no-explicit-any
    const g = core.getStore().getters;
    expect(g['application/getLayout']).toEqual({ name: 'chat', entityId: channel.dialogId, contextId: 0, params: {} });
    expect(g['chats/get'](channel.dialogId)).not.toHaveProperty('counter');
    expect(g['chats/get'](channel.dialogId)).toMatchObject({ chatId: channel.chatId, type: 'channel', lastReadId: channel.lastReadId });
    expect(g['counters/getCounterByChatId'](channel.chatId)).toBe(0);
    expect(g['counters/getChildrenTotalCounter'](channel.chatId)).toBe(channel.childrenCounter);
    const marked = t.chats().find((c) => c.manualUnread)!;
    expect(g['counters/getUnreadStatus'](marked.chatId)).toBe(true);
    const tasksTotal = t.chats().filter((c) => c.kind === 'tasksTask' && !c.muted).reduce((n, c) => n + (c.counter || (c.manualUnread ? 1 : 0)), 0);
    expect(g['counters/getCounterByRecentType']('tasksTask')).toBe(tasksTotal);
    expect(g['recent/getSortedCollection']({ type: 'tasksTask' }).map((r: { dialogId: string }) => r.dialogId).sort())
      .toEqual(t.chats().filter((c) => c.kind === 'tasksTask').map((c) => c.dialogId).sort());
    const personal = t.folders().find((f) => f.type === 'personal')!;
    expect(g['recent/folders/getById'](personal.id)).toEqual(personal);
    expect(g['recent/folders/getList']()).toEqual(t.folders());
    const a = t.anchors()[0]!;
    expect(g['messages/anchors/isChatHasAnchors'](a.chatId)).toBe(true);
    expect(g['messages/anchors/getChatMessageIdsWithAnchors'](a.chatId)).toContain(a.messageId);
    expect(core.getApplicationData().folders).toEqual(t.folders());
    expect(core.getApplicationData().counters).toEqual(t.state.userCounters());
    await w.happyDOM.close();
  });

  it('26.x layouts: a personal folder (params.folderId, entityId only when a chat is open in it), tasksTask, a system folder', async () => {
    const t = portal.tenant(freshHost(), todaySeed());
    t.setPageOptions({ markup: 'v2-26' });
    const folder = t.state.folders[0]!;
    const inFolder = t.state.recentRows().filter((c) => folder.chatIds.includes(c.id));
    const getters = (w: Window): Record<string, any> => // eslint-disable-line @typescript-eslint/no-explicit-any
      (w as unknown as { BX: { Messenger: { v2: { Application: { Core: { getStore(): { getters: Record<string, unknown> } } } } } } }).BX.Messenger.v2.Application.Core.getStore().getters;

    const f = await load(t, '', `/online/?IM_FOLDER=${folder.id}`);
    expect(getters(f.w)['application/getLayout']).toEqual({ name: 'folder', entityId: '', contextId: 0, params: { folderId: folder.id } });
    const doc = f.w.document;
    expect(doc.querySelector(`.bx-im-list-container-folder__container > .bx-im-list-container-folder__elements_container > .bx-im-list-container-folder__elements > .bx-im-list-base__container`)).not.toBeNull();
    expect(doc.querySelector('.bx-im-list-container-folder__header_container')?.textContent).toContain(folder.title);
    const ids = [...doc.querySelectorAll('.bx-im-list-recent-item__wrap[data-id]')].map((r) => r.getAttribute('data-id'));
    expect(ids.sort()).toEqual(inFolder.map((c) => t.state.dialogIdOf(c)).sort());
    expect(doc.querySelector('.bx-im-list-recent-item__wrap.--selected')).toBeNull();
    expect(doc.querySelector(`.bx-im-messenger-folder-panel__item.--selected`)?.getAttribute('data-id')).toBe(String(folder.id));
    // Selecting a chat inside the folder: layout stays 'folder', entityId = that chat.
    const target = t.state.dialogIdOf(inFolder[0]!);
    const opened = new Promise((resolve) => doc.addEventListener('bx-im-portal:chat-opened', resolve));
    (doc.querySelector(`.bx-im-list-recent-item__wrap[data-id="${target}"]`) as unknown as { click(): void }).click();
    await opened;
    expect(getters(f.w)['application/getLayout']).toEqual({ name: 'folder', entityId: target, contextId: 0, params: { folderId: folder.id } });
    await f.w.happyDOM.close();
    const withChat = await load(t, target, `/online/?IM_FOLDER=${folder.id}&IM_DIALOG=${target}`);
    expect(getters(withChat.w)['application/getLayout']).toMatchObject({ name: 'folder', entityId: target, params: { folderId: folder.id } });
    await withChat.w.happyDOM.close();

    const task = t.chats().find((c) => c.kind === 'tasksTask')!;
    const tt = await load(t, task.dialogId);
    expect(getters(tt.w)['application/getLayout']).toEqual({ name: 'tasksTask', entityId: task.dialogId, contextId: 0, params: {} });
    expect(tt.w.document.querySelector('.bx-im-list-container-folder__container')?.getAttribute('data-folder-id')).toBe('2');
    expect(tt.w.document.querySelector(`.bx-im-list-recent-item__wrap.--selected`)?.getAttribute('data-id')).toBe(task.dialogId);
    const ids2 = [...tt.w.document.querySelectorAll('.bx-im-list-recent-item__wrap[data-id]')].map((r) => r.getAttribute('data-id'));
    expect(new Set(ids2.map((id) => t.chat(id!)!.kind))).toEqual(new Set(['tasksTask']));
    await tt.w.happyDOM.close();

    const collab = await load(t, '', '/online/?IM_RECENT_TYPE=collab');
    expect(getters(collab.w)['application/getLayout']).toMatchObject({ name: 'collab', entityId: '' });
    await collab.w.happyDOM.close();
    expect(t.readEvents).toEqual([]);
  });
});
