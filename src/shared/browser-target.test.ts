// The runtime differences module against a fake Chrome and a fake Firefox `browser` object.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake: Record<string, unknown> = {};
vi.mock('webextension-polyfill', () => ({ default: new Proxy({}, { get: (_t, key: string) => fake[key] }) }));

import { contextMenus, isFirefox, menuTargetElement, notificationButtonsSupported, onNotificationAction, openShortcutSettings, CHROME_SHORTCUTS_PAGE } from './browser-target.ts';

function listeners() {
  const added: Array<(id: string) => void> = [];
  return { added, addListener: (fn: (id: string) => void) => added.push(fn) };
}

function chrome() {
  for (const key of Object.keys(fake)) delete fake[key];
  const created: unknown[] = [];
  Object.assign(fake, {
    runtime: {},
    contextMenus: { id: 'contextMenus' },
    notifications: { onButtonClicked: listeners(), onClicked: listeners() },
    tabs: { create: async (props: unknown) => void created.push(props) },
    commands: {},
  });
  return { created };
}

function firefox(withShortcutSettings = true) {
  for (const key of Object.keys(fake)) delete fake[key];
  const opened: number[] = [];
  const element = { tagName: 'DIV' };
  Object.assign(fake, {
    runtime: { getBrowserInfo: async () => ({ name: 'Firefox', version: '153.0' }) },
    menus: { id: 'menus', getTargetElement: (id: number) => (id === 7 ? element : null) },
    notifications: { onButtonClicked: listeners(), onClicked: listeners() },
    tabs: { create: async () => undefined },
    commands: withShortcutSettings ? { openShortcutSettings: async () => void opened.push(1) } : {},
  });
  return { opened, element };
}

describe('browser-target', () => {
  beforeEach(() => chrome());

  it('Chrome: contextMenus, notification buttons, its shortcuts page, no menu target handle', async () => {
    const { created } = chrome();
    expect(isFirefox()).toBe(false);
    expect(contextMenus()).toEqual({ id: 'contextMenus' });
    expect(notificationButtonsSupported()).toBe(true);
    const seen: string[] = [];
    onNotificationAction((id) => seen.push(id));
    const notifications = fake.notifications as { onButtonClicked: ReturnType<typeof listeners>; onClicked: ReturnType<typeof listeners> };
    expect(notifications.onButtonClicked.added).toHaveLength(1);
    expect(notifications.onClicked.added).toHaveLength(0);
    notifications.onButtonClicked.added[0]!('bulk-undo');
    expect(seen).toEqual(['bulk-undo']);
    expect(await openShortcutSettings()).toBe(true);
    expect(created).toEqual([{ url: CHROME_SHORTCUTS_PAGE }]);
    expect(menuTargetElement(7)).toBeNull();
  });

  it('Firefox: menus, a click on the notification is the action, its own shortcuts dialog, the right-clicked element from the menu', async () => {
    const { opened, element } = firefox();
    expect(isFirefox()).toBe(true);
    expect(contextMenus()).toMatchObject({ id: 'menus' });
    expect(notificationButtonsSupported()).toBe(false);
    onNotificationAction(() => undefined);
    const notifications = fake.notifications as { onButtonClicked: ReturnType<typeof listeners>; onClicked: ReturnType<typeof listeners> };
    expect(notifications.onClicked.added).toHaveLength(1);
    expect(notifications.onButtonClicked.added).toHaveLength(0);
    expect(await openShortcutSettings()).toBe(true);
    expect(opened).toEqual([1]);
    expect(menuTargetElement(7)).toBe(element);
    expect(menuTargetElement(8)).toBeNull();
    expect(menuTargetElement('7')).toBeNull();
    expect(menuTargetElement(undefined)).toBeNull();
  });

  it('a Firefox without commands.openShortcutSettings says so instead of failing', async () => {
    firefox(false);
    expect(await openShortcutSettings()).toBe(false);
  });

  it('no context-menu API at all is a clear error', () => {
    for (const key of Object.keys(fake)) delete fake[key];
    expect(() => contextMenus()).toThrow(/no context-menu API/);
  });
});
