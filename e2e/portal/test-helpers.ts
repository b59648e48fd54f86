// Shared helpers of the portal's own unit tests (not a test file itself).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PortalServer, SeedOptions, Tenant } from './index.ts';

export const SMALL_SEED: SeedOptions = {
  userId: 1,
  dialogs: 4,
  groups: 4,
  workgroups: 2,
  crm: 2,
  tasks: 2,
  lines: 4,
  readChats: 5,
  mutedEvery: 5,
  pinned: 2,
  manualUnread: 2,
  messagesPerChat: 6,
  notifications: 3,
  rngSeed: 7,
};

let hostSeq = 0;
/** A host no other test uses, so every test gets a fresh tenant. */
export function freshHost(): string {
  return `t${++hostSeq}.bitrix24.ru`;
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  headers: Headers;
}

/** PHP bracket form encoding: {a:{b:[1,2]}} → a[b][0]=1&a[b][1]=2 */
export function encodeForm(value: unknown, prefix = '', out: string[] = []): string {
  if (value === null || value === undefined) return out.join('&');
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) encodeForm(v, prefix ? `${prefix}[${k}]` : k, out);
  } else {
    out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
  }
  return out.join('&');
}

export interface CallOptions {
  encoding?: 'json' | 'form' | 'query';
  headers?: Record<string, string>;
}

/** Calls a REST URL (webhook base + method, or origin + /rest/method.json). */
export async function call(portal: PortalServer, url: string, params: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Answer> {
  const encoding = opts.encoding ?? 'json';
  let res: Response;
  if (encoding === 'query') {
    const qs = encodeForm(params);
    res = await portal.fetch(qs ? `${url}?${qs}` : url, { headers: opts.headers });
  } else {
    res = await portal.fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        ...opts.headers,
      },
      body: encoding === 'json' ? JSON.stringify(params) : encodeForm(params),
    });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** A logged-in session call as the page's BX.rest.callMethod makes it. */
export async function sessionCall(
  portal: PortalServer, tenant: Tenant, method: string, params: Record<string, unknown> = {},
  session: { cookieValue: string; sessid: string } = tenant.login(),
): Promise<Answer> {
  return call(portal, `${tenant.origin}/rest/${method}.json`, { ...params, sessid: session.sessid }, {
    encoding: 'form',
    headers: { Cookie: `PHPSESSID=${session.cookieValue}` },
  });
}

/** The official docs examples, copied into the repo (src/core/rest/fixtures/bitrix24-docs, see its README). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../src/core/rest/fixtures/bitrix24-docs/', import.meta.url));

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}/${name}.json`, 'utf8'));
}

/**
 * Differences between the shape of `actual` and `expected` (a docs example): same keys at every
 * level and same scalar types. Paths matched by `maps` are data-keyed maps (ids → values): only
 * "object or []" is checked there. A fixture `null` accepts anything; a fixture `[]` accepts a
 * non-empty object (PHP's empty map) and any list.
 */
export function shapeDiff(actual: unknown, expected: unknown, maps: RegExp[] = [], path = '$'): string[] {
  if (expected === null) return [];
  const isMap = maps.some((re) => re.test(path));
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap) {
    return isObj(actual) || (Array.isArray(actual) && actual.length === 0) ? [] : [`${path}: expected a map, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (expected.length === 0) return Array.isArray(actual) || isObj(actual) ? [] : [`${path}: expected [] or map`];
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${typeof actual}`];
    // Each element must match one of the example's elements (they show the variants).
    return actual.flatMap((a, i) => {
      const tries = expected.map((e) => shapeDiff(a, e, maps, `${path}[${i}]`));
      return tries.reduce((best, t) => (t.length < best.length ? t : best));
    });
  }
  if (isObj(expected)) {
    if (!isObj(actual)) {
      if (Array.isArray(actual) && actual.length === 0 && Object.keys(expected).length > 0 && /mute_list|params|CHAT|DIALOG|LINES/.test(path)) return [];
      return [`${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 80)}`];
    }
    const diffs: string[] = [];
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    for (const k of ek) if (!ak.includes(k)) diffs.push(`${path}.${k}: missing`);
    for (const k of ak) if (!ek.includes(k)) diffs.push(`${path}.${k}: unexpected`);
    for (const k of ek) if (k in actual) diffs.push(...shapeDiff(actual[k], expected[k], maps, `${path}.${k}`));
    return diffs;
  }
  if (typeof actual !== typeof expected) return [`${path}: expected ${typeof expected}, got ${JSON.stringify(actual)}`];
  return [];
}
