// One REST client per portal origin: one throttle, one series of requests, whatever tab, trigger
// or auth mode the call comes from. The throttle's state is kept in storage so a restarted
// worker does not burst past the server's bucket.
import browser from 'webextension-polyfill';
import { RestClient } from '../core/rest/client.ts';
import { LeakyBucket, type BucketState, type BucketStore } from '../core/throttle/leaky-bucket.ts';
import { TransportError, type RawResponse, type RestParams, type Transport } from '../core/rest/types.ts';
import { WebhookTransport } from '../core/rest/webhook-transport.ts';
import { loadSettings, loadWebhook, onSettingsChanged } from '../shared/settings.ts';
import { SessionTransport } from './session-transport.ts';

/** Carries a portal's calls by the webhook when one is set for it, else through a logged-in tab. */
class PortalRoute implements Transport {
  session: SessionTransport | null = null;
  webhook: WebhookTransport | null = null;
  constructor(readonly portal: string) {}

  get kind(): 'session' | 'webhook' {
    return this.webhook ? 'webhook' : 'session';
  }

  send(method: string, params: RestParams, signal: AbortSignal): Promise<RawResponse> {
    const transport = this.webhook ?? this.session;
    if (!transport) return Promise.reject(new TransportError('no logged-in portal tab to carry the call'));
    return transport.send(method, params, signal);
  }

  async refreshAuth(): Promise<boolean> {
    return this.webhook ? false : ((await this.session?.refreshAuth()) ?? false);
  }
}

const clients = new Map<string, { client: RestClient; route: PortalRoute }>();
// Settings changed (plan, auth mode, webhook): later calls build fresh clients.
onSettingsChanged(() => clients.clear());
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'webhook' in changes) clients.clear();
});

function bucketStore(origin: string): BucketStore {
  const key = `bucket:${origin}`;
  return {
    async load() {
      const stored = await browser.storage.local.get(key);
      return stored[key] as BucketState | undefined;
    },
    async save(state) {
      await browser.storage.local.set({ [key]: state });
    },
  };
}

async function routeFor(origin: string): Promise<{ client: RestClient; route: PortalRoute }> {
  const existing = clients.get(origin);
  if (existing) return existing;
  const [settings, webhook] = await Promise.all([loadSettings(), loadWebhook()]);
  const route = new PortalRoute(origin);
  if (settings.authMode === 'webhook' && webhook?.origin === origin) route.webhook = new WebhookTransport(webhook);
  const entry = { client: new RestClient({ transport: route, bucket: new LeakyBucket(settings.bucket, bucketStore(origin)) }), route };
  clients.set(origin, entry);
  return entry;
}

/** The portal's client; session calls are carried by `tabId` (the latest tab the user acted in). */
export async function portalClient(origin: string, tabId: number | null): Promise<RestClient> {
  const { client, route } = await routeFor(origin);
  if (tabId !== null) {
    if (route.session) route.session.tabId = tabId;
    else route.session = new SessionTransport(origin, tabId);
  }
  return client;
}

/** The portal whose webhook is set and in use, if any: it works with no portal tab open. */
export async function webhookPortal(): Promise<string | null> {
  const [settings, webhook] = await Promise.all([loadSettings(), loadWebhook()]);
  return settings.authMode === 'webhook' && webhook ? webhook.origin : null;
}

/** True when calls to this portal go by webhook (no logged-in tab needed). */
export async function usesWebhook(origin: string): Promise<boolean> {
  return (await webhookPortal()) === origin;
}
