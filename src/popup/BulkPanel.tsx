// The bulk read in the popup: plan (what will be read, by kind, with filters), confirmation naming
// the number of chats, progress with ETA and Cancel, the result with remaining counters and Undo.
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { sendToWorker } from '../shared/messages.ts';
import { onJobChanged } from '../shared/job-storage.ts';
import { t, tm } from '../shared/i18n.ts';
import { CHAT_KINDS } from '../core/bulk/model.ts';
import type { BulkFilters } from '../core/bulk/filters.ts';
import type { BulkView } from '../shared/messages.ts';
import { OPEN_PLAN_KEY, OPEN_PLAN_TTL_MS } from '../shared/ui-handoff.ts';
import { KindIcon } from '../shared/chat-kinds.tsx';

/** Opened by the "mark all read" shortcut or menu (confirmation on): plan at once; `folder` for "Read this folder". */
async function planRequested(): Promise<'all' | 'folder' | null> {
  const query = new URLSearchParams(location.search).get('plan');
  if (query === '1' || query === 'folder') return query === '1' ? 'all' : 'folder';
  const request = (await browser.storage.local.get(OPEN_PLAN_KEY))[OPEN_PLAN_KEY] as { at?: unknown; folder?: unknown } | undefined;
  if (!request) return null;
  await browser.storage.local.remove(OPEN_PLAN_KEY);
  if (typeof request.at !== 'number' || Date.now() - request.at >= OPEN_PLAN_TTL_MS) return null;
  return request.folder === true ? 'folder' : 'all';
}


/** What the plan leaves unread, and why: kinds not chosen, open lines, chats that could not be looked up. */
function LeftUnread({ left }: { left: NonNullable<BulkView['plan']>['leftUnread'] }) {
  const kinds = CHAT_KINDS.filter((kind) => (left.byKind[kind] ?? 0) > 0);
  if (kinds.length === 0 && left.openLines === 0 && left.unresolved === 0) return null;
  return (
    <ul class="muted left-unread" data-testid="bulk-left-unread" aria-label={t('bulkLeftUnreadLabel')}>
      {kinds.map((kind) => (
        <li key={kind} data-kind={kind}>
          {t('bulkLeftKind', [t(`chatKind_${kind}`), String(left.byKind[kind])])}
        </li>
      ))}
      {left.openLines > 0 && <li data-kind="lines">{t('bulkLeftOpenLines', String(left.openLines))}</li>}
      {left.unresolved > 0 && <li data-kind="unresolved">{t('bulkLeftUnresolved', String(left.unresolved))}</li>}
    </ul>
  );
}

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds < 60 ? t('etaSeconds', String(seconds)) : t('etaMinutes', String(Math.ceil(seconds / 60)));
}

/** `jobOnly`: on a tab that cannot plan (not a portal, logged out) show only a running or paused job. */
export function BulkPanel({ tabId, jobOnly = false, onSettled, folder = null }: { tabId: number | null; jobOnly?: boolean; onSettled?: () => void; folder?: { title: string | null; chats: number } | null }) {
  const [view, setView] = useState<BulkView | null>(null);
  const [busy, setBusy] = useState(false);
  const lastPhase = useRef<string | null>(null);

  // When a job or its undo finishes, the chat and portal counters above are out of date.
  useEffect(() => {
    const job = view?.job;
    const phase = job ? `${job.id}:${job.status}:${job.undo?.status ?? ''}` : null;
    const settled = job && ['done', 'cancelled', 'failed'].includes(job.status) && job.undo?.status !== 'running';
    if (lastPhase.current !== null && phase !== lastPhase.current && settled) onSettled?.();
    lastPhase.current = phase;
  }, [view]);

  useEffect(() => {
    void (async () => {
      const status = await sendToWorker('bulk/status', {});
      setView(status);
      const idle = !status.job || !['running', 'planned'].includes(status.job.status);
      const requested = !jobOnly && idle ? await planRequested() : null;
      if (requested) await act(() => sendToWorker('bulk/plan', requested === 'folder' ? { tabId, folder: true } : { tabId }));
    })();
    // Progress is saved after every batch; follow it without asking the portal anything.
    return onJobChanged(() => void sendToWorker('bulk/status', {}).then(setView));
  }, []);

  async function act(run: () => Promise<BulkView>): Promise<void> {
    setBusy(true);
    try {
      setView(await run());
    } finally {
      setBusy(false);
    }
  }

  const plan = view?.plan ?? null;
  const job = view?.job ?? null;
  const active = job && (job.status === 'running' || job.status === 'planned');

  function replan(filters: BulkFilters): Promise<void> {
    return act(() => sendToWorker('bulk/plan', plan?.folder ? { tabId, filters, folder: true } : { tabId, filters }));
  }

  // Focus follows the confirmation: onto "Read N chats" when the plan opens (Enter confirms),
  // back onto the plan button when it is put away.
  const confirmButton = useRef<HTMLButtonElement>(null);
  const planButton = useRef<HTMLButtonElement>(null);
  const hadPlan = useRef(false);
  useEffect(() => {
    if (busy) return;
    if (plan && !hadPlan.current) confirmButton.current?.focus();
    if (!plan && hadPlan.current) planButton.current?.focus();
    hadPlan.current = plan !== null;
  }, [plan !== null, busy]);

  function dismissPlan(): void {
    setView((current) => current && { ...current, plan: null });
  }

  if (jobOnly && !(job && (active || job.status === 'paused'))) return null;

  const percent = job && job.total > 0 ? Math.floor((job.done / job.total) * 10) * 10 : 0;
  const remaining = job?.totalUnreadAfter ?? null;

  return (
    <section class="bulk" aria-labelledby="bulk-heading" data-testid="bulk">
      <h2 id="bulk-heading">{t('bulkHeading')}</h2>
      {/* Progress for screen readers in 10 % steps, not every batch. */}
      <p class="sr-only" aria-live="polite" data-testid="bulk-announce">
        {job && active ? t('bulkProgressPercent', String(percent)) : ''}
      </p>
      {view?.error && (
        <p role="alert" class="fail" data-testid="bulk-error">
          {tm(view.error.message)}
        </p>
      )}

      {job && (active || job.status === 'paused') && (
        <div class="progress" data-testid="bulk-progress" data-status={job.status}>
          <p class="progress-line">
            <span>{t('bulkProgress', [String(job.done), String(job.total)])}</span>
            {active && job.etaMs !== null && <span class="eta">{formatEta(job.etaMs)}</span>}
          </p>
          <progress max={Math.max(1, job.total)} value={job.done} aria-label={t('bulkProgressLabel')} />
          {job.pauseMessage && <p role="alert">{tm(job.pauseMessage)}</p>}
          <div class="actions">
            {job.status === 'paused' && (
              <button type="button" disabled={busy} onClick={() => void act(() => sendToWorker('bulk/resume', {}))}>
                {t('bulkResume')}
              </button>
            )}
            <button type="button" class="secondary" data-testid="bulk-cancel" disabled={busy} onClick={() => void act(() => sendToWorker('bulk/cancel', {}))}>
              {t('bulkCancel')}
            </button>
          </div>
        </div>
      )}

      {!jobOnly && job && !active && job.status !== 'paused' && !plan && (
        <div data-testid="bulk-result" data-status={job.status} role="status">
          <p>{t(job.status === 'cancelled' ? 'bulkCancelled' : 'bulkDone', [String(job.done - job.failed - job.skipped), String(job.total)])}</p>
          {job.failed > 0 && <p class="fail">{t('bulkFailed', String(job.failed))}</p>}
          {(remaining !== null || job.canUndo) && (
            <div class="result-row">
              {remaining !== null && (
                <p class="result-total">
                  <span>{t('popupTotalUnread')}</span>{' '}
                  <output data-testid="bulk-total-after" data-zero={remaining === 0 ? '' : undefined}>
                    {remaining}
                  </output>
                </p>
              )}
              {job.canUndo && (
                <button type="button" data-testid="bulk-undo" disabled={busy} onClick={() => void act(() => sendToWorker('bulk/undo', {}))}>
                  {t('bulkUndo')}
                </button>
              )}
            </div>
          )}
          {job.undo ? (
            <div data-testid="bulk-undo-report" data-status={job.undo.status}>
              <p>{t('undoReport', [String(job.undo.restored), String(job.undo.skipped), String(job.undo.failed)])}</p>
              {job.undo.cannotRestore.map((limit) => (
                <p class="muted" key={limit}>
                  {t(`undoLimit_${limit.replace(/-/g, '_')}`)}
                </p>
              ))}
            </div>
          ) : null}
        </div>
      )}

      {!jobOnly && !active && !plan && (
        <button
          type="button"
          class={job ? 'secondary' : undefined}
          data-testid="bulk-plan"
          ref={planButton}
          disabled={busy || tabId === null}
          onClick={() => void act(() => sendToWorker('bulk/plan', { tabId }))}
        >
          {busy ? t('popupWorking') : t('bulkPlanButton')}
        </button>
      )}

      {!jobOnly && !active && !plan && folder && (
        <button type="button" class="secondary" data-testid="bulk-plan-folder" disabled={busy || tabId === null} onClick={() => void act(() => sendToWorker('bulk/plan', { tabId, folder: true }))}>
          {t('bulkPlanFolder', [folder.title ?? '', String(folder.chats)])}
        </button>
      )}

      {!jobOnly && !active && plan && (
        <form
          data-testid="bulk-plan-view"
          aria-describedby="bulk-plan-summary"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => sendToWorker('bulk/start', { planId: plan.planId }));
          }}
          onKeyDown={(event) => {
            // The plan is the confirmation: Escape puts it away, Enter on a switch confirms.
            const target = event.target as HTMLElement;
            if (event.key === 'Escape') {
              event.preventDefault();
              dismissPlan();
            } else if (event.key === 'Enter' && target instanceof HTMLInputElement && target.type === 'checkbox') {
              event.preventDefault();
              if (!busy && plan.total > 0) event.currentTarget.requestSubmit();
            }
          }}
        >
          <fieldset>
            <legend>{t('filtersLegend')}</legend>
            <div class="kinds">
              {CHAT_KINDS.map((kind) => {
                const on = plan.filters.kinds.includes(kind);
                return (
                  <label key={kind} class="check">
                    <input
                      type="checkbox"
                      class="switch"
                      name={`kind-${kind}`}
                      checked={on}
                      disabled={busy}
                      onChange={(event) => {
                        const checked = (event.currentTarget as HTMLInputElement).checked;
                        const kinds = checked ? [...plan.filters.kinds, kind] : plan.filters.kinds.filter((k) => k !== kind);
                        void replan({ ...plan.filters, kinds });
                      }}
                    />
                    <KindIcon kind={kind} />
                    <span class="name">{t(`chatKind_${kind}`)}</span>
                    <span class="count">{on ? (plan.byKind[kind] ?? 0) : ''}</span>
                  </label>
                );
              })}
              <label class="check">
                <input type="checkbox" class="switch" name="notifications" checked={plan.filters.notifications} disabled={busy} onChange={() => void replan({ ...plan.filters, notifications: !plan.filters.notifications })} />
                <KindIcon kind="notifications" />
                <span class="name">{t('filterNotifications')}</span>
                <span class="count">{plan.filters.notifications ? plan.notifications : ''}</span>
              </label>
            </div>
            <div class="options-row">
              <label class="check">
                <input type="checkbox" class="switch" name="skip-pinned" checked={plan.filters.skipPinned} disabled={busy} onChange={() => void replan({ ...plan.filters, skipPinned: !plan.filters.skipPinned })} />
                {t('filterSkipPinned')}
              </label>
              <label>
                {t('filterMuted')}{' '}
                <select name="muted" value={plan.filters.muted} disabled={busy} onChange={(event) => void replan({ ...plan.filters, muted: (event.currentTarget as HTMLSelectElement).value as BulkFilters['muted'] })}>
                  <option value="include">{t('filterMutedInclude')}</option>
                  <option value="only">{t('filterMutedOnly')}</option>
                  <option value="skip">{t('filterMutedSkip')}</option>
                </select>
              </label>
            </div>
          </fieldset>
          {plan.folder && <p data-testid="bulk-plan-folder-title">{t('bulkPlanFolderTitle', [plan.folder.title ?? '', String(plan.folder.chats)])}</p>}
          <div class="summary" id="bulk-plan-summary">
            <p data-testid="bulk-plan-summary">{t('bulkPlanSummary', [String(plan.total), String(plan.messages), String(plan.estimatedRequests)])}</p>
            <p class="muted" data-testid="bulk-plan-mode" data-mode={plan.mode}>
              {t(plan.mode === 'receipts' ? 'bulkModeReceipts' : 'bulkModeChat')}
            </p>
            {plan.manualMarks > 0 && <p class="muted">{t('bulkPlanMarks', String(plan.manualMarks))}</p>}
            {plan.notifications > 0 && <p class="muted">{t('bulkPlanNotifications', String(plan.notifications))}</p>}
          </div>
          {plan.warnings.map((warning) => (
            <p class="fail" role="alert" key={warning} data-testid={`bulk-warning-${warning}`}>
              {t(`bulkWarning_${warning.replace(/-/g, '_')}`)}
            </p>
          ))}
          {(plan.filtersOff ?? []).includes('mentions-unknown') && (
            <p class="muted" data-testid="bulk-mentions-off">
              {t('bulkMentionsOff')}
            </p>
          )}
          <LeftUnread left={plan.leftUnread} />
          {plan.sample.length > 0 && (
            <ul class="sample" aria-label={t('bulkSampleLabel')}>
              {plan.sample.map((chat) => (
                <li key={chat.dialogId}>
                  <span>{chat.title}</span> <span class="pill quiet">{chat.counter}</span>
                </li>
              ))}
              {plan.total > plan.sample.length && <li class="more">{t('bulkSampleMore', String(plan.total - plan.sample.length))}</li>}
            </ul>
          )}
          <div class="actions">
            <button type="submit" data-testid="bulk-confirm" ref={confirmButton} disabled={busy || plan.total === 0}>
              {t('bulkConfirm', String(plan.total))}
            </button>
            <button type="button" class="secondary" data-testid="bulk-dismiss" onClick={dismissPlan}>
              {t('bulkNotNow')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
