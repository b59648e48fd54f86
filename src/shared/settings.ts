// Settings over storage.local, typed, with defaults and a version for migrations.
import browser from 'webextension-polyfill';
import type { BucketConfig } from '../core/throttle/leaky-bucket.ts';
import { BUCKET_PRESETS } from '../core/throttle/leaky-bucket.ts';
import { DEFAULT_FILTERS, validateFilters, type BulkFilters } from '../core/bulk/filters.ts';

export const SETTINGS_VERSION = 1;

export interface Settings {
  version: number;
  plan: 'standard' | 'enterprise' | 'custom';
  bucket: BucketConfig;
  filters: BulkFilters;
  confirmBulk: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  plan: 'standard',
  bucket: BUCKET_PRESETS.standard,
  filters: DEFAULT_FILTERS,
  confirmBulk: true,
};

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  if (!stored || typeof stored !== 'object') return DEFAULT_SETTINGS;
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    version: SETTINGS_VERSION,
    filters: safeFilters(stored.filters),
  };
}

function safeFilters(value: unknown): BulkFilters {
  try {
    return validateFilters(value);
  } catch {
    return DEFAULT_FILTERS;
  }
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch, version: SETTINGS_VERSION };
  await browser.storage.local.set({ [KEY]: next });
  return next;
}
