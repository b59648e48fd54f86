// The store listing (store/) stays complete in both languages and within the store's limits.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, 'store', file), 'utf8');

/** `## Heading` → its text, up to the next heading. */
function sections(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of markdown.split(/^## /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    out[heading!.trim()] = body.join('\n').trim();
  }
  return out;
}

const HEADINGS = { en: ['Short description', 'Category', 'Long description'], ru: ['Краткое описание', 'Категория', 'Подробное описание'] } as const;

describe('store listing', () => {
  for (const locale of ['en', 'ru'] as const) {
    it(`${locale}: name, short description within 132 characters, long description within 16 000`, () => {
      const listing = read(`${locale}/listing.md`);
      const messages = JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
      expect(listing.split('\n')[0]).toBe(`# ${messages['extName']!.message}`);
      const found = sections(listing);
      const [short, category, long] = HEADINGS[locale].map((h) => found[h] ?? '');
      expect(short!.length, 'short description').toBeGreaterThan(20);
      expect(short!.length, 'short description').toBeLessThanOrEqual(132);
      expect(short).not.toContain('\n');
      expect(category).not.toBe('');
      expect(long!.length, 'long description').toBeGreaterThan(500);
      expect(long!.length, 'long description').toBeLessThanOrEqual(16_000);
    });
  }

  it('screenshot captions exist for the same shots in both languages', () => {
    const en = JSON.parse(read('en/screenshots.json')) as Record<string, { title: string; text: string }>;
    const ru = JSON.parse(read('ru/screenshots.json')) as Record<string, { title: string; text: string }>;
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    const script = readFileSync(path.join(root, 'e2e/screenshots.ts'), 'utf8');
    for (const state of script.matchAll(/state: '([a-z]+)'/g)) expect(en[state[1]!], state[1]).toBeDefined();
    for (const caption of [...Object.values(en), ...Object.values(ru)]) expect(caption.title && caption.text).toBeTruthy();
  });

  it('the privacy policy says, in both languages, that the portal is the only recipient', () => {
    const policy = read('privacy-policy.md');
    expect(policy).toContain('Only to your Bitrix24 portal');
    expect(policy).toContain('Только вашему порталу Битрикс24');
    expect(existsSync(path.join(root, 'store/promo-tile.html'))).toBe(true);
  });
});
