import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RestErrorKind } from './errors.ts';
import { classifyErrorCode, normalizePhpMap, parseBatchPayload, parseResponse } from './parse.ts';
import type { Counters, DialogReadResult, RawResponse, RecentListResult } from './types.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/bitrix24-docs/', import.meta.url));
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
const fixture = (name: string): string => readFileSync(FIXTURES + name, 'utf8');
const raw = (body: string, status = 200, contentType = 'application/json'): RawResponse => ({ status, body, contentType });

describe('official response examples', () => {
  it('has the fixtures', () => expect(fixtureNames.length).toBeGreaterThanOrEqual(28));

  it.each(fixtureNames.filter((n) => !n.includes('.error')))('%s parses as a success envelope', (name) => {
    const parsed = parseResponse(raw(fixture(name)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope.result).toEqual(JSON.parse(fixture(name)).result);
    expect(typeof parsed.envelope.time.start).toBe('number');
  });

  it.each(fixtureNames.filter((n) => n.includes('.error') && !n.startsWith('batch')))('%s parses as a typed error', (name) => {
    const body = JSON.parse(fixture(name)) as { error: string; error_description: string };
    const status = body.error === 'INVALID_CREDENTIALS' ? 401 : 400;
    const parsed = parseResponse(raw(fixture(name), status));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe(body.error);
    expect(parsed.error.description).toBe(body.error_description);
    expect(parsed.error.kind).toBe(body.error === 'INVALID_CREDENTIALS' ? 'auth' : 'request');
    expect(parsed.error.status).toBe(status);
  });

  it('reads envelope fields: operating time, total, next, result false', () => {
    const read = parseResponse<DialogReadResult>(raw(fixture('im.dialog.read.response.json')));
    expect(read.ok && read.envelope.result.counter).toBe(3);
    expect(read.ok && read.envelope.time.operating_reset_at).toBe(1772625512);

    const notChanged = parseResponse<false>(raw(fixture('seed.im.dialog.read.false.json')));
    expect(notChanged).toMatchObject({ ok: true, envelope: { result: false, time: { start: 0 } } });

    const list = parseResponse<RecentListResult>(raw(fixture('im.recent.list.response.json')));
    expect(list.ok && Array.isArray(list.envelope.result.items)).toBe(true);
    expect(list.ok && list.envelope.total).toBe(JSON.parse(fixture('im.recent.list.response.json')).total);

    const counters = parseResponse<Counters>(raw(fixture('im.counters.get.response.json')));
    expect(counters.ok && normalizePhpMap(counters.envelope.result.CHAT)).toEqual({});
    expect(counters.ok && normalizePhpMap(counters.envelope.result.CHAT_MUTED)).toEqual({ 1317: 1, 1319: 1 });
  });

  it('normalises batch payloads with [] maps', () => {
    const ok = parseResponse(raw(fixture('batch.response.json')));
    const payload = ok.ok ? parseBatchPayload(ok.envelope.result) : undefined;
    expect(payload?.result_error).toEqual({});
    expect(payload?.result_next).toEqual({});
    expect(payload?.result_total).toEqual({ get_department: 1 });
    expect(Object.keys(payload?.result ?? {})).toEqual(['get_user', 'get_department']);
    expect(payload?.result_time.get_user?.duration).toBeGreaterThan(0);

    for (const name of ['batch.error.json', 'batch.error-2.json']) {
      const parsed = parseResponse(raw(fixture(name)));
      const errors = parsed.ok ? parseBatchPayload(parsed.envelope.result) : undefined;
      expect(errors?.result).toEqual({});
      expect(errors?.result_time).toEqual({});
      expect(errors?.result_error.get_user).toEqual({ error: 'insufficient_scope', error_description: '' });
    }
    expect(parseBatchPayload([])).toBeUndefined();
    expect(parseBatchPayload({ result: ['a', 'b'], result_error: { x: 'junk' } })).toMatchObject({
      result: { 0: 'a', 1: 'b' },
      result_error: { x: { error: 'ERROR_UNEXPECTED_ANSWER' } },
    });
  });
});

describe('error classification (the REST docs: error codes)', () => {
  const table: Array<[string, number, RestErrorKind]> = [
    ['expired_token', 401, 'auth'],
    ['invalid_token', 401, 'auth'],
    ['NO_AUTH_FOUND', 401, 'auth'],
    ['INVALID_CREDENTIALS', 401, 'auth'],
    ['INVALID_CREDENTIALS', 403, 'auth'],
    ['session_failed', 401, 'auth'],
    ['access_denied', 401, 'auth'],
    ['authorization_error', 401, 'auth'],
    ['insufficient_scope', 401, 'auth'],
    ['insufficient_scope', 403, 'auth'],
    ['user_access_error', 403, 'auth'],
    ['WRONG_AUTH_TYPE', 403, 'auth'],
    ['METHOD_CONFIRM_WAITING', 401, 'auth'],
    ['METHOD_CONFIRM_DENIED', 403, 'auth'],
    ['QUERY_LIMIT_EXCEEDED', 503, 'rate'],
    ['OPERATION_TIME_LIMIT', 429, 'operating'],
    ['ERROR_METHOD_NOT_FOUND', 404, 'method_not_found'],
    ['ACCESS_DENIED', 403, 'access'],
    ['ACCESS_DENIED', 401, 'access'],
    ['ACCESS_ERROR', 403, 'access'],
    ['PORTAL_DELETED', 500, 'access'],
    ['PORTAL_DELETED', 403, 'access'],
    ['OVERLOAD_LIMIT', 503, 'overload'],
    ['OVERLOAD_LIMIT', 401, 'overload'],
    ['ERROR_ARGUMENT', 400, 'request'],
    ['ERROR_CORE', 400, 'request'],
    ['INVALID_REQUEST', 400, 'request'],
    ['INVALID_REQUEST', 401, 'request'],
    ['ERROR_BATCH_LENGTH_EXCEEDED', 400, 'request'],
    ['ERROR_BATCH_METHOD_NOT_ALLOWED', 405, 'request'],
    ['DIALOG_ID_EMPTY', 400, 'request'],
    ['MESSAGE_ID_ERROR', 400, 'request'],
    ['CHAT_ID_EMPTY', 400, 'request'],
    ['FIRST_ID_STRING', 400, 'request'],
    ['LAST_ID_STRING', 400, 'request'],
    ['INTERNAL_SERVER_ERROR', 500, 'server'],
    ['ERROR_UNEXPECTED_ANSWER', 500, 'server'],
    ['SOMETHING_NEW', 400, 'unknown'],
    ['SOMETHING_NEW', 403, 'unknown'],
    ['SOMETHING_NEW', 502, 'server'],
  ];

  it.each(table)('%s (HTTP %i) → %s', (code, status, kind) => {
    expect(classifyErrorCode(code, status)).toBe(kind);
    const parsed = parseResponse(raw(JSON.stringify({ error: code, error_description: 'd' }), status));
    expect(parsed.ok ? undefined : parsed.error.kind).toBe(kind);
  });

  it('keeps extra error fields and marks server faults as maybe executed', () => {
    const parsed = parseResponse(raw(JSON.stringify({ error: 'session_failed', error_description: 'Sessid check failed', sessid: 'abc' }), 401));
    expect(parsed.ok ? undefined : parsed.error.extra).toEqual({ sessid: 'abc' });
    const server = parseResponse(raw(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR' }), 500));
    expect(server.ok ? undefined : server.error.maybeExecuted).toBe(true);
    const rate = parseResponse(raw(JSON.stringify({ error: 'QUERY_LIMIT_EXCEEDED' }), 503));
    expect(rate.ok ? undefined : [rate.error.maybeExecuted, rate.error.transient]).toEqual([false, true]);
  });
});

describe('bodies that are not a JSON envelope', () => {
  const secretUrl = 'https://x.bitrix24.ru/rest/1/abcdefgh12345678/im.dialog.read.json';

  it('an HTML login page → not_json with a short description', () => {
    const html = `<!DOCTYPE html>\n<html><head><title>Authorization</title></head><body>${'x'.repeat(5000)} ${secretUrl}</body></html>`;
    const parsed = parseResponse(raw(html, 200, 'text/html; charset=utf-8'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatchObject({ kind: 'not_json', code: 'NOT_JSON', status: 200 });
    expect(parsed.error.maybeExecuted).toBe(true);
    expect(parsed.error.description).toContain('text/html');
    expect(parsed.error.description.length).toBeLessThan(180);
  });

  it('never shows a webhook secret from the body', () => {
    const parsed = parseResponse(raw(`Error at ${secretUrl} sessid=s3cr3t`, 401, 'text/plain'));
    const text = parsed.ok ? '' : parsed.error.description + parsed.error.message;
    expect(text).not.toContain('abcdefgh12345678');
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('/rest/1/***');
    const described = parseResponse(raw(JSON.stringify({ error: 'X', error_description: `bad ${secretUrl}` }), 400));
    expect(described.ok ? '' : described.error.description).not.toContain('abcdefgh12345678');
  });

  it('truncated JSON, empty bodies, JSON without result', () => {
    for (const body of ['{"result": {"items": [', '', '   ', '[]', '"hi"', '{"foo": 1}', 'null']) {
      const parsed = parseResponse(raw(body, 401));
      expect(parsed.ok ? undefined : parsed.error.kind).toBe('not_json');
    }
    const empty = parseResponse(raw('', 401));
    expect(empty.ok ? '' : empty.error.description).toContain('empty body');
    const notExecuted = parseResponse(raw('', 401));
    expect(notExecuted.ok ? undefined : notExecuted.error.maybeExecuted).toBe(false);
  });

  it('5xx without JSON → server; a 503 page is not "maybe executed"', () => {
    const bad = parseResponse(raw('<html>502 Bad Gateway</html>', 502, 'text/html'));
    expect(bad.ok ? undefined : [bad.error.kind, bad.error.code, bad.error.maybeExecuted]).toEqual(['server', 'HTTP_502', true]);
    const busy = parseResponse(raw('Service Unavailable', 503, 'text/plain'));
    expect(busy.ok ? undefined : [busy.error.kind, busy.error.maybeExecuted]).toEqual(['server', false]);
  });

  it('refuses oversized bodies', () => {
    const big = parseResponse(raw(`{"result":"${'a'.repeat(2000)}"}`), 1000);
    expect(big.ok ? undefined : [big.error.kind, big.error.code]).toEqual(['not_json', 'RESPONSE_TOO_LARGE']);
    const truncated = parseResponse({ status: 200, body: '{"res', truncated: true });
    expect(truncated.ok ? undefined : truncated.error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('accepts a UTF-8 BOM and numeric strings in total/next', () => {
    const parsed = parseResponse(raw('\uFEFF{"result":[1],"total":"7","next":"50"}'));
    expect(parsed).toMatchObject({ ok: true, envelope: { result: [1], total: 7, next: 50 } });
  });
});
