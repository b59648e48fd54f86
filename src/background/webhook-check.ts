// The options page's "Check" button: validate a pasted webhook URL, then call one harmless method
// with it and say in plain words what happened. Nothing in the answer carries the secret.
import browser from 'webextension-polyfill';
import { RestClient } from '../core/rest/client.ts';
import { RestError } from '../core/rest/errors.ts';
import type { Counters } from '../core/rest/types.ts';
import { parseWebhookUrl, WebhookTransport, type WebhookUrl } from '../core/rest/webhook-transport.ts';
import { LeakyBucket, type BucketConfig } from '../core/throttle/leaky-bucket.ts';
import { loadSettings } from '../shared/settings.ts';
import type { WebhookCheckView } from '../shared/messages.ts';
import { describeError } from './error-messages.ts';
import { originPattern } from '../shared/origins.ts';
import { webhookProblemView } from '../shared/webhook-problem.ts';
import { totalUnread } from '../core/rest/counters.ts';

export interface CheckWebhookOptions {
  fetch?: typeof fetch;
  /** Defaults to the settings' bucket. */
  bucket?: BucketConfig;
  /** Whether the extension may call this origin from the worker; defaults to `permissions.contains`. */
  hasHostAccess?: (origin: string) => Promise<boolean>;
  timeoutMs?: number;
}

/** Codes whose message is "Bitrix24 does not recognise this webhook". */
const UNKNOWN_WEBHOOK_CODES = new Set(['INVALID_CREDENTIALS', 'NO_AUTH_FOUND', 'expired_token', 'invalid_token', 'WRONG_AUTH_TYPE']);

export async function checkWebhook(url: string, options: CheckWebhookOptions = {}): Promise<WebhookCheckView> {
  const parsed = parseWebhookUrl(typeof url === 'string' ? url : '');
  if (!parsed.ok) return webhookProblemView(parsed.problem);
  const webhook = parsed.webhook;

  const hasHostAccess = options.hasHostAccess ?? defaultHostAccess;
  if (!(await hasHostAccess(webhook.origin).catch(() => false))) {
    return { ok: false, message: { key: 'webhookCheckNoHostAccess', substitutions: [webhook.origin] }, code: 'NO_HOST_ACCESS' };
  }

  try {
    const bucket = options.bucket ?? (await loadSettings()).bucket;
    const client = new RestClient({
      transport: new WebhookTransport(webhook, options.fetch ? { fetch: options.fetch } : {}),
      bucket: new LeakyBucket(bucket),
      timeoutMs: options.timeoutMs ?? 20_000,
      // A check answers within seconds: no retries; the user can press Check again.
      retry: { maxAttempts503: 1, maxAttemptsServer: 1, maxAttemptsNetwork: 1, maxAttemptsOperating: 1 },
    });
    // `im.counters.get` reads nothing and changes nothing; it fails without the `im` scope.
    const { result } = await client.call<Counters>('im.counters.get', {}, { retryAmbiguous: false });
    return { ok: true, origin: webhook.origin, userId: webhook.userId, totalUnread: totalUnread(result) };
  } catch (error) {
    return withoutSecret(describeCheckError(error), webhook);
  }
}

/** Plain words for a failed check. */
export function describeCheckError(error: unknown): Extract<WebhookCheckView, { ok: false }> {
  if (!(error instanceof RestError)) return { ok: false, message: { key: 'errorUnexpected' }, code: 'UNEXPECTED' };
  const code = error.code;
  if (code === 'insufficient_scope') return { ok: false, message: { key: 'webhookCheckScope' }, code };
  if (code === 'ACCESS_DENIED') return { ok: false, message: { key: 'webhookCheckNoRest' }, code };
  if (UNKNOWN_WEBHOOK_CODES.has(code)) return { ok: false, message: { key: 'webhookCheckUnknown' }, code };
  if (code === 'authorization_error') return { ok: false, message: { key: 'webhookCheckUserRefused' }, code };
  if (error.kind === 'network') return { ok: false, message: { key: 'webhookCheckNetwork' }, code };
  if (error.kind === 'not_json') return { ok: false, message: { key: 'webhookCheckNotRest' }, code };
  return { ok: false, ...describeError(error) };
}

/** A hostile or broken portal could echo the secret in an error code; never pass it on. */
function withoutSecret(view: Extract<WebhookCheckView, { ok: false }>, webhook: WebhookUrl): Extract<WebhookCheckView, { ok: false }> {
  const clean = (text: string): string => (text.includes(webhook.secret) ? 'REDACTED' : text.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 60));
  const message = view.message.substitutions ? { ...view.message, substitutions: view.message.substitutions.map(clean) } : view.message;
  return { ok: false, message, code: clean(view.code) || 'UNKNOWN' };
}

async function defaultHostAccess(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}
