// "Read this folder" (im 26.x): the folder open in the tab's messenger, as the page store names it,
// becomes the scope of an ordinary bulk plan (same confirmation, job and undo).
import type { FolderSummary } from '../../shared/messages.ts';
import { CHAT_KINDS, type ChatKind } from '../../core/bulk/kinds.ts';
import type { BulkFilters } from '../../core/bulk/filters.ts';
import { inspectTab } from '../portal-tab.ts';

export interface FolderScope {
  id: string;
  type: 'personal' | 'system';
  title: string | null;
  dialogIds: string[];
}

/** The folder open in the tab right now (asked again: the popup's copy may be stale), or null. */
export async function openFolder(tabId: number | null): Promise<FolderScope | null> {
  const tab = await inspectTab(tabId);
  const folder: FolderSummary | null | undefined = tab.kind === 'portal' ? tab.detection.folder : null;
  if (!folder || folder.dialogIds.length === 0) return null;
  return { id: folder.id, type: folder.type, title: folder.title, dialogIds: folder.dialogIds };
}

/** Inside a folder the user chose the chats: every kind counts, open lines only if chosen. */
export function folderFilters(filters: BulkFilters): BulkFilters {
  const kinds: ChatKind[] = CHAT_KINDS.filter((kind) => kind !== 'lines' || filters.kinds.includes('lines'));
  return { ...filters, kinds };
}
