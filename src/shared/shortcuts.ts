// The extension's keyboard shortcuts as the browser has bound them (the user may have changed them),
// for the popup and the options page. Browsers let them be changed only on their own page.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from './i18n.ts';
import { openShortcutSettings } from './browser-target.ts';

/** Descriptions Chrome may leave empty (the popup's command has none of its own). */
const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  _execute_action: 'commandOpenPopup',
  'mark-current-read': 'commandMarkCurrentRead',
  'mark-all-read': 'commandMarkAllRead',
};

export interface Binding {
  name: string;
  description: string;
  shortcut: string;
}

export function useShortcuts(): Binding[] {
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
  return bindings;
}

export function openShortcutsPage(): void {
  void openShortcutSettings();
}
