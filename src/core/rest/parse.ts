// Turns a raw HTTP answer into a success envelope or a typed RestError (the REST docs' success and error envelopes),
// and normalises `batch` payloads (PHP's empty map `[]` → `{}`).

import { RestError, type RestErrorKind } from './errors.ts';
import { redactWebhook } from './redact.ts';
import type { RawResponse, RestErrBody, RestOk, RestTime } from './types.ts';
import { isRecord } from '../is-record.ts';

/** Bodies above this are refused unread (a chat list of 200 items is well under 1 MB). */
export const MAX_RESPONSE_CHARS = 20 * 1024 * 1024;

const SNIPPET_CHARS = 100;
const DESCRIPTION_CHARS = 500;

const AUTH_CODES = new Set([
  'expired_token',
  'invalid_token',
  'NO_AUTH_FOUND',
  'INVALID_CREDENTIALS',
  'session_failed',
  'access_denied', // lower-case: session auth "User not authorized"
  'authorization_error',
  'insufficient_scope',
  'user_access_error',
  'WRONG_AUTH_TYPE',
]);

const ACCESS_CODES = new Set(['ACCESS_DENIED', 'ACCESS_ERROR', 'PORTAL_DELETED']);

const REQUEST_CODES = new Set([
  'ERROR_ARGUMENT',
  'ERROR_CORE',
  'INVALID_REQUEST',
  'ERROR_BATCH_LENGTH_EXCEEDED',
  'ERROR_BATCH_METHOD_NOT_ALLOWED',
  'DIALOG_ID_EMPTY',
  'MESSAGE_ID_ERROR',
  'MESSAGE_ID_EMPTY',
  'CHAT_ID_EMPTY',
  'FIRST_ID_STRING',
  'LAST_ID_STRING',
  'INVALID_METHOD',
]);

const SERVER_CODES = new Set(['INTERNAL_SERVER_ERROR', 'ERROR_UNEXPECTED_ANSWER']);

/** The kind of a portal error code; the HTTP status only decides for codes this table lacks. */
export function classifyErrorCode(code: string, status: number): RestErrorKind {
  if (AUTH_CODES.has(code) || code.startsWith('METHOD_CONFIRM_')) return 'auth';
  if (code === 'QUERY_LIMIT_EXCEEDED') return 'rate';
  if (code === 'OPERATION_TIME_LIMIT') return 'operating';
  if (code === 'ERROR_METHOD_NOT_FOUND') return 'method_not_found';
  if (ACCESS_CODES.has(code)) return 'access';
  if (code === 'OVERLOAD_LIMIT') return 'overload';
  if (REQUEST_CODES.has(code)) return 'request';
  if (SERVER_CODES.has(code)) return 'server';
  return status >= 500 ? 'server' : 'unknown';
}

export type ParsedResponse<T> = { ok: true; envelope: RestOk<T> } | { ok: false; error: RestError };

/** Parses one HTTP answer. Never throws. */
export function parseResponse<T = unknown>(raw: RawResponse, maxChars = MAX_RESPONSE_CHARS): ParsedResponse<T> {
  const { status } = raw;
  const executed = status >= 200 && status < 300;
  if (raw.truncated || raw.body.length > maxChars) {
    const error = new RestError(
      'not_json',
      'RESPONSE_TOO_LARGE',
      `HTTP ${status}: response larger than ${Math.round(maxChars / 1024 / 1024)} MB refused`,
      status,
      executed ? { maybeExecuted: true } : {},
    );
    return { ok: false, error };
  }

  let data: unknown;
  try {
    data = JSON.parse(raw.body.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, error: notJsonError(raw) };
  }
  if (!isRecord(data)) return { ok: false, error: notJsonError(raw) };

  if ('error' in data && data.error !== undefined && data.error !== null && data.error !== '') {
    return { ok: false, error: errorFromBody(data as RestErrBody, status) };
  }
  if (!('result' in data)) return { ok: false, error: notJsonError(raw) };

  const envelope: RestOk<T> = { result: data.result as T, time: parseTime(data.time) };
  const total = toNumber(data.total);
  const next = toNumber(data.next);
  if (total !== undefined) envelope.total = total;
  if (next !== undefined) envelope.next = next;
  return { ok: true, envelope };
}

/** A RestError from an `{error, error_description, ...}` body (top level or a batch `result_error` entry). */
export function errorFromBody(body: RestErrBody, status: number, extra: Record<string, unknown> = {}): RestError {
  const { error, error_description: description, ...rest } = body;
  const code = String(error).slice(0, 100);
  const kind = classifyErrorCode(code, status);
  const maybe = kind === 'server' && status !== 503 ? { maybeExecuted: true } : {};
  return new RestError(kind, code, cleanText(description, DESCRIPTION_CHARS), status, { ...rest, ...maybe, ...extra });
}

function notJsonError(raw: RawResponse): RestError {
  const { status } = raw;
  const type = raw.contentType ? ` (${raw.contentType.split(';')[0]!.trim()})` : '';
  const snippet = cleanText(raw.body.slice(0, 4 * SNIPPET_CHARS), SNIPPET_CHARS);
  const description = `HTTP ${status}${type}: expected JSON, got ${snippet ? `"${snippet}"` : 'an empty body'}`;
  if (status >= 500) {
    return new RestError('server', `HTTP_${status}`, description, status, status === 503 ? {} : { maybeExecuted: true });
  }
  const executed = status >= 200 && status < 300;
  return new RestError('not_json', 'NOT_JSON', description, status, executed ? { maybeExecuted: true } : {});
}

function cleanText(value: unknown, max: number): string {
  if (value === undefined || value === null) return '';
  const text = redactWebhook(String(value)).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const EMPTY_TIME: RestTime = { start: 0, finish: 0, duration: 0, processing: 0, date_start: '', date_finish: '' };

/** The envelope's `time`; older builds and some doc examples omit it, then all fields are 0 / ''. */
export function parseTime(value: unknown): RestTime {
  if (!isRecord(value)) return { ...EMPTY_TIME };
  const time: RestTime = {
    start: toNumber(value.start) ?? 0,
    finish: toNumber(value.finish) ?? 0,
    duration: toNumber(value.duration) ?? 0,
    processing: toNumber(value.processing) ?? 0,
    date_start: typeof value.date_start === 'string' ? value.date_start : '',
    date_finish: typeof value.date_finish === 'string' ? value.date_finish : '',
  };
  const operating = toNumber(value.operating);
  const resetAt = toNumber(value.operating_reset_at);
  if (operating !== undefined) time.operating = operating;
  if (resetAt !== undefined) time.operating_reset_at = resetAt;
  return time;
}

/** PHP map → plain object: `[]` → `{}`, a list → `{"0": …, "1": …}`, anything else → `{}`. */
export function normalizePhpMap<T = unknown>(value: unknown): Record<string, T> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v as T]));
  if (isRecord(value)) return value as Record<string, T>;
  return {};
}

export interface BatchResultMaps {
  result: Record<string, unknown>;
  result_error: Record<string, RestErrBody>;
  result_total: Record<string, number>;
  result_next: Record<string, number>;
  result_time: Record<string, RestTime>;
}

/** The `result` of a `batch` envelope with every map normalised; undefined when it is not a batch payload. */
export function parseBatchPayload(result: unknown): BatchResultMaps | undefined {
  if (!isRecord(result) || !('result' in result)) return undefined;
  const errors = normalizePhpMap<unknown>(result.result_error);
  const resultError: Record<string, RestErrBody> = {};
  for (const [key, value] of Object.entries(errors)) {
    resultError[key] = isRecord(value) && 'error' in value
      ? (value as RestErrBody)
      : { error: 'ERROR_UNEXPECTED_ANSWER', error_description: 'Malformed batch error entry' };
  }
  const times: Record<string, RestTime> = {};
  for (const [key, value] of Object.entries(normalizePhpMap<unknown>(result.result_time))) times[key] = parseTime(value);
  return {
    result: normalizePhpMap(result.result),
    result_error: resultError,
    result_total: numbers(result.result_total),
    result_next: numbers(result.result_next),
    result_time: times,
  };
}

function numbers(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(normalizePhpMap<unknown>(value))) {
    const n = toNumber(v);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
