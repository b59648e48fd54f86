// Login flow and the /online/ messenger page: v2 markup from live state, page globals, and the
// page script (run in happy-dom against the real server) that switches chats without reading.

import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer, type Tenant } from './index.ts';
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

  it('a row click switches the chat client-side (address stale, nothing read); contextmenu shows the Bitrix popup unless Alt+Shift', async () => {
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
    expect(menuEvent(true)).toBe(false);
    expect(doc.querySelector('.im-recent-context-menu')).toBeNull();
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
});
