// The service worker's entry: the real REST clients, and every listener registered by startWorker.
import { restClientFactory } from './portal-clients.ts';
import { startWorker } from './worker.ts';

startWorker({ clientFactory: restClientFactory });
