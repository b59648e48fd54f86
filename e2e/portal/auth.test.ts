// Session (cookie + sessid) and webhook auth, with the docs' error codes and statuses (§1.1, §1.4).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type PortalServer } from './index.ts';
import { SMALL_SEED, call, freshHost, sessionCall } from './test-helpers.ts';

let portal: PortalServer;
beforeAll(async () => {
  portal = await startPortal({ seed: SMALL_SEED });
});
afterAll(() => portal.close());

const err = (r: { status: number; body: { error?: string; error_description?: string } }): [number, string | undefined, string | undefined] => [
  r.status, r.body.error, r.body.error_description,
];

describe('session auth', () => {
  it('works with the sessid param (form, query, JSON) or the X-Bitrix-Csrf-Token header', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const cookie = { Cookie: `PHPSESSID=${s.cookieValue}` };
    const url = `${t.origin}/rest/im.counters.get.json`;
    expect((await sessionCall(portal, t, 'im.counters.get', {}, s)).status).toBe(200);
    expect((await call(portal, url, { sessid: s.sessid }, { encoding: 'query', headers: cookie })).status).toBe(200);
    expect((await call(portal, url, { sessid: s.sessid }, { encoding: 'json', headers: cookie })).status).toBe(200);
    const viaHeader = await call(portal, `${t.origin}/rest/im.counters.get`, {}, { headers: { ...cookie, 'X-Bitrix-Csrf-Token': s.sessid } });
    expect(viaHeader.status).toBe(200);
    // Session calls are not metered: no operating fields.
    expect(Object.keys(viaHeader.body.time)).toEqual(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish']);
    expect(t.log.at(-1)).toMatchObject({ auth: 'session', restMethod: 'im.counters.get', status: 200 });
  });

  it('no sessid and no other auth → 401 NO_AUTH_FOUND, even with a valid cookie', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const r = await call(portal, `${t.origin}/rest/im.counters.get.json`, {}, { headers: { Cookie: `PHPSESSID=${s.cookieValue}` } });
    expect(err(r)).toEqual([401, 'NO_AUTH_FOUND', 'Wrong authorization data']);
    expect(t.log.at(-1)?.auth).toBe('none');
  });

  it('sessid without a session cookie, or after logout → 401 access_denied', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    const r = await call(portal, `${t.origin}/rest/im.counters.get.json`, { sessid: s.sessid });
    expect(err(r)).toEqual([401, 'access_denied', 'User not authorized']);
    t.logout();
    expect(err(await sessionCall(portal, t, 'im.counters.get', {}, s))).toEqual([401, 'access_denied', 'User not authorized']);
  });

  it('a wrong or rotated sessid → 401 session_failed; the new one works', async () => {
    const t = portal.tenant(freshHost());
    const s = t.login();
    expect(err(await sessionCall(portal, t, 'im.counters.get', {}, { ...s, sessid: 'bogus' }))).toEqual([401, 'session_failed', 'Sessid check failed']);
    const fresh = t.rotateSessid();
    expect(err(await sessionCall(portal, t, 'im.counters.get', {}, s))).toEqual([401, 'session_failed', 'Sessid check failed']);
    expect((await sessionCall(portal, t, 'im.counters.get', {}, { ...s, sessid: fresh })).status).toBe(200);
    expect(t.log.at(-2)?.auth).toBe('session');
  });

  it('keeps working when REST is off for the plan (the gate is for webhooks)', async () => {
    const t = portal.tenant(freshHost());
    t.setRestAvailable(false);
    expect((await sessionCall(portal, t, 'im.recent.list')).status).toBe(200);
  });
});

describe('webhook auth', () => {
  it('answers with the .json suffix or without it, for any letter case of the method', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    expect(hook).toMatch(new RegExp(`^https://${t.host.replace(/\./g, '\\.')}/rest/1/[0-9a-f]+/$`));
    for (const m of ['im.counters.get', 'im.counters.get.json', 'IM.Counters.Get']) {
      const r = await call(portal, `${hook}${m}`);
      expect(r.status).toBe(200);
      expect(r.body.time.operating).toBeTypeOf('number');
      expect(r.body.time.operating_reset_at).toBeTypeOf('number');
    }
    expect(t.log.at(-1)?.path).toMatch(/^\/rest\/1\/\*\*\*\/IM\.Counters\.Get$/);
    expect(t.log.at(-1)?.auth).toBe('webhook');
  });

  it('unknown secret, wrong user id, revoked or expired → 401 INVALID_CREDENTIALS', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const expected = [401, 'INVALID_CREDENTIALS', 'Invalid request credentials'];
    expect(err(await call(portal, `${hook.replace(/[0-9a-f]+\/$/, 'deadbeef/')}im.counters.get`))).toEqual(expected);
    expect(err(await call(portal, `${hook.replace('/rest/1/', '/rest/2/')}im.counters.get`))).toEqual(expected);
    expect(err(await call(portal, `${t.addWebhook({ expired: true })}im.counters.get`))).toEqual(expected);
    t.revokeWebhook(hook);
    expect(err(await call(portal, `${hook}im.counters.get`))).toEqual(expected);
  });

  it('a webhook without the im scope → 401 insufficient_scope', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook({ scopes: ['crm', 'user'] });
    const r = await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: 'chat1' });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('insufficient_scope');
  });

  it('another user\'s session cookie on a webhook call → 401 authorization_error; the same user\'s is fine', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    const other = t.login(7);
    const r = await call(portal, `${hook}im.counters.get`, {}, { headers: { Cookie: `PHPSESSID=${other.cookieValue}` } });
    expect(err(r).slice(0, 2)).toEqual([401, 'authorization_error']);
    const mine = t.login();
    expect((await call(portal, `${hook}im.counters.get`, {}, { headers: { Cookie: `PHPSESSID=${mine.cookieValue}` } })).status).toBe(200);
  });

  it('REST off for the plan → 403 ACCESS_DENIED', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    t.setRestAvailable(false);
    expect(err(await call(portal, `${hook}im.counters.get`))).toEqual([403, 'ACCESS_DENIED', 'REST API is available only on commercial plans']);
  });

  it('unknown or disabled methods → 404 ERROR_METHOD_NOT_FOUND', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook();
    expect(err(await call(portal, `${hook}im.nonexistent`))).toEqual([404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!']);
    t.disableMethod('im.dialog.read.all');
    expect(err(await call(portal, `${hook}im.dialog.read.all`))[1]).toBe('ERROR_METHOD_NOT_FOUND');
    expect(err(await sessionCall(portal, t, 'im.dialog.read.all'))[1]).toBe('ERROR_METHOD_NOT_FOUND');
  });

  it('another user\'s webhook sees an empty messenger', async () => {
    const t = portal.tenant(freshHost());
    const hook = t.addWebhook({ userId: 5 });
    const r = await call(portal, `${hook}im.recent.list`);
    expect(r.body.result.items).toEqual([]);
    expect((await call(portal, `${hook}im.dialog.read`, { DIALOG_ID: t.chats()[0]!.dialogId })).body.result).toBe(false);
  });
});
