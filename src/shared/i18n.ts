import browser from 'webextension-polyfill';
import type { UserMessage } from './messages.ts';

/** A `_locales` string; the key itself when it is missing (a test keeps every key in both locales). */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

export function tm(message: UserMessage): string {
  return t(message.key, message.substitutions);
}
