// Current keyboard shortcuts; Chrome lets the user change them only on its own shortcuts page.
import { Fragment } from 'preact';
import { t } from '../shared/i18n.ts';
import { openShortcutsPage, useShortcuts } from '../shared/shortcuts.ts';

export function ShortcutsSection() {
  const bindings = useShortcuts();

  return (
    <section aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">{t('optionsShortcutsHeading')}</h2>
      <dl class="shortcuts" data-testid="shortcuts">
        {bindings.map((binding) => (
          <Fragment key={binding.name}>
            <dt>{binding.description}</dt>
            <dd>{binding.shortcut ? <kbd>{binding.shortcut}</kbd> : <span class="muted">{t('optionsShortcutNotSet')}</span>}</dd>
          </Fragment>
        ))}
      </dl>
      <button type="button" class="secondary" data-testid="shortcuts-change" onClick={openShortcutsPage}>
        {t('optionsShortcutsChange')}
      </button>
    </section>
  );
}
