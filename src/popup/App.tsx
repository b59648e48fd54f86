import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { sendToWorker } from '../shared/messages.ts';
import { t, tm } from '../shared/i18n.ts';
import type { ActionResult, PopupState } from '../shared/messages.ts';
import { BulkPanel } from './BulkPanel.tsx';
import { EnableSite } from './EnableSite.tsx';
import { GrantAccess } from './GrantAccess.tsx';
import { RulesRunNow } from './RulesRunNow.tsx';
import { MenuHelp } from './MenuHelp.tsx';
import { KindIcon, kindOfDialogId } from '../shared/chat-kinds.tsx';

/** The tab the popup acts on: the active tab, or `?tabId=` when the popup is opened as a page. */
async function targetTabId(): Promise<number | null> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
  if (Number.isSafeInteger(fromQuery) && fromQuery > 0) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** After access is granted the worker starts the content scripts: ask until the tab is seen (a few seconds at most). */
async function lookAgainAfterGrant(tabId: number | null): Promise<PopupState> {
  let state = await sendToWorker('popup/state', { tabId });
  for (let attempt = 0; attempt < 10 && (state.kind === 'needs-access' || state.kind === 'needs-reload'); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    state = await sendToWorker('popup/state', { tabId });
  }
  return state;
}

export function App() {
  const [tabId, setTabId] = useState<number | null>(null);
  const [state, setState] = useState<PopupState | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);

  useEffect(() => {
    void (async () => {
      const id = await targetTabId();
      setTabId(id);
      setState(await sendToWorker('popup/state', { tabId: id }));
    })();
  }, []);

  async function markRead(): Promise<void> {
    if (tabId === null) return;
    setBusy(true);
    setResult(null);
    const outcome = await sendToWorker('chat/mark-read', { tabId });
    setResult(outcome);
    setBusy(false);
    if (outcome.ok && state?.kind === 'ready' && state.chat) {
      setState({ ...state, chat: { ...state.chat, counter: outcome.counter }, totalUnread: outcome.totalUnread ?? state.totalUnread });
    }
  }

  if (!state) return <p class="muted" data-state="detecting">{t('popupDetecting')}</p>;

  switch (state.kind) {
    case 'not-portal':
      return (
        <section data-state="not-portal">
          <h1 class="brand">{t('extName')}</h1>
          <p>{t('popupNotPortal')}</p>
          <BulkPanel tabId={null} jobOnly />
        </section>
      );
    case 'can-enable':
      return <EnableSite tabId={tabId} origin={state.origin} onEnabled={() => void sendToWorker('popup/state', { tabId }).then(setState)} />;
    case 'needs-access':
      return <GrantAccess origin={state.origin} pattern={state.pattern} onGranted={() => void lookAgainAfterGrant(tabId).then(setState)} />;
    case 'needs-reload':
      return (
        <section data-state="needs-reload">
          <h1 class="brand">{t('extName')}</h1>
          <p>{t('errorNeedsReload')}</p>
        </section>
      );
    case 'logged-out':
      return (
        <section data-state="logged-out">
          <h1 class="brand">{t('extName')}</h1>
          <p>{t('errorLoggedOut')}</p>
          <BulkPanel tabId={null} jobOnly />
        </section>
      );
    case 'error':
      return (
        <section data-state="error" role="alert">
          <p>{tm(state.message)}</p>
          <p class="muted">{state.code}</p>
          <button type="button" class="secondary" data-testid="retry" onClick={() => location.reload()}>
            {t('popupRetry')}
          </button>
        </section>
      );
    case 'ready':
      return (
        <section data-state="ready">
          <p class="total">
            <span class="brand">{t('extShortName')}</span>
            <span>
              {t('popupTotalUnread')} <output data-testid="total-unread">{state.totalUnread ?? '—'}</output>
            </span>
          </p>
          {state.chat ? (
            <div class="chat" data-dialog-id={state.chat.dialogId}>
              <KindIcon kind={(state.chat as { kind?: string }).kind ?? kindOfDialogId(state.chat.dialogId)} big />
              <h1 data-testid="chat-title">{state.chat.title}</h1>
              <p>
                {t('popupChatUnread')}{' '}
                <output data-testid="chat-counter" data-zero={state.chat.counter === 0 ? '' : undefined}>
                  {state.chat.counter}
                </output>
              </p>
              {state.chat.messageId === null && <p class="muted">{t('popupNoMessageId')}</p>}
              <button type="button" data-testid="mark-chat-read" disabled={busy} onClick={() => void markRead()}>
                {busy ? t('popupWorking') : t('popupMarkChatRead')}
              </button>
            </div>
          ) : (
            <p class="notice">{t('errorNoOpenChat')}</p>
          )}
          {result && (
            <p data-testid="result" class={result.ok ? 'ok' : 'fail'} role={result.ok ? 'status' : 'alert'}>
              {result.ok ? t('popupMarkedRead', [String(result.counter)]) : tm(result.message)}
            </p>
          )}
          {result?.ok && result.readEverything && (
            <p data-testid="read-everything" class="muted">
              {t('popupReadEverything')}
            </p>
          )}
          <BulkPanel tabId={tabId} folder={state.folder ?? null} onSettled={() => void sendToWorker('popup/state', { tabId }).then(setState)} />
          <RulesRunNow origin={state.origin} />
          <MenuHelp />
        </section>
      );
  }
}
