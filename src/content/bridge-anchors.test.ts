import { describe, expect, it } from 'vitest';
import { validateSnapshot } from './bridge-protocol.ts';
import { readPageGlobals } from './site-adapter.ts';

const pageWith = (getters: Record<string, unknown>) => ({ BX: { Messenger: { v2: { Application: { Core: { getStore: () => ({ getters }) } } } } } });

describe('anchors across the page bridge', () => {
  it('the page side asks the store getter for each chat; a build without the anchors module tells nothing', () => {
    const has = (id: number) => id === 12 || id === 14;
    expect(readPageGlobals(pageWith({ 'messages/anchors/isChatHasAnchors': has }), undefined, [11, 12, 13, 14]).anchoredChatIds).toEqual([12, 14]);
    expect(readPageGlobals(pageWith({}), undefined, [11, 12]).anchoredChatIds).toBeUndefined();
    expect(readPageGlobals(pageWith({ 'messages/anchors/isChatHasAnchors': () => { throw new Error('x'); } }), undefined, [11]).anchoredChatIds).toEqual([]);
  });

  it('the isolated side keeps only valid ids that were asked about; anything else is "unknown"', () => {
    expect(validateSnapshot({ anchoredChatIds: [12, '14', 99, -1, 'x'] }, null, [12, 14])?.anchoredChatIds).toEqual([12, 14]);
    expect(validateSnapshot({ anchoredChatIds: 'all' }, null, [12])?.anchoredChatIds).toBeNull();
    expect(validateSnapshot({}, null, [12])?.anchoredChatIds).toBeNull();
    expect(validateSnapshot({ anchoredChatIds: [12] })?.anchoredChatIds).toBeUndefined();
  });
});
