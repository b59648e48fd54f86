// A fake browser for the worker's orchestration tests: what survives a stopped service worker
// (storage, alarms, tabs, the portal) lives in a `World`; each worker life is an `Instance` with
// its own listeners. Every browser call and every REST request is an await point that resolves
// on a later macrotask (like Chrome's IPC), and an instance can be stopped at any of them: from
// then on nothing of it runs again, as when Chrome stops the worker.
import { vi } from 'vitest';
import { RestError } from '../../core/rest/errors.ts';
import type { BatchOptions, BatchOutcome, RestApi } from '../../core/rest/api.ts';
import type { BatchCommand, RestOk, RestParams } from '../../core/rest/types.ts';
import type { FakePortal } from '../../core/bulk/testing/fake-portal.ts';
import type { ClientFactory, PortalRoute } from '../portal-clients.ts';
import type { JobSupervisor } from '../bulk/supervisor.ts';

type Listener = (...args: never[]) => unknown;

const CURRENT = Symbol.for('fake-browser:current');

/**
 * What `webextension-polyfill` resolves to in these tests: the browser of the current worker life.
 * `vi.mock('webextension-polyfill', () => ({ default: browserProxy() }))` in the test file.
 */
export function browserProxy(): object {
  return new Proxy(
    {},
    {
      get: (_, key) => {
        const current = (globalThis as { [CURRENT]?: Record<PropertyKey, unknown> })[CURRENT];
        if (!current) throw new Error('no worker started (World.start)');
        return current[key];
      },
    },
  );
}

export class FakeEvent {
  private readonly listeners = new Set<Listener>();
  addListener(listener: Listener): void {
    this.listeners.add(listener);
  }
  removeListener(listener: Listener): void {
    this.listeners.delete(listener);
  }
  hasListener(listener: Listener): boolean {
    return this.listeners.has(listener);
  }
  /** Calls every listener; returns what they returned. */
  dispatch(...args: unknown[]): unknown[] {
    return [...this.listeners].map((listener) => (listener as (...a: unknown[]) => unknown)(...args));
  }
}

export interface FakeTab {
  id: number;
  url: string;
  loggedIn: boolean;
}

interface Alarm {
  name: string;
  scheduledTime: number;
  periodInMinutes?: number;
}

const EXTENSION_ID = 'fakeextensionid';
const EXTENSION_URL = `chrome-extension://${EXTENSION_ID}/`;
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** One REST request as the portal saw it. */
export interface RequestRecord {
  client: number;
  origin: string;
  /** The tab that carried it (session), or null (webhook). */
  tabId: number | null;
  methods: string[];
}

export class World {
  readonly local = new Map<string, unknown>();
  readonly session = new Map<string, unknown>();
  readonly alarms = new Map<string, Alarm>();
  readonly tabs = new Map<number, FakeTab>();
  readonly requests: RequestRecord[] = [];
  /** Requests of one origin in flight at once from different clients: two queues. */
  overlaps = 0;
  clientsCreated = 0;
  instance: Instance | null = null;
  private nextTabId = 10;
  private readonly inFlight = new Map<string, Set<number>>();
  private readonly clientLives = new Map<number, Instance>();

  constructor(
    readonly portal: FakePortal,
    readonly origin = 'https://demo.bitrix24.ru',
  ) {}

  openTab(loggedIn = true, url = `${this.origin}/online/`): FakeTab {
    const tab = { id: this.nextTabId++, url, loggedIn };
    this.tabs.set(tab.id, tab);
    return tab;
  }

  closeTab(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /** Starts a worker life: fresh modules, this world's browser, `startWorker` with clients around the fake portal. */
  async start(options: { stopAtStep?: number } = {}): Promise<Instance> {
    this.instance?.stop();
    const instance = new Instance(this, options.stopAtStep);
    this.instance = instance;
    vi.resetModules();
    (globalThis as { [CURRENT]?: unknown })[CURRENT] = instance.browser;
    const { startWorker } = await import('../worker.ts');
    // The worker's own RestError class (fresh modules): the engine tells its errors apart by `instanceof`.
    instance.RestError = (await import('../../core/rest/errors.ts')).RestError;
    instance.supervisor = startWorker({ clientFactory: this.clientFactory(instance) });
    return instance;
  }

  /** Chrome fires an alarm: into the running worker, or it starts a stopped one first. */
  async fireAlarm(name: string, options: { stopAtStep?: number } = {}): Promise<Instance> {
    const alarm = this.alarms.get(name);
    if (!alarm) throw new Error(`no alarm ${name}`);
    const instance = this.instance?.alive ? this.instance : await this.start(options);
    if (alarm.periodInMinutes === undefined) this.alarms.delete(name);
    instance.browser.alarms.onAlarm.dispatch({ ...alarm });
    return instance;
  }

  /** Reads the portal executed per dialog: every one must be 1 for a target. */
  readCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.portal.executed) {
      if (call.method !== 'im.dialog.read') continue;
      const id = String(call.params['DIALOG_ID']);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  private clientFactory(instance: Instance): ClientFactory {
    return (origin, route) => new TrackedClient(this, instance, origin, route, ++this.clientsCreated);
  }

  enter(origin: string, client: number, instance: Instance): void {
    const active = this.inFlight.get(origin) ?? new Set<number>();
    // A stopped worker's request never comes back: it does not hold a queue any more.
    for (const other of active) if (!this.clientLives.get(other)?.alive) active.delete(other);
    this.clientLives.set(client, instance);
    if ([...active].some((other) => other !== client)) this.overlaps += 1;
    active.add(client);
    this.inFlight.set(origin, active);
  }

  leave(origin: string, client: number): void {
    this.inFlight.get(origin)?.delete(client);
  }
}

/** The client the worker gets for a portal: one series of requests (as `RestClient`), to the fake portal, through its route's tab. */
class TrackedClient implements RestApi {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly world: World,
    private readonly instance: Instance,
    private readonly origin: string,
    private readonly route: PortalRoute,
    readonly id: number,
  ) {}

  async call<T>(method: string, params: RestParams = {}): Promise<RestOk<T>> {
    const outcome = await this.batch({ one: { method, params } });
    const error = outcome.errors['one'];
    if (error) throw error;
    return { result: outcome.results['one'] as T, time: { start: 0, finish: 0, duration: 0, processing: 0, date_start: '', date_finish: '' } };
  }

  batch(commands: Record<string, BatchCommand>, options?: BatchOptions): Promise<BatchOutcome> {
    const run = this.queue.then(() => this.send(commands, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(commands: Record<string, BatchCommand>, options?: BatchOptions): Promise<BatchOutcome> {
    await this.instance.step();
    const tabId = this.route.tabId;
    if (this.route.kind === 'session') {
      const tab = tabId === null ? undefined : this.world.tabs.get(tabId);
      const Rest = this.instance.RestError;
      if (!tab) throw new Rest('network', 'NETWORK_ERROR', 'the portal tab is closed', 0);
      if (!tab.loggedIn) throw new Rest('auth', 'NO_AUTH_FOUND', '', 401);
    }
    this.world.enter(this.origin, this.id, this.instance);
    let outcome: BatchOutcome;
    try {
      this.world.requests.push({ client: this.id, origin: this.origin, tabId, methods: Object.values(commands).map((c) => c.method) });
      outcome = await this.world.portal.batch(commands, options);
      // The answer travels back: the worker may be stopped before it arrives.
      await this.instance.step();
    } finally {
      this.world.leave(this.origin, this.id);
    }
    return outcome;
  }
}

export class Instance {
  alive = true;
  steps = 0;
  supervisor!: JobSupervisor;
  RestError: typeof RestError = RestError;
  readonly browser: ReturnType<Instance['build']>;
  private readonly storageChanged = new FakeEvent();

  constructor(
    private readonly world: World,
    /** The await point at which this worker life is stopped (counted from its start). */
    public stopAtStep?: number,
  ) {
    this.browser = this.build();
  }

  stop(): void {
    this.alive = false;
  }

  /** One await point of this worker life: resolves on a later macrotask, or never once the worker stopped. */
  async step(): Promise<void> {
    if (!this.alive) return never();
    this.steps += 1;
    if (this.stopAtStep !== undefined && this.steps >= this.stopAtStep) {
      this.stop();
      return never();
    }
    await macrotask();
    if (!this.alive) return never();
  }

  private async io<T>(fn: () => T): Promise<T> {
    await this.step();
    return fn();
  }

  /** A message from the extension's own popup, as `runtime.sendMessage` delivers it. */
  sendMessage<T = unknown>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
    const sender = { id: EXTENSION_ID, url: `${EXTENSION_URL}src/popup/index.html` };
    for (const reply of this.browser.runtime.onMessage.dispatch({ type, payload }, sender)) {
      if (reply !== undefined) return reply as Promise<T>;
    }
    return Promise.reject(new Error(`nobody answered ${type}`));
  }

  /** Resolves once the supervisor has nothing to do (and the event loop is quiet). */
  async settled(): Promise<void> {
    for (let quiet = 0; quiet < 5 && this.alive; ) {
      await macrotask();
      quiet = this.supervisor.busy === null ? quiet + 1 : 0;
    }
  }

  private area(map: Map<string, unknown>, name: string) {
    const world = this.world;
    const notify = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => {
      if (Object.keys(changes).length === 0) return;
      // Every live context hears it, after the write.
      setTimeout(() => world.instance?.alive && world.instance.storageChanged.dispatch(changes, name), 0);
    };
    const keysOf = (keys: unknown): string[] => (keys === null || keys === undefined ? [...map.keys()] : typeof keys === 'string' ? [keys] : Array.isArray(keys) ? (keys as string[]) : Object.keys(keys as object));
    return {
      get: (keys?: unknown) =>
        this.io(() => {
          const out: Record<string, unknown> = {};
          for (const key of keysOf(keys)) if (map.has(key)) out[key] = structuredClone(map.get(key));
          return out;
        }),
      set: (items: Record<string, unknown>) =>
        this.io(() => {
          const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
          for (const [key, value] of Object.entries(items)) {
            changes[key] = { oldValue: map.get(key), newValue: structuredClone(value) };
            map.set(key, structuredClone(value));
          }
          notify(changes);
        }),
      remove: (keys: string | string[]) =>
        this.io(() => {
          const changes: Record<string, { oldValue?: unknown }> = {};
          for (const key of typeof keys === 'string' ? [keys] : keys) {
            if (map.has(key)) changes[key] = { oldValue: map.get(key) };
            map.delete(key);
          }
          notify(changes);
        }),
      clear: () => this.io(() => map.clear()),
    };
  }

  private build() {
    const world = this.world;
    const io = <T>(fn: () => T) => this.io(fn);
    const tabView = (tab: FakeTab) => ({ id: tab.id, url: tab.url, active: false, index: 0, windowId: 1, highlighted: false, pinned: false, incognito: false });
    const detection = (tab: FakeTab) => ({
      origin: new URL(tab.url).origin,
      looksLikePortal: true,
      hasMessenger: true,
      loggedIn: tab.loggedIn,
      userId: tab.loggedIn ? world.portal.myUserId : null,
      dialogId: null,
      dialogSource: null,
      messageId: null,
      messageSource: null,
      title: null,
    });
    return {
      runtime: {
        id: EXTENSION_ID,
        getURL: (path: string) => EXTENSION_URL + path.replace(/^\//, ''),
        getManifest: () => ({ content_scripts: [] }),
        onMessage: new FakeEvent(),
        onInstalled: new FakeEvent(),
        onStartup: new FakeEvent(),
        sendMessage: () => io(() => undefined),
      },
      storage: { local: this.area(world.local, 'local'), session: this.area(world.session, 'session'), sync: this.area(new Map(), 'sync'), onChanged: this.storageChanged },
      alarms: {
        create: (name: string, info: { when?: number; delayInMinutes?: number; periodInMinutes?: number }) =>
          io(() => {
            const scheduledTime = info.when ?? Date.now() + 60_000 * (info.delayInMinutes ?? info.periodInMinutes ?? 0);
            world.alarms.set(name, { name, scheduledTime, ...(info.periodInMinutes !== undefined ? { periodInMinutes: info.periodInMinutes } : {}) });
          }),
        clear: (name: string) => io(() => world.alarms.delete(name)),
        clearAll: () => io(() => world.alarms.clear()),
        get: (name: string) => io(() => world.alarms.get(name)),
        getAll: () => io(() => [...world.alarms.values()]),
        onAlarm: new FakeEvent(),
      },
      tabs: {
        get: (tabId: number) =>
          io(() => {
            const tab = world.tabs.get(tabId);
            if (!tab) throw new Error(`No tab with id: ${tabId}.`);
            return tabView(tab);
          }),
        query: (info: { url?: string; active?: boolean }) =>
          io(() => {
            const tabs = [...world.tabs.values()];
            const prefix = info.url?.replace(/\*$/, '');
            return tabs.filter((tab) => (prefix === undefined || tab.url.startsWith(prefix)) && (info.active === undefined || tab === tabs[0])).map(tabView);
          }),
        sendMessage: (tabId: number, message: { type?: string }) =>
          io(() => {
            const tab = world.tabs.get(tabId);
            if (!tab) throw new Error('Could not establish connection. Receiving end does not exist.');
            if (message.type === 'cs/detect') return detection(tab);
            if (message.type === 'cs/refresh-sessid') return false;
            if (message.type === 'cs/context-target') return null;
            throw new Error(`the fake content script does not answer ${message.type}`);
          }),
        create: () => io(() => undefined),
        onActivated: new FakeEvent(),
        onUpdated: new FakeEvent(),
        onRemoved: new FakeEvent(),
      },
      action: {
        setBadgeText: () => io(() => undefined),
        setBadgeBackgroundColor: () => io(() => undefined),
        setTitle: () => io(() => undefined),
        openPopup: () => io(() => undefined),
      },
      notifications: { create: () => io(() => ''), clear: () => io(() => true), onButtonClicked: new FakeEvent() },
      contextMenus: { create: () => undefined, removeAll: () => io(() => undefined), onClicked: new FakeEvent() },
      commands: { onCommand: new FakeEvent() },
      windows: { create: () => io(() => undefined) },
      i18n: { getMessage: (key: string) => key, getUILanguage: () => 'en' },
      permissions: { getAll: () => io(() => ({ origins: [], permissions: [] })), contains: () => io(() => false), onAdded: new FakeEvent(), onRemoved: new FakeEvent() },
      scripting: {
        getRegisteredContentScripts: () => io(() => []),
        registerContentScripts: () => io(() => undefined),
        unregisterContentScripts: () => io(() => undefined),
        executeScript: () => io(() => []),
      },
    };
  }

  /** A page finished loading in a tab (`tabs.onUpdated`, status complete). */
  tabLoaded(tab: FakeTab): void {
    this.browser.tabs.onUpdated.dispatch(tab.id, { status: 'complete' }, tabView(tab));
  }
}

function tabView(tab: FakeTab) {
  return { id: tab.id, url: tab.url };
}
