// Help in the popup: the keyboard shortcuts as bound, and how to reach the extension's items in the
// right-click menu (Bitrix24's chat list replaces it).
import { t } from '../shared/i18n.ts';
import { openShortcutsPage, useShortcuts } from '../shared/shortcuts.ts';

export function MenuHelp() {
  const bindings = useShortcuts();
  return (
    <details class="help" data-testid="menu-help">
      <summary>{t('popupHelpSummary')}</summary>
      <ul class="shortcuts" data-testid="popup-shortcuts">
        {bindings.map((binding) => (
          <li key={binding.name}>
            {binding.shortcut ? <kbd>{binding.shortcut}</kbd> : <span class="muted">{t('optionsShortcutNotSet')}</span>} {binding.description}
          </li>
        ))}
      </ul>
      <button type="button" class="secondary" data-testid="popup-shortcuts-change" onClick={openShortcutsPage}>
        {t('optionsShortcutsChange')}
      </button>
      <p>{t('popupHelpRows')}</p>
      <p data-testid="menu-help-modifier">{t('popupHelpAltShift')}</p>
      <p>{t('popupHelpFolder')}</p>
    </details>
  );
}
