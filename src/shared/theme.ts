// The colour theme of the popup and options page. 'system' follows prefers-color-scheme (pure CSS);
// 'light' / 'dark' set `data-theme` on <html>. The choice is a setting (settings.ts); a copy in the
// extension origin's localStorage lets a page apply it synchronously, before its first paint.
import browser from 'webextension-polyfill';

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

const CACHE_KEY = 'theme';

function asTheme(value: unknown): Theme {
  return THEMES.includes(value as Theme) ? (value as Theme) : 'system';
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = theme;
  try {
    localStorage.setItem(CACHE_KEY, theme);
  } catch {
    // Storage disabled: the setting still applies once read from storage.local.
  }
}

/** Applies the cached theme now, then the stored setting, and follows later changes. */
export function followThemeSetting(): void {
  let cached: unknown = null;
  try {
    cached = localStorage.getItem(CACHE_KEY);
  } catch {
    cached = null;
  }
  applyTheme(asTheme(cached));
  const read = (settings: unknown): Theme => asTheme((settings as { theme?: unknown } | undefined)?.theme);
  void browser.storage.local
    .get('settings')
    .then((stored) => applyTheme(read(stored['settings'])))
    .catch(() => undefined);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'settings' in changes) applyTheme(read(changes['settings']!.newValue));
  });
}
