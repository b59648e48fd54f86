// Issue 6, least privilege: reads the BUILT manifest (dist/, as shipped) and every shipped script,
// and fails on any widening. Widening on purpose means changing the allow-lists below and saying
// why in the README, in the same change.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { PORTAL_MATCHES } from '../src/core/portal-zones.ts';
import { DIST } from './browser.ts';

/** Every API permission the extension may ask for, required or optional. */
const ALLOWED_PERMISSIONS = ['storage', 'contextMenus', 'alarms', 'notifications', 'scripting', 'activeTab'];
/** Never, whatever the reason. */
const FORBIDDEN_PERMISSIONS = ['tabs', 'cookies', 'webRequest', 'webRequestBlocking', 'declarativeNetRequest', 'debugger', 'history', 'management', 'downloads', 'bookmarks', 'clipboardRead', 'nativeMessaging', 'proxy', 'privacy', 'browsingData', 'webNavigation', 'topSites', 'unlimitedStorage', 'background', '<all_urls>'];
/** Asked only when the user enables a self-hosted portal, one origin at a time. */
const ALLOWED_OPTIONAL_HOSTS = ['https://*/*'];
/** Manifest keys that open the extension to other code, pages or servers. */
const FORBIDDEN_KEYS = ['externally_connectable', 'update_url', 'key', 'oauth2', 'sandbox', 'chrome_url_overrides', 'devtools_page', 'declarative_net_request', 'content_capabilities', 'host_permissions_all', 'nacl_modules', 'file_browser_handlers', 'storage.managed_schema', 'web_accessible_resources_all'];
const STRICT_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: Array<{ matches: string[]; js?: string[]; css?: string[]; world?: string; match_about_blank?: boolean; match_origin_as_fallback?: boolean }>;
  content_security_policy?: Record<string, string>;
  web_accessible_resources?: Array<{ resources: string[]; matches?: string[]; extension_ids?: string[]; use_dynamic_url?: boolean }>;
  background?: { service_worker?: string; type?: string };
  [key: string]: unknown;
}

const manifest = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8')) as Manifest;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) => expect([...new Set(a)].sort()).toEqual([...new Set(b)].sort());

test('permissions: only the allow-list, none of the dangerous ones, each explained in the README', () => {
  expect(manifest.manifest_version).toBe(3);
  const asked = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
  expect(asked.filter((p) => !ALLOWED_PERMISSIONS.includes(p)), 'permissions outside the allow-list').toEqual([]);
  expect(asked.filter((p) => FORBIDDEN_PERMISSIONS.includes(p))).toEqual([]);
  const readme = readFileSync(path.resolve(DIST, '..', 'README.md'), 'utf8');
  for (const permission of [...asked, ...(manifest.optional_host_permissions ?? [])]) {
    expect(readme.includes(`\`${permission}\``), `README justifies \`${permission}\``).toBe(true);
  }
});

test('host access: exactly the Bitrix24 cloud zones; optional grants no wider than https://*/*', () => {
  sameSet(manifest.host_permissions ?? [], PORTAL_MATCHES);
  expect((manifest.optional_host_permissions ?? []).filter((h) => !ALLOWED_OPTIONAL_HOSTS.includes(h))).toEqual([]);
  for (const script of manifest.content_scripts ?? []) {
    sameSet(script.matches, PORTAL_MATCHES);
    expect(script.match_origin_as_fallback ?? false).toBe(false);
    for (const file of [...(script.js ?? []), ...(script.css ?? [])]) expect(existsSync(path.join(DIST, file)), file).toBe(true);
  }
  const all = JSON.stringify(manifest);
  expect(all).not.toContain('<all_urls>');
  expect(all).not.toContain('*://*/*');
  expect(all).not.toContain('http://');
});

test('no door for other code: no externally_connectable, no remote updates or keys, web_accessible_resources no wider than the content scripts', () => {
  expect(Object.keys(manifest).filter((key) => FORBIDDEN_KEYS.includes(key))).toEqual([]);
  for (const entry of manifest.web_accessible_resources ?? []) {
    // Allowed only as the bundler's content-script chunks, for portal pages.
    expect(entry.extension_ids ?? []).toEqual([]);
    sameSet(entry.matches ?? [], PORTAL_MATCHES);
    for (const resource of entry.resources) {
      expect(resource, 'a script chunk, not a page or a wildcard').toMatch(/^(assets|src\/content)\/[\w.-]+\.js$/);
      expect(existsSync(path.join(DIST, resource)), resource).toBe(true);
    }
  }
  expect(manifest.background).toEqual({ service_worker: expect.stringMatching(/^[\w./-]+\.js$/), type: 'module' });
});

test('extension CSP: exactly strict — scripts from the package only, no eval, no remote origins', () => {
  expect(Object.keys(manifest.content_security_policy ?? {})).toEqual(['extension_pages']);
  const csp = manifest.content_security_policy!['extension_pages']!;
  expect(csp).toBe(STRICT_CSP);
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:|\*|data:|blob:/);
});

test('no remote code: no eval, no new Function, no scripts loaded from a server, in any shipped file', () => {
  const shipped = files(DIST).filter((file) => /\.(m?js|html)$/.test(file));
  expect(shipped.length).toBeGreaterThan(5);
  const rules: Array<[string, RegExp]> = [
    ['eval(', /(^|[^.\w$])eval\s*\(/],
    ['new Function(', /new\s+Function\s*\(/],
    ['importScripts(', /importScripts\s*\(/],
    ['import() of a URL', /import\s*\(\s*[`'"](https?:)?\/\//],
    ['import from a URL', /\bfrom\s*[`'"](https?:)?\/\//],
    ['a script src set to a URL', /\.src\s*=\s*[`'"](https?:)?\/\//],
    ['<script src> to a server', /<script[^>]*\ssrc\s*=\s*["']?(https?:)?\/\//i],
    ['setTimeout/setInterval with a string', /set(?:Timeout|Interval)\s*\(\s*[`'"]/],
  ];
  const found: string[] = [];
  for (const file of shipped) {
    const text = readFileSync(file, 'utf8');
    for (const [name, rule] of rules) if (rule.test(text)) found.push(`${path.relative(DIST, file)}: ${name}`);
  }
  expect(found).toEqual([]);
});
