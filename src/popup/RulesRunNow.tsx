// The portal's rules in the popup: "Run now" for each enabled, approved one (issue 11).
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { sendToWorker, type RuleSummary } from '../shared/messages.ts';

export function RulesRunNow({ origin }: { origin: string }) {
  const [rules, setRules] = useState<RuleSummary[]>([]);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void sendToWorker('rules/list', { origin }).then(setRules);
  }, [origin]);
  if (rules.length === 0) return null;
  const run = async (rule: RuleSummary) => {
    const reply = await sendToWorker(rule.approved ? 'rules/run' : 'rules/approve', { ruleId: rule.id });
    setNote(reply.ok ? { ok: true, text: t('rulesDone') } : { ok: false, text: t(reply.code === 'JOB_RUNNING' ? 'rulesBusy' : 'rulesFailed', [reply.code]) });
  };
  return (
    <div class="rules-run" data-testid="rules-run">
      {rules.map((rule) => (
        <button key={rule.id} type="button" class="secondary" onClick={() => void run(rule)}>
          {t('popupRunRule', [rule.name])}
        </button>
      ))}
      {note && (
        <p class={note.ok ? 'ok' : 'fail'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </div>
  );
}
