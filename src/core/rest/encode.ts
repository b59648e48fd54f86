// PHP bracket form encoding (`fields[TITLE]=x&select[0]=ID`), as PHP's `http_build_query`
// writes it and `parse_str` reads it. Used for `batch` sub-command strings
// (`im.dialog.read?DIALOG_ID=chat12&MESSAGE_ID=345`) and by test portals to read them back.

import type { BatchCommand, RestParams } from './types.ts';

const MAX_DEPTH = 16;

/**
 * Encodes params like `http_build_query`: nested objects/arrays as `a[b][0]=x`, keys and values
 * URL-encoded (brackets left readable), `true`/`false` as `1`/`0`, `null`/`undefined` and empty
 * arrays omitted, dates as ISO-8601.
 */
export function encodePhpQuery(params: RestParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) appendPair(parts, encodeURIComponent(key), value, 0);
  return parts.join('&');
}

function appendPair(parts: string[], key: string, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError(`encodePhpQuery: nesting deeper than ${MAX_DEPTH} at ${key}`);
  if (value === undefined || value === null) return;
  switch (typeof value) {
    case 'string':
      parts.push(`${key}=${encodeURIComponent(value)}`);
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`encodePhpQuery: ${key} is not a finite number`);
      parts.push(`${key}=${String(value)}`);
      return;
    case 'bigint':
      parts.push(`${key}=${value.toString()}`);
      return;
    case 'boolean':
      parts.push(`${key}=${value ? '1' : '0'}`);
      return;
    case 'object':
      if (value instanceof Date) {
        parts.push(`${key}=${encodeURIComponent(value.toISOString())}`);
      } else if (Array.isArray(value)) {
        value.forEach((item, index) => appendPair(parts, `${key}[${index}]`, item, depth + 1));
      } else {
        for (const [k, v] of Object.entries(value)) appendPair(parts, `${key}[${encodeURIComponent(k)}]`, v, depth + 1);
      }
      return;
    default:
      throw new TypeError(`encodePhpQuery: cannot encode a ${typeof value} at ${key}`);
  }
}

/** `method` or `method?query` for one `batch` sub-call. */
export function batchCommandString(command: BatchCommand): string {
  const query = command.params ? encodePhpQuery(command.params) : '';
  return query ? `${command.method}?${query}` : command.method;
}

/**
 * Parses a PHP bracket query like `parse_str`: `a[b]=1&a[c][]=2` → `{a: {b: '1', c: ['2']}}`.
 * Objects whose keys are exactly 0..n-1 become arrays (as PHP's JSON would show them).
 */
export function decodePhpQuery(query: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const pair of query.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) {
      root[rawKey] = value;
      continue;
    }
    const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)].slice(0, MAX_DEPTH + 1);
    let node: Record<string, unknown> = root;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const key = segment === '' ? String(nextIndex(node)) : segment;
      if (last) {
        node[key] = value;
      } else {
        const child = node[key];
        if (typeof child !== 'object' || child === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
    });
  }
  return toArrays(root) as Record<string, unknown>;
}

/** Splits a `batch` command string back into method and params. */
export function parseBatchCommandString(command: string): BatchCommand {
  const q = command.indexOf('?');
  if (q < 0) return { method: command };
  return { method: command.slice(0, q), params: decodePhpQuery(command.slice(q + 1)) };
}

function decodeComponent(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

function nextIndex(node: Record<string, unknown>): number {
  let max = -1;
  for (const key of Object.keys(node)) if (/^\d+$/.test(key)) max = Math.max(max, Number(key));
  return max + 1;
}

function toArrays(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toArrays(v)] as const);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
