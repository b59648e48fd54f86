// How each chat kind looks in the popup and options: an icon (24×24 path, drawn for this extension)
// and a hue for its round avatar (colours come from tokens.css, so both themes follow). A new kind is
// one entry here; a kind without one gets the generic chat bubble.
import type { ChatKind } from '../core/bulk/model.ts';

interface KindLook {
  /** SVG path data in a 24×24 box. */
  d: string;
  hue: number;
}

const BUBBLE: KindLook = { d: 'M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4v-4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z', hue: 210 };

export const KIND_LOOKS: Partial<Record<ChatKind | 'notifications', KindLook>> = {
  dialog: { d: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7.5 8.5c0-3.6 3.4-6.5 7.5-6.5s7.5 2.9 7.5 6.5z', hue: 212 },
  chat: { d: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm7.5 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 19.5c0-3.1 3.1-5.5 7-5.5s7 2.4 7 5.5zm15.5 0c0-2-.8-3.8-2.2-5 .4-.1.8-.1 1.2-.1 3 0 5.5 2.3 5.5 5.1z', hue: 190 },
  workgroup: { d: 'M4 4h7v7H4zm9 0h7v7h-7zM4 13h7v7H4zm9 0h7v7h-7z', hue: 262 },
  crm: { d: 'M3 4h18l-7 8.5V19l-4 2v-8.5z', hue: 150 },
  tasks: { d: 'M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm4.6 12.7 7.5-7.5-1.4-1.4-6.1 6.1-3-3-1.4 1.4z', hue: 32 },
  lines: { d: 'M12 3a8 8 0 0 0-8 8v5a2 2 0 0 0 2 2h2v-7H6a6 6 0 0 1 12 0h-2v7h2v1a1 1 0 0 1-1 1h-4v2h4a3 3 0 0 0 3-3v-8a8 8 0 0 0-8-8z', hue: 340 },
  notifications: { d: 'M12 22a2.5 2.5 0 0 0 2.4-2H9.6a2.5 2.5 0 0 0 2.4 2zm7-6v-5a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z', hue: 48 },
};

/** The kind of a dialog id as far as its form tells (1:1, group, workgroup, CRM); null when it does not. */
export function kindOfDialogId(dialogId: string): ChatKind | null {
  if (/^\d+$/.test(dialogId)) return 'dialog';
  if (dialogId.startsWith('sg')) return 'workgroup';
  if (dialogId.startsWith('crm')) return 'crm';
  if (dialogId.startsWith('chat')) return 'chat';
  return null;
}

/** The round kind avatar; decorative (the kind is named in text next to it). */
export function KindIcon({ kind, big = false }: { kind: string | null; big?: boolean }) {
  const look = (kind && KIND_LOOKS[kind as ChatKind]) || BUBBLE;
  return (
    <span class={big ? 'kind-icon big' : 'kind-icon'} style={{ '--hue': String(look.hue) }} data-kind={kind ?? 'other'} aria-hidden="true">
      <svg viewBox="0 0 24 24" focusable="false">
        <path d={look.d} fill-rule="evenodd" />
      </svg>
    </span>
  );
}
