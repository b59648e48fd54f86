import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import { PORTAL_MATCHES } from './src/core/portal-zones.ts';

// manifest.json carries everything but the zone list, which lives once in src/core/portal-zones.ts.
const manifest = {
  ...baseManifest,
  host_permissions: PORTAL_MATCHES,
  content_scripts: baseManifest.content_scripts.map((script) => ({ ...script, matches: PORTAL_MATCHES })),
} as ManifestV3Export;

export default defineConfig({
  plugins: [crx({ manifest })],
  build: {
    target: 'chrome116',
    sourcemap: false,
    emptyOutDir: true,
  },
});
