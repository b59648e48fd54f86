// Builds fake portals with a realistic mix of unread chats for the bulk engine's tests.
import { FakePortal, type FakeChatInit } from './fake-portal.ts';

/** `n` unread chats: every 4th a 1:1 dialog, every 5th muted, every 7th pinned, a few of each other kind. */
export function portalWith(n: number, extra: FakeChatInit[] = []): FakePortal {
  const portal = new FakePortal();
  for (let i = 0; i < n; i += 1) {
    const kindIndex = i % 10;
    const init: FakeChatInit =
      i % 4 === 0
        ? { dialogId: String(1000 + i) }
        : kindIndex === 1
          ? { dialogId: `sg${i}`, chatType: 'sonetGroup' }
          : kindIndex === 3
            ? { dialogId: `chat${5000 + i}`, chatType: 'crm', entityType: 'CRM' }
            : kindIndex === 5
              ? { dialogId: `chat${5000 + i}`, chatType: 'tasks', entityType: 'TASKS' }
              : { dialogId: `chat${5000 + i}`, chatType: 'chat' };
    portal.add({ ...init, unread: 1 + (i % 3), muted: i % 5 === 0, pinned: i % 7 === 0 });
  }
  for (const init of extra) portal.add(init);
  return portal;
}
