// Current keyboard shortcuts; Chrome lets the user change them only on its own shortcuts page.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';

const SHORTCUTS_PAGE = 'chrome://extensions/shortcuts';

/** Descriptions Chrome may leave empty (the popup's command has none of its own). */
const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  _execute_action: 'commandOpenPopup',
  'mark-current-read': 'commandMarkCurrentRead',
  'mark-all-read': 'commandMarkAllRead',
};

interface Binding {
  name: string;
  description: string;
  shortcut: string;
}

export function ShortcutsSection() {
  const [bindings, setBindings] = useState<Binding[]>([]);

  useEffect(() => {
    void browser.commands
      .getAll()
      .then((commands) =>
        setBindings(
          commands.map((command) => {
            const name = command.name ?? '';
            const fallback = FALLBACK_DESCRIPTIONS[name];
            return { name, description: command.description || (fallback ? t(fallback) : name), shortcut: command.shortcut ?? '' };
          }),
        ),
      )
      .catch(() => setBindings([]));
  }, []);

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
      <button type="button" class="secondary" data-testid="shortcuts-change" onClick={() => void browser.tabs.create({ url: SHORTCUTS_PAGE })}>
        {t('optionsShortcutsChange')}
      </button>
    </section>
  );
}
