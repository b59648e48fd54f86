import { render } from 'preact';
import { Options } from './Options.tsx';
import { t } from '../shared/i18n.ts';
import { followThemeSetting } from '../shared/theme.ts';

// The language of the texts Chrome picked from _locales (not navigator.language, which may differ).
document.documentElement.lang = t('htmlLang');
document.title = t('optionsTitle');
followThemeSetting();
render(<Options />, document.getElementById('app')!);
