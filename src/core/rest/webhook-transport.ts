// Incoming-webhook transport: `fetch` from the service worker to
// `https://<portal>/rest/<user>/<secret>/<method>.json`, with no cookies (the REST docs on inbound webhooks).
// The secret never appears in `portal`, errors, or logs: see `redactWebhook`.

import { MAX_RESPONSE_CHARS } from './parse.ts';
import { readRawResponse } from './read-response.ts';
import { redactWebhook } from './redact.ts';
import { TransportError, type RawResponse, type RestParams, type Transport } from './types.ts';

export { redactWebhook } from './redact.ts';

export interface WebhookUrl {
  /** `https://host[:port]`, lower-cased, no path. */
  origin: string;
  userId: number;
  secret: string;
}

export type WebhookUrlProblem =
  | 'empty'
  | 'too_long'
  | 'not_url'
  | 'not_https'
  | 'credentials'
  | 'query'
  | 'fragment'
  | 'host'
  | 'path'
  | 'user_id'
  | 'secret';

export type WebhookUrlCheck =
  | { ok: true; webhook: WebhookUrl }
  | { ok: false; problem: WebhookUrlProblem; message: string };

export const WEBHOOK_URL_MAX_CHARS = 2048;

const HINT = 'Expected https://<portal>/rest/<user id>/<secret>/';

/**
 * Validates a pasted incoming-webhook URL: exactly `https://<host>/rest/<numeric user>/<secret>/`
 * (trailing slash optional), no userinfo, query or fragment, secret `[A-Za-z0-9]{8,64}`.
 * Messages are for logs and tests; the UI localizes by `problem`. They never echo the secret.
 */
export function parseWebhookUrl(input: string): WebhookUrlCheck {
  const fail = (problem: WebhookUrlProblem, message: string): WebhookUrlCheck => ({ ok: false, problem, message });
  if (typeof input !== 'string') return fail('empty', 'No webhook URL given');
  if (input.length > WEBHOOK_URL_MAX_CHARS * 4) return fail('too_long', `The URL is longer than ${WEBHOOK_URL_MAX_CHARS} characters`);
  const text = input.trim();
  if (!text) return fail('empty', 'No webhook URL given');
  if (text.length > WEBHOOK_URL_MAX_CHARS) return fail('too_long', `The URL is longer than ${WEBHOOK_URL_MAX_CHARS} characters`);
  // URL() would silently drop tabs/newlines and turn `\` into `/`; refuse them instead.
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) return fail('not_url', `The URL contains spaces or control characters. ${HINT}`);
  if (/^http:\/\//i.test(text)) return fail('not_https', 'The webhook URL must start with https:// (Bitrix24 refuses webhooks over http)');
  if (!/^https:\/\//i.test(text)) return fail('not_url', `Not a web address. ${HINT}`);

  const authorityEnd = text.slice(8).search(/[/?#]/);
  const authority = authorityEnd < 0 ? text.slice(8) : text.slice(8, 8 + authorityEnd);
  const rest = authorityEnd < 0 ? '' : text.slice(8 + authorityEnd);
  if (authority.includes('@')) return fail('credentials', 'The URL must not contain a user name or password before the host');
  if (rest.includes('#')) return fail('fragment', `Remove the part after "#". ${HINT}`);
  if (rest.includes('?')) return fail('query', `Remove the part after "?". ${HINT}`);

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('not_url', `Not a valid web address. ${HINT}`);
  }
  if (url.username || url.password) return fail('credentials', 'The URL must not contain a user name or password before the host');
  if (!isHostname(url.hostname)) return fail('host', 'The portal address is not a host name such as mycompany.bitrix24.com');

  const match = /^\/rest\/([^/]+)\/([^/]+)\/?$/.exec(rest);
  if (!match) {
    const looksLikeMethod = /^\/rest\/[^/]+\/[^/]+\/[^/]+/.test(rest);
    return fail('path', looksLikeMethod ? `Remove the method name after the secret. ${HINT}` : HINT);
  }
  const [, user, secret] = match;
  if (!/^[1-9]\d{0,9}$/.test(user!)) return fail('user_id', `The user id after /rest/ must be a number. ${HINT}`);
  if (!/^[A-Za-z0-9]{8,64}$/.test(secret!)) return fail('secret', 'The secret code must be 8 to 64 letters and digits');
  return { ok: true, webhook: { origin: url.origin, userId: Number(user), secret: secret! } };
}

/** A real DNS name (`portal.example.com`, `localhost`); not an IP literal. */
function isHostname(host: string): boolean {
  if (host === 'localhost') return true;
  if (host.length > 253 || host.startsWith('[')) return false;
  const labels = host.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return false;
  return /[a-z]/.test(labels[labels.length - 1]!) && !/^\d+$/.test(labels[labels.length - 1]!);
}

/** Masks a webhook's secret for display: `https://x.bitrix24.ru/rest/1/***` + `/`. */
export function maskedWebhookUrl(webhook: WebhookUrl): string {
  return `${webhook.origin}/rest/${webhook.userId}/***/`;
}

export interface WebhookTransportOptions {
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Bytes read before giving up on a body; default 20 MB. */
  maxBodyBytes?: number;
}

export class WebhookTransport implements Transport {
  readonly kind = 'webhook' as const;
  readonly portal: string;
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #maxBodyBytes: number;

  /** Accepts a parsed webhook or the pasted URL (throws a redacted TypeError if it is invalid). */
  constructor(webhook: WebhookUrl | string, options: WebhookTransportOptions = {}) {
    let parsed: WebhookUrl;
    if (typeof webhook === 'string') {
      const check = parseWebhookUrl(webhook);
      if (!check.ok) throw new TypeError(`Invalid webhook URL (${check.problem}): ${check.message}`);
      parsed = check.webhook;
    } else {
      parsed = webhook;
    }
    this.portal = parsed.origin;
    this.#base = `${parsed.origin}/rest/${parsed.userId}/${parsed.secret}/`;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_RESPONSE_CHARS;
  }

  async send(method: string, params: RestParams, signal: AbortSignal): Promise<RawResponse> {
    if (!/^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/.test(method)) throw new TransportError(`Not a REST method name: ${method.slice(0, 60)}`);
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${method}.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(params),
        credentials: 'omit',
        cache: 'no-store',
        // A webhook endpoint never redirects; following one would carry the secret elsewhere.
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw new TransportError(`${this.portal}: ${describe(error)}`);
    }
    const contentType = response.headers.get('content-type')?.toLowerCase();
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status || 302, body: '', ...(contentType ? { contentType } : {}) };
    }
    try {
      return await readRawResponse(response, this.#maxBodyBytes);
    } catch (error) {
      throw new TransportError(`${this.portal}: answer interrupted (${describe(error)})`);
    }
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactWebhook(message).slice(0, 200);
}
