import { describe, expect, it } from 'vitest';
import { alarmFor, exportRules, importRules, InvalidRuleError, nextDailyAt, safeRules, validateRule, validateRules, type Rule } from './rule.ts';
import { DEFAULT_FILTERS } from '../bulk/filters.ts';

const base = { id: 'noise', name: 'CRM and tasks', portal: 'https://acme.bitrix24.ru', filters: { kinds: ['crm', 'tasks'] }, trigger: { kind: 'every', minutes: 5 } };

describe('rules', () => {
  it('validates a rule, filling defaults and normalising', () => {
    const rule = validateRule({ ...base, portal: 'https://ACME.bitrix24.ru/', extra: 'dropped' });
    expect(rule).toEqual({ id: 'noise', name: 'CRM and tasks', portal: 'https://acme.bitrix24.ru', enabled: true, approved: false, filters: { ...DEFAULT_FILTERS, kinds: ['crm', 'tasks'] }, trigger: { kind: 'every', minutes: 5 } });
    expect(validateRule({ ...base, trigger: { kind: 'every', minutes: 0.5 } }).trigger).toEqual({ kind: 'every', minutes: 0.5 });
    expect(validateRule({ ...base, trigger: { kind: 'daily', at: '08:30' } }).trigger).toEqual({ kind: 'daily', at: '08:30' });
    expect(validateRule({ ...base, trigger: { kind: 'unread-grows' } }).trigger).toEqual({ kind: 'unread-grows' });
  });

  it.each([
    { ...base, id: '' }, { ...base, id: 'a b' }, { ...base, name: '  ' }, { ...base, portal: 'http://acme.bitrix24.ru' }, { ...base, portal: 'https://a/x' },
    { ...base, trigger: { kind: 'every', minutes: 0.1 } }, { ...base, trigger: { kind: 'every', minutes: '5' } }, { ...base, trigger: { kind: 'daily', at: '25:00' } },
    { ...base, trigger: { kind: 'hourly' } }, { ...base, filters: { kinds: ['robots'] } }, { ...base, enabled: 'yes' },
  ])('refuses %j', (input) => expect(() => validateRule(input)).toThrow(InvalidRuleError));

  it('lists: unique ids; stored lists drop a broken rule and keep the rest', () => {
    expect(() => validateRules([base, base])).toThrow(InvalidRuleError);
    expect(safeRules([base, { ...base, id: 'x', trigger: null }, { ...base, id: 'y' }, base]).map((r) => r.id)).toEqual(['noise', 'y']);
    expect(safeRules('garbage')).toEqual([]);
  });

  it('export/import round-trips without approval or any secret; bad files are refused whole', () => {
    const rules: Rule[] = [{ ...validateRule(base), approved: true }];
    const text = exportRules(rules);
    expect(text).not.toContain('approved');
    expect(text).not.toMatch(/rest\/|secret|webhook/i);
    expect(importRules(text)).toEqual([{ ...rules[0], approved: false }]);
    const withSecret = JSON.stringify({ format: 'bitrix24-mark-read/rules', version: 1, rules: [{ ...base, webhook: 'https://acme.bitrix24.ru/rest/1/abc/' }] });
    expect(JSON.stringify(importRules(withSecret))).not.toContain('abc');
    expect(() => importRules('{')).toThrow(InvalidRuleError);
    expect(() => importRules('{"rules": []}')).toThrow(InvalidRuleError);
    expect(() => importRules(JSON.stringify({ format: 'bitrix24-mark-read/rules', rules: [base, { id: 'bad' }] }))).toThrow(InvalidRuleError);
  });

  it('alarms: every N minutes, daily at the next local time, none for unread-grows or a disabled rule', () => {
    const now = new Date(2026, 2, 10, 9, 0).getTime();
    const rule = validateRule(base);
    expect(alarmFor(rule, now)).toEqual({ when: now + 300_000, periodInMinutes: 5 });
    expect(nextDailyAt(now, '08:30')).toBe(new Date(2026, 2, 11, 8, 30).getTime());
    expect(nextDailyAt(now, '09:30')).toBe(new Date(2026, 2, 10, 9, 30).getTime());
    expect(alarmFor({ ...rule, trigger: { kind: 'daily', at: '09:30' } }, now)).toEqual({ when: new Date(2026, 2, 10, 9, 30).getTime(), periodInMinutes: 1440 });
    expect(alarmFor({ ...rule, trigger: { kind: 'unread-grows' } }, now)).toBeNull();
    expect(alarmFor({ ...rule, enabled: false }, now)).toBeNull();
  });
});
