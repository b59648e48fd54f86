// Launches Debian's Chromium with the built extension from dist/, all Bitrix24 cloud hosts mapped
// to the local portal. Shared by the e2e fixtures, `npm start` and the popup benchmark.
import { chromium, type BrowserContext } from 'playwright';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PORTAL_ZONES } from '../src/core/portal-zones.ts';

export const DIST = path.resolve(import.meta.dirname, '..', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the closed network and quiet. */
export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=DialMediaRouteProvider,OptimizationHints,Translate',
];

export interface LaunchOptions {
  portalPort: number;
  headless?: boolean;
  userDataDir?: string;
  extraArgs?: string[];
  /** Hosts besides the cloud zones to map to the local portal (a self-hosted portal's own domain). */
  extraHosts?: string[];
  /** Environment of the browser process (e.g. DISPLAY for a headed run under Xvfb). */
  env?: NodeJS.ProcessEnv;
}

export async function launchWithExtension(options: LaunchOptions): Promise<BrowserContext> {
  if (!existsSync(path.join(DIST, 'manifest.json'))) throw new Error(`No built extension in ${DIST}: run "npm run build" first.`);
  const hosts = [...PORTAL_ZONES.map((zone) => `*.${zone}`), ...(options.extraHosts ?? [])];
  const rules = hosts.map((host) => `MAP ${host} 127.0.0.1:${options.portalPort}`).join(',');
  return chromium.launchPersistentContext(options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'b24mr-profile-')), {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    ignoreHTTPSErrors: true,
    ...(options.env ? { env: options.env as Record<string, string> } : {}),
    viewport: { width: 1280, height: 800 },
    args: [
      ...QUIET_FLAGS,
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      `--host-resolver-rules=${rules}`,
      '--ignore-certificate-errors',
      ...(options.extraArgs ?? []),
    ],
  });
}

/** Log the browser in to a portal host, as its login form does: the session cookie. */
export async function logIn(context: BrowserContext, tenant: { host: string; login(): { cookieName: string; cookieValue: string } }): Promise<void> {
  const { cookieName, cookieValue } = tenant.login();
  await context.addCookies([{ name: cookieName, value: cookieValue, domain: tenant.host, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
}
