// A cloud portal whose host access the user withheld or revoked (Firefox shows it as a switch):
// ask for that zone's access again (the click is the prompt's user gesture). The worker then starts
// the content scripts in the zone's open tabs (permissions.onAdded), so the popup only looks again.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';

interface Props {
  origin: string;
  /** The manifest's host pattern for the portal's zone, e.g. `https://*.bitrix24.ru/*`. */
  pattern: string;
  /** Called once access is granted: the popup asks for its state again. */
  onGranted: () => void;
}

export function GrantAccess({ origin, pattern, onGranted }: Props) {
  const [denied, setDenied] = useState(false);

  async function grant(): Promise<void> {
    setDenied(false);
    let granted = false;
    try {
      // First thing in the click's task: the browser counts the user gesture.
      granted = await browser.permissions.request({ origins: [pattern] });
    } catch {
      granted = false;
    }
    if (!granted) {
      setDenied(true);
      return;
    }
    onGranted();
  }

  return (
    <section data-state="needs-access">
      <h1>{t('extName')}</h1>
      <p>{t('popupNeedsAccess', [origin])}</p>
      <button type="button" data-testid="grant-access" autoFocus onClick={() => void grant()}>
        {t('popupGrantAccess')}
      </button>
      {denied && (
        <p data-testid="grant-result" class="fail" role="alert">
          {t('popupGrantDenied')}
        </p>
      )}
    </section>
  );
}
