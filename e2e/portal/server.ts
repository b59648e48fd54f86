// The HTTPS server: picks the tenant by Host, routes REST, pages and page scripts, logs everything.

import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { isCloudPortalHost } from '../../src/core/portal-zones.ts';
import { createPortalFetch, type PortalFetch } from './client.ts';
import type { Plan } from './limits.ts';
import { CORE_JS, MESSENGER_CSS, MESSENGER_JS } from './page-assets.ts';
import { renderDesktopAppPage, renderHomePage, renderLoginPage, renderMessengerPage, renderNotFound } from './pages.ts';
import { parseQueryString, phpString } from './php-params.ts';
import { handleRest } from './rest.ts';
import { demoSeed, type SeedOptions } from './seed.ts';
import { SESSION_COOKIE, Tenant, type Latency, type RequestLogEntry } from './tenant.ts';
import { portalCertificate } from './tls.ts';

export const DEFAULT_HOST = 'demo.bitrix24.ru';

export interface PortalServerOptions {
  /** 0 (default) = a random free port on 127.0.0.1. */
  port?: number;
  /** Leaky bucket; default standard (50, drains 2/s). */
  plan?: Plan;
  /** Simulated processing per REST request: baseMs + perCallMs per (sub-)call. */
  latency?: Latency;
  /** State every new tenant starts with; default demoSeed(). */
  seed?: SeedOptions;
  /** Per-webhook per-method operating budget (s per 10 min); default 480. */
  operatingLimitSec?: number;
}

export interface PortalServer {
  readonly port: number;
  /** PEM of the self-signed certificate (covers *.bitrix24.<zone>, localhost, 127.0.0.1). */
  readonly certPem: string;
  /**
   * The tenant of a host (default demo.bitrix24.ru), created on first use with `seed` or else the
   * server's seed. Asking for an existing tenant with a seed is an error (its state is already made).
   */
  tenant(host?: string, seed?: SeedOptions): Tenant;
  /** fetch() into this server for Node code: any https://<host>/... URL reaches it. */
  fetch: PortalFetch;
  close(): Promise<void>;
}

const STATIC: Record<string, { type: string; body: string }> = {
  '/bitrix/js/main/core/core.js': { type: 'text/javascript; charset=UTF-8', body: CORE_JS },
  '/bitrix/js/im/messenger.js': { type: 'text/javascript; charset=UTF-8', body: MESSENGER_JS },
  '/bitrix/css/im/messenger.css': { type: 'text/css; charset=UTF-8', body: MESSENGER_CSS },
};

export async function startPortal(opts: PortalServerOptions = {}): Promise<PortalServer> {
  const cert = portalCertificate();
  const tenants = new Map<string, Tenant>();
  const tenantFor = (host: string = DEFAULT_HOST, seed?: SeedOptions): Tenant => {
    const h = host.toLowerCase().replace(/:\d+$/, '');
    let t = tenants.get(h);
    if (t && seed) throw new Error(`tenant ${h} already exists: seed it before its first request`);
    if (!t) {
      t = new Tenant(h, { plan: opts.plan, latency: opts.latency, seed: seed ?? opts.seed ?? demoSeed(), operatingLimitSec: opts.operatingLimitSec });
      tenants.set(h, t);
    }
    return t;
  };

  const server = https.createServer({ key: cert.key, cert: cert.cert, keepAlive: true }, (req, res) => {
    void handle(req, res, tenantFor, (host) => tenants.has(host)).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(e instanceof Error ? e.stack : e));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const agent = new https.Agent({ keepAlive: true });
  return {
    port,
    certPem: cert.cert,
    tenant: (host?: string, seed?: SeedOptions) => tenantFor(host, seed),
    fetch: createPortalFetch(port, agent),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  tenantFor: (host?: string) => Tenant,
  isTenant: (host: string) => boolean,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  // Any *.bitrix24.<zone> host is a portal of its own, and so is any other host a test created a
  // tenant for (a self-hosted portal on its own domain); anything else (127.0.0.1...) is the default one.
  const tenant = tenantFor(isCloudPortalHost(host) || isTenant(host) ? host : DEFAULT_HOST);
  const url = new URL(req.url ?? '/', tenant.origin);
  const entry: RequestLogEntry = {
    t: Date.now(), method: req.method ?? 'GET', path: url.pathname + url.search, auth: 'none', status: 0,
    processingMs: 0, bytesIn: body.length, bytesOut: 0,
  };
  tenant.log.push(entry);
  const isRest = url.pathname.startsWith('/rest/');
  const send = (status: number, headers: Record<string, string>, text: string): void => {
    if (res.headersSent || res.destroyed) return;
    const buf = Buffer.from(text, 'utf8');
    entry.status = status;
    entry.bytesOut = buf.length;
    const h: Record<string, string> = { ...headers, 'Content-Length': String(buf.length) };
    if (isRest) h['Access-Control-Allow-Origin'] = '*';
    res.writeHead(status, h);
    res.end(req.method === 'HEAD' ? undefined : buf);
  };
  const redirect = (location: string, extra: Record<string, string> = {}): void =>
    send(302, { Location: location, 'Content-Type': 'text/html; charset=UTF-8', ...extra }, '');
  const html = (status: number, text: string): void => send(status, { 'Content-Type': 'text/html; charset=UTF-8' }, text);

  if (isRest) {
    if (req.method === 'OPTIONS') {
      send(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Bitrix-Csrf-Token',
      }, '');
      return;
    }
    await handleRest({ tenant, req, res, url, body, entry, send });
    return;
  }

  if (url.pathname === '/favicon.ico') {
    send(204, {}, '');
    return;
  }
  const asset = STATIC[url.pathname];
  if (asset) {
    send(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }, asset.body);
    return;
  }

  const session = tenant.sessionFromCookies(req.headers.cookie);
  entry.auth = session ? 'session' : 'none';
  const path = url.pathname.replace(/index\.php$/, '');
  const toLogin = (): void => redirect(`/auth/?backurl=${encodeURIComponent(url.pathname + url.search)}`);

  switch (path) {
    case '/auth/': {
      const backurl = safeBackurl(url.searchParams.get('backurl'));
      if (url.searchParams.get('logout') === 'yes') {
        if (session) tenant.endSession(session.id);
        redirect('/auth/', { 'Set-Cookie': `${SESSION_COOKIE}=deleted; path=/; expires=Thu, 01 Jan 1970 00:00:01 GMT; secure; HttpOnly` });
        return;
      }
      if (req.method === 'POST') {
        const form = parseQueryString(body.toString('utf8'));
        const login = phpString(form.get('USER_LOGIN'))?.trim() ?? '';
        const password = phpString(form.get('USER_PASSWORD')) ?? '';
        const target = safeBackurl(phpString(form.get('backurl')) ?? null) ?? backurl ?? '/';
        if (!login || !password) {
          html(200, renderLoginPage(tenant, target, 'Incorrect login or password'));
          return;
        }
        const s = tenant.login();
        redirect(target, { 'Set-Cookie': `${SESSION_COOKIE}=${s.cookieValue}; path=/; secure; HttpOnly` });
        return;
      }
      if (session) {
        redirect(backurl ?? '/');
        return;
      }
      html(200, renderLoginPage(tenant, backurl ?? '/', ''));
      return;
    }
    case '/online/':
      if (!session) return toLogin();
      html(200, renderMessengerPage(tenant, session, url.searchParams.get('IM_DIALOG'), 'page', { folder: url.searchParams.get('IM_FOLDER'), recentType: url.searchParams.get('IM_RECENT_TYPE') }));
      return;
    case '/desktop_app/':
      // The desktop app's page: the shell, and the messenger in an iframe (`IFRAME=Y`).
      if (!session) return toLogin();
      if (url.searchParams.get('IFRAME') === 'Y') html(200, renderMessengerPage(tenant, session, url.searchParams.get('IM_DIALOG'), 'frame', { folder: url.searchParams.get('IM_FOLDER'), recentType: url.searchParams.get('IM_RECENT_TYPE') }));
      else html(200, renderDesktopAppPage(tenant, session, url.searchParams.get('IM_DIALOG')));
      return;
    case '/':
      if (!session) return toLogin();
      html(200, renderHomePage(tenant, session));
      return;
    default:
      // Any other portal section shows the messenger as a slider over it (the address says /crm/...).
      if (/^\/(crm|company|workgroups|tasks|stream)\//.test(path)) {
        if (!session) return toLogin();
        html(200, renderMessengerPage(tenant, session, url.searchParams.get('IM_DIALOG'), 'slider', { folder: url.searchParams.get('IM_FOLDER'), recentType: url.searchParams.get('IM_RECENT_TYPE') }));
        return;
      }
      html(404, renderNotFound());
  }
}

/** Only same-site relative paths are followed after login. */
function safeBackurl(v: string | null): string | undefined {
  if (!v || !v.startsWith('/') || v.startsWith('//')) return undefined;
  return v;
}
