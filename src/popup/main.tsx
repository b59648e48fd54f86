import { render } from 'preact';
import { App } from './App.tsx';
import { t } from '../shared/i18n.ts';
import { followThemeSetting } from '../shared/theme.ts';

// The language of the texts Chrome picked from _locales (not navigator.language, which may differ).
document.documentElement.lang = t('htmlLang');
followThemeSetting();
render(<App />, document.getElementById('app')!);
// Read by the popup benchmark (e2e/bench/popup-paint.ts): the first view is in the DOM.
performance.mark('popup-state');
