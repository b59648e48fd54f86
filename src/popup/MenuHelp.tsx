// How to reach the extension's items in the right-click menu (Bitrix24's chat list replaces it).
import { t } from '../shared/i18n.ts';

export function MenuHelp() {
  return (
    <details class="help" data-testid="menu-help">
      <summary>{t('popupHelpSummary')}</summary>
      <p>{t('popupHelpRows')}</p>
      <p>{t('popupHelpAltShift')}</p>
    </details>
  );
}
