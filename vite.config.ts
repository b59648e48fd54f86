import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import { JS_TARGETS, manifestFor, OUT_DIRS, targetFromMode } from './scripts/browser-targets.ts';

// One source, two builds: `vite build` (Chrome, dist/) and `vite build --mode firefox`
// (dist-firefox/). What differs is in scripts/browser-targets.ts.
export default defineConfig(({ mode }) => {
  const target = targetFromMode(mode);
  const manifest = manifestFor(target, baseManifest) as unknown as ManifestV3Export;
  return {
    plugins: [crx({ manifest, browser: target })],
    build: {
      outDir: OUT_DIRS[target],
      target: JS_TARGETS[target],
      sourcemap: false,
      emptyOutDir: true,
    },
  };
});
