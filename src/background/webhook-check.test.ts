import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: { local: { get: async () => ({}), set: async () => undefined, remove: async () => undefined } },
    permissions: { contains: async () => true },
  },
}));

import { checkWebhook } from './webhook-check.ts';
import counters from '../core/rest/fixtures/bitrix24-docs/im.counters.get.response.json' with { type: 'json' };

const SECRET = 'k9j8h7g6f5d4s3a2';
const URL_OK = `https://mycompany.bitrix24.ru/rest/17/${SECRET}/`;

type Answer = { status: number; body: string; contentType?: string } | Error;

function fakeFetch(answer: Answer) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(String(input));
    expect(init?.credentials).toBe('omit');
    if (answer instanceof Error) throw answer;
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType ?? 'application/json' } });
  };
  return { fetch, calls };
}

function json(status: number, body: unknown): Answer {
  return { status, body: JSON.stringify(body) };
}

const base = { hasHostAccess: async () => true, bucket: { capacity: 50, drainPerSec: 2 } };

describe('checkWebhook', () => {
  it('a working webhook: ok with the portal, user and TYPE.ALL from im.counters.get', async () => {
    const { fetch, calls } = fakeFetch(json(200, counters));
    const view = await checkWebhook(URL_OK, { ...base, fetch });
    expect(view).toEqual({ ok: true, origin: 'https://mycompany.bitrix24.ru', userId: 17, totalUnread: 5 });
    expect(calls).toEqual([`https://mycompany.bitrix24.ru/rest/17/${SECRET}/im.counters.get.json`]);
  });

  it('a malformed URL is refused before any request, with a localized key per problem', async () => {
    const { fetch, calls } = fakeFetch(json(200, counters));
    expect(await checkWebhook(`http://mycompany.bitrix24.ru/rest/17/${SECRET}/`, { ...base, fetch })).toEqual({
      ok: false,
      message: { key: 'webhookProblem_not_https' },
      code: 'URL_NOT_HTTPS',
    });
    expect(await checkWebhook('not a url', { ...base, fetch })).toMatchObject({ message: { key: 'webhookProblem_not_url' } });
    expect(await checkWebhook(`${URL_OK}im.counters.get`, { ...base, fetch })).toMatchObject({ message: { key: 'webhookProblem_path' } });
    expect(await checkWebhook(undefined as unknown as string, { ...base, fetch })).toMatchObject({ message: { key: 'webhookProblem_empty' } });
    expect(calls).toEqual([]);
  });

  it('an origin the extension cannot reach is named, not sent to', async () => {
    const { fetch, calls } = fakeFetch(json(200, counters));
    const view = await checkWebhook(`https://b24.example.com/rest/1/${SECRET}/`, { ...base, fetch, hasHostAccess: async () => false });
    expect(view).toEqual({ ok: false, message: { key: 'webhookCheckNoHostAccess', substitutions: ['https://b24.example.com'] }, code: 'NO_HOST_ACCESS' });
    expect(calls).toEqual([]);
  });

  const failures: Array<[string, Answer, string, string]> = [
    ['no im scope', json(401, { error: 'insufficient_scope', error_description: 'The request requires higher privileges' }), 'webhookCheckScope', 'insufficient_scope'],
    ['REST not on the plan', json(403, { error: 'ACCESS_DENIED', error_description: 'REST API is available only on commercial plans' }), 'webhookCheckNoRest', 'ACCESS_DENIED'],
    ['unknown webhook', json(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' }), 'webhookCheckUnknown', 'INVALID_CREDENTIALS'],
    ['no auth found', json(401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }), 'webhookCheckUnknown', 'NO_AUTH_FOUND'],
    ['expired', json(401, { error: 'expired_token', error_description: 'The access token provided has expired' }), 'webhookCheckUnknown', 'expired_token'],
    ['a web page', { status: 200, body: '<!doctype html><title>Login</title>', contentType: 'text/html' }, 'webhookCheckNotRest', 'NOT_JSON'],
    ['a 404 page', { status: 404, body: '<html>Not found</html>', contentType: 'text/html' }, 'webhookCheckNotRest', 'NOT_JSON'],
    ['no answer', new TypeError('Failed to fetch'), 'webhookCheckNetwork', 'NETWORK_ERROR'],
    ['rate limit', json(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }), 'errorRate', 'QUERY_LIMIT_EXCEEDED'],
  ];

  it.each(failures)('%s → plain words', async (_name, answer, key, code) => {
    const { fetch } = fakeFetch(answer);
    const view = await checkWebhook(URL_OK, { ...base, fetch, timeoutMs: 2000 });
    expect(view).toMatchObject({ ok: false, message: { key }, code });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  }, 20_000);

  it('a portal that echoes the secret in its error code does not get it passed on', async () => {
    const { fetch } = fakeFetch(json(400, { error: `BAD_${SECRET}`, error_description: `see /rest/17/${SECRET}/` }));
    const view = await checkWebhook(URL_OK, { ...base, fetch });
    expect(view.ok).toBe(false);
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it('a network error whose text holds the URL does not leak the secret', async () => {
    const { fetch } = fakeFetch(new TypeError(`fetch failed for ${URL_OK}im.counters.get.json`));
    const view = await checkWebhook(URL_OK, { ...base, fetch });
    expect(view).toMatchObject({ ok: false, message: { key: 'webhookCheckNetwork' } });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });
});
