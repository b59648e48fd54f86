// `web-ext lint` over dist-firefox/: fails on any error, and on any warning or notice that is not
// one of the justified ones below (README, "Firefox", says why each is there).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const JUSTIFIED = {
  // Preact's renderer has a dangerouslySetInnerHTML branch; the extension never uses it.
  UNSAFE_VAR_ASSIGNMENT: (m) =>
    /^assets\/[\w.-]+\.js$/.test(m.file ?? '') && readFileSync(path.join(root, 'dist-firefox', m.file), 'utf8').includes('dangerouslySetInnerHTML'),
  // Firefox for Android is not a target (no keyboard commands or context menus there).
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: (m) => m.file === 'manifest.json',
};

let out;
try {
  out = execFileSync('npx', ['web-ext', 'lint', '--source-dir', path.join(root, 'dist-firefox'), '--output', 'json', '--no-config-discovery'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
} catch (error) {
  out = error.stdout; // web-ext exits non-zero when it found errors; the report still says which
}
const report = JSON.parse(out.toString());
const unjustified = [...report.errors, ...report.warnings, ...report.notices].filter((m) => m._type === 'error' || !JUSTIFIED[m.code]?.(m));
for (const m of [...report.errors, ...report.warnings, ...report.notices]) {
  const mark = unjustified.includes(m) ? 'FAIL' : 'justified';
  console.log(`${mark} ${m._type} ${m.code} ${m.file ?? ''}: ${m.message}`);
}
console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices; ${unjustified.length} not justified`);
process.exit(unjustified.length === 0 ? 0 : 1);
