// The shipped bundle carries no test double and no page selector in the worker: read dist/ as built.
// Each double is recognised by property names a minifier keeps (they are object properties).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { DIST } from './browser.ts';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

const DOUBLES: Array<{ file: string; markers: string[] }> = [
  { file: 'core/bulk/testing/fake-portal.ts', markers: ['readAllSkipsMuted', 'pageOverlap', 'subCallError'] },
  { file: 'core/rest/scripted-transport.ts', markers: ['maxInFlight', 'refreshCalls'] },
  { file: 'core/throttle/fake-clock.ts', markers: ['pendingSleeps', 'advance'] },
  { file: 'background/testing/fake-browser.ts', markers: ['clientsCreated', 'fakeextensionid'] },
];

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return scripts(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

test('dist/ carries no test double (FakePortal, ScriptedTransport, FakeClock, the fake browser)', () => {
  const bundle = scripts(DIST).map((file) => ({ file: path.relative(DIST, file), text: readFileSync(file, 'utf8') }));
  expect(bundle.length).toBeGreaterThan(3);
  for (const double of DOUBLES) {
    const source = readFileSync(path.join(SRC, double.file), 'utf8');
    for (const marker of double.markers) {
      expect(source, `${double.file} still has ${marker} (keep the markers in step with the double)`).toContain(marker);
      const found = bundle.filter((script) => new RegExp(`\\b${marker}\\b`).test(script.text)).map((script) => script.file);
      expect(found, `${marker} of ${double.file} in the shipped bundle`).toEqual([]);
    }
  }
});

test('the worker bundle carries no page selector (the site adapter stays in the content scripts)', () => {
  const manifest = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8')) as { background: { service_worker: string } };
  // The loader imports the worker's chunks; follow its static imports.
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(DIST, file), 'utf8');
    for (const match of text.matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) visit(path.normalize(path.join(path.dirname(file), match[1]!)).replace(/^\//, ''));
  };
  visit(manifest.background.service_worker);
  expect(seen.size).toBeGreaterThan(1);
  const worker = [...seen].map((file) => readFileSync(path.join(DIST, file), 'utf8')).join('\n');
  // Sanity: the content script does carry them.
  expect(readFileSync(path.join(DIST, 'src/content/index.iife.js'), 'utf8')).toContain('bx-im-messenger');
  expect(worker).not.toContain('bx-im-');
  expect(worker).not.toContain('bx-messenger');
});
