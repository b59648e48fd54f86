import { beforeEach, describe, expect, it, vi } from 'vitest';

// In-memory `browser.storage`: `local` and `sync` are separate maps, so a test can prove `sync` stays empty.
const areas = vi.hoisted(() => {
  class FakeArea {
    readonly data = new Map<string, unknown>();
    failGet = false;
    async get(keys?: string | string[] | null): Promise<Record<string, unknown>> {
      if (this.failGet) throw new Error('storage is broken');
      const wanted = keys === undefined || keys === null ? [...this.data.keys()] : Array.isArray(keys) ? keys : [keys];
      const out: Record<string, unknown> = {};
      for (const key of wanted) if (this.data.has(key)) out[key] = structuredClone(this.data.get(key));
      return out;
    }
    async set(items: Record<string, unknown>): Promise<void> {
      for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
    }
    async remove(keys: string | string[]): Promise<void> {
      for (const key of Array.isArray(keys) ? keys : [keys]) this.data.delete(key);
    }
  }
  return { local: new FakeArea(), sync: new FakeArea() };
});

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: areas.local,
      sync: areas.sync,
      onChanged: { addListener: () => undefined, removeListener: () => undefined },
    },
  },
}));

import {
  applyPatch,
  clearWebhook,
  DEFAULT_SETTINGS,
  InvalidSettingsError,
  InvalidWebhookError,
  loadSettings,
  loadWebhook,
  loadWebhookSummary,
  migrateSettings,
  saveSettings,
  saveWebhook,
  SETTINGS_VERSION,
} from './settings.ts';
import { BUCKET_PRESETS } from '../core/throttle/leaky-bucket.ts';
import { DEFAULT_FILTERS } from '../core/bulk/filters.ts';

const SECRET = 'q7w8e9r0t1y2u3i4';
const WEBHOOK = `https://mycompany.bitrix24.ru/rest/17/${SECRET}/`;

function everythingStored(): string {
  return JSON.stringify([...areas.local.data.entries(), ...areas.sync.data.entries()]);
}

beforeEach(() => {
  areas.local.data.clear();
  areas.sync.data.clear();
  areas.local.failGet = false;
});

describe('defaults', () => {
  it('an empty storage gives the defaults, version 4', async () => {
    const settings = await loadSettings();
    expect(settings).toEqual({
      version: 4,
      authMode: 'session',
      plan: 'standard',
      bucket: { capacity: 50, drainPerSec: 2 },
      filters: { ...DEFAULT_FILTERS },
      confirmBulk: true,
      notifications: false,
      selfHostedOrigins: [],
      theme: 'system',
      readReceipts: false,
      rules: [],
    });
    expect(SETTINGS_VERSION).toBe(4);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    // Open lines are off by default: reading them notifies customers.
    expect(settings.filters.kinds).not.toContain('lines');
  });

  it('loading does not write anything when nothing is stored', async () => {
    await loadSettings();
    expect(areas.local.data.size).toBe(0);
  });

  it('a saved change comes back on the next load', async () => {
    await saveSettings({ confirmBulk: false, notifications: true });
    expect(await loadSettings()).toMatchObject({ confirmBulk: false, notifications: true, plan: 'standard' });
  });

  it('returned settings are copies: changing one does not change the defaults', async () => {
    const settings = await loadSettings();
    settings.filters.kinds.push('lines');
    settings.selfHostedOrigins.push('https://x.example.com');
    expect(DEFAULT_SETTINGS.filters.kinds).not.toContain('lines');
    expect((await loadSettings()).selfHostedOrigins).toEqual([]);
  });
});

describe('migration v1 → v2', () => {
  const v1 = {
    version: 1,
    plan: 'enterprise',
    bucket: { capacity: 250, drainPerSec: 5 },
    filters: { kinds: ['dialog', 'chat'], notifications: true, muted: 'skip', skipPinned: true, clearManualMarks: false, never: ['chat5'], always: [] },
    confirmBulk: false,
  };

  it('keeps every v1 value and adds the new fields with their defaults', async () => {
    areas.local.data.set('settings', v1);
    const settings = await loadSettings();
    expect(settings).toEqual({
      version: 4,
      authMode: 'session',
      plan: 'enterprise',
      bucket: { capacity: 250, drainPerSec: 5 },
      filters: { kinds: ['dialog', 'chat', 'channel', 'copilot', 'general', 'other'], notifications: true, muted: 'skip', skipPinned: true, clearManualMarks: false, never: ['chat5'], always: [], olderThanHours: null, skipMentioned: false, systemOnly: false, titleContains: '', titleNotContains: '' },
      confirmBulk: false,
      notifications: false,
      selfHostedOrigins: [],
      theme: 'system',
      readReceipts: false,
      rules: [],
    });
  });

  it('writes the migrated shape back once', async () => {
    areas.local.data.set('settings', v1);
    await loadSettings();
    expect(areas.local.data.get('settings')).toMatchObject({ version: 4, authMode: 'session', plan: 'enterprise', theme: 'system' });
  });

  it('a save that lands while old settings are migrated is not written over with the old values', async () => {
    areas.local.data.set('settings', v1);
    const get = areas.local.get.bind(areas.local);
    let reads = 0;
    const spy = vi.spyOn(areas.local, 'get').mockImplementation(async (keys) => {
      const out = await get(keys);
      // Another context saves right after the migration read the old object.
      if (keys === 'settings' && ++reads === 1) areas.local.data.set('settings', { ...v1, confirmBulk: true, plan: 'standard' });
      return out;
    });
    await loadSettings();
    spy.mockRestore();
    expect(areas.local.data.get('settings')).toMatchObject({ version: 1, plan: 'standard', confirmBulk: true });
  });

  it('an unversioned object is treated as v1', () => {
    expect(migrateSettings({ plan: 'enterprise', confirmBulk: false })).toMatchObject({ version: 4, plan: 'enterprise', confirmBulk: false, authMode: 'session' });
  });

  it('a v1 custom plan keeps valid numbers', () => {
    expect(migrateSettings({ ...v1, plan: 'custom', bucket: { capacity: 120, drainPerSec: 3.5 } })).toMatchObject({
      plan: 'custom',
      bucket: { capacity: 120, drainPerSec: 3.5 },
    });
  });

  it('a preset plan takes the preset numbers, whatever bucket was stored', () => {
    expect(migrateSettings({ ...v1, plan: 'standard', bucket: { capacity: 9999, drainPerSec: 99 } }).bucket).toEqual(BUCKET_PRESETS.standard);
  });
});

describe('migration v2 → v3', () => {
  const v2 = { version: 2, authMode: 'webhook', plan: 'enterprise', bucket: { capacity: 250, drainPerSec: 5 }, confirmBulk: false, notifications: true, selfHostedOrigins: ['https://b24.example.com'] };

  it('keeps every v2 value and follows the system theme', async () => {
    areas.local.data.set('settings', v2);
    const settings = await loadSettings();
    expect(settings).toMatchObject({ ...v2, version: 4, theme: 'system' });
    expect(areas.local.data.get('settings')).toMatchObject({ version: 4, theme: 'system' });
  });

  it('a forced theme saves and loads; a made-up one is refused and nothing is written', async () => {
    await saveSettings({ theme: 'dark' });
    expect((await loadSettings()).theme).toBe('dark');
    await expect(saveSettings({ theme: 'sepia' as never })).rejects.toMatchObject({ problem: 'theme' });
    expect((await loadSettings()).theme).toBe('dark');
  });

  it('a stored garbage theme falls back to the system one', () => {
    expect(migrateSettings({ version: 3, theme: 'neon' }).theme).toBe('system');
  });
});

describe('corrupt storage', () => {
  it.each([null, 42, 'settings', [], true])('a stored %j gives the defaults', async (value) => {
    areas.local.data.set('settings', value);
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('garbage fields fall back one by one; good fields survive', async () => {
    areas.local.data.set('settings', {
      version: 2,
      authMode: 'oauth',
      plan: 'platinum',
      bucket: 'fast',
      filters: { kinds: ['dialog', 'spaceship'] },
      confirmBulk: 'yes',
      notifications: true,
      selfHostedOrigins: ['https://b24.example.com', 'javascript:alert(1)', 'http://plain.example.com', 'https://b24.example.com/', 7],
    });
    expect(await loadSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      notifications: true,
      selfHostedOrigins: ['https://b24.example.com'],
    });
  });

  it('v2 saved kinds migrate to the im 26.x kinds that meant the same chats; receipts stay off', async () => {
    areas.local.data.set('settings', { version: 2, plan: 'standard', filters: { kinds: ['chat', 'workgroup'], muted: 'skip' } });
    const settings = await loadSettings();
    expect(settings.filters.kinds).toEqual(['chat', 'channel', 'collab', 'workgroup', 'copilot', 'general', 'other']);
    expect(settings.filters.muted).toBe('skip');
    expect(settings.readReceipts).toBe(false);
    expect(areas.local.data.get('settings')).toMatchObject({ version: 4, filters: { kinds: settings.filters.kinds } });
    expect(migrateSettings({ version: 2, filters: { kinds: ['dialog', 'crm', 'tasks', 'lines'] } }).filters.kinds).toEqual(['dialog', 'crm', 'tasks', 'lines']);
    // The old default ("all but open lines") is the new default.
    expect(migrateSettings({ version: 2, filters: { kinds: ['dialog', 'chat', 'workgroup', 'crm', 'tasks'] } }).filters).toEqual(DEFAULT_FILTERS);
    expect(migrateSettings({ version: 3, readReceipts: true }).readReceipts).toBe(true);
  });

  it('a custom plan with broken numbers keeps the plan and takes the standard numbers', () => {
    expect(migrateSettings({ version: 2, plan: 'custom', bucket: { capacity: -3, drainPerSec: 'x' } })).toMatchObject({
      plan: 'custom',
      bucket: BUCKET_PRESETS.standard,
    });
  });

  it('a version from the future is read field by field, not thrown away', () => {
    expect(migrateSettings({ version: 9, plan: 'enterprise', confirmBulk: false })).toMatchObject({ version: 4, plan: 'enterprise', confirmBulk: false });
  });

  it('a storage that throws on read gives the defaults', async () => {
    areas.local.failGet = true;
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await loadWebhook()).toBeNull();
  });

  it('a corrupt webhook entry reads as none', async () => {
    for (const value of ['https://x.bitrix24.ru/rest/1/abc', { origin: 'https://x.bitrix24.ru', userId: '1', secret: SECRET }, { origin: 'http://x.bitrix24.ru', userId: 1, secret: SECRET }, { origin: 'https://x.bitrix24.ru', userId: 1, secret: 'short' }]) {
      areas.local.data.set('webhook', value);
      expect(await loadWebhook()).toBeNull();
    }
  });
});

describe('plan and custom bucket numbers', () => {
  it('preset plans derive the bucket', async () => {
    expect((await saveSettings({ plan: 'enterprise' })).bucket).toEqual({ capacity: 250, drainPerSec: 5 });
    expect((await saveSettings({ plan: 'standard' })).bucket).toEqual({ capacity: 50, drainPerSec: 2 });
    // Numbers sent with a preset plan are ignored.
    expect((await saveSettings({ plan: 'enterprise', bucket: { capacity: 7, drainPerSec: 1 } })).bucket).toEqual({ capacity: 250, drainPerSec: 5 });
  });

  it('switching to custom without numbers starts from the numbers in use', async () => {
    await saveSettings({ plan: 'enterprise' });
    expect(await saveSettings({ plan: 'custom' })).toMatchObject({ plan: 'custom', bucket: { capacity: 250, drainPerSec: 5 } });
  });

  it.each([
    [1, 0.1],
    [10_000, 100],
    [80, 2.5],
  ])('accepts capacity %d and drain %d', async (capacity, drainPerSec) => {
    expect((await saveSettings({ plan: 'custom', bucket: { capacity, drainPerSec } })).bucket).toEqual({ capacity, drainPerSec });
  });

  it.each([
    [0, 2, 'bucket_capacity'],
    [10_001, 2, 'bucket_capacity'],
    [12.5, 2, 'bucket_capacity'],
    [Number.NaN, 2, 'bucket_capacity'],
    ['50', 2, 'bucket_capacity'],
    [50, 0, 'bucket_drain'],
    [50, 0.05, 'bucket_drain'],
    [50, 100.5, 'bucket_drain'],
    [50, Number.POSITIVE_INFINITY, 'bucket_drain'],
  ])('refuses capacity %j, drain %j (%s) and writes nothing', async (capacity, drainPerSec, problem) => {
    const before = await saveSettings({ plan: 'custom', bucket: { capacity: 80, drainPerSec: 3 } });
    const attempt = saveSettings({ plan: 'custom', bucket: { capacity: capacity as number, drainPerSec } });
    await expect(attempt).rejects.toBeInstanceOf(InvalidSettingsError);
    await expect(attempt).rejects.toMatchObject({ problem });
    expect(await loadSettings()).toEqual(before);
  });

  it('keeps a valid safety margin and drops a bad one', () => {
    expect(applyPatch(DEFAULT_SETTINGS, { plan: 'custom', bucket: { capacity: 100, drainPerSec: 2, safetyMargin: 10 } }).bucket).toEqual({ capacity: 100, drainPerSec: 2, safetyMargin: 10 });
    expect(applyPatch(DEFAULT_SETTINGS, { plan: 'custom', bucket: { capacity: 100, drainPerSec: 2, safetyMargin: 100 } }).bucket).toEqual({ capacity: 100, drainPerSec: 2 });
  });

  it('refuses an unknown plan, auth mode, bad filters or origins', () => {
    expect(() => applyPatch(DEFAULT_SETTINGS, { plan: 'gold' as never })).toThrow(InvalidSettingsError);
    expect(() => applyPatch(DEFAULT_SETTINGS, { authMode: 'oauth' as never })).toThrow(InvalidSettingsError);
    expect(() => applyPatch(DEFAULT_SETTINGS, { filters: { ...DEFAULT_FILTERS, muted: 'loud' as never } })).toThrow(InvalidSettingsError);
    expect(() => applyPatch(DEFAULT_SETTINGS, { selfHostedOrigins: ['http://b24.example.com'] })).toThrow(InvalidSettingsError);
    expect(applyPatch(DEFAULT_SETTINGS, { selfHostedOrigins: ['https://B24.Example.com', 'https://b24.example.com/'] }).selfHostedOrigins).toEqual(['https://b24.example.com']);
  });

  it('quick successive saves do not lose each other', async () => {
    await Promise.all([saveSettings({ confirmBulk: false }), saveSettings({ notifications: true }), saveSettings({ plan: 'enterprise' })]);
    expect(await loadSettings()).toMatchObject({ confirmBulk: false, notifications: true, plan: 'enterprise' });
  });
});

describe('the webhook secret', () => {
  it('is stored under its own key in storage.local and loads back', async () => {
    const summary = await saveWebhook(`  ${WEBHOOK}\n`);
    expect(summary).toEqual({ origin: 'https://mycompany.bitrix24.ru', userId: 17, masked: 'https://mycompany.bitrix24.ru/rest/17/***/' });
    expect(await loadWebhook()).toEqual({ origin: 'https://mycompany.bitrix24.ru', userId: 17, secret: SECRET });
    expect(await loadWebhookSummary()).toEqual(summary);
    expect(JSON.stringify(summary)).not.toContain(SECRET);
    expect([...areas.local.data.keys()]).toEqual(['webhook']);
  });

  it('never lands in the settings object or in storage.sync', async () => {
    await saveWebhook(WEBHOOK);
    await saveSettings({ authMode: 'webhook', plan: 'enterprise' });
    // Even a careless caller that puts the URL into a settings patch does not get it stored there.
    await saveSettings({ confirmBulk: false, webhook: WEBHOOK } as never);
    const settings = await loadSettings();
    expect(JSON.stringify(settings)).not.toContain(SECRET);
    expect(JSON.stringify(areas.local.data.get('settings'))).not.toContain(SECRET);
    expect(areas.sync.data.size).toBe(0);
    expect(settings.authMode).toBe('webhook');
  });

  it('a stray secret in stored settings is dropped on load', async () => {
    areas.local.data.set('settings', { version: 1, plan: 'standard', webhook: WEBHOOK, webhookUrl: WEBHOOK });
    expect(JSON.stringify(await loadSettings())).not.toContain(SECRET);
    expect(JSON.stringify(areas.local.data.get('settings'))).not.toContain(SECRET);
  });

  it('a bad URL throws a typed error with the problem code and without the secret', async () => {
    const cases: Array<[string, string]> = [
      [`http://mycompany.bitrix24.ru/rest/17/${SECRET}/`, 'not_https'],
      [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/profile.json`, 'path'],
      [`https://mycompany.bitrix24.ru/rest/17/${SECRET}/?x=1`, 'query'],
      ['', 'empty'],
    ];
    for (const [url, problem] of cases) {
      const error = await saveWebhook(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidWebhookError);
      expect(error).toMatchObject({ problem });
      expect(String(error)).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    }
    expect(everythingStored()).not.toContain(SECRET);
  });

  it('saving again replaces it; clearing removes it and leaves the settings alone', async () => {
    await saveSettings({ plan: 'enterprise' });
    await saveWebhook(WEBHOOK);
    const other = 'https://other.bitrix24.com/rest/3/zzzzzzzz1111/';
    await saveWebhook(other);
    expect(await loadWebhook()).toEqual({ origin: 'https://other.bitrix24.com', userId: 3, secret: 'zzzzzzzz1111' });
    expect(everythingStored()).not.toContain(SECRET);
    await clearWebhook();
    expect(await loadWebhook()).toBeNull();
    expect(await loadWebhookSummary()).toBeNull();
    expect(areas.local.data.has('webhook')).toBe(false);
    expect((await loadSettings()).plan).toBe('enterprise');
  });
});

describe('migration v3 → v4 (rules)', () => {
  const rule = { id: 'noise', name: 'Noise', portal: 'https://acme.bitrix24.ru', filters: { kinds: ['crm', 'tasks'] }, trigger: { kind: 'every', minutes: 0.5 } };

  it('keeps every v3 value, adds no rules, and the saved filters gain the finer ones switched off', () => {
    const v3 = { version: 3, plan: 'enterprise', theme: 'dark', readReceipts: true, filters: { kinds: ['crm'], skipPinned: true } };
    const settings = migrateSettings(v3);
    expect(settings).toMatchObject({ version: 4, plan: 'enterprise', theme: 'dark', readReceipts: true, rules: [] });
    expect(settings.filters).toMatchObject({ kinds: ['crm'], skipPinned: true, olderThanHours: null, skipMentioned: false, systemOnly: false, titleContains: '' });
  });

  it('stored rules load (a broken one is dropped); saving a bad rule is refused and writes nothing', async () => {
    expect(migrateSettings({ version: 4, rules: [rule, { id: 'bad' }] }).rules.map((r) => r.id)).toEqual(['noise']);
    const saved = await saveSettings({ rules: [rule as never] });
    expect(saved.rules[0]).toMatchObject({ id: 'noise', approved: false, trigger: { kind: 'every', minutes: 0.5 } });
    const before = structuredClone(areas.local.data.get('settings'));
    await expect(saveSettings({ rules: [{ ...rule, trigger: { kind: 'every', minutes: 0.1 } } as never] })).rejects.toMatchObject({ problem: 'rules' });
    expect(areas.local.data.get('settings')).toEqual(before);
  });
});
