#!/usr/bin/env node
// `npm run version:bump -- <x.y.z | major | minor | patch>`: sets the same version in package.json,
// package-lock.json and manifest.json (Chrome wants 1–4 dot-separated integers), and opens a
// CHANGELOG section for it if there is none. Edits only the version fields; formatting is kept.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

/** The next version: an explicit `x.y.z`, or `major` / `minor` / `patch` of `current`. */
export function nextVersion(current, wanted) {
  const now = VERSION.exec(current);
  if (!now) throw new Error(`The current version "${current}" is not x.y.z.`);
  const [major, minor, patch] = now.slice(1).map(Number);
  if (wanted === 'major') return `${major + 1}.0.0`;
  if (wanted === 'minor') return `${major}.${minor + 1}.0`;
  if (wanted === 'patch') return `${major}.${minor}.${patch + 1}`;
  if (!VERSION.test(wanted ?? '')) throw new Error(`Give a version as x.y.z (or major, minor, patch), not "${wanted ?? ''}".`);
  return wanted;
}

/** Replaces the first top-level `"version": "..."` of a JSON text, keeping everything else. */
export function setJsonVersion(text, version) {
  const pattern = /^(\s{2}"version":\s*")[^"]*(")/m;
  if (!pattern.test(text)) throw new Error('No top-level "version" field found.');
  return text.replace(pattern, `$1${version}$2`);
}

/** package-lock.json carries the version twice: top level and packages[""]. */
export function setLockVersion(text, version) {
  const lock = JSON.parse(text);
  lock.version = version;
  if (lock.packages?.['']) lock.packages[''].version = version;
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export function openChangelogSection(text, version, date) {
  if (text.includes(`## [${version}]`)) return text;
  const marker = text.indexOf('\n## ');
  const section = `\n## [${version}] — ${date}\n\n- …\n`;
  return marker === -1 ? `${text.trimEnd()}\n${section}` : `${text.slice(0, marker)}${section.trimEnd()}\n${text.slice(marker)}`;
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const read = (name) => readFileSync(path.join(root, name), 'utf8');
  const pkgText = read('package.json');
  const current = JSON.parse(pkgText).version;
  const manifestVersion = JSON.parse(read('manifest.json')).version;
  const version = nextVersion(current, process.argv[2]);
  writeFileSync(path.join(root, 'package.json'), setJsonVersion(pkgText, version));
  writeFileSync(path.join(root, 'manifest.json'), setJsonVersion(read('manifest.json'), version));
  if (existsSync(path.join(root, 'package-lock.json'))) writeFileSync(path.join(root, 'package-lock.json'), setLockVersion(read('package-lock.json'), version));
  const changelog = path.join(root, 'CHANGELOG.md');
  if (existsSync(changelog)) writeFileSync(changelog, openChangelogSection(read('CHANGELOG.md'), version, new Date().toISOString().slice(0, 10)));
  console.log(`${current}${manifestVersion !== current ? ` (manifest ${manifestVersion})` : ''} → ${version}: package.json, package-lock.json, manifest.json`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
