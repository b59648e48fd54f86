import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import { PORTAL_MATCHES } from './src/core/portal-zones.ts';

// manifest.json carries everything but the zone list, which lives once in src/core/portal-zones.ts.
const manifest = {
  ...baseManifest,
  host_permissions: PORTAL_MATCHES,
  content_scripts: baseManifest.content_scripts.map((script) => ({ ...script, matches: PORTAL_MATCHES })),
} as ManifestV3Export;

/**
 * crxjs lists every `?iife` script as web-accessible to all pages; the self-hosted probe is only
 * ever injected by `scripting.executeScript`, so no page needs to load it.
 */
const probeNotWebAccessible: Plugin = {
  name: 'probe-not-web-accessible',
  apply: 'build',
  writeBundle(options) {
    const file = path.join(options.dir ?? 'dist', 'manifest.json');
    const built = JSON.parse(readFileSync(file, 'utf8')) as { web_accessible_resources?: Array<{ resources: string[] }> };
    const kept = (built.web_accessible_resources ?? [])
      .map((entry) => ({ ...entry, resources: entry.resources.filter((name) => !name.includes('site-probe')) }))
      .filter((entry) => entry.resources.length > 0);
    if (kept.length > 0) built.web_accessible_resources = kept;
    else delete built.web_accessible_resources;
    writeFileSync(file, JSON.stringify(built, null, 2));
  },
};

export default defineConfig({
  plugins: [crx({ manifest }), probeNotWebAccessible],
  build: {
    target: 'chrome116',
    sourcemap: false,
    emptyOutDir: true,
  },
});
