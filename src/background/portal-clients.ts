// One REST client per portal origin: one throttle, one series of requests, whatever tab, trigger
// or auth mode the call comes from. The throttle's state is kept in storage so a restarted
// worker does not burst past the server's bucket. A running bulk job leases its portal's client:
// while the lease lasts, a settings write does not replace that client (it takes effect when the
// job lets go) and no other caller moves its calls to another tab.
import browser from 'webextension-polyfill';
import { RestClient } from '../core/rest/client.ts';
import type { RestApi } from '../core/rest/api.ts';
import { LeakyBucket, type BucketConfig, type BucketState, type BucketStore } from '../core/throttle/leaky-bucket.ts';
import { TransportError, type RawResponse, type RestParams, type Transport } from '../core/rest/types.ts';
import { WebhookTransport } from '../core/rest/webhook-transport.ts';
import { loadSettings, loadWebhook } from '../shared/settings.ts';
import { SessionTransport } from './session-transport.ts';

/** Carries a portal's calls by the webhook when one is set for it, else through a logged-in tab. */
export class PortalRoute implements Transport {
  session: SessionTransport | null = null;
  webhook: WebhookTransport | null = null;
  constructor(readonly portal: string) {}

  get kind(): 'session' | 'webhook' {
    return this.webhook ? 'webhook' : 'session';
  }

  /** The tab that carries session calls, or null (webhook, or no tab yet). */
  get tabId(): number | null {
    return this.webhook ? null : (this.session?.tabId ?? null);
  }

  useTab(tabId: number): void {
    if (this.session) this.session.tabId = tabId;
    else this.session = new SessionTransport(this.portal, tabId);
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

/** Builds the client of one origin around its route (production: a throttled `RestClient`). */
export type ClientFactory = (origin: string, route: PortalRoute, bucket: BucketConfig) => RestApi;

export const restClientFactory: ClientFactory = (origin, route, bucket) => new RestClient({ transport: route, bucket: new LeakyBucket(bucket, bucketStore(origin)) });

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

interface Entry {
  client: RestApi;
  route: PortalRoute;
}

/** A job's hold on its portal's client: the same client (and tab) until `release`. */
export interface ClientLease extends Entry {
  /** Carry the job's session calls through another tab of the portal (its own one closed). */
  moveTo(tabId: number): void;
  release(): void;
}

export class PortalClients {
  // Promises, stored before the first await, so two callers in one turn share one client.
  private readonly entries = new Map<string, Promise<Entry>>();
  private readonly leased = new Set<string>();
  /** Origins whose settings changed while leased: rebuilt once the lease ends. */
  private readonly stale = new Set<string>();

  constructor(private readonly factory: ClientFactory) {}

  private entry(origin: string): Promise<Entry> {
    let entry = this.entries.get(origin);
    if (!entry) {
      entry = (async () => {
        const [settings, webhook] = await Promise.all([loadSettings(), loadWebhook()]);
        const route = new PortalRoute(origin);
        if (settings.authMode === 'webhook' && webhook?.origin === origin) route.webhook = new WebhookTransport(webhook);
        return { client: this.factory(origin, route, settings.bucket), route };
      })();
      this.entries.set(origin, entry);
      entry.catch(() => this.entries.get(origin) === entry && this.entries.delete(origin));
    }
    return entry;
  }

  /** The portal's client; session calls go through `tabId` (the latest tab the user acted in) unless a job holds the client. */
  async client(origin: string, tabId: number | null): Promise<RestApi> {
    const { client, route } = await this.entry(origin);
    if (tabId !== null && (!this.leased.has(origin) || route.session === null)) route.useTab(tabId);
    return client;
  }

  /** The client for a job's whole run, its session calls pinned to `tabId`. One lease per origin at a time. */
  async lease(origin: string, tabId: number | null): Promise<ClientLease> {
    if (this.leased.has(origin)) throw new Error(`the client of ${origin} is already leased`);
    this.leased.add(origin);
    try {
      const entry = await this.entry(origin);
      if (tabId !== null) entry.route.useTab(tabId);
      let released = false;
      return {
        ...entry,
        moveTo: (next) => entry.route.useTab(next),
        release: () => {
          if (released) return;
          released = true;
          this.leased.delete(origin);
          if (this.stale.delete(origin)) this.entries.delete(origin);
        },
      };
    } catch (error) {
      this.leased.delete(origin);
      throw error;
    }
  }

  /** Settings or the webhook changed: later calls build fresh clients; a leased one is replaced after its job. */
  invalidate(): void {
    for (const origin of [...this.entries.keys()]) {
      if (this.leased.has(origin)) this.stale.add(origin);
      else this.entries.delete(origin);
    }
  }
}

let registry = new PortalClients(restClientFactory);

/** Set the worker's registry (tests pass one around the fake portal). */
export function usePortalClients(clients: PortalClients): void {
  registry = clients;
}

export function portalClients(): PortalClients {
  return registry;
}

/** The portal's client; session calls are carried by `tabId` unless a running job holds the client. */
export function portalClient(origin: string, tabId: number | null): Promise<RestApi> {
  return registry.client(origin, tabId);
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
