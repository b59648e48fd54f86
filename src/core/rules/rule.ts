// Standing rules: a named saved filter for one portal plus a trigger. Pure: validation, the
// alarm a trigger needs, and export/import as JSON (never carrying a webhook or any other secret).
import { validateFilters, InvalidFiltersError, type BulkFilters } from '../bulk/filters.ts';
import { isRecord } from '../is-record.ts';

export type RuleTrigger =
  /** Every N minutes while the browser runs (`chrome.alarms`; the options offer ≥ 5, storage allows Chrome's 0.5 minimum). */
  | { kind: 'every'; minutes: number }
  /** Daily at a local time "HH:MM". */
  | { kind: 'daily'; at: string }
  /** When the portal's unread total grows (checked when the badge refreshes). */
  | { kind: 'unread-grows' };

export interface Rule {
  id: string;
  name: string;
  /** `https://host[:port]` of the portal it reads. */
  portal: string;
  enabled: boolean;
  filters: BulkFilters;
  trigger: RuleTrigger;
  /** The user saw a first plan and said go; until then a run only shows its plan. */
  approved: boolean;
}

/** The shortest period the options page offers; a stored value may go down to `MIN_STORED_MINUTES`. */
export const MIN_OFFERED_MINUTES = 5;
export const MIN_STORED_MINUTES = 0.5;
export const MAX_MINUTES = 7 * 24 * 60;
export const MAX_RULES = 50;
const MAX_NAME = 80;

export class InvalidRuleError extends Error {
  override readonly name = 'InvalidRuleError';
}

function fail(message: string): never {
  throw new InvalidRuleError(message);
}

function readOrigin(value: unknown): string {
  if (typeof value !== 'string' || value.length > 300) fail('portal must be an https origin');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail('portal must be an https origin');
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.pathname !== '/' || url.search || url.hash) fail('portal must be an https origin');
  return url.origin;
}

export function validateTrigger(value: unknown): RuleTrigger {
  if (!isRecord(value)) fail('trigger must be an object');
  switch (value['kind']) {
    case 'every': {
      const minutes = value['minutes'];
      if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < MIN_STORED_MINUTES || minutes > MAX_MINUTES) {
        fail(`every: minutes from ${MIN_STORED_MINUTES} to ${MAX_MINUTES}`);
      }
      return { kind: 'every', minutes };
    }
    case 'daily': {
      const at = value['at'];
      if (typeof at !== 'string' || !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(at)) fail('daily: at must be HH:MM');
      return { kind: 'daily', at };
    }
    case 'unread-grows':
      return { kind: 'unread-grows' };
    default:
      return fail('trigger kind must be every, daily or unread-grows');
  }
}

/** A rule from storage, the options page or an import file; throws `InvalidRuleError`. Unknown fields are dropped. */
export function validateRule(value: unknown): Rule {
  if (!isRecord(value)) fail('a rule must be an object');
  const id = value['id'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) fail('id must be 1-64 letters, digits, - or _');
  const name = typeof value['name'] === 'string' ? value['name'].trim() : '';
  if (name === '' || name.length > MAX_NAME) fail(`name must be 1-${MAX_NAME} characters`);
  let filters: BulkFilters;
  try {
    filters = validateFilters(value['filters'] ?? {});
  } catch (error) {
    fail(`filters: ${error instanceof InvalidFiltersError ? error.message : 'invalid'}`);
  }
  const enabled = value['enabled'] ?? true;
  const approved = value['approved'] ?? false;
  if (typeof enabled !== 'boolean' || typeof approved !== 'boolean') fail('enabled and approved must be booleans');
  return { id, name, portal: readOrigin(value['portal']), enabled, filters, trigger: validateTrigger(value['trigger']), approved };
}

/** A list of rules; ids must be unique. */
export function validateRules(value: unknown): Rule[] {
  if (!Array.isArray(value) || value.length > MAX_RULES) fail(`rules must be a list of at most ${MAX_RULES}`);
  const rules = value.map(validateRule);
  if (new Set(rules.map((r) => r.id)).size !== rules.length) fail('rule ids must be unique');
  return rules;
}

/** Stored rules, forgiving: a broken rule is dropped, the others keep working. */
export function safeRules(value: unknown): Rule[] {
  if (!Array.isArray(value)) return [];
  const rules: Rule[] = [];
  for (const item of value.slice(0, MAX_RULES)) {
    try {
      const rule = validateRule(item);
      if (!rules.some((r) => r.id === rule.id)) rules.push(rule);
    } catch {
      /* dropped */
    }
  }
  return rules;
}

export const EXPORT_FORMAT = 'bitrix24-mark-read/rules';

/** JSON for moving rules to another browser: the rules only (no settings, no webhook), approval reset. */
export function exportRules(rules: readonly Rule[]): string {
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, rules: rules.map(({ approved: _approved, ...rule }) => rule) }, null, 2);
}

/** Rules from an export file; throws `InvalidRuleError` with what is wrong, so nothing half-imports. */
export function importRules(text: string): Rule[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  if (!isRecord(data) || data['format'] !== EXPORT_FORMAT) fail(`not a ${EXPORT_FORMAT} file`);
  // An imported rule shows its plan and asks again in this browser.
  return validateRules(data['rules']).map((rule) => ({ ...rule, approved: false }));
}

/** The rule's alarm name (one per rule). */
export const RULE_ALARM_PREFIX = 'rule:';
export function ruleAlarmName(ruleId: string): string {
  return `${RULE_ALARM_PREFIX}${ruleId}`;
}

/** The next local time `at` ("HH:MM") after `now`. */
export function nextDailyAt(now: number, at: string): number {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const next = new Date(now);
  next.setHours(h, m, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime();
}

/** What `chrome.alarms.create` needs for a rule, or null (disabled, or triggered by the unread total). */
export function alarmFor(rule: Rule, now: number): { when?: number; periodInMinutes?: number } | null {
  if (!rule.enabled) return null;
  switch (rule.trigger.kind) {
    case 'every':
      return { when: now + rule.trigger.minutes * 60_000, periodInMinutes: rule.trigger.minutes };
    case 'daily':
      return { when: nextDailyAt(now, rule.trigger.at), periodInMinutes: 24 * 60 };
    case 'unread-grows':
      return null;
  }
}
