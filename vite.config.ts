import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import { JS_TARGETS, manifestFor, OUT_DIRS, targetFromMode } from './scripts/browser-targets.ts';

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

// One source, two builds: `vite build` (Chrome, dist/) and `vite build --mode firefox`
// (dist-firefox/). What differs is in scripts/browser-targets.ts.
export default defineConfig(({ mode }) => {
  const target = targetFromMode(mode);
  const manifest = manifestFor(target, baseManifest) as unknown as ManifestV3Export;
  return {
    plugins: [crx({ manifest, browser: target }), probeNotWebAccessible],
    build: {
      outDir: OUT_DIRS[target],
      target: JS_TARGETS[target],
      sourcemap: false,
      emptyOutDir: true,
    },
  };
});
