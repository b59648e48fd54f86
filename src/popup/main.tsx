import { render } from 'preact';
import { App } from './App.tsx';
import { followThemeSetting } from '../shared/theme.ts';

document.documentElement.lang = navigator.language.startsWith('ru') ? 'ru' : 'en';
followThemeSetting();
render(<App />, document.getElementById('app')!);
// Read by the popup benchmark (e2e/bench/popup-paint.ts): the first view is in the DOM.
performance.mark('popup-state');
