// Every answer has the shape of the official docs example, key for key (PHP quirks included).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer, type Tenant } from './index.ts';
import { SMALL_SEED, call, fixture, freshHost, shapeDiff } from './test-helpers.ts';

const MAPS = [/^\$\.result\.(CHAT|CHAT_MUTED|LINES|DIALOG)$/, /\.mute_list$/, /\.params$/];

describe('answers match the docs examples', () => {
  let portal: PortalServer;
  let tenant: Tenant;
  let hook: string;
  beforeAll(async () => {
    portal = await startPortal({ seed: SMALL_SEED });
    tenant = portal.tenant(freshHost());
    hook = tenant.addWebhook();
  });
  afterAll(() => portal.close());

  const expectShape = (actual: unknown, name: string): void => {
    expect(shapeDiff(actual, fixture(name), MAPS)).toEqual([]);
  };

  // The docs example is the 7-key shape of the H build; today's builds answer 14 keys (bitrix24-im-26.md §3.1).
  const Y14 = ['TYPE', 'CHAT', 'DIALOG', 'COLLAB', 'CHAT_MUTED', 'CHAT_UNREAD', 'DIALOG_UNREAD', 'COLLAB_UNREAD', 'COPILOT_UNREAD',
    'TASKS_TASK_UNREAD', 'LINES', 'COPILOT', 'CHANNEL_COMMENT', 'TASKS_TASK'];
  it('im.counters.get (build H: the docs example, key for key)', async () => {
    const t = portal.tenant(freshHost(), { ...SMALL_SEED, build: 'H' });
    const r = await call(portal, `${t.addWebhook()}im.counters.get.json`);
    expect(r.status).toBe(200);
    expectShape(r.body, 'im.counters.get.response');
    expect(r.body.result.CHAT_UNREAD).toBeInstanceOf(Array);
  });

  it('im.counters.get (default build Y): the example keys plus the Reading adapter ones, 14 in order', async () => {
    const r = await call(portal, `${hook}im.counters.get.json`);
    expect(Object.keys(r.body.result)).toEqual(Y14);
    expect(Object.keys(r.body.result.TYPE)).toEqual(['ALL', 'NOTIFY', 'CHAT', 'LINES', 'DIALOG', 'COPILOT', 'COLLAB', 'MESSENGER', 'TASKS_TASK']);
    const example = fixture('im.counters.get.response') as { result: Record<string, unknown> };
    const own = Object.fromEntries(Object.keys(example.result).map((k) => [k, r.body.result[k]]));
    own.TYPE = Object.fromEntries(Object.keys(example.result.TYPE as object).map((k) => [k, r.body.result.TYPE[k]]));
    expect(shapeDiff({ ...r.body, result: own }, example, MAPS)).toEqual([]);
  });

  it('im.counters.get of an empty messenger: empty maps are []', async () => {
    const other = tenant.addWebhook({ userId: 2 });
    const r = await call(portal, `${other}im.counters.get`);
    expect(r.text).toContain('"CHAT":[],"DIALOG":[],"COLLAB":[],"CHAT_MUTED":[],"CHAT_UNREAD":[],"DIALOG_UNREAD":[],"COLLAB_UNREAD":[],"COPILOT_UNREAD":[],"TASKS_TASK_UNREAD":[],"LINES":[],"COPILOT":[],"CHANNEL_COMMENT":[],"TASKS_TASK":[]');
    const h = portal.tenant(freshHost(), { ...SMALL_SEED, build: 'H' });
    const rh = await call(portal, `${h.addWebhook({ userId: 2 })}im.counters.get`);
    expect(rh.text).toContain('"CHAT":[],"CHAT_MUTED":[],"CHAT_UNREAD":[],"LINES":[],"DIALOG":[],"DIALOG_UNREAD":[]');
    expectShape(rh.body, 'im.counters.get.response');
  });

  it('im.recent.list: envelope with total -1, a 1:1 item and a chat item like the example', async () => {
    const r = await call(portal, `${hook}im.recent.list.json`, { LIMIT: 200 });
    const example = fixture('im.recent.list.response') as { result: { items: unknown[] } };
    expect(r.body.total).toBe(-1);
    expect(shapeDiff({ ...r.body, result: { ...r.body.result, items: [] } }, { ...example, result: { ...example.result, items: [] } }, MAPS)).toEqual([]);
    const items = r.body.result.items as Array<{ type: string; chat: { type?: string }; user: { id: number } }>;
    const [userItem, chatItem] = example.result.items as [Record<string, unknown>, Record<string, unknown>];
    const system = { ...chatItem, user: { id: 0 }, message: { ...(chatItem.message as object), uuid: null } };
    const lines = { id: 0, status: 0, date_create: '' };
    const variants = [userItem, chatItem, system, { ...chatItem, lines }, { ...system, lines }];
    expect(shapeDiff(items, variants, MAPS)).toEqual([]);
    expect(items.filter((i) => i.type === 'user').length).toBeGreaterThan(3);
    expect(items.filter((i) => i.type === 'chat' && i.user.id > 0).length).toBeGreaterThan(3);
    expect(items.filter((i) => i.type === 'chat' && i.user.id === 0).length).toBeGreaterThan(0);
    const linesItem = items.find((i) => i.chat.type === 'lines') as Record<string, unknown> | undefined;
    expect(Object.keys(linesItem?.lines as object).sort()).toEqual(['date_create', 'id', 'status']);
    // 1:1 items: numeric id, chat stub only.
    const user = items.find((i) => i.type === 'user') as unknown as { id: unknown; chat: object };
    expect(typeof user.id).toBe('number');
    expect(Object.keys(user.chat).sort()).toEqual(['background_id', 'mute_list', 'text_field_enabled']);
  });

  it('im.recent.get', async () => {
    const r = await call(portal, `${hook}im.recent.get`, { SKIP_DIALOG: 'Y' });
    const ex = fixture('im.recent.get.response') as { result: Array<Record<string, unknown>> };
    const list = fixture('im.recent.list.response') as { result: { items: Array<Record<string, unknown>> } };
    // The example only shows system-authored items (user {id: 0}); others carry the author as in im.recent.list.
    const item = ex.result[0]!;
    const withAuthor = { ...item, user: list.result.items[1]!.user };
    const lines = { id: 0, status: 0, date_create: '' };
    const variants = [item, withAuthor, { ...item, lines }, { ...withAuthor, lines }];
    expect(shapeDiff(r.body, { ...ex, result: variants }, MAPS)).toEqual([]);
    expect(r.body.result.some((i: { user: { id: number } }) => i.user.id === 0)).toBe(true);
  });

  it('im.dialog.get (crm chat and the others)', async () => {
    const crm = tenant.chats().find((c) => c.kind === 'crm')!;
    const r = await call(portal, `${hook}im.dialog.get`, { DIALOG_ID: crm.dialogId });
    expectShape(r.body, 'im.dialog.get.response');
    expect(r.body.result).toMatchObject({ type: 'crm', entity_type: 'CRM', dialog_id: crm.dialogId, counter: crm.counter });
    for (const c of tenant.chats()) {
      const x = await call(portal, `${hook}im.dialog.get`, { DIALOG_ID: c.dialogId });
      expectShape(x.body, 'im.dialog.get.response');
    }
  });

  it('im.dialog.messages.get', async () => {
    const chat = tenant.chats().find((c) => c.kind === 'tasks')!;
    const r = await call(portal, `${hook}im.dialog.messages.get`, { DIALOG_ID: chat.dialogId });
    expectShape(r.body, 'im.dialog.messages.get.response');
  });

  it('im.dialog.read, read.all, unread, recent.unread, notify.read.all, revision.get', async () => {
    const chat = tenant.chats().find((c) => c.kind === 'chat' && c.counter > 0)!;
    expectShape((await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: chat.dialogId })).body, 'im.dialog.read.response');
    expectShape((await call(portal, `${hook}im.dialog.unread`, { DIALOG_ID: chat.dialogId, MESSAGE_ID: chat.lastMessageId })).body, 'im.dialog.unread.response');
    expectShape((await call(portal, `${hook}im.recent.unread`, { DIALOG_ID: chat.dialogId, ACTION: 'N' })).body, 'im.recent.unread.response');
    expectShape((await call(portal, `${hook}im.notify.read.all`)).body, 'im.notify.read.all.response');
    expectShape((await call(portal, `${hook}im.revision.get`)).body, 'im.revision.get.response');
    expectShape((await call(portal, `${hook}im.dialog.read.all`)).body, 'im.dialog.read.all.response');
  });

  it('im.dialog.read with nothing accessible is the bare `false` of the old example', async () => {
    const r = await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: '99999' });
    expect(r.body.result).toBe(false);
    expect(shapeDiff(r.body, { ...(fixture('seed.im.dialog.read.false') as object), time: {} }, [/\.time$/])).toEqual([]);
  });

  it('error examples, code and text', async () => {
    for (const [method, params, name] of [
      ['im.dialog.read', { DIALOG_ID: '' }, 'im.dialog.read.error'],
      ['im.dialog.get', {}, 'im.dialog.get.error'],
      ['im.dialog.messages.get', { DIALOG_ID: 'x1' }, 'im.dialog.messages.get.error'],
      ['im.recent.unread', {}, 'im.recent.unread.error'],
      ['im.dialog.unread', { DIALOG_ID: 'chat1' }, 'im.dialog.unread.error'],
    ] as const) {
      const r = await call(portal, `${hook}${method}`, params);
      expect(r.status).toBe(400);
      expect(r.body).toEqual(fixture(name));
    }
    const bad = hook.replace(/\/[0-9a-f]+\/$/, '/wrongsecret/');
    for (const m of ['im.counters.get', 'im.recent.list', 'im.recent.get', 'im.dialog.read.all', 'im.notify.read.all', 'im.revision.get']) {
      const r = await call(portal, `${bad}${m}.json`);
      expect(r.status).toBe(401);
      expect(r.body).toEqual(fixture(`${m}.error`));
    }
  });

  it('batch: success and per-call scope errors like the examples', async () => {
    const chat = tenant.chats()[0]!;
    const r = await call(portal, `${hook}batch`, { halt: 0, cmd: { a: 'im.revision.get', b: `im.recent.list?LIMIT=1` , c: `im.dialog.get?DIALOG_ID=${chat.dialogId}` } });
    const ex = fixture('batch.response') as { result: { result_time: Record<string, object> }; time: object };
    expect(Object.keys(r.body)).toEqual(['result', 'time']);
    expect(Object.keys(r.body.result)).toEqual(['result', 'result_error', 'result_total', 'result_next', 'result_time']);
    expect(r.body.result.result_error).toEqual([]);
    expect(r.body.result.result_total).toEqual({ b: -1 });
    expect(shapeDiff(r.body.time, ex.time)).toEqual([]);
    // Sub-calls of a webhook are metered, so their times carry the operating fields (docs §3).
    const subTime = { ...ex.result.result_time.get_user, operating: 0, operating_reset_at: 0 };
    for (const k of ['a', 'b', 'c']) expect(shapeDiff(r.body.result.result_time[k], subTime)).toEqual([]);

    const noIm = tenant.addWebhook({ scopes: ['user', 'department'] });
    const e = await call(portal, `${noIm}batch`, { halt: 0, cmd: { get_user: 'im.counters.get', get_department: 'im.recent.list' } });
    expect(e.status).toBe(200);
    expect(shapeDiff(e.body, fixture('batch.error'))).toEqual([]);
    expect(e.body.result).toEqual((fixture('batch.error') as { result: unknown }).result);
  });
});
