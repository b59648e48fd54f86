// Standing rules (issue 11): each rule is a saved filter for one portal with a trigger. A new rule
// takes the default filters above; the first run shows its plan and asks once; the log shows the
// last runs with Undo of the last one; rules export/import as JSON (no webhook ever included).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';
import type { Settings } from '../shared/settings.ts';
import { exportRules, importRules, MIN_OFFERED_MINUTES, type Rule, type RuleTrigger } from '../core/rules/rule.ts';
import { RULE_LOG_KEY, type RuleLog, type RuleRunEntry, type RuleState } from '../shared/rule-log.ts';
import { sendToWorker } from '../shared/messages.ts';
import type { Announce, Update } from './form-contract.ts';

interface Props {
  settings: Settings;
  update: Update;
  announce: Announce;
}

function useRuleLog(): RuleLog {
  const [log, setLog] = useState<RuleLog>({});
  useEffect(() => {
    const read = () => void browser.storage.local.get(RULE_LOG_KEY).then((v) => setLog((v[RULE_LOG_KEY] as RuleLog | undefined) ?? {}));
    read();
    const listener = (changes: Record<string, unknown>, area: string) => area === 'local' && RULE_LOG_KEY in changes && read();
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);
  return log;
}

function triggerText(trigger: RuleTrigger): string {
  if (trigger.kind === 'every') return t('rulesTriggerEveryText', [String(trigger.minutes)]);
  if (trigger.kind === 'daily') return t('rulesTriggerDailyText', [trigger.at]);
  return t('rulesTriggerGrows');
}

function byKindText(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => `${t(`chatKind_${kind}`)} ${n}`)
    .join(', ');
}

function RunLine({ run }: { run: RuleRunEntry }) {
  const skipped = Object.entries(run.skipped)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${t(`rulesSkip_${reason.replace('-', '_')}`)} ${n}`)
    .join(', ');
  return (
    <li data-testid="rule-run">
      {t('rulesRunLine', [new Date(run.at).toLocaleString(), t(`rulesTrigger_${run.trigger.replace('-', '_')}`), String(run.read), String(run.messages), String(run.requests)])}
      {byKindText(run.readByKind) && ` (${byKindText(run.readByKind)})`}
      {skipped && ` ${t('rulesRunSkipped', [skipped])}`}
      {run.filtersOff.length > 0 && ` ${t('rulesMentionsOff')}`}
      {run.undone && ` ${t('rulesRunUndone')}`}
    </li>
  );
}

function RuleCard({ rule, state, settings, update, announce }: { rule: Rule; state: RuleState | undefined } & Props) {
  const act = async (type: 'rules/run' | 'rules/approve' | 'rules/undo') => {
    const reply = await sendToWorker(type, { ruleId: rule.id });
    announce(reply.ok ? { ok: true, text: t('rulesDone') } : { ok: false, text: t(reply.code === 'NEEDS_APPROVAL' ? 'rulesNeedsApproval' : reply.code === 'JOB_RUNNING' ? 'rulesBusy' : 'rulesFailed', [reply.code]) });
  };
  const remove = () => void update({ rules: settings.rules.filter((r) => r.id !== rule.id) });
  const toggle = (enabled: boolean) => void update({ rules: settings.rules.map((r) => (r.id === rule.id ? { ...r, enabled } : r)) });
  const last = state?.runs.find((r) => r.jobId !== undefined);
  return (
    <li class="rule" data-testid={`rule-${rule.id}`}>
      <div class="choice">
        <input type="checkbox" id={`rule-on-${rule.id}`} checked={rule.enabled} onChange={(e) => toggle(e.currentTarget.checked)} />
        <label for={`rule-on-${rule.id}`}>
          <strong>{rule.name}</strong> — {new URL(rule.portal).host}, {triggerText(rule.trigger)}
        </label>
      </div>
      {state?.paused && (
        <p class="note" role="alert" data-testid="rule-paused">
          {t(`rulesPaused_${state.paused.replace('-', '_')}`)}
        </p>
      )}
      {state?.pendingPlan && !rule.approved && (
        <p class="muted indent" data-testid="rule-pending">
          {t('rulesPendingPlan', [String(state.pendingPlan.chats), String(state.pendingPlan.messages)])} {byKindText(state.pendingPlan.byKind)}
        </p>
      )}
      <div class="buttons indent">
        {rule.approved ? (
          <button type="button" onClick={() => void act('rules/run')}>{t('rulesRunNow')}</button>
        ) : (
          <button type="button" onClick={() => void act(state?.pendingPlan ? 'rules/approve' : 'rules/run')}>{state?.pendingPlan ? t('rulesApprove') : t('rulesShowPlan')}</button>
        )}
        <button type="button" disabled={!last || last.undone === true} onClick={() => void act('rules/undo')}>{t('rulesUndoLast')}</button>
        <button type="button" onClick={remove}>{t('rulesDelete')}</button>
      </div>
      {state && state.runs.length > 0 && (
        <ul class="indent rule-log" aria-label={t('rulesLogLabel', [rule.name])}>
          {state.runs.slice(0, 5).map((run) => (
            <RunLine key={run.at} run={run} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function RulesSection(props: Props) {
  const { settings, update, announce } = props;
  const log = useRuleLog();
  const [name, setName] = useState('');
  const [portal, setPortal] = useState('');
  const [kind, setKind] = useState<RuleTrigger['kind']>('every');
  const [minutes, setMinutes] = useState(15);
  const [at, setAt] = useState('09:00');
  const [exported, setExported] = useState('');
  const [importText, setImportText] = useState('');

  const add = async () => {
    const trigger: RuleTrigger = kind === 'every' ? { kind, minutes: Math.max(MIN_OFFERED_MINUTES, minutes) } : kind === 'daily' ? { kind, at } : { kind };
    const rule = { id: `r${Date.now().toString(36)}`, name, portal: portal.trim().replace(/\/+$/, ''), enabled: true, approved: false, filters: settings.filters, trigger };
    if (await update({ rules: [...settings.rules, rule] }, t('rulesAdded'))) setName('');
  };
  const doImport = async () => {
    try {
      const imported = importRules(importText);
      const ids = new Set(imported.map((r) => r.id));
      if (await update({ rules: [...settings.rules.filter((r) => !ids.has(r.id)), ...imported] }, t('rulesImported', [String(imported.length)]))) setImportText('');
    } catch (error) {
      announce({ ok: false, text: t('rulesImportFailed', [error instanceof Error ? error.message : '']) });
    }
  };

  return (
    <fieldset data-testid="rules">
      <legend>{t('rulesLegend')}</legend>
      <p class="muted">{t('rulesIntro')}</p>
      {settings.rules.length === 0 ? <p class="muted">{t('rulesNone')}</p> : (
        <ul class="rules">
          {settings.rules.map((rule) => (
            <RuleCard key={rule.id} rule={rule} state={log[rule.id]} {...props} />
          ))}
        </ul>
      )}
      <fieldset>
        <legend>{t('rulesNewLegend')}</legend>
        <div class="field">
          <label for="rule-name">{t('rulesName')}</label>
          <input id="rule-name" type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="rule-portal">{t('rulesPortal')}</label>
          <input id="rule-portal" type="url" placeholder={t('rulesPortalPlaceholder')} value={portal} onInput={(e) => setPortal(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="rule-trigger">{t('rulesTrigger')}</label>
          <select id="rule-trigger" value={kind} onChange={(e) => setKind(e.currentTarget.value as RuleTrigger['kind'])}>
            <option value="every">{t('rulesTriggerEvery')}</option>
            <option value="daily">{t('rulesTriggerDaily')}</option>
            <option value="unread-grows">{t('rulesTriggerGrows')}</option>
          </select>
        </div>
        {kind === 'unread-grows' ? null : kind === 'every' ? (
          <div class="field">
            <label for="rule-minutes">{t('rulesMinutes')}</label>
            <input id="rule-minutes" type="number" min={MIN_OFFERED_MINUTES} max={10080} value={minutes} onInput={(e) => setMinutes(Number(e.currentTarget.value))} />
          </div>
        ) : (
          <div class="field">
            <label for="rule-at">{t('rulesAt')}</label>
            <input id="rule-at" type="time" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
          </div>
        )}
        <p class="muted">{t('rulesUsesFilters')}</p>
        <div class="buttons">
          <button type="button" disabled={name.trim() === '' || portal.trim() === ''} onClick={() => void add()}>{t('rulesAdd')}</button>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rulesMoveLegend')}</legend>
        <div class="buttons">
          <button type="button" disabled={settings.rules.length === 0} onClick={() => setExported(exportRules(settings.rules))}>{t('rulesExport')}</button>
        </div>
        {exported && (
          <div class="field">
            <label for="rules-exported">{t('rulesExported')}</label>
            <textarea id="rules-exported" readOnly rows={6} value={exported} />
          </div>
        )}
        <div class="field">
          <label for="rules-import">{t('rulesImportLabel')}</label>
          <textarea id="rules-import" rows={4} value={importText} onInput={(e) => setImportText(e.currentTarget.value)} />
        </div>
        <div class="buttons">
          <button type="button" disabled={importText.trim() === ''} onClick={() => void doImport()}>{t('rulesImport')}</button>
        </div>
      </fieldset>
    </fieldset>
  );
}
