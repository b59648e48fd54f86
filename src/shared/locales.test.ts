// Everything a user reads comes from _locales, in English and Russian: a key in one locale and not
// the other, a key used in code but missing, or a literal string in the UI fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAT_KINDS } from '../core/bulk/model.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (locale: string): Messages => JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8'));
const en = load('en');
const ru = load('ru');

function sources(dir: string, exts: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'fixtures' ? [] : sources(full, exts);
    return exts.some((ext) => name.endsWith(ext)) && !name.includes('.test.') ? [full] : [];
  });
}

const code = sources(path.join(root, 'src'), ['.ts', '.tsx']).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** Keys the code names literally: t('x'), tm/UserMessage { key: 'x' }, getMessage('x'), i18n('x'), __MSG_x__. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const patterns = [/\bt\(\s*'([A-Za-z0-9_]+)'/g, /\bkey: '([A-Za-z0-9_]+)'/g, /getMessage\(\s*'([A-Za-z0-9_]+)'/g, /\bi18n\(\s*'([A-Za-z0-9_]+)'/g, /__MSG_([A-Za-z0-9_]+)__/g];
  const texts = [...code.map((c) => c.text), readFileSync(path.join(root, 'manifest.json'), 'utf8'), readFileSync(path.join(root, 'src/popup/index.html'), 'utf8')];
  for (const text of texts) for (const pattern of patterns) for (const match of text.matchAll(pattern)) keys.add(match[1]!);
  return keys;
}

/** Keys built at run time from a closed set of codes. */
const DYNAMIC: Record<string, readonly string[]> = {
  chatKind_: CHAT_KINDS,
  undoLimit_: ['read_receipts', 'open_line_receipts', 'notifications', 'read_all_unseen', 'anchors'],
  webhookProblem_: ['empty', 'too_long', 'not_url', 'not_https', 'credentials', 'query', 'fragment', 'host', 'path', 'user_id', 'secret'],
  settingsProblem_: ['bucket_capacity', 'bucket_drain'],
};

describe('locales', () => {
  it('en and ru have the same keys and the same placeholders', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(Object.keys(ru[key]!.placeholders ?? {}).sort(), key).toEqual(Object.keys(en[key]!.placeholders ?? {}).sort());
      for (const name of en[key]!.message.matchAll(/\$([A-Za-z_]+)\$/g)) expect(en[key]!.placeholders?.[name[1]!.toLowerCase()], `${key} placeholder ${name[1]}`).toBeDefined();
      for (const name of ru[key]!.message.matchAll(/\$([A-Za-z_]+)\$/g)) expect(ru[key]!.placeholders?.[name[1]!.toLowerCase()], `ru ${key} placeholder ${name[1]}`).toBeDefined();
      expect(ru[key]!.message.trim(), `ru ${key}`).not.toBe('');
    }
  });

  it('Russian strings are Russian, not copies of the English ones', () => {
    const copies = Object.keys(en).filter((key) => en[key]!.message === ru[key]!.message && /[a-z]{4,}/i.test(en[key]!.message) && !/Bitrix24|REST|webhook|im\b/i.test(en[key]!.message));
    expect(copies).toEqual([]);
  });

  it('every key the code uses exists, including keys built from codes', () => {
    const missing = [...usedKeys()].filter((key) => !(key in en));
    expect(missing).toEqual([]);
    for (const [prefix, codes] of Object.entries(DYNAMIC)) for (const c of codes) expect(en[`${prefix}${c}`], `${prefix}${c}`).toBeDefined();
  });

  it('no user-visible text is hard-coded in the UI', () => {
    const offenders: string[] = [];
    for (const { file, text } of code.filter((c) => c.file.endsWith('.tsx'))) {
      // JSX text between tags with a letter in it, and literal user-facing attributes.
      for (const match of text.matchAll(/>\s*([^<>{}\n]*[A-Za-zА-Яа-яЁё][^<>{}\n]*?)\s*</g)) {
        const typeArgument = /^[\s():,]*(Promise|Record|Array|Map|Set|Partial|ReturnType|Awaited)$/.test(match[1]!);
        if (!typeArgument && !/^[\s().,:;|•…·—–-]*$/.test(match[1]!) && !/=>|&&|\|\||\?|\bconst\b/.test(match[1]!)) offenders.push(`${path.relative(root, file)}: "${match[1]!.trim()}"`);
      }
      for (const match of text.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*[A-Za-zА-Яа-я][^"]*)"/g)) offenders.push(`${path.relative(root, file)}: ${match[1]}="${match[2]}"`);
    }
    expect(offenders).toEqual([]);
  });
});
