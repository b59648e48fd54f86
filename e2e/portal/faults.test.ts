// Injected faults: each answers the next matching REST requests instead of the portal.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer } from './index.ts';
import { call, freshHost } from './test-helpers.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: { dialogs: 3, groups: 3, messagesPerChat: 2 } });
});
afterAll(() => portal.close());

describe('faults', () => {
  it('503 / 429 / 500 answer with the docs error codes, then the portal answers again', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const cases = [
      ['503', 503, 'QUERY_LIMIT_EXCEEDED'],
      ['429', 429, 'OPERATION_TIME_LIMIT'],
      ['500', 500, 'INTERNAL_SERVER_ERROR'],
    ] as const;
    for (const [kind, status, code] of cases) {
      t.faults.inject({ kind, times: 2 });
      for (let i = 0; i < 2; i++) {
        const r = await call(portal, `${hook}im.counters.get`);
        expect([r.status, r.body.error]).toEqual([status, code]);
      }
      expect((await call(portal, `${hook}im.counters.get`)).status).toBe(200);
    }
    expect(t.log.filter((e) => e.error === 'QUERY_LIMIT_EXCEEDED')).toHaveLength(2);
  });

  it('an injected 503 does not fill the bucket', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: '503', times: 5 });
    for (let i = 0; i < 5; i++) await call(portal, `${hook}im.counters.get`);
    expect(t.bucketLevel()).toBe(0);
  });

  it('drop closes the connection without an answer', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: 'drop', times: 1 });
    await expect(portal.fetch(`${hook}im.counters.get`)).rejects.toThrow(TypeError);
    expect(t.log.at(-1)).toMatchObject({ status: 0, error: 'drop' });
    expect((await call(portal, `${hook}im.counters.get`)).status).toBe(200);
  });

  it('drop-after runs the call, then closes the connection without an answer', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const [chat] = t.chats().filter((c) => c.counter > 0);
    t.faults.inject({ kind: 'drop-after', times: 1, methods: ['im.dialog.read'] });
    await expect(portal.fetch(`${hook}im.dialog.read.json?DIALOG_ID=${chat!.dialogId}`)).rejects.toThrow(TypeError);
    expect(t.log.at(-1)).toMatchObject({ status: 0, error: 'drop-after' });
    expect(t.readEvents.map((e) => e.dialogId)).toEqual([chat!.dialogId]);
    expect(t.chat(chat!.dialogId)!.counter).toBe(0);
  });

  it('cut-after runs the call and sends half an answer', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const [chat] = t.chats().filter((c) => c.counter > 0);
    t.faults.inject({ kind: 'cut-after', times: 1 });
    await expect(portal.fetch(`${hook}im.dialog.read.json?DIALOG_ID=${chat!.dialogId}`)).rejects.toThrow(TypeError);
    expect(t.log.at(-1)).toMatchObject({ status: 200, error: 'cut-after' });
    expect(t.chat(chat!.dialogId)!.counter).toBe(0);
  });

  it('huge answers 200 with 21 MB of valid JSON', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: 'huge', times: 1 });
    const r = await portal.fetch(`${hook}im.counters.get`);
    expect(Number(r.headers.get('content-length'))).toBeGreaterThan(21 * 1024 * 1024);
    expect(t.log.at(-1)).toMatchObject({ status: 200, error: 'huge' });
  });

  it('error answers any code and status (a code the client does not know)', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: 'error', times: 1, error: 'BRAND_NEW_CODE', status: 418 });
    const r = await call(portal, `${hook}im.counters.get`);
    expect([r.status, r.body.error]).toEqual([418, 'BRAND_NEW_CODE']);
    t.faults.inject({ kind: 'error', times: 1 });
    expect((await call(portal, `${hook}im.counters.get`)).body.error).toBe('UNKNOWN_FAULT');
  });

  it('html answers 200 with a login page; garbage answers 200 with truncated JSON', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: 'html', times: 1 });
    const h = await call(portal, `${hook}im.counters.get`);
    expect(h.status).toBe(200);
    expect(h.headers.get('content-type')).toContain('text/html');
    expect(h.text).toContain('USER_LOGIN');
    t.faults.inject({ kind: 'garbage', times: 1 });
    const g = await call(portal, `${hook}im.counters.get`);
    expect(g.status).toBe(200);
    expect(g.headers.get('content-type')).toContain('application/json');
    expect(() => JSON.parse(g.text)).toThrow();
  });

  it('methods filter (a batch matches by its sub-calls too) and afterRequests', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.faults.inject({ kind: '500', times: 2, methods: ['im.dialog.read'], afterRequests: 1 });
    expect((await call(portal, `${hook}im.counters.get`)).status).toBe(200);
    expect((await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: '99999' })).status).toBe(200);
    expect((await call(portal, `${hook}batch`, { cmd: { a: 'im.dialog.read?DIALOG_ID=99999' } })).status).toBe(500);
    expect((await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: '99999' })).status).toBe(500);
    expect((await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: '99999' })).status).toBe(200);
    expect(t.faults.pending()).toEqual([]);
    t.faults.inject({ kind: '503', times: 9 });
    t.faults.clear();
    expect((await call(portal, `${hook}im.counters.get`)).status).toBe(200);
  });

  it('faults come before auth: an unauthenticated call is answered by the fault too', async () => {
    const t = portal.tenant(freshHost());
    t.faults.inject({ kind: '503', times: 1 });
    expect((await call(portal, `${t.origin}/rest/im.counters.get.json`)).status).toBe(503);
    expect((await call(portal, `${t.origin}/rest/im.counters.get.json`)).status).toBe(401);
  });
});
