// The one place where the Chrome and Firefox builds differ on the build side: the manifest each
// store gets and where it is written. manifest.json is the single source (Chrome's shape); the
// Firefox manifest is derived from it here, so a new permission or command is added once.
// Runtime differences live in src/shared/browser-target.ts.
import { PORTAL_MATCHES } from '../src/core/portal-zones.ts';

export type BrowserTarget = 'chrome' | 'firefox';

/** Add-on id on addons.mozilla.org: fixed forever once published (storage and grants follow it). */
export const GECKO_ID = 'bitrix24-mark-read@mark-read.extension';

/**
 * Firefox 140 is the oldest ESR still supported (140 and 153 are the ESRs), and the first release
 * with everything the extension relies on: `world: "MAIN"` content scripts (128), MV3
 * `optional_host_permissions` (128), `scripting.registerContentScripts` with `world` (128),
 * `storage.session` (115), `action.openPopup` from a command or menu click (127), and
 * `browser_specific_settings.gecko.data_collection_permissions` (140), which AMO now requires.
 */
export const GECKO_MIN_VERSION = '140.0';

export const OUT_DIRS: Record<BrowserTarget, string> = { chrome: 'dist', firefox: 'dist-firefox' };

/** The esbuild target of each build. */
export const JS_TARGETS: Record<BrowserTarget, string> = { chrome: 'chrome123', firefox: 'firefox140' };

type Manifest = Record<string, unknown> & {
  background: { service_worker: string; type?: string };
  content_scripts: Array<Record<string, unknown>>;
  permissions: string[];
  options_page?: string;
  action?: Record<string, unknown>;
  minimum_chrome_version?: string;
};

export function targetFromMode(mode: string | undefined): BrowserTarget {
  return mode === 'firefox' ? 'firefox' : 'chrome';
}

/** The manifest for one browser: the zone list added (it lives once in src/core/portal-zones.ts), then the browser's own keys. */
export function manifestFor(target: BrowserTarget, base: Manifest): Record<string, unknown> {
  const common = {
    ...base,
    host_permissions: PORTAL_MATCHES,
    content_scripts: base.content_scripts.map((script) => ({ ...script, matches: PORTAL_MATCHES })),
  };
  if (target === 'chrome') return common;
  const { minimum_chrome_version: _chromeOnly, options_page, background, action, ...rest } = common;
  return {
    ...rest,
    // Firefox puts a new add-on's button in the extensions panel, where its badge (the unread
    // total) is out of sight; the toolbar is where Chrome users see it too, once pinned.
    action: { ...(action as Record<string, unknown>), default_area: 'navbar' },
    // Firefox has no extension service workers: the same module runs as a non-persistent event page.
    background: { scripts: [background.service_worker], type: background.type ?? 'module' },
    // `options_ui` is Firefox's key; a tab, like Chrome's options_page, so the page has room.
    ...(options_page ? { options_ui: { page: options_page, open_in_tab: true } } : {}),
    // Firefox's name for the context-menu API (`contextMenus` is only an alias there).
    permissions: base.permissions.map((permission) => (permission === 'contextMenus' ? 'menus' : permission)),
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        // Chats and counters go only between the browser and the user's own portal: nothing is
        // collected by or sent to the extension's authors or anyone else.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
