// Colours of the popup and this page: follow the system, or force light or dark.
import { t } from '../shared/i18n.ts';
import { THEMES, type Theme } from '../shared/theme.ts';
import { Radio } from './controls.tsx';
import type { Update } from './form-contract.ts';

const LABELS: Record<Theme, string> = { system: 'optionsThemeSystem', light: 'optionsThemeLight', dark: 'optionsThemeDark' };

export function AppearanceFieldset({ theme, update }: { theme: Theme; update: Update }) {
  return (
    <fieldset class="segmented-field">
      <legend>{t('optionsThemeLegend')}</legend>
      <div class="segmented" data-testid="theme">
        {THEMES.map((value) => (
          <Radio key={value} id={`theme-${value}`} name="theme" label={t(LABELS[value])} checked={theme === value} onSelect={() => void update({ theme: value })} />
        ))}
      </div>
    </fieldset>
  );
}
