// Settings over storage.local, typed, with defaults and a version for migrations (the model is
// refined-github's options-storage). The webhook URL is a secret: it has its own key, in
// storage.local only, and never travels inside the settings object.
import browser from 'webextension-polyfill';
import { BUCKET_PRESETS, type BucketConfig } from '../core/throttle/leaky-bucket.ts';
import { DEFAULT_FILTERS, validateFilters, type BulkFilters } from '../core/bulk/filters.ts';
import { THEMES, type Theme } from './theme.ts';
import { migrateKinds } from '../core/bulk/kinds.ts';
import type { ReadMode } from '../core/bulk/commands.ts';
import { maskedWebhookUrl, parseWebhookUrl, type WebhookUrl, type WebhookUrlProblem } from '../core/rest/webhook-transport.ts';
import { isRecord } from '../core/is-record.ts';
import { safeRules, validateRules, InvalidRuleError, type Rule } from '../core/rules/rule.ts';

export const SETTINGS_VERSION = 4;

export type AuthMode = 'session' | 'webhook';
export type Plan = 'standard' | 'enterprise' | 'custom';
export type { Theme };

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** How REST calls are authorised; 'webhook' applies only while a webhook is stored (`loadWebhook`). */
  authMode: AuthMode;
  plan: Plan;
  /** The plan's numbers; only a 'custom' plan keeps its own. */
  bucket: BucketConfig;
  /** Default selection of a bulk read. */
  filters: BulkFilters;
  /** Ask before a bulk read. */
  confirmBulk: boolean;
  /** System notifications for results; off unless the user asks for them. */
  notifications: boolean;
  /** `https://host[:port]` of self-hosted portals the user enabled (host permission granted). */
  selfHostedOrigins: string[];
  /** Popup and options colours. */
  theme: Theme;
  /**
   * "Send read receipts": read with `MESSAGE_ID` (a "viewed" receipt per message, today's behaviour
   * before im 26.x). Off: read the way Bitrix24's own "Read" does (no receipts). Bulk and single chats.
   */
  readReceipts: boolean;
  /** Standing rules (v4): named saved filters with a trigger, per portal. */
  rules: Rule[];
}

/** How chats are read with these settings. */
export function readModeOf(settings: Pick<Settings, 'readReceipts'>): ReadMode {
  return settings.readReceipts ? 'receipts' : 'chat';
}

export const CUSTOM_BUCKET_LIMITS = {
  capacity: { min: 1, max: 10_000 },
  drainPerSec: { min: 0.1, max: 100 },
} as const;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  version: SETTINGS_VERSION,
  authMode: 'session',
  plan: 'standard',
  bucket: Object.freeze({ ...BUCKET_PRESETS.standard }),
  filters: DEFAULT_FILTERS,
  confirmBulk: true,
  notifications: false,
  selfHostedOrigins: Object.freeze([] as string[]) as string[],
  theme: 'system',
  readReceipts: false,
  rules: Object.freeze([] as Rule[]) as Rule[],
});

const SETTINGS_KEY = 'settings';
/** The webhook `{origin, userId, secret}`; storage.local only. */
export const WEBHOOK_KEY = 'webhook';
const MAX_ORIGINS = 200;

export type SettingsProblem = 'bucket_capacity' | 'bucket_drain' | 'filters' | 'origin' | 'auth_mode' | 'plan' | 'theme' | 'rules';

/** A value the UI (or a caller) tried to save is out of range; `problem` picks the localized text. */
export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
  constructor(readonly problem: SettingsProblem) {
    super(`Invalid setting: ${problem}`);
  }
}

/** A pasted webhook URL failed validation. The message names the problem only, never the URL. */
export class InvalidWebhookError extends Error {
  override readonly name = 'InvalidWebhookError';
  constructor(readonly problem: WebhookUrlProblem) {
    super(`Invalid webhook URL (${problem})`);
  }
}

// --- validation -------------------------------------------------------------------------------

/** Why custom bucket numbers are refused, or null when they are fine. */
export function customBucketProblem(capacity: unknown, drainPerSec: unknown): 'bucket_capacity' | 'bucket_drain' | null {
  const { capacity: cap, drainPerSec: drain } = CUSTOM_BUCKET_LIMITS;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < cap.min || capacity > cap.max) return 'bucket_capacity';
  if (typeof drainPerSec !== 'number' || !Number.isFinite(drainPerSec) || drainPerSec < drain.min || drainPerSec > drain.max) return 'bucket_drain';
  return null;
}

/** The bucket of a plan; a custom plan's numbers are checked (throws `InvalidSettingsError`). */
export function bucketForPlan(plan: Plan, custom?: Partial<BucketConfig>): BucketConfig {
  if (plan !== 'custom') return { ...BUCKET_PRESETS[plan] };
  const problem = customBucketProblem(custom?.capacity, custom?.drainPerSec);
  if (problem) throw new InvalidSettingsError(problem);
  const bucket: BucketConfig = { capacity: custom!.capacity!, drainPerSec: custom!.drainPerSec! };
  const margin = custom?.safetyMargin;
  if (typeof margin === 'number' && Number.isInteger(margin) && margin >= 0 && margin < bucket.capacity) bucket.safetyMargin = margin;
  return bucket;
}

/** `https://host[:port]` in canonical form, or null. */
export function normaliseOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  if (url.pathname !== '/' || url.search || url.hash || value.includes('?') || value.includes('#')) return null;
  return url.origin;
}

function pick<T>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function origins(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const list = value.map(normaliseOrigin).filter((origin): origin is string => origin !== null);
  return [...new Set(list)].slice(0, MAX_ORIGINS);
}

function safeFilters(value: unknown): BulkFilters {
  try {
    return validateFilters(value);
  } catch {
    return { ...DEFAULT_FILTERS, kinds: [...DEFAULT_FILTERS.kinds], never: [], always: [] };
  }
}

/**
 * Any stored value → current settings, field by field: a garbage field takes its default, unknown
 * fields (a stray webhook included) are dropped. Never throws.
 */
export function normaliseSettings(raw: unknown): Settings {
  const stored = isRecord(raw) ? raw : {};
  const plan = pick<Plan>(stored['plan'], ['standard', 'enterprise', 'custom'], DEFAULT_SETTINGS.plan);
  let bucket: BucketConfig;
  try {
    bucket = bucketForPlan(plan, isRecord(stored['bucket']) ? (stored['bucket'] as Partial<BucketConfig>) : undefined);
  } catch {
    // A custom plan with broken numbers starts again from the standard numbers.
    bucket = { ...BUCKET_PRESETS.standard };
  }
  return {
    version: SETTINGS_VERSION,
    authMode: pick<AuthMode>(stored['authMode'], ['session', 'webhook'], DEFAULT_SETTINGS.authMode),
    plan,
    bucket,
    filters: safeFilters(stored['filters']),
    confirmBulk: bool(stored['confirmBulk'], DEFAULT_SETTINGS.confirmBulk),
    notifications: bool(stored['notifications'], DEFAULT_SETTINGS.notifications),
    selfHostedOrigins: origins(stored['selfHostedOrigins']),
    theme: pick<Theme>(stored['theme'], THEMES, DEFAULT_SETTINGS.theme),
    readReceipts: bool(stored['readReceipts'], DEFAULT_SETTINGS.readReceipts),
    rules: safeRules(stored['rules']),
  };
}

// --- migrations -------------------------------------------------------------------------------

/** `MIGRATIONS[n]` turns a version-n object into version n+1. */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // v1 `{version, plan, bucket, filters, confirmBulk}`: add auth mode, notifications, self-hosted portals.
  1: (old) => ({ ...old, version: 2, authMode: 'session', notifications: false, selfHostedOrigins: [] }),
  // v2 → v3: the colour theme (following the system as before), and the im 26.x kinds: channels,
  // copilot, the general chat and unknown chats were "group chats", collabs were "workgroups": a saved
  // kind list keeps meaning the same chats. Receipts off (Bitrix24's own way).
  2: (old) => {
    const filters = isRecord(old['filters']) ? old['filters'] : undefined;
    const old2 = filters?.['kinds'];
    // Only a valid old list is translated; anything else is left for validation to refuse.
    const valid = Array.isArray(old2) && old2.every((k) => typeof k === 'string' && ['dialog', 'chat', 'workgroup', 'crm', 'tasks', 'lines'].includes(k));
    const kinds = valid ? migrateKinds(old2 as string[]) : undefined;
    return { ...old, version: 3, theme: 'system', readReceipts: false, ...(filters ? { filters: { ...filters, ...(kinds ? { kinds } : {}) } } : {}) };
  },
  // v3 → v4: standing rules (none yet); the saved filters gain the finer filters, all off.
  3: (old) => ({ ...old, version: 4, rules: [] }),
};

/** Runs the migrations from the stored version up to the current one; an unversioned object counts as v1. */
export function migrateSettings(raw: unknown): Settings {
  if (!isRecord(raw)) return normaliseSettings(undefined);
  let current: Record<string, unknown> = raw;
  let version = typeof raw['version'] === 'number' && Number.isInteger(raw['version']) ? raw['version'] : 1;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) break;
    current = step(current);
    version += 1;
  }
  return normaliseSettings(current);
}

// --- storage ----------------------------------------------------------------------------------

async function readKey(key: string): Promise<unknown> {
  try {
    return (await browser.storage.local.get(key))[key];
  } catch {
    return undefined;
  }
}

export async function loadSettings(): Promise<Settings> {
  const stored = await readKey(SETTINGS_KEY);
  const settings = migrateSettings(stored);
  if (isRecord(stored) && stored['version'] !== SETTINGS_VERSION) {
    // Keep the migrated shape so the next reader starts from it, unless someone saved meanwhile:
    // writing the old values back would undo their change. A failed write changes nothing.
    const now = await readKey(SETTINGS_KEY);
    if (JSON.stringify(now) === JSON.stringify(stored)) await browser.storage.local.set({ [SETTINGS_KEY]: settings }).catch(() => undefined);
  }
  return settings;
}

export type SettingsPatch = Partial<Omit<Settings, 'version'>> & { version?: number };

let saving: Promise<unknown> = Promise.resolve();

/**
 * Merges a change into the stored settings and returns the result. Values a user typed are
 * checked, not repaired: a bad one throws `InvalidSettingsError` and nothing is written.
 * Saves from one page run one after another, so quick changes do not overwrite each other.
 */
export function saveSettings(patch: SettingsPatch): Promise<Settings> {
  const run = saving.then(async () => {
    const current = await loadSettings();
    const next = applyPatch(current, patch);
    await browser.storage.local.set({ [SETTINGS_KEY]: next });
    return next;
  });
  saving = run.catch(() => undefined);
  return run;
}

/** The settings after a change (pure; throws `InvalidSettingsError` on a bad value). */
export function applyPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Settings = { ...current, version: SETTINGS_VERSION };
  if (patch.authMode !== undefined) {
    if (patch.authMode !== 'session' && patch.authMode !== 'webhook') throw new InvalidSettingsError('auth_mode');
    next.authMode = patch.authMode;
  }
  if (patch.plan !== undefined || patch.bucket !== undefined) {
    const plan = patch.plan ?? current.plan;
    if (plan !== 'standard' && plan !== 'enterprise' && plan !== 'custom') throw new InvalidSettingsError('plan');
    next.plan = plan;
    // Switching to custom without numbers starts from the numbers in use.
    next.bucket = bucketForPlan(plan, patch.bucket ?? current.bucket);
  }
  if (patch.filters !== undefined) {
    try {
      next.filters = validateFilters(patch.filters);
    } catch {
      throw new InvalidSettingsError('filters');
    }
  }
  if (patch.confirmBulk !== undefined) next.confirmBulk = patch.confirmBulk === true;
  if (patch.notifications !== undefined) next.notifications = patch.notifications === true;
  if (patch.theme !== undefined) {
    if (!THEMES.includes(patch.theme)) throw new InvalidSettingsError('theme');
    next.theme = patch.theme;
  }
  if (patch.readReceipts !== undefined) next.readReceipts = patch.readReceipts === true;
  if (patch.rules !== undefined) {
    try {
      next.rules = validateRules(patch.rules);
    } catch (error) {
      if (error instanceof InvalidRuleError) throw new InvalidSettingsError('rules');
      throw error;
    }
  }
  if (patch.selfHostedOrigins !== undefined) {
    if (!Array.isArray(patch.selfHostedOrigins)) throw new InvalidSettingsError('origin');
    const list = patch.selfHostedOrigins.map(normaliseOrigin);
    if (list.some((origin) => origin === null) || list.length > MAX_ORIGINS) throw new InvalidSettingsError('origin');
    next.selfHostedOrigins = [...new Set(list as string[])];
  }
  return next;
}

/** Calls `listener` with fresh settings whenever another context saves them. Returns an unsubscribe. */
export function onSettingsChanged(listener: (settings: Settings) => void): () => void {
  const handler = (changes: Record<string, browser.Storage.StorageChange>, area: string): void => {
    if (area === 'local' && SETTINGS_KEY in changes) listener(migrateSettings(changes[SETTINGS_KEY]!.newValue));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

// --- the webhook secret -----------------------------------------------------------------------

/** What a page may show about the stored webhook: never the secret. */
export interface WebhookSummary {
  origin: string;
  userId: number;
  /** `https://portal/rest/<user>/***` + `/`. */
  masked: string;
}

/** The stored webhook, re-validated; null when there is none or it is corrupt. For the worker only. */
export async function loadWebhook(): Promise<WebhookUrl | null> {
  const stored = await readKey(WEBHOOK_KEY);
  if (!isRecord(stored)) return null;
  const { origin, userId, secret } = stored;
  if (typeof origin !== 'string' || typeof userId !== 'number' || typeof secret !== 'string') return null;
  const check = parseWebhookUrl(`${origin}/rest/${userId}/${secret}/`);
  return check.ok ? check.webhook : null;
}

/** The stored webhook, masked, for the options page. */
export async function loadWebhookSummary(): Promise<WebhookSummary | null> {
  const webhook = await loadWebhook();
  return webhook && summarise(webhook);
}

/**
 * Validates a pasted URL and stores it (replacing any earlier one) in storage.local.
 * Throws `InvalidWebhookError` with the problem code; returns the masked summary.
 */
export async function saveWebhook(url: string): Promise<WebhookSummary> {
  const check = parseWebhookUrl(url);
  if (!check.ok) throw new InvalidWebhookError(check.problem);
  const { origin, userId, secret } = check.webhook;
  await browser.storage.local.set({ [WEBHOOK_KEY]: { origin, userId, secret } });
  return summarise(check.webhook);
}

export async function clearWebhook(): Promise<void> {
  await browser.storage.local.remove(WEBHOOK_KEY);
}

function summarise(webhook: WebhookUrl): WebhookSummary {
  return { origin: webhook.origin, userId: webhook.userId, masked: maskedWebhookUrl(webhook) };
}
