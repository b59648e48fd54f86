// The extension's own content scripts, run in a tab on demand: after a self-hosted portal is
// enabled, when cloud-zone access is given back, or on the tab the user just acted on (activeTab).
import browser from 'webextension-polyfill';

/** The built content scripts, as the manifest names them (`src/content/*.iife.js` in dist/). */
export function builtContentScripts(): { bridge: string[]; content: string[] } {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const main = scripts.find((s) => (s as { world?: string }).world === 'MAIN');
  const isolated = scripts.find((s) => (s as { world?: string }).world !== 'MAIN');
  return { bridge: main?.js ?? [], content: isolated?.js ?? [] };
}

/** Runs the content scripts in a tab now (host access or the user's activeTab grant needed); false when the tab cannot be scripted. */
export async function injectContentScripts(tabId: number): Promise<boolean> {
  const files = builtContentScripts();
  try {
    await browser.scripting.executeScript({ target: { tabId, allFrames: true }, world: 'MAIN', files: files.bridge });
    await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: files.content });
    return true;
  } catch {
    return false;
  }
}
