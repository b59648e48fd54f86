// Auth mode and the incoming webhook: paste, check (in the worker), save, remove. The saved webhook
// comes back only masked; the pasted URL is cleared from the page once saved.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { sendToWorker, type WebhookCheckView } from '../shared/messages.ts';
import { clearWebhook, InvalidWebhookError, loadWebhookSummary, saveWebhook, type AuthMode, type WebhookSummary } from '../shared/settings.ts';
import { parseWebhookUrl } from '../core/rest/webhook-transport.ts';
import { Radio } from './controls.tsx';
import { webhookProblemView } from '../shared/webhook-problem.ts';
import type { Announce, Update } from './form-contract.ts';

interface Props {
  authMode: AuthMode;
  update: Update;
  announce: Announce;
}

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'done'; view: WebhookCheckView };

const UNEXPECTED: WebhookCheckView = { ok: false, message: { key: 'errorUnexpected' }, code: 'UNEXPECTED' };

function isCheckView(value: unknown): value is WebhookCheckView {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function AuthFieldset({ authMode, update, announce }: Props) {
  // The radio may say "webhook" before one is saved; the stored mode changes once it is.
  const [mode, setMode] = useState<AuthMode>(authMode);
  const [saved, setSaved] = useState<WebhookSummary | null>(null);
  const [url, setUrl] = useState('');
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  // Bumped on every edit, so a reply for an older URL is dropped.
  const edits = useRef(0);

  useEffect(() => setMode(authMode), [authMode]);
  useEffect(() => {
    void loadWebhookSummary().then(setSaved);
  }, []);

  function chooseMode(next: AuthMode): void {
    setMode(next);
    if (next === 'session' || saved) void update({ authMode: next });
  }

  function editUrl(value: string): void {
    edits.current += 1;
    setUrl(value);
    setCheck({ state: 'idle' });
  }

  async function runCheck(): Promise<void> {
    // Malformed input is answered here; only a well-formed URL goes to the worker.
    const parsed = parseWebhookUrl(url);
    if (!parsed.ok) {
      setCheck({ state: 'done', view: webhookProblemView(parsed.problem) });
      return;
    }
    const edit = edits.current;
    setCheck({ state: 'checking' });
    let view: WebhookCheckView;
    try {
      const reply: unknown = await sendToWorker('options/check-webhook', { url });
      view = isCheckView(reply) ? reply : UNEXPECTED;
    } catch {
      view = UNEXPECTED;
    }
    if (edit === edits.current) setCheck({ state: 'done', view });
  }

  async function save(): Promise<void> {
    setBusy(true);
    try {
      setSaved(await saveWebhook(url));
      edits.current += 1;
      setUrl('');
      setCheck({ state: 'idle' });
      await update({ authMode: 'webhook' }, t('optionsWebhookStored'));
    } catch (error) {
      const key = error instanceof InvalidWebhookError ? webhookProblemView(error.problem).message.key : 'optionsSaveFailed';
      announce({ ok: false, text: t(key) });
    } finally {
      setBusy(false);
    }
  }

  async function remove(): Promise<void> {
    setBusy(true);
    try {
      await clearWebhook();
      setSaved(null);
      await update({ authMode: 'session' }, t('optionsWebhookRemoved'));
    } catch {
      announce({ ok: false, text: t('optionsSaveFailed') });
    } finally {
      setBusy(false);
    }
  }

  const checked = check.state === 'done' ? check.view : null;
  const wellFormed = parseWebhookUrl(url).ok;
  const canSave = !busy && checked?.ok === true;
  const offerSaveAnyway = !busy && checked !== null && !checked.ok && wellFormed;

  return (
    <fieldset>
      <legend>{t('optionsAuthLegend')}</legend>
      <Radio id="auth-session" name="auth" label={t('optionsAuthSession')} hint={t('optionsAuthSessionHint')} checked={mode === 'session'} onSelect={() => chooseMode('session')} />
      <Radio id="auth-webhook" name="auth" label={t('optionsAuthWebhook')} hint={t('optionsAuthWebhookHint')} checked={mode === 'webhook'} onSelect={() => chooseMode('webhook')} />

      {(mode === 'webhook' || saved) && (
        <div class="indent" data-testid="webhook-section">
          <p class="muted">{t('optionsWebhookSecretNote')}</p>
          <p data-testid="webhook-saved">
            {saved ? (
              <>
                {t('optionsWebhookSavedLabel')} <output data-testid="webhook-masked">{saved.masked}</output>{' '}
                <button type="button" class="secondary" data-testid="webhook-remove" disabled={busy} onClick={() => void remove()}>
                  {t('optionsWebhookRemove')}
                </button>
              </>
            ) : (
              <>
                {t('optionsWebhookNone')} <span class="muted">{t('optionsAuthWebhookPending')}</span>
              </>
            )}
          </p>
          {mode === 'webhook' && (
            <>
              <div class="field">
                <label for="webhook-url">{saved ? t('optionsWebhookReplaceUrl') : t('optionsWebhookUrl')}</label>
                <input
                  id="webhook-url"
                  type="url"
                  autocomplete="off"
                  spellcheck={false}
                  inputMode="url"
                  placeholder={t('optionsWebhookPlaceholder')}
                  value={url}
                  aria-describedby="webhook-check-result"
                  aria-invalid={checked !== null && !checked.ok ? 'true' : undefined}
                  onInput={(event) => editUrl(event.currentTarget.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault();
                      void runCheck();
                    }
                  }}
                />
              </div>
              <div class="buttons">
                <button type="button" data-testid="webhook-check" disabled={check.state === 'checking' || busy} onClick={() => void runCheck()}>
                  {check.state === 'checking' ? t('optionsWebhookChecking') : t('optionsWebhookCheck')}
                </button>
                <button type="button" data-testid="webhook-save" disabled={!canSave} onClick={() => void save()}>
                  {t('optionsWebhookSave')}
                </button>
                {offerSaveAnyway && (
                  <button type="button" class="secondary" data-testid="webhook-save-anyway" aria-describedby="webhook-save-anyway-hint" onClick={() => void save()}>
                    {t('optionsWebhookSaveAnyway')}
                  </button>
                )}
              </div>
              <p id="webhook-check-result" data-testid="webhook-check-result" role="status" aria-live="polite" class={checked ? (checked.ok ? 'ok' : 'fail') : ''}>
                {checked && describeCheck(checked)}
              </p>
              {offerSaveAnyway && (
                <p id="webhook-save-anyway-hint" class="muted">
                  {t('optionsWebhookSaveAnywayHint')}
                </p>
              )}
            </>
          )}
        </div>
      )}
    </fieldset>
  );
}

function describeCheck(view: WebhookCheckView): string {
  if (!view.ok) return t(view.message.key, view.message.substitutions);
  const base = [view.origin, String(view.userId)];
  return view.totalUnread === null ? t('webhookCheckOkNoTotal', base) : t('webhookCheckOk', [...base, String(view.totalUnread)]);
}
