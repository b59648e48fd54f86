import { describe, expect, it } from 'vitest';
import { parseDialogId, parseMessageId } from './dialog-id.ts';

describe('dialog and message ids', () => {
  it('accepts the forms the server accepts, canonical lower-case', () => {
    expect(['547', 'chat12', 'CHAT12', 'sg3', 'crm77', 547].map(parseDialogId)).toEqual(['547', 'chat12', 'chat12', 'sg3', 'crm77', '547']);
  });
  it('refuses everything else', () => {
    for (const bad of ['', 'chat', 'chat0', '0', 'chat1;x', '../1', 'chat-1', '1'.repeat(40), '3f0e5a1c-1b2a-4c3d-9e8f-0a1b2c3d4e5f', 'notify', null, 1.5, -3]) {
      expect(parseDialogId(bad), String(bad)).toBeNull();
    }
  });
  it('message ids are positive safe integers, never UUIDs', () => {
    expect([12, '84875', ' 7 '].map(parseMessageId)).toEqual([12, 84875, 7]);
    for (const bad of [0, -1, '0', '1e3', '3f0e5a1c-1b2a', '9'.repeat(20), 2 ** 60, null]) expect(parseMessageId(bad), String(bad)).toBeNull();
  });
});
