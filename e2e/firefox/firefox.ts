// Launches Debian's Firefox ESR with the built dist-firefox/ over WebDriver BiDi (puppeteer-core),
// every Bitrix24 cloud host sent to the local portal through an in-process HTTP CONNECT proxy
// (Firefox has no host-resolver flag; its proxy prefs are the mapping), the portal's self-signed
// certificate accepted for the session. The chrome (browser UI) realm is reachable for reading
// the toolbar badge and choosing a context-menu item the way the menu itself does.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { isCloudPortalHost } from '../../src/core/portal-zones.ts';

export const DIST_FIREFOX = path.resolve(import.meta.dirname, '..', '..', 'dist-firefox');
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface MappingProxy {
  port: number;
  /** CONNECT requests answered, by host. */
  tunnels: Map<string, number>;
  close(): Promise<void>;
}

/** An HTTP CONNECT proxy that tunnels `*.bitrix24.<zone>:443` to the portal and refuses everything else (the machine is offline). */
export async function startMappingProxy(portalPort: number): Promise<MappingProxy> {
  const tunnels = new Map<string, number>();
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(403).end('only CONNECT to Bitrix24 cloud hosts');
  });
  server.on('connect', (req, client) => {
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    if (!isCloudPortalHost(host) || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels.set(host, (tunnels.get(host) ?? 0) + 1);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const upstream = connect(portalPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy(); // tunnels are no longer HTTP connections
        server.close(() => resolve());
      }),
  };
}

export interface FirefoxSession {
  browser: Browser;
  extensionId: string;
  /** The moz-extension:// origin of the installed add-on. */
  extensionOrigin: string;
  profile: string;
  close(): Promise<void>;
}

export interface LaunchFirefoxOptions {
  proxyPort: number;
  headless?: boolean;
  /** X display for a headed run under Xvfb. */
  display?: string;
  extraPrefs?: Record<string, unknown>;
}

export async function launchFirefox(options: LaunchFirefoxOptions): Promise<FirefoxSession> {
  if (!existsSync(path.join(DIST_FIREFOX, 'manifest.json'))) throw new Error(`No Firefox build in ${DIST_FIREFOX}: run "npm run build:firefox" first.`);
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: apt-get install -y firefox-esr (.ci/run does)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'b24mr-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: options.headless ?? true,
    acceptInsecureCerts: true,
    userDataDir: profile,
    defaultViewport: null,
    dumpio: process.env.FIREFOX_DUMPIO === '1',
    args: ['-remote-allow-system-access', '--width=1280', '--height=800'],
    env: { ...process.env, ...(options.display ? { DISPLAY: options.display } : {}), MOZ_CRASHREPORTER_DISABLE: '1' },
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': options.proxyPort,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': options.proxyPort,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'network.trr.mode': 5,
      // The address bar takes a typed address as it is (no completion from history).
      'browser.urlbar.autoFill': false,
      // Notifications in Firefox's own alert window (there is no system notification service here).
      'alerts.useSystemBackend': false,
      'network.dns.disablePrefetch': true,
      'network.http.speculative-parallel-limit': 0,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'extensions.update.enabled': false,
      'extensions.getAddons.cache.enabled': false,
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      ...(process.env.FIREFOX_DUMPIO === '1' ? { 'devtools.console.stdout.chrome': true, 'devtools.console.stdout.content': true, 'browser.dom.window.dump.enabled': true } : {}),
      ...options.extraPrefs,
    },
  });
  try {
    const extensionId = await browser.installExtension(DIST_FIREFOX);
    const extensionOrigin = await chromeEval<string>(browser, `WebExtensionPolicy.getByID(${JSON.stringify(extensionId)}).getURL('')`);
    return {
      browser,
      extensionId,
      extensionOrigin: extensionOrigin.replace(/\/$/, ''),
      profile,
      close: async () => {
        // A browser that does not quit in time is killed: a test run never hangs on it.
        const quit = browser.close().catch(() => undefined);
        const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000).unref());
        if ((await Promise.race([quit, timer])) === 'late') browser.process()?.kill('SIGKILL');
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

interface BidiConnection {
  send(method: string, params: Record<string, unknown>): Promise<{ result: Record<string, unknown> }>;
}

/** Evaluates `expression` in the first browser window's chrome realm (needs -remote-allow-system-access). */
export async function chromeEval<T>(browser: Browser, expression: string): Promise<T> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' } as Record<string, unknown>);
  const contexts = (tree.result.contexts as Array<{ context: string; url: string }>).filter((c) => c.url.startsWith('chrome://browser/'));
  if (contexts.length === 0) throw new Error('no chrome window over BiDi (is -remote-allow-system-access passed?)');
  const evaluated = await connection.send('script.evaluate', {
    expression: `(async () => JSON.stringify(await (async () => (${expression}))()))()`,
    target: { context: contexts[0]!.context },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  const result = evaluated.result as { type: string; result?: { type: string; value?: string }; exceptionDetails?: { text: string } };
  if (result.type === 'exception') throw new Error(`chrome eval failed: ${result.exceptionDetails?.text}`);
  const value = result.result?.value;
  return (value === undefined ? undefined : JSON.parse(value)) as T;
}

/** The widget id Firefox gives an add-on's toolbar button. */
function widgetId(extensionId: string): string {
  return `${extensionId.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-browser-action`;
}

/** The badge text on the add-on's toolbar button for the selected tab, as the user sees it ('' when none). */
export async function badgeText(session: FirefoxSession): Promise<string> {
  return chromeEval<string>(
    session.browser,
    `(document.getElementById(${JSON.stringify(widgetId(session.extensionId))})?.querySelector('.webextension-browser-action')?.getAttribute('badge')) ?? ''`,
  );
}

/** Screen position of the browser content area's top-left corner and the window's device pixel ratio, from inside a page. */
export const SCREEN_ORIGIN_SCRIPT = `({ x: window.mozInnerScreenX, y: window.mozInnerScreenY, ratio: window.devicePixelRatio })`;

export interface ExtensionTab {
  context: string;
  /** Evaluates an async expression in the extension page (privileged: the page's own `browser.*`). */
  evaluate<T>(expression: string): Promise<T>;
}

/** Finds the browsing context showing an extension page whose URL starts with `prefix`. */
export async function extensionTab(session: FirefoxSession, prefix: string, timeoutMs = 10_000): Promise<ExtensionTab> {
  const connection = (session.browser as unknown as { connection: BidiConnection }).connection;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tree = await connection.send('browsingContext.getTree', {});
    const found = (tree.result.contexts as Array<{ context: string; url: string }>).find((c) => c.url.startsWith(prefix));
    if (found) {
      return {
        context: found.context,
        evaluate: async <T>(expression: string) => {
          const evaluated = await connection.send('script.evaluate', {
            expression: `(async () => JSON.stringify(await (async () => (${expression}))()))()`,
            target: { context: found.context },
            awaitPromise: true,
          });
          const result = evaluated.result as { type: string; result?: { value?: string }; exceptionDetails?: { text: string } };
          if (result.type === 'exception') throw new Error(`extension page eval failed: ${result.exceptionDetails?.text}`);
          const value = result.result?.value;
          return (value === undefined ? undefined : JSON.parse(value)) as T;
        },
      };
    }
    if (Date.now() > deadline) throw new Error(`no extension page at ${prefix} (open: ${(tree.result.contexts as Array<{ url: string }>).map((c) => c.url).join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `probe` until it returns true (or a truthy value), else fails with `what`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
