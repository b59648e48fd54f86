import { describe, expect, it } from 'vitest';
import { FakeClock } from '../throttle/fake-clock.ts';
import { LeakyBucket } from '../throttle/leaky-bucket.ts';
import { RestClient } from './client.ts';
import { RestError } from './errors.ts';
import { TransportError } from './types.ts';
import { maskedWebhookUrl, parseWebhookUrl, redactWebhook, WebhookTransport, type WebhookUrlProblem } from './webhook-transport.ts';

const SECRET = 'a1b2c3d4e5f6g7h8';
const GOOD = `https://mycompany.bitrix24.ru/rest/17/${SECRET}/`;

describe('parseWebhookUrl', () => {
  it('accepts the webhook form, with or without trailing slash, trimmed', () => {
    for (const input of [GOOD, GOOD.slice(0, -1), `  ${GOOD}\n`, `HTTPS://MyCompany.Bitrix24.RU/rest/17/${SECRET}/`]) {
      expect(parseWebhookUrl(input)).toEqual({ ok: true, webhook: { origin: 'https://mycompany.bitrix24.ru', userId: 17, secret: SECRET } });
    }
    expect(parseWebhookUrl(`https://crm.example.com:8443/rest/1/${SECRET}`)).toMatchObject({ ok: true, webhook: { origin: 'https://crm.example.com:8443' } });
    expect(parseWebhookUrl(`https://localhost/rest/1/${SECRET}/`).ok).toBe(true);
  });

  const bad: Array<[string, WebhookUrlProblem]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    [`http://mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'not_https'],
    [`ftp://mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'not_url'],
    [`mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'not_url'],
    [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/ extra`, 'not_url'],
    [`https://my\tcompany.bitrix24.ru/rest/17/${SECRET}/`, 'not_url'],
    [`https://user:pass@mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'credentials'],
    [`https://user@mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'credentials'],
    [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/?auth=x`, 'query'],
    [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/#frag`, 'fragment'],
    [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/profile.json`, 'path'],
    [`https://mycompany.bitrix24.ru/rest/17/`, 'path'],
    [`https://mycompany.bitrix24.ru/marketplace/hook/17/${SECRET}/`, 'path'],
    [`https://mycompany.bitrix24.ru/rest/17/../1/${SECRET}/`, 'path'],
    [`https://mycompany.bitrix24.ru/`, 'path'],
    [`https://mycompany.bitrix24.ru/rest/abc/${SECRET}/`, 'user_id'],
    [`https://mycompany.bitrix24.ru/rest/0/${SECRET}/`, 'user_id'],
    [`https://mycompany.bitrix24.ru/rest/17/short/`, 'secret'],
    [`https://mycompany.bitrix24.ru/rest/17/${'a'.repeat(65)}/`, 'secret'],
    [`https://mycompany.bitrix24.ru/rest/17/abc-def_ghi/`, 'secret'],
    [`https://192.168.1.10/rest/17/${SECRET}/`, 'host'],
    [`https://[::1]/rest/17/${SECRET}/`, 'host'],
    [`https://intranet/rest/17/${SECRET}/`, 'host'],
    [`https://bad_host.example.com/rest/17/${SECRET}/`, 'host'],
    [`https://${'a'.repeat(2100)}.ru/rest/1/${SECRET}/`, 'too_long'],
    [`https://x.ru/rest/1/${SECRET}/${'a'.repeat(5 * 1024 * 1024)}`, 'too_long'],
  ];

  it.each(bad)('%s → %s', (input, problem) => {
    const check = parseWebhookUrl(input);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toBe(problem);
    expect(check.message).not.toContain(SECRET);
  });
});

describe('redaction', () => {
  it('masks the secret in any text', () => {
    expect(redactWebhook(`fetch ${GOOD}im.dialog.read.json failed`)).toBe('fetch https://mycompany.bitrix24.ru/rest/17/***/im.dialog.read.json failed');
    expect(redactWebhook(`https://x.bitrix24.ru/rest/1/${SECRET}`)).toBe('https://x.bitrix24.ru/rest/1/***');
    expect(redactWebhook('a /rest/5/abc/ b /rest/6/def/x')).toBe('a /rest/5/***/ b /rest/6/***/x');
    expect(redactWebhook(encodeURIComponent(GOOD))).not.toContain(SECRET);
    expect(redactWebhook('/rest/api/crm.item.list')).toBe('/rest/api/crm.item.list');
    expect(redactWebhook(redactWebhook(GOOD))).toBe('https://mycompany.bitrix24.ru/rest/17/***/');
    const parsed = parseWebhookUrl(GOOD);
    expect(parsed.ok && maskedWebhookUrl(parsed.webhook)).toBe('https://mycompany.bitrix24.ru/rest/17/***/');
  });
});

describe('WebhookTransport', () => {
  function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fn = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(input), init: init ?? {} });
      return answer(String(input), init ?? {});
    }) as typeof fetch;
    return { fn, calls };
  }

  it('POSTs JSON to <base><method>.json without cookies', async () => {
    const { fn, calls } = fakeFetch(() => new Response('{"result":true}', { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' } }));
    const transport = new WebhookTransport(GOOD, { fetch: fn });
    expect(transport.portal).toBe('https://mycompany.bitrix24.ru');
    expect(transport.kind).toBe('webhook');
    expect(JSON.stringify(transport)).not.toContain(SECRET);
    const raw = await transport.send('im.dialog.read', { DIALOG_ID: 'chat1' }, new AbortController().signal);
    expect(raw).toEqual({ status: 200, body: '{"result":true}', contentType: 'application/json; charset=utf-8' });
    expect(calls[0]?.url).toBe(`${GOOD}im.dialog.read.json`);
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: '{"DIALOG_ID":"chat1"}',
      credentials: 'omit',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  });

  it('refuses an invalid URL without echoing the secret, and bad method names', async () => {
    expect(() => new WebhookTransport(`http://x.bitrix24.ru/rest/1/${SECRET}/`)).toThrow(/not_https/);
    try {
      new WebhookTransport(`https://x.bitrix24.ru/rest/1/${SECRET}/?a=1`);
    } catch (error) {
      expect(String(error)).not.toContain(SECRET);
    }
    const transport = new WebhookTransport(GOOD, { fetch: fakeFetch(() => new Response('')).fn });
    await expect(transport.send('../../x', {}, new AbortController().signal)).rejects.toBeInstanceOf(TransportError);
  });

  it('masks the secret in network errors', async () => {
    const { fn } = fakeFetch((url) => {
      throw new TypeError(`fetch failed: getaddrinfo ENOTFOUND ${url}`);
    });
    const transport = new WebhookTransport(GOOD, { fetch: fn });
    const error = await transport.send('im.counters.get', {}, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(String((error as Error).message)).not.toContain(SECRET);
    expect(String((error as Error).message)).toContain('/rest/17/***/');

    const client = new RestClient({ transport, bucket: new LeakyBucket('standard', { clock: new FakeClock() }), clock: new FakeClock() });
    const restError = await client.call('im.counters.get').catch((e: unknown) => e);
    expect(restError).toBeInstanceOf(RestError);
    expect(JSON.stringify({ ...(restError as RestError), message: (restError as RestError).message })).not.toContain(SECRET);
  });

  it('does not follow redirects and caps the body size', async () => {
    const redirect = new WebhookTransport(GOOD, {
      fetch: fakeFetch(() => new Response(null, { status: 302, headers: { Location: 'https://evil.example/' } })).fn,
    });
    expect((await redirect.send('a.b', {}, new AbortController().signal)).status).toBe(302);

    const big = new WebhookTransport(GOOD, { fetch: fakeFetch(() => new Response('x'.repeat(5000))).fn, maxBodyBytes: 1000 });
    expect(await big.send('a.b', {}, new AbortController().signal)).toMatchObject({ truncated: true });

    const declared = new WebhookTransport(GOOD, {
      fetch: fakeFetch(() => new Response('x', { headers: { 'Content-Length': String(50 * 1024 * 1024) } })).fn,
    });
    expect(await declared.send('a.b', {}, new AbortController().signal)).toMatchObject({ truncated: true, body: '' });

    const utf8 = new WebhookTransport(GOOD, { fetch: fakeFetch(() => new Response('{"result":"привет"}')).fn });
    expect((await utf8.send('a.b', {}, new AbortController().signal)).body).toBe('{"result":"привет"}');
  });
});
