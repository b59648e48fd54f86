// One REST client per portal origin: one throttle, one series of requests, whatever tab or
// trigger the call comes from. The throttle's state is kept in storage so a restarted worker
// does not burst past the server's bucket.
import browser from 'webextension-polyfill';
import { RestClient } from '../core/rest/client.ts';
import { LeakyBucket, type BucketState, type BucketStore } from '../core/throttle/leaky-bucket.ts';
import { SessionTransport } from './session-transport.ts';
import { loadSettings } from '../shared/settings.ts';

const clients = new Map<string, { client: RestClient; transport: SessionTransport }>();

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

/** The client for a portal, its calls carried by the given tab (the logged-in session). */
export async function sessionClient(origin: string, tabId: number): Promise<RestClient> {
  const existing = clients.get(origin);
  if (existing) {
    existing.transport.tabId = tabId;
    return existing.client;
  }
  const settings = await loadSettings();
  const transport = new SessionTransport(origin, tabId);
  const client = new RestClient({ transport, bucket: new LeakyBucket(settings.bucket, bucketStore(origin)) });
  clients.set(origin, { client, transport });
  return client;
}
