// "Skip mentioned": which unread chats have a mention or reaction for me, as the portal page's
// store knows (im 26.x `messages/anchors/*`, through the content script and the page bridge).
// null when no page can tell (webhook mode without a tab, an older build): the filter stays off.
import type { UnreadChat } from '../../core/bulk/index.ts';
import { sendToTab } from '../../shared/messages.ts';

export async function pageAnchors(tabId: number | null, chats: readonly UnreadChat[]): Promise<Set<string> | null> {
  if (tabId === null) return null;
  const byChatId = new Map(chats.filter((c) => c.chatId > 0).map((c) => [c.chatId, c.dialogId]));
  try {
    const ids = await sendToTab(tabId, 'cs/anchors', { chatIds: [...byChatId.keys()] });
    if (!Array.isArray(ids)) return null;
    return new Set(ids.map((id) => byChatId.get(id)).filter((d): d is string => d !== undefined));
  } catch {
    return null;
  }
}
