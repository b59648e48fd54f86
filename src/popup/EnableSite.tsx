// A self-hosted portal the extension does not run on yet: ask for this one site's access (the
// browser's prompt needs the click as its user gesture), then let the worker start the scripts.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { sendToWorker, type EnableSiteView } from '../shared/messages.ts';
import { t, tm } from '../shared/i18n.ts';
import { PENDING_SITE_KEY, type PendingSite } from '../shared/site-handoff.ts';
import { originPattern } from '../shared/origins.ts';

interface Props {
  tabId: number | null;
  origin: string;
  /** Called once the site is enabled: the popup looks at the tab again. */
  onEnabled: () => void;
}

export function EnableSite({ tabId, origin, onEnabled }: Props) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<EnableSiteView | { ok: false; denied: true } | null>(null);

  async function enable(): Promise<void> {
    if (tabId === null) return;
    setBusy(true);
    setOutcome(null);
    // The browser's prompt may close the popup before the answer comes back: the worker then
    // finishes from `permissions.onAdded` with this hand-off. The request goes first, in the
    // click's own task (no await before it), so the user gesture counts.
    const pending: PendingSite = { tabId, origin, at: Date.now() };
    const handedOff = browser.storage.session.set({ [PENDING_SITE_KEY]: pending }).catch(() => undefined);
    let granted = false;
    try {
      granted = await browser.permissions.request({ origins: [originPattern(origin)] });
    } catch {
      granted = false;
    }
    await handedOff;
    if (!granted) {
      await browser.storage.session.remove(PENDING_SITE_KEY).catch(() => undefined);
      setOutcome({ ok: false, denied: true });
      setBusy(false);
      return;
    }
    const result = await sendToWorker('site/enable', { tabId, origin });
    setOutcome(result);
    setBusy(false);
    if (result.ok) onEnabled();
  }

  return (
    <section data-state="can-enable">
      <h1>{t('extName')}</h1>
      <p>{t('popupCanEnable', [origin])}</p>
      <button type="button" data-testid="enable-site" disabled={busy} onClick={() => void enable()}>
        {busy ? t('popupEnabling') : t('popupEnableSite')}
      </button>
      {outcome && !outcome.ok && (
        <p data-testid="enable-result" class="fail" role="alert">
          {'denied' in outcome ? t('popupEnableDenied') : tm(outcome.message)}
        </p>
      )}
    </section>
  );
}
