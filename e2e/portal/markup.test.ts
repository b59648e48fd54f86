// The portal's messenger pages carry the same markup as the extension's fixtures (which copy the
// real Bitrix24 templates, src/content/fixtures/): the same element chains around rows, titles and
// messages, and the site adapter reads them the same way. Also: /desktop_app/ (messenger in an
// iframe) and a self-hosted portal's own host.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer, type Tenant } from './index.ts';
import { SMALL_SEED, freshHost } from './test-helpers.ts';
import { SELECTORS, detectOpenChat, hasMessengerMarkup } from '../../src/content/site-adapter.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'src', 'content', 'fixtures');

function parse(html: string, url = 'https://demo.bitrix24.ru/online/'): Document {
  const w = new Window({ url });
  w.document.write(html.replace(/<script[\s\S]*?<\/script>/g, (tag) => (tag.includes('BX.message(') ? tag.replace(/^<script>/, '<script type="text/plain">') : '')).replace(/<iframe[^>]*><\/iframe>/g, (tag) => tag.replace(' src=', ' data-src=')));
  return w.document as unknown as Document;
}

const fixture = (name: string): Document => parse(readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8'));

async function page(t: Tenant, pathname: string): Promise<Document> {
  const s = t.login();
  const r = await portal.fetch(`${t.origin}${pathname}`, { headers: { Cookie: `PHPSESSID=${s.cookieValue}` } });
  expect(r.status).toBe(200);
  return parse(await r.text(), `${t.origin}${pathname}`);
}

/** The first class of each ancestor from `el` up to (and with) the first one matching `stop`. */
function chain(el: Element, stop: string): string[] {
  const out: string[] = [];
  for (let node: Element | null = el; node; node = node.parentElement) {
    out.push(node.classList[0] ?? node.tagName.toLowerCase());
    if (node.matches(stop)) break;
  }
  return out;
}

describe('the portal renders the fixtures’ markup', () => {
  it('v2: rows, titles, the selected row and messages sit in the same element chains as in the real templates', async () => {
    const t = portal.tenant(freshHost());
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0 && !c.pinned)!;
    const live = await page(t, `/online/?IM_DIALOG=${open.dialogId}`);
    const real = fixture('v2-chat');
    const rowOf = (doc: Document, selector: string): Element => doc.querySelector(`${SELECTORS.recentRow}${selector}`)!;
    expect(chain(rowOf(live, SELECTORS.selectedRow.slice(SELECTORS.recentRow.length)), '.bx-im-list-container-recent__elements')).toEqual(
      chain(rowOf(real, '[class~="--selected"]'), '.bx-im-list-container-recent__elements'),
    );
    expect(chain(live.querySelector(`${SELECTORS.selectedRow} ${SELECTORS.rowTitle}`)!, SELECTORS.recentRow)).toEqual(
      chain(real.querySelector(`${SELECTORS.selectedRow} ${SELECTORS.rowTitle}`)!, SELECTORS.recentRow),
    );
    const liveMessage = live.querySelector(`${SELECTORS.messageList} ${SELECTORS.message}`)!;
    const realMessage = real.querySelector(`${SELECTORS.messageList} ${SELECTORS.message}`)!;
    expect(chain(liveMessage, SELECTORS.messageList)).toEqual(chain(realMessage, SELECTORS.messageList));
    // The create-chat placeholder: same class as a row, no data-id, in the same container.
    const placeholder = (doc: Document): Element => doc.querySelector(`.bx-im-list-recent-create-chat__container > ${SELECTORS.recentRow}`)!;
    expect(placeholder(live).hasAttribute('data-id')).toBe(false);
    expect(chain(placeholder(live), '.bx-im-list-recent__container')).toEqual(chain(placeholder(real), '.bx-im-list-recent__container'));
    expect(detectOpenChat(live, `${t.origin}/online/?IM_DIALOG=${open.dialogId}`, null)).toMatchObject({
      dialogId: open.dialogId, dialogSource: 'dom', messageId: open.lastMessageId, messageSource: 'dom', title: open.title,
    });
  });

  it('slider over /crm/: the messenger inside the SidePanel content container, as lib/slider mounts it', async () => {
    const t = portal.tenant(freshHost());
    const live = await page(t, '/crm/deal/list/');
    const real = fixture('slider-crm');
    const root = (doc: Document): Element => doc.querySelector(`${SELECTORS.messengerSlider} > ${SELECTORS.messengerRoot}`)!;
    expect(chain(root(live), '.side-panel')).toEqual(chain(root(real), '.side-panel'));
    const first = t.state.recentChats()[0]!;
    expect(detectOpenChat(live, `${t.origin}/crm/deal/list/`, null)).toMatchObject({ dialogId: t.state.dialogIdOf(first), dialogSource: 'dom', messageSource: 'dom' });
  });

  it('legacy: rows with data-userId and message blocks as common.js draws them', async () => {
    const t = portal.tenant(freshHost());
    t.setPageOptions({ markup: 'legacy' });
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    const live = await page(t, `/online/?IM_DIALOG=${open.dialogId}`);
    const real = fixture('legacy');
    expect(chain(live.querySelector(`${SELECTORS.legacyRow} ${SELECTORS.legacyRowTitle}`)!, SELECTORS.legacyBox)).toEqual(
      chain(real.querySelector(`${SELECTORS.legacyRow} ${SELECTORS.legacyRowTitle}`)!, SELECTORS.legacyBox),
    );
    const message = (doc: Document): Element => doc.querySelector(`${SELECTORS.legacyMessageList} ${SELECTORS.legacyMessage}`)!;
    expect(chain(message(live), SELECTORS.legacyBox)).toEqual(chain(message(real), SELECTORS.legacyBox));
    expect(live.querySelector(`${SELECTORS.legacyRow}[data-userId="${open.dialogId}"]`)?.tagName).toBe('SPAN');
  });

  it('/desktop_app/: a shell with the session and no messenger, the messenger in an iframe (IFRAME=Y)', async () => {
    const t = portal.tenant(freshHost());
    const open = t.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    const top = await page(t, `/desktop_app/?IM_DIALOG=${open.dialogId}`);
    expect(hasMessengerMarkup(top)).toBe(false);
    expect(hasMessengerMarkup(fixture('desktop-app-top'))).toBe(false);
    const src = top.querySelector('iframe.bx-desktop-frame')!.getAttribute('data-src')!;
    expect(src).toBe(`/desktop_app/?IFRAME=Y&IM_DIALOG=${open.dialogId}`);
    expect(detectOpenChat(top, `${t.origin}/desktop_app/`, null)).toMatchObject({ loggedIn: true, hasMessenger: false, dialogId: null });
    const frame = await page(t, src);
    expect(detectOpenChat(frame, `${t.origin}${src}`, null)).toMatchObject({ hasMessenger: true, dialogId: open.dialogId, messageId: open.lastMessageId });
    expect(chain(frame.querySelector(`${SELECTORS.messageList} ${SELECTORS.message}`)!, SELECTORS.messengerRoot)).toEqual(
      chain(fixture('desktop-app-frame').querySelector(`${SELECTORS.messageList} ${SELECTORS.message}`)!, SELECTORS.messengerRoot),
    );
    expect(t.readEvents).toEqual([]);
  });
});

describe('a self-hosted portal on its own domain', () => {
  it('a host a test created a tenant for is that portal; any other non-cloud host is the default one', async () => {
    const own = portal.tenant('portal.example-corp.test');
    const s = own.login();
    const r = await portal.fetch('https://portal.example-corp.test/rest/im.counters.get.json', {
      method: 'POST',
      headers: { Cookie: `PHPSESSID=${s.cookieValue}`, 'X-Bitrix-Csrf-Token': s.sessid, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(own.log.at(-1)).toMatchObject({ restMethod: 'im.counters.get', auth: 'session', status: 200 });
    const stranger = await portal.fetch('https://unknown.example-corp.test/auth/');
    expect(stranger.status).toBe(200);
    expect(await stranger.text()).toContain('Log in to demo.bitrix24.ru');
  });
});
