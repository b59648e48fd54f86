import { render } from 'preact';
import { Options } from './Options.tsx';
import { t } from '../shared/i18n.ts';
import { followThemeSetting } from '../shared/theme.ts';

document.documentElement.lang = navigator.language.startsWith('ru') ? 'ru' : 'en';
document.title = t('optionsTitle');
followThemeSetting();
render(<Options />, document.getElementById('app')!);
