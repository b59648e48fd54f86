// The one manifest source becomes the Chrome manifest unchanged (plus the zone list) and a
// Firefox manifest with Firefox's keys.
import { describe, expect, it } from 'vitest';
import base from '../manifest.json' with { type: 'json' };
import { GECKO_ID, GECKO_MIN_VERSION, manifestFor, targetFromMode } from './browser-targets.ts';
import { PORTAL_MATCHES } from '../src/core/portal-zones.ts';

describe('manifestFor', () => {
  it('Chrome: manifest.json as it is, host access and content-script matches from the zone list', () => {
    const chrome = manifestFor('chrome', base) as Record<string, unknown>;
    expect(chrome).toEqual({ ...base, host_permissions: PORTAL_MATCHES, content_scripts: base.content_scripts.map((s) => ({ ...s, matches: PORTAL_MATCHES })) });
  });

  it('Firefox: an event page instead of a service worker, gecko settings, menus, options_ui, the button on the toolbar; nothing else changes', () => {
    const firefox = manifestFor('firefox', base) as Record<string, any>;
    expect(firefox.background).toEqual({ scripts: [base.background.service_worker], type: 'module' });
    expect(firefox.browser_specific_settings.gecko).toEqual({ id: GECKO_ID, strict_min_version: GECKO_MIN_VERSION, data_collection_permissions: { required: ['none'] } });
    expect(firefox.permissions).toEqual(base.permissions.map((p) => (p === 'contextMenus' ? 'menus' : p)));
    expect(firefox.options_ui).toEqual({ page: base.options_page, open_in_tab: true });
    expect(firefox.action).toEqual({ ...base.action, default_area: 'navbar' });
    expect(firefox).not.toHaveProperty('options_page');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    for (const key of ['commands', 'optional_host_permissions', 'content_security_policy', 'version', 'default_locale', 'icons']) {
      expect(firefox[key], key).toEqual((base as Record<string, unknown>)[key]);
    }
    expect(firefox.host_permissions).toEqual(PORTAL_MATCHES);
    expect(firefox.content_scripts.map((s: { world?: string }) => s.world)).toEqual(base.content_scripts.map((s) => (s as { world?: string }).world));
  });

  it('the build mode picks the target', () => {
    expect(targetFromMode('firefox')).toBe('firefox');
    expect(targetFromMode('production')).toBe('chrome');
    expect(targetFromMode(undefined)).toBe('chrome');
  });
});
