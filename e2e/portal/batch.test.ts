// `batch` (docs §3): encodings, the 50-call cap, halt, nesting, references, PHP map quirks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer, type Tenant } from './index.ts';
import { SMALL_SEED, call, encodeForm, freshHost, sessionCall } from './test-helpers.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

function setup(): { t: Tenant; hook: string } {
  const t = portal.tenant(freshHost());
  return { t, hook: t.addWebhook() };
}

describe('batch', () => {
  it('runs sub-calls in order, keeps going after errors (halt=0 default), false is a success', async () => {
    const { t, hook } = setup();
    const [a, b] = t.chats().filter((c) => c.counter > 0 && c.kind !== 'lines');
    const r = await call(portal, `${hook}batch.json`, {
      cmd: {
        r_a: `im.dialog.read?DIALOG_ID=${a!.dialogId}&MESSAGE_ID=${a!.lastMessageId}`,
        r_bad: 'im.dialog.read?DIALOG_ID=',
        r_none: 'im.dialog.read?DIALOG_ID=99999',
        u_b: `im.recent.unread?DIALOG_ID=${b!.dialogId}&ACTION=N`,
        counters: 'im.counters.get',
      },
    });
    expect(r.status).toBe(200);
    const { result, result_error, result_total, result_next, result_time } = r.body.result;
    expect(Object.keys(result)).toEqual(['r_a', 'r_none', 'u_b', 'counters']);
    expect(result.r_a).toEqual({ dialogId: a!.dialogId, chatId: a!.chatId, lastId: a!.lastMessageId, counter: 0 });
    expect(result.r_none).toBe(false);
    expect(result_error).toEqual({ r_bad: { error: 'DIALOG_ID_EMPTY', error_description: "Dialog ID can't be empty" } });
    expect(result.counters).toEqual(t.counters());
    expect(result_total).toEqual([]);
    expect(result_next).toEqual([]);
    expect(Object.keys(result_time)).toEqual(['r_a', 'r_none', 'u_b', 'counters']);
    expect(t.log.at(-1)).toMatchObject({ restMethod: 'batch', subCalls: expect.arrayContaining(['im.dialog.read?DIALOG_ID=']) });
  });

  it('halt=1 (or true) stops at the first error; later keys are absent', async () => {
    const { hook } = setup();
    for (const halt of [1, 'true', true]) {
      const r = await call(portal, `${hook}batch`, { halt, cmd: { a: 'im.revision.get', b: 'im.unknown', c: 'im.revision.get' } });
      expect(Object.keys(r.body.result.result)).toEqual(['a']);
      expect(r.body.result.result_error).toEqual({ b: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } });
    }
    const r = await call(portal, `${hook}batch`, { halt: 'false', cmd: { a: 'im.revision.get', b: 'im.unknown', c: 'im.revision.get' } });
    expect(Object.keys(r.body.result.result)).toEqual(['a', 'c']);
  });

  it('at most 50 sub-calls: the rest fail with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
    const { hook } = setup();
    const cmd = Object.fromEntries(Array.from({ length: 53 }, (_, i) => [`k${i}`, 'im.revision.get']));
    const r = await call(portal, `${hook}batch`, { cmd });
    expect(Object.keys(r.body.result.result)).toHaveLength(50);
    expect(Object.keys(r.body.result.result_error)).toEqual(['k50', 'k51', 'k52']);
    expect(r.body.result.result_error.k50).toEqual({ error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' });
    const ok = await call(portal, `${hook}batch`, { cmd: Object.fromEntries(Object.entries(cmd).slice(0, 50)) });
    expect(ok.body.result.result_error).toEqual([]);
  });

  it('no nested batch', async () => {
    const { hook } = setup();
    const r = await call(portal, `${hook}batch`, { cmd: { inner: 'batch?cmd[a]=im.revision.get' } });
    expect(r.body.result.result_error.inner.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
  });

  it('an array cmd gives lists keyed 0..n-1 (objects when a key is missing)', async () => {
    const { hook } = setup();
    const all = await call(portal, `${hook}batch`, { cmd: ['im.revision.get', 'im.revision.get'] });
    expect(all.body.result.result).toHaveLength(2);
    const holes = await call(portal, `${hook}batch`, { cmd: ['im.revision.get', 'im.nope', 'im.revision.get'] });
    expect(Object.keys(holes.body.result.result)).toEqual(['0', '2']);
    expect(Object.keys(holes.body.result.result_error)).toEqual(['1']);
  });

  it('$result[...] references reach into earlier results', async () => {
    const { t, hook } = setup();
    const r = await call(portal, `${hook}batch`, {
      cmd: {
        list: 'im.recent.list?UNREAD_ONLY=Y&SKIP_OPENLINES=Y&LIMIT=1',
        read: 'im.dialog.read?DIALOG_ID=$result[list][items][0][id]&MESSAGE_ID=$result[list][items][0][message][id]',
      },
    });
    const item = r.body.result.result.list.items[0];
    expect(r.body.result.result.read).toMatchObject({ dialogId: String(item.id), lastId: item.message.id });
    expect(r.body.result.result_total).toEqual({ list: -1 });
    expect(r.body.result.result_next).toEqual({ list: 1 });
    expect(t.chat(String(item.id))!.lastReadId).toBe(item.message.id);
  });

  it('form and query encodings with double-encoded inner query strings', async () => {
    const { t, hook } = setup();
    const items = (await call(portal, `${hook}im.recent.list`, { LIMIT: 200 })).body.result.items as Array<{ pinned: boolean; message: { date: string } }>;
    const cursor = items.filter((i) => !i.pinned)[3]!.message.date; // "...+03:00": the '+' must survive both decodings
    expect(cursor).toContain('+');
    const c = t.chats().find((x) => x.counter > 0 && x.kind === 'dialog')!;
    const cmd = {
      read: `im.dialog.read?${new URLSearchParams({ DIALOG_ID: c.dialogId, MESSAGE_ID: String(c.firstUnreadId) })}`,
      page: `im.recent.list?LAST_MESSAGE_DATE=${encodeURIComponent(cursor)}&LIMIT=200`,
    };
    const expectedPage = items.filter((i) => !i.pinned).slice(4).length + 0;
    for (const encoding of ['form', 'query'] as const) {
      const r = await call(portal, `${hook}batch`, { halt: 0, cmd }, { encoding });
      expect(r.body.result.result.read).toMatchObject({ lastId: c.firstUnreadId });
      const page = r.body.result.result.page.items as Array<{ message: { date: string } }>;
      // DATE_LAST_ACTIVITY <= the cursor: the boundary row repeats (bitrix24-im-26.md §2).
      expect(page.every((i) => Date.parse(i.message.date) <= Date.parse(cursor))).toBe(true);
      expect((page as Array<{ pinned?: boolean; message: { date: string } }>).find((i) => !i.pinned)!.message.date).toBe(cursor);
      expect(page.length).toBeGreaterThanOrEqual(expectedPage - 2);
    }
    // The raw wire form: cmd[k]=<urlencoded "method?query"> — '&' inside becomes %26, '+' becomes %252B.
    const raw = `halt=0&${encodeForm({ cmd })}`;
    expect(raw).toContain('%252B');
    const r = await portal.fetch(`${hook}batch`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: raw });
    expect(((await r.json()) as { result: { result_error: unknown } }).result.result_error).toEqual([]);
  });

  it('runs under session auth with every scope, without operating fields', async () => {
    const { t } = setup();
    const r = await sessionCall(portal, t, 'batch', { cmd: { a: 'im.counters.get', b: 'im.revision.get' } });
    expect(r.body.result.result_error).toEqual([]);
    expect(Object.keys(r.body.result.result_time.a)).not.toContain('operating');
    expect(Object.keys(r.body.time)).not.toContain('operating');
  });
});
