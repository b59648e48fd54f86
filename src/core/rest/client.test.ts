import { describe, expect, it } from 'vitest';
import { FakeClock } from '../throttle/fake-clock.ts';
import { LeakyBucket } from '../throttle/leaky-bucket.ts';
import { RestClient, type RequestInfo, type RestClientOptions } from './client.ts';
import { RestError } from './errors.ts';
import { fail, json, ok, ScriptedTransport, type ScriptStep } from './scripted-transport.ts';
import { TransportError, type BatchCommand } from './types.ts';

function setup(steps: ScriptStep[], options: Partial<RestClientOptions> = {}, fallback?: ScriptStep) {
  const clock = new FakeClock();
  const transport = new ScriptedTransport(steps, fallback);
  const bucket = new LeakyBucket('standard', { clock });
  const requests: RequestInfo[] = [];
  const client = new RestClient({
    transport,
    bucket,
    clock,
    random: () => 0.5, // no jitter
    onRequest: (info) => requests.push(info),
    ...options,
  });
  return { clock, transport, bucket, client, requests };
}

async function rejection(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RestError);
    return error as RestError;
  }
  throw new Error('expected a rejection');
}

/** A fake `batch` endpoint: runs each sub-call with `run` and answers like the portal. */
function batchEndpoint(run: (method: string, query: string, key: string) => { result: unknown } | { error: string }) {
  return (method: string, params: Record<string, unknown>) => {
    expect(method).toBe('batch');
    const cmd = params.cmd as Record<string, string>;
    const result: Record<string, unknown> = {};
    const errors: Record<string, unknown> = {};
    for (const [key, line] of Object.entries(cmd)) {
      const [m, q = ''] = line.split('?');
      const answer = run(m!, q, key);
      if ('error' in answer) {
        errors[key] = { error: answer.error, error_description: '' };
        if (params.halt === 1) break;
      } else result[key] = answer.result;
    }
    const empty = (o: Record<string, unknown>) => (Object.keys(o).length ? o : []);
    return ok({ result: empty(result), result_error: empty(errors), result_total: [], result_next: [], result_time: [] });
  };
}

describe('RestClient.call', () => {
  it('sends through the bucket and returns the envelope', async () => {
    const { client, transport, requests, bucket } = setup([ok({ rest: 32 }, { operating_reset_at: 1772625512 })]);
    const res = await client.call<{ rest: number }>('im.revision.get', { A: 1 });
    expect(res.result.rest).toBe(32);
    expect(transport.sent).toEqual([{ method: 'im.revision.get', params: { A: 1 } }]);
    expect(requests).toEqual([{ method: 'im.revision.get', attempt: 1, status: 200, ms: 0, outcome: 'ok' }]);
    expect(client.operatingResetAt('im.revision.get')).toBe(1772625512000);
    expect((await bucket.snapshot()).level).toBe(1);
  });

  it('refuses bad method names without sending', async () => {
    const { client, transport } = setup([]);
    expect((await rejection(client.call('../secret'))).code).toBe('INVALID_METHOD');
    expect(transport.sent).toHaveLength(0);
  });

  it('never runs two requests at once', async () => {
    const batch = batchEndpoint(() => ({ result: true }));
    const { client, transport } = setup([], {}, async (method, params) => {
      await new Promise((r) => setTimeout(r, 2));
      return method === 'batch' ? batch(method, params) : ok(true);
    });
    await Promise.all([client.call('a.b'), client.call('a.c'), client.batch({ x: { method: 'a.d' } }), client.call('a.e')]);
    expect(transport.sent.map((s) => s.method)).toEqual(['a.b', 'a.c', 'batch', 'a.e']);
    expect(transport.maxInFlight).toBe(1);
  });

  it('503 storm: penalizes, backs off 1.5 s × 1.5^n, then succeeds', async () => {
    const storm = Array.from({ length: 3 }, () => fail(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'));
    const { client, clock, requests } = setup([...storm, ok(true)]);
    const t0 = clock.now();
    await expect(client.call('im.dialog.read.all')).resolves.toMatchObject({ result: true });
    expect(requests.map((r) => r.retryInMs)).toEqual([1500, 2250, 3375, undefined]);
    // Back-off sleeps plus bucket waits after each penalty (full → ceiling − 1 takes 3 s).
    expect(clock.sleeps).toEqual([1500, 1500, 2250, 750, 3375]);
    expect(clock.now() - t0).toBe(1500 + 1500 + 2250 + 750 + 3375);
  });

  it('503 storm that does not end: bounded, then a clear rate error', async () => {
    const { client, transport } = setup([], {}, fail(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'));
    const error = await rejection(client.call('im.counters.get'));
    expect(transport.sent).toHaveLength(6);
    expect(error).toMatchObject({ kind: 'rate', code: 'QUERY_LIMIT_EXCEEDED', status: 503 });
    expect(error.extra.attempts).toBe(6);
    expect(error.maybeExecuted).toBe(false);
  });

  it('a 503 HTML page is handled like the rate limit; jitter stays within ±20 %', async () => {
    const { client, requests } = setup([{ status: 503, body: '<html>busy</html>' }, ok(1)], { random: () => 0.999 });
    await client.call('im.counters.get');
    expect(requests[0]?.retryInMs).toBe(Math.round(1500 * (0.8 + 0.4 * 0.999)));
    const low = setup([fail(503, 'QUERY_LIMIT_EXCEEDED'), ok(1)], { random: () => 0 });
    await low.client.call('im.counters.get');
    expect(low.requests[0]?.retryInMs).toBe(1200);
  });

  it('429 waits until the operating_reset_at of the last success, then retries', async () => {
    const resetAt = 1_772_600_300; // seconds; the clock starts at 1_772_600_000_000 ms
    const { client, clock, transport } = setup([
      ok({}, { operating: 470, operating_reset_at: resetAt }),
      fail(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'),
      ok({ counter: 0 }),
    ]);
    await client.call('im.dialog.messages.get');
    await client.call('im.dialog.messages.get');
    expect(transport.sent).toHaveLength(3);
    expect(clock.sleeps).toEqual([301_000]);
    expect(clock.now()).toBe(resetAt * 1000 + 1000);
  });

  it('429 without a known reset waits 10 s, then 60 s, and gives up after 3 attempts', async () => {
    const { client, clock } = setup([], {}, fail(429, 'OPERATION_TIME_LIMIT'));
    const error = await rejection(client.call('im.recent.list'));
    expect(error.kind).toBe('operating');
    expect(clock.sleeps).toEqual([10_000, 60_000]);
  });

  it('500s and network drops: bounded retries with back-off, then maybeExecuted', async () => {
    const { client, clock, transport } = setup([fail(500, 'INTERNAL_SERVER_ERROR'), new TransportError('Failed to fetch'), ok(7)]);
    await expect(client.call('im.counters.get')).resolves.toMatchObject({ result: 7 });
    expect(transport.sent).toHaveLength(3);
    expect(clock.sleeps).toEqual([1500, 1500]);

    const drops = setup([], {}, new TransportError('Failed to fetch'));
    const error = await rejection(drops.client.call('im.dialog.read', { DIALOG_ID: 'chat1' }));
    expect(drops.transport.sent).toHaveLength(3);
    expect(drops.clock.sleeps).toEqual([1500, 3000]);
    expect(error).toMatchObject({ kind: 'network', code: 'NETWORK_ERROR', status: 0 });
    expect(error.maybeExecuted).toBe(true);

    const fives = setup([], {}, { status: 502, body: 'Bad Gateway' });
    const bad = await rejection(fives.client.call('im.counters.get'));
    expect(fives.transport.sent).toHaveLength(3);
    expect([bad.kind, bad.code, bad.maybeExecuted]).toEqual(['server', 'HTTP_502', true]);
  });

  it('retryAmbiguous: false never resends after a lost answer', async () => {
    const { client, transport } = setup([new TransportError('connection reset'), ok(true)]);
    const error = await rejection(client.call('im.dialog.read', { DIALOG_ID: '5' }, { retryAmbiguous: false }));
    expect(transport.sent).toHaveLength(1);
    expect(error.maybeExecuted).toBe(true);
    // but a definite refusal is still retried
    const rate = setup([fail(503, 'QUERY_LIMIT_EXCEEDED'), ok(true)]);
    await rate.client.call('im.dialog.read', {}, { retryAmbiguous: false });
    expect(rate.transport.sent).toHaveLength(2);
  });

  it('times out a request that hangs', async () => {
    const { client, transport } = setup(['hang', 'hang'], { timeoutMs: 5 }, ok(1));
    await expect(client.call('im.counters.get')).resolves.toMatchObject({ result: 1 });
    expect(transport.sent).toHaveLength(3);
    const once = setup(['hang'], { timeoutMs: 5 });
    const error = await rejection(once.client.call('im.counters.get', {}, { retryAmbiguous: false }));
    expect([error.code, error.maybeExecuted]).toEqual(['TIMEOUT', true]);
  });

  it('an unreadable 200 is never resent', async () => {
    const { client, transport } = setup([{ status: 200, body: '{"result": {"dia' }, ok(1)]);
    const error = await rejection(client.call('im.dialog.read'));
    expect(transport.sent).toHaveLength(1);
    expect([error.kind, error.maybeExecuted]).toEqual(['not_json', true]);
  });

  it('throws auth, access, request, method_not_found and OVERLOAD_LIMIT at once', async () => {
    for (const [status, code, kind] of [
      [401, 'INVALID_CREDENTIALS', 'auth'],
      [403, 'ACCESS_DENIED', 'access'],
      [400, 'DIALOG_ID_EMPTY', 'request'],
      [404, 'ERROR_METHOD_NOT_FOUND', 'method_not_found'],
      [503, 'OVERLOAD_LIMIT', 'overload'],
      [200, 'NEW_CODE', 'unknown'],
    ] as const) {
      const { client, transport } = setup([fail(status, code)], {}, ok(1));
      const error = await rejection(client.call('im.dialog.read'));
      expect([error.kind, error.code, error.status]).toEqual([kind, code, status]);
      expect(transport.sent).toHaveLength(1);
    }
  });

  it('session_failed → refreshAuth once and retry once', async () => {
    const { client, transport } = setup([fail(401, 'session_failed', 'Sessid check failed'), ok(true)]);
    transport.withRefresh(true);
    await expect(client.call('im.dialog.read')).resolves.toMatchObject({ result: true });
    expect(transport.refreshCalls).toBe(1);

    const still = setup([], {}, fail(401, 'session_failed'));
    still.transport.withRefresh(true);
    const error = await rejection(still.client.call('im.dialog.read'));
    expect(error.code).toBe('session_failed');
    expect(still.transport.refreshCalls).toBe(1);
    expect(still.transport.sent).toHaveLength(2);

    const cannot = setup([fail(401, 'session_failed')], {}, ok(1));
    cannot.transport.withRefresh(false);
    expect((await rejection(cannot.client.call('im.dialog.read'))).code).toBe('session_failed');
    expect(cannot.transport.sent).toHaveLength(1);

    const none = setup([fail(401, 'session_failed')], {}, ok(1));
    expect((await rejection(none.client.call('im.dialog.read'))).code).toBe('session_failed');
  });

  it('abort cancels back-off waits and in-flight requests', async () => {
    const clock = new FakeClock(0, { auto: false });
    const transport = new ScriptedTransport([fail(503, 'QUERY_LIMIT_EXCEEDED')], 'hang');
    const client = new RestClient({ transport, bucket: new LeakyBucket('standard', { clock }), clock, random: () => 0.5 });
    const controller = new AbortController();
    const pending = rejection(client.call('im.counters.get', {}, controller.signal));
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(1);
    controller.abort();
    const error = await pending;
    expect([error.code, error.extra.aborted, error.maybeExecuted]).toEqual(['ABORTED', true, false]);

    const inflight = new AbortController();
    const hanging = rejection(client.call('im.counters.get', {}, inflight.signal));
    await new Promise((r) => setTimeout(r, 1));
    await clock.advance(10_000);
    inflight.abort();
    const aborted = await hanging;
    expect([aborted.code, aborted.maybeExecuted]).toEqual(['ABORTED', true]);

    const early = new AbortController();
    early.abort();
    expect((await rejection(client.batch({ a: { method: 'a.b' } }, { signal: early.signal }))).code).toBe('ABORTED');
  });
});

describe('RestClient.batch', () => {
  const reads = (n: number): Record<string, BatchCommand> =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`r_${i}`, { method: 'im.dialog.read', params: { DIALOG_ID: `chat${i}`, MESSAGE_ID: 100 + i } }]));

  it('splits 120 commands into 3 ordered requests and maps every result back', async () => {
    const endpoint = batchEndpoint((_m, q) => ({ result: { q } }));
    const { client, transport } = setup([], {}, endpoint);
    const outcome = await client.batch(reads(120));
    expect(transport.sent).toHaveLength(3);
    expect(transport.sent.map((s) => Object.keys(s.params.cmd as object).length)).toEqual([50, 50, 20]);
    expect(transport.sent[0]?.params).toMatchObject({ halt: 0 });
    expect((transport.sent[1]?.params.cmd as Record<string, string>).r_50).toBe('im.dialog.read?DIALOG_ID=chat50&MESSAGE_ID=150');
    expect(Object.keys(outcome.results)).toEqual(Object.keys(reads(120)));
    expect(outcome.results.r_119).toEqual({ q: 'DIALOG_ID=chat119&MESSAGE_ID=219' });
    expect(outcome.errors).toEqual({});
    expect(outcome.skipped).toEqual([]);
  });

  it('false is a success, sub-call errors become RestErrors, nothing is sent for no commands', async () => {
    const endpoint = batchEndpoint((_m, q, key) =>
      key === 'bad' ? { error: 'DIALOG_ID_EMPTY' } : key === 'slow' ? { error: 'OPERATION_TIME_LIMIT' } : { result: q.includes('1') ? false : true },
    );
    const { client, transport } = setup([ok({}, { operating_reset_at: 1_772_600_100 })], {}, endpoint);
    await client.call('im.recent.unread');
    const outcome = await client.batch({
      a: { method: 'im.dialog.read', params: { DIALOG_ID: 1 } },
      bad: { method: 'im.dialog.read', params: { DIALOG_ID: '' } },
      slow: { method: 'im.recent.unread', params: { DIALOG_ID: 2 } },
      c: { method: 'im.dialog.read', params: { DIALOG_ID: 2 } },
    });
    expect(outcome.results).toEqual({ a: false, c: true });
    expect(outcome.errors.bad).toBeInstanceOf(RestError);
    expect(outcome.errors.bad).toMatchObject({ kind: 'request', code: 'DIALOG_ID_EMPTY', status: 0, extra: { subCall: true, method: 'im.dialog.read' } });
    expect(outcome.errors.slow).toMatchObject({ kind: 'operating', extra: { resetAt: 1_772_600_100_000 } });
    expect(outcome.skipped).toEqual([]);
    expect(await client.batch({})).toEqual({ results: {}, errors: {}, skipped: [] });
    expect(transport.sent).toHaveLength(2);
  });

  it('halt stops after the chunk with the first error and lists the rest as skipped', async () => {
    const endpoint = batchEndpoint((_m, q) => (q.includes('chat55&') ? { error: 'ACCESS_ERROR' } : { result: true }));
    const { client, transport } = setup([], {}, endpoint);
    const outcome = await client.batch(reads(120), { halt: true });
    expect(transport.sent).toHaveLength(2);
    expect(transport.sent[0]?.params.halt).toBe(1);
    expect(Object.keys(outcome.results)).toHaveLength(55);
    expect(Object.keys(outcome.errors)).toEqual(['r_55']);
    expect(outcome.errors.r_55?.kind).toBe('access');
    expect(outcome.skipped).toHaveLength(64);
    expect(outcome.skipped[0]).toBe('r_56');
    expect(outcome.skipped.at(-1)).toBe('r_119');
  });

  it('maps unsafe keys to safe wire keys and back', async () => {
    const keys = ['chat 1', 'ключ', '0', '17', 'a&b=c', 'k0', 'ok_key.1-2', 'x'.repeat(101)];
    const commands = Object.fromEntries(keys.map((k, i) => [k, { method: 'im.dialog.read', params: { DIALOG_ID: i } }]));
    const { client, transport } = setup([], {}, batchEndpoint((_m, q) => ({ result: q })));
    const outcome = await client.batch(commands);
    const wire = Object.keys(transport.sent[0]?.params.cmd as object);
    expect(wire.every((k) => /^[A-Za-z0-9_.-]+$/.test(k) && !/^\d+$/.test(k))).toBe(true);
    expect(new Set(wire).size).toBe(keys.length);
    expect(wire).toContain('k0');
    expect(wire).toContain('ok_key.1-2');
    for (const [i, key] of Object.keys(commands).entries()) {
      expect(outcome.results[key]).toBe(`DIALOG_ID=${(commands[key]!.params as { DIALOG_ID: number }).DIALOG_ID}`);
      expect(i).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses a nested batch and bad method names before sending', async () => {
    const { client, transport } = setup([]);
    expect((await rejection(client.batch({ a: { method: 'batch' } }))).code).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
    expect((await rejection(client.batch({ a: { method: 'im.x?y=1' } }))).code).toBe('INVALID_METHOD');
    expect(transport.sent).toHaveLength(0);
  });

  it('when a later chunk fails for good, keeps the done chunks in extra.partial', async () => {
    const endpoint = batchEndpoint(() => ({ result: true }));
    const { client } = setup([endpoint], {}, new TransportError('offline'));
    const error = await rejection(client.batch(reads(120), { retryAmbiguous: false }));
    expect(error.kind).toBe('network');
    expect(error.maybeExecuted).toBe(true);
    const partial = error.extra.partial as { results: Record<string, unknown>; skipped: string[] };
    expect(Object.keys(partial.results)).toHaveLength(50);
    expect(partial.skipped).toHaveLength(70);
    expect(error.extra.failedKeys).toEqual(Object.keys(reads(120)).slice(50, 100));
  });

  it('a batch answer without a result map is an error, not a silent success', async () => {
    const { client } = setup([ok(true)]);
    const error = await rejection(client.batch({ a: { method: 'im.counters.get' } }));
    expect([error.code, error.maybeExecuted]).toEqual(['BAD_BATCH_PAYLOAD', true]);
  });

  it('parses the documented batch examples', async () => {
    const { client } = setup([
      json(200, {
        result: { result: [], result_error: { get_user: { error: 'insufficient_scope', error_description: '' } }, result_total: [], result_next: [], result_time: [] },
        time: { start: 1, finish: 2, duration: 1, processing: 0, date_start: '', date_finish: '' },
      }),
    ]);
    const outcome = await client.batch({ get_user: { method: 'user.current' }, get_department: { method: 'department.get' } });
    expect(outcome.errors.get_user?.kind).toBe('auth');
    expect(outcome.skipped).toEqual(['get_department']);
  });
});
