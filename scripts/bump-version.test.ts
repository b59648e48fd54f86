import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { nextVersion, openChangelogSection, setJsonVersion, setLockVersion } from './bump-version.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('version bump', () => {
  it('takes x.y.z or a part to raise, and refuses anything Chrome would not accept', () => {
    expect(nextVersion('0.1.0', '0.2.0')).toBe('0.2.0');
    expect(nextVersion('0.1.9', 'patch')).toBe('0.1.10');
    expect(nextVersion('0.1.9', 'minor')).toBe('0.2.0');
    expect(nextVersion('0.1.9', 'major')).toBe('1.0.0');
    for (const bad of [undefined, '', 'v1.0.0', '1.0', '1.0.0-beta', '01.0.0', '1.0.0.0.0']) expect(() => nextVersion('0.1.0', bad)).toThrow(/x\.y\.z/);
  });

  it('changes only the version field, keeping the file as it was', () => {
    const text = '{\n  "name": "x",\n  "version": "0.1.0",\n  "deps": { "version": "9.9.9" }\n}\n';
    expect(setJsonVersion(text, '0.2.0')).toBe(text.replace('"0.1.0"', '"0.2.0"'));
    const lock = JSON.parse(setLockVersion(JSON.stringify({ version: '0.1.0', packages: { '': { version: '0.1.0' }, 'node_modules/a': { version: '1.0.0' } } }), '0.2.0'));
    expect([lock.version, lock.packages[''].version, lock.packages['node_modules/a'].version]).toEqual(['0.2.0', '0.2.0', '1.0.0']);
  });

  it('opens a changelog section once, above the newest one', () => {
    const text = '# Changelog\n\nIntro.\n\n## [0.1.0] — 2026-11-01\n\n- first\n';
    const once = openChangelogSection(text, '0.2.0', '2026-12-02');
    expect(once.indexOf('## [0.2.0]')).toBeLessThan(once.indexOf('## [0.1.0]'));
    expect(openChangelogSection(once, '0.2.0', '2026-12-03')).toBe(once);
  });

  it('package.json, package-lock.json and manifest.json carry one version, and the changelog has it', () => {
    const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
    expect(JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')).version).toBe(version);
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    expect([lock.version, lock.packages[''].version]).toEqual([version, version]);
    expect(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')).toContain(`## [${version}]`);
  });
});
