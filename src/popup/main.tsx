import { render } from 'preact';
import { App } from './App.tsx';

document.documentElement.lang = navigator.language.startsWith('ru') ? 'ru' : 'en';
render(<App />, document.getElementById('app')!);
