// `/rest/...`: endpoint forms, auth, limits, envelopes and batch (bitrix24-rest.md §1–§3).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RestError, findMethod, runMethod, type MethodOutput } from './im-methods.ts';
import { findV2Method } from './im-v2-methods.ts';
import { renderLoginPage } from './pages.ts';
import { phpJson } from './php-json.ts';
import {
  asPhpArray, parseJsonOrdered, parseMultipart, parseQueryString, phpInt, phpString,
  type PhpArray, type PhpValue,
} from './php-params.ts';
import { isoDate } from './shapes.ts';
import type { RequestLogEntry, Tenant, Webhook } from './tenant.ts';

const MAX_BATCH = 50;
/** The 'huge' fault's answer: valid JSON above the clients' 20 MB cap. */
const HUGE_ANSWER_BYTES = 21 * 1024 * 1024;

interface AuthContext {
  kind: 'session' | 'webhook';
  userId: number;
  webhook?: Webhook;
}

interface Timing {
  start: number;
  finish: number;
  processing: number;
}

/** Wall clock in ms with sub-ms precision. */
const clock = (): number => performance.timeOrigin + performance.now();

export interface RestExchange {
  tenant: Tenant;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: Buffer;
  entry: RequestLogEntry;
  send(status: number, headers: Record<string, string>, body: string): void;
}

export async function handleRest(x: RestExchange): Promise<void> {
  const { tenant, req, url, entry } = x;
  const started = clock();
  const route = parseRestPath(url.pathname);
  entry.path = route.webhook ? url.pathname.replace(`/${route.webhook.secret}/`, '/***/') + url.search : entry.path;
  const method = route.method;
  entry.restMethod = method;
  entry.auth = route.webhook ? 'webhook' : 'none';

  const params = readParams(req, url, x.body);
  const subCalls = method === 'batch' ? batchCommands(params) : [];
  if (method === 'batch') entry.subCalls = subCalls.map(([, c]) => c);
  const touched = [method, ...subCalls.map(([, c]) => commandMethod(c))];

  const fault = tenant.faults.take(touched);
  // 'drop-after': the request runs, then the connection drops before the answer leaves.
  // 'cut-after': the request runs, the headers and half the body leave, then the connection drops.
  let send: RestExchange['send'] = x.send;
  if (fault?.kind === 'drop-after') {
    send = () => {
      entry.error = 'drop-after';
      entry.status = 0;
      req.socket.destroy();
    };
  } else if (fault?.kind === 'cut-after') {
    send = (status, headers, text) => {
      const body = Buffer.from(text, 'utf8');
      entry.error = 'cut-after';
      entry.status = status;
      x.res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
      x.res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
    };
  }
  const error = (status: number, code: string, description: string): void => {
    entry.error = code;
    send(status, jsonHeaders(), phpJson({ error: code, error_description: description }));
  };

  if (fault?.kind === '503') return error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
  if (!tenant.bucket.tryAdd(req.socket.remoteAddress ?? 'unknown')) {
    return error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
  }
  switch (fault?.kind) {
    case '429':
      return error(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
    case '500':
      return error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    case 'drop':
      entry.error = 'drop';
      req.socket.destroy();
      return;
    case 'html':
      entry.error = 'html';
      x.send(200, { 'Content-Type': 'text/html; charset=UTF-8' }, renderLoginPage(tenant, '/online/', ''));
      return;
    case 'garbage':
      entry.error = 'garbage';
      x.send(200, jsonHeaders(), '{"result":{"items":[{"id":"chat1201","chat_id":1201,"type":"ch');
      return;
    case 'error':
      return error(fault.status ?? 400, fault.error ?? 'UNKNOWN_FAULT', 'Injected error');
    case 'huge':
      entry.error = 'huge';
      x.send(200, jsonHeaders(), `{"result":"${'x'.repeat(HUGE_ANSWER_BYTES)}"}`);
      return;
    default:
  }

  if (tenant.latency.baseMs > 0) await sleep(tenant.latency.baseMs);

  let auth: AuthContext;
  try {
    auth = authenticate(tenant, req, params, route.webhook);
  } catch (e) {
    if (!(e instanceof RestError)) throw e;
    if (!route.webhook && (params.has('sessid') || req.headers['x-bitrix-csrf-token'] !== undefined)) entry.auth = 'session';
    entry.processingMs = clock() - started;
    return error(e.status, e.code, e.description);
  }
  entry.auth = auth.kind;
  params.delete('sessid');
  params.delete('auth');
  const start = params.has('start') ? phpInt(params.get('start')) : undefined;
  params.delete('start');

  try {
    if (method === 'batch') {
      const halt = isTruthy(params.get('halt'));
      const payload = await runBatch(tenant, auth, subCalls, halt);
      const finish = clock();
      entry.processingMs = finish - started;
      const time = timeObject({ start: started, finish, processing: payload.processing });
      send(200, jsonHeaders(time), phpJson({ result: payload.result, time }));
      return;
    }
    const out = await callOne(tenant, auth, method, params, start, false);
    const finish = clock();
    entry.processingMs = finish - started;
    const time = timeObject({ start: started, finish, processing: out.processing }, out.operating);
    const envelope: Record<string, unknown> = { result: out.output.result };
    if (out.output.total !== undefined) envelope.total = out.output.total;
    if (out.output.next !== undefined) envelope.next = out.output.next;
    envelope.time = time;
    send(200, jsonHeaders(time), phpJson(envelope));
  } catch (e) {
    entry.processingMs = clock() - started;
    if (e instanceof RestError) return error(e.status, e.code, e.description);
    return error(500, 'INTERNAL_SERVER_ERROR', e instanceof Error ? e.message : 'Internal server error');
  }
}

interface RestRoute {
  method: string;
  webhook?: { userId: number; secret: string };
}

export function parseRestPath(pathname: string): RestRoute {
  const rest = decodeURIComponent(pathname.replace(/^\/rest\//, ''));
  const m = /^(\d+)\/([^/]+)\/(.*)$/.exec(rest);
  const methodPart = m ? (m[3] ?? '') : rest;
  const method = methodPart.replace(/\.json$/i, '').toLowerCase();
  return m ? { method, webhook: { userId: Number(m[1]), secret: m[2] as string } } : { method };
}

function readParams(req: IncomingMessage, url: URL, body: Buffer): PhpArray {
  const params = parseQueryString(url.search);
  if (body.length === 0) return params;
  const ct = (req.headers['content-type'] ?? '').toLowerCase();
  if (ct.includes('application/json')) {
    try {
      const parsed = asPhpArray(parseJsonOrdered(body.toString('utf8')));
      if (parsed) for (const [k, v] of parsed) params.set(k, v);
    } catch {
      // The portal ignores a body it cannot decode.
    }
  } else if (ct.includes('multipart/form-data')) {
    parseMultipart(body, ct, params);
  } else {
    parseQueryString(body.toString('utf8'), params);
  }
  return params;
}

function authenticate(tenant: Tenant, req: IncomingMessage, params: PhpArray, webhook: RestRoute['webhook']): AuthContext {
  const cookieSession = tenant.sessionFromCookies(req.headers.cookie);
  if (webhook) {
    const wh = tenant.findWebhook(webhook.userId, webhook.secret);
    // An expired webhook is an auth error like an unknown one (the docs name no separate code).
    if (!wh || wh.expired) throw new RestError('INVALID_CREDENTIALS', 'Invalid request credentials', 401);
    if (!tenant.restAvailable) throw new RestError('ACCESS_DENIED', 'REST API is available only on commercial plans', 403);
    if (cookieSession && cookieSession.userId !== wh.userId) {
      throw new RestError('authorization_error', 'Unable to authorize user', 401);
    }
    return { kind: 'webhook', userId: wh.userId, webhook: wh };
  }
  const header = req.headers['x-bitrix-csrf-token'];
  const given = [phpString(params.get('sessid')), Array.isArray(header) ? header[0] : header].filter(
    (v): v is string => v !== undefined,
  );
  if (given.length === 0) {
    if (params.has('auth')) throw new RestError('invalid_token', 'Unable to get application by token', 401);
    throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
  }
  if (!cookieSession) throw new RestError('access_denied', 'User not authorized', 401);
  const sessid = tenant.currentSessid();
  if (sessid === null || !given.includes(sessid)) throw new RestError('session_failed', 'Sessid check failed', 401);
  return { kind: 'session', userId: cookieSession.userId };
}

interface CallResult {
  output: MethodOutput;
  processing: number;
  operating?: { used: number; resetAt: number };
}

/** One method call with scope, operating-limit and latency handling. */
async function callOne(
  tenant: Tenant, auth: AuthContext, method: string, params: PhpArray, start: number | undefined, inBatch: boolean,
): Promise<CallResult> {
  const def = tenant.isDisabled(method) ? undefined : (findMethod(method) ?? findV2Method(method, tenant.state.build));
  if (!def) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
  const wh = auth.webhook;
  if (wh && !wh.scopes.has(def.scope)) {
    throw new RestError(
      'insufficient_scope',
      inBatch ? '' : 'The request requires higher privileges than provided by the webhook token',
      401,
    );
  }
  const meterKey = wh ? `${wh.secret}|${method}` : '';
  if (wh && tenant.operating.blocked(meterKey)) {
    throw new RestError('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429);
  }
  const t0 = clock();
  if (tenant.latency.perCallMs > 0) await sleep(tenant.latency.perCallMs);
  const output = runMethod(def, params, { state: tenant.state, userId: auth.userId, start });
  tenant.callDone(method, params, output.result);
  const processing = clock() - t0;
  if (!wh) return { output, processing };
  tenant.operating.record(meterKey, processing / 1000);
  return { output, processing, operating: { used: tenant.operating.used(meterKey), resetAt: tenant.operating.resetAt(meterKey) } };
}

function timeObject(t: Timing, operating?: { used: number; resetAt: number }): Record<string, unknown> {
  const time: Record<string, unknown> = {
    start: round(t.start / 1000),
    finish: round(t.finish / 1000),
    duration: round((t.finish - t.start) / 1000),
    processing: round(t.processing / 1000),
    date_start: isoDate(t.start),
    date_finish: isoDate(t.finish),
  };
  if (operating) {
    time.operating_reset_at = operating.resetAt;
    time.operating = round(operating.used);
  }
  return time;
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

function jsonHeaders(time?: Record<string, unknown>): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (time) h['X-Bitrix-Rest-Time'] = String(time.processing);
  return h;
}

function isTruthy(v: PhpValue | undefined): boolean {
  if (v === true) return true;
  const s = phpString(v);
  return s !== undefined && s !== '' && s !== '0' && s.toLowerCase() !== 'false';
}

// --- batch ------------------------------------------------------------------------------------

/** `cmd` entries in order as [key, "method?query"]. */
function batchCommands(params: PhpArray): Array<[string, string]> {
  const cmd = asPhpArray(params.get('cmd'));
  if (!cmd) return [];
  return [...cmd].map(([k, v]) => [k, phpString(v) ?? '']);
}

function commandMethod(command: string): string {
  const q = command.indexOf('?');
  return (q < 0 ? command : command.slice(0, q)).trim().replace(/\.json$/i, '').toLowerCase();
}

interface BatchResult {
  result: Record<string, Map<string, unknown>>;
  processing: number;
}

async function runBatch(tenant: Tenant, auth: AuthContext, commands: Array<[string, string]>, halt: boolean): Promise<BatchResult> {
  const result = new Map<string, unknown>();
  const resultError = new Map<string, unknown>();
  const resultTotal = new Map<string, unknown>();
  const resultNext = new Map<string, unknown>();
  const resultTime = new Map<string, unknown>();
  const maps = { result, result_error: resultError, result_total: resultTotal, result_next: resultNext, result_time: resultTime };
  let processing = 0;
  let n = 0;
  for (const [key, command] of commands) {
    n++;
    const t0 = clock();
    try {
      if (n > MAX_BATCH) throw new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded', 400);
      const method = commandMethod(command);
      if (method === 'batch') {
        throw new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405);
      }
      const q = command.indexOf('?');
      const params = parseQueryString(q < 0 ? '' : command.slice(q + 1));
      substituteReferences(params, maps);
      params.delete('sessid');
      params.delete('auth');
      const start = params.has('start') ? phpInt(params.get('start')) : undefined;
      params.delete('start');
      const out = await callOne(tenant, auth, method, params, start, true);
      processing += out.processing;
      result.set(key, out.output.result);
      if (out.output.total !== undefined) resultTotal.set(key, out.output.total);
      if (out.output.next !== undefined) resultNext.set(key, out.output.next);
      resultTime.set(key, timeObject({ start: t0, finish: clock(), processing: out.processing }, out.operating));
    } catch (e) {
      if (!(e instanceof RestError)) throw e;
      resultError.set(key, { error: e.code, error_description: e.description });
      if (halt) break;
    }
  }
  return { result: maps, processing };
}

/** Replaces `$result[key][field]...` (and result_error/_total/_next/_time) in parameter values. */
function substituteReferences(params: PhpArray, maps: Record<string, Map<string, unknown>>): void {
  const ref = /\$(result_error|result_total|result_next|result_time|result)((?:\[[^\]]*\])+)/g;
  const resolve = (name: string, path: string): unknown => {
    let node: unknown = maps[name];
    for (const m of path.matchAll(/\[([^\]]*)\]/g)) {
      const k = m[1] ?? '';
      if (node instanceof Map) node = node.get(k);
      else if (Array.isArray(node)) node = node[Number(k)];
      else if (node && typeof node === 'object') node = (node as Record<string, unknown>)[k];
      else return undefined;
    }
    return node;
  };
  const walk = (v: PhpValue): PhpValue => {
    if (typeof v === 'string') {
      const whole = new RegExp(`^${ref.source}$`).exec(v);
      if (whole) {
        const r = resolve(whole[1] as string, whole[2] as string);
        return toParam(r);
      }
      return v.replace(ref, (_m, name: string, path: string) => phpString(toParam(resolve(name, path))) ?? '');
    }
    if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, walk(x));
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    return v;
  };
  for (const [k, v] of params) params.set(k, walk(v));
}

function toParam(v: unknown): PhpValue {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), toParam(x)]));
  if (Array.isArray(v)) return v.map(toParam);
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toParam(x)]));
  return '';
}

