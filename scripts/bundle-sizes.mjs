#!/usr/bin/env node
// Prints what the extension ships, per part (service worker, content script, MAIN-world bridge,
// popup, options), raw and gzip, each part with every chunk it loads; then the dependency count.
// Reads dist/ as built (`npm run build` first) and package-lock.json.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
if (!existsSync(path.join(dist, 'manifest.json'))) {
  console.error('No dist/manifest.json: run "npm run build" first.');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8'));

/** A file and every module it imports, transitively (static, side-effect and dynamic imports). */
function withImports(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return seen;
  seen.add(file);
  if (!file.endsWith('.js')) return seen;
  const text = readFileSync(file, 'utf8');
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;
  for (const match of text.matchAll(specifiers)) withImports(path.resolve(path.dirname(file), match[1]), seen);
  return seen;
}

/** An extension page: its module script, preloads and stylesheets, with their imports. */
function page(htmlPath) {
  const html = readFileSync(path.join(dist, htmlPath), 'utf8');
  const files = new Set([path.join(dist, htmlPath)]);
  for (const match of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
    const file = match[1].startsWith('/') ? path.join(dist, match[1]) : path.resolve(path.dirname(path.join(dist, htmlPath)), match[1]);
    withImports(file, files);
  }
  return files;
}

const contentScripts = manifest.content_scripts ?? [];
const bridge = contentScripts.find((script) => script.world === 'MAIN');
const isolated = contentScripts.filter((script) => script.world !== 'MAIN');
const parts = [
  ['service worker', withImports(path.join(dist, manifest.background.service_worker))],
  ['content script', new Set(isolated.flatMap((script) => [...script.js.flatMap((js) => [...withImports(path.join(dist, js))])]))],
  ['MAIN-world bridge', new Set(bridge ? bridge.js.flatMap((js) => [...withImports(path.join(dist, js))]) : [])],
  ['popup', page(manifest.action.default_popup)],
  ['options', page(manifest.options_page ?? manifest.options_ui.page)],
];

function size(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

function allFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = parts.map(([name, files]) => ({ name, files: files.size, ...size(files) }));
const everything = allFiles(dist);
rows.push({ name: 'dist/ in all (icons, locales, manifest incl.)', files: everything.length, ...size(everything) });

console.log('Shipped bundle (dist/), each part with every chunk it loads; shared chunks count in each part:\n');
console.log(`${'part'.padEnd(46)}${'files'.padStart(6)}${'raw'.padStart(11)}${'gzip'.padStart(11)}`);
for (const row of rows) console.log(`${row.name.padEnd(46)}${String(row.files).padStart(6)}${kb(row.raw).padStart(11)}${kb(row.gzip).padStart(11)}`);

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const installed = Object.entries(lock.packages ?? {}).filter(([key]) => key !== '');
const production = installed.filter(([, entry]) => !entry.dev && !entry.devOptional);
console.log('\nDependencies (package-lock.json):');
console.log(`  production: ${Object.keys(pkg.dependencies ?? {}).length} direct, ${production.length} installed in all (${production.map(([key]) => key.replace(/^.*node_modules\//, '')).join(', ')})`);
console.log(`  development: ${Object.keys(pkg.devDependencies ?? {}).length} direct`);
console.log(`  total installed packages: ${installed.length}`);
