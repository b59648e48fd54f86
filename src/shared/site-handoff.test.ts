import { describe, expect, it } from 'vitest';
import { asPendingSite, PENDING_SITE_TTL_MS } from './site-handoff.ts';

describe('the popup’s enable-site hand-off', () => {
  const now = 1_700_000_000_000;
  it('is taken only while fresh and well-formed', () => {
    expect(asPendingSite({ tabId: 5, origin: 'https://portal.example', at: now - 1000 }, now)).toEqual({ tabId: 5, origin: 'https://portal.example', at: now - 1000 });
    expect(asPendingSite({ tabId: 5, origin: 'https://portal.example', at: now - PENDING_SITE_TTL_MS - 1 }, now)).toBeNull();
    expect(asPendingSite({ tabId: 5, origin: 'https://portal.example', at: now + 1000 }, now)).toBeNull();
    expect(asPendingSite({ tabId: -1, origin: 'https://portal.example', at: now }, now)).toBeNull();
    expect(asPendingSite({ tabId: 5, origin: 7, at: now }, now)).toBeNull();
    expect(asPendingSite(undefined, now)).toBeNull();
  });
});
