// Who may talk to the worker.
import browser from 'webextension-polyfill';

/** Only the extension's own pages (popup, options) talk to the worker; a content script's URL is its page's. */
export function fromOwnPage(sender: browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}
