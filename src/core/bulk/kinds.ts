// Chat kinds as Bitrix24 (im 26.x) names them, and how any chat description becomes one.
// Source: ../shared/docs/bitrix24-im-26.md §1 (TypeRegistry, ExtendedType). Branch on `type`;
// unknown type strings fall back on `message_type` + `entity_type`, then on "other": never dropped.

export const CHAT_KINDS = ['dialog', 'chat', 'channel', 'collab', 'workgroup', 'crm', 'tasks', 'copilot', 'general', 'lines', 'other'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

/**
 * Extended `type` → kind. Group chats hold the plain, open, videoconference, calendar, mail, call,
 * support and network chats. The general chat, the general channel and announcements form one
 * kind ("general chat and announcements"): company-wide chats every employee is in. Channels include
 * open channels and their comment threads (`comment`, read with the channel).
 */
const TYPE_KIND: Readonly<Record<string, ChatKind>> = {
  user: 'dialog',
  private: 'dialog',
  chat: 'chat',
  open: 'chat',
  videoconf: 'chat',
  calendar: 'chat',
  mail: 'chat',
  call: 'chat',
  thread: 'chat',
  support24Notifier: 'chat',
  support24Question: 'chat',
  networkDialog: 'chat',
  general: 'general',
  generalChannel: 'general',
  announcement: 'general',
  channel: 'channel',
  openChannel: 'channel',
  comment: 'channel',
  collab: 'collab',
  sonetGroup: 'workgroup',
  crm: 'crm',
  tasks: 'tasks',
  tasksTask: 'tasks',
  copilot: 'copilot',
  lines: 'lines',
  livechat: 'lines',
};

/** `entity_type` → kind, for type strings this build does not know. */
const ENTITY_KIND: Readonly<Record<string, ChatKind>> = {
  LINES: 'lines',
  LIVECHAT: 'lines',
  GENERAL: 'general',
  GENERAL_CHANNEL: 'general',
  ANNOUNCEMENT: 'general',
  CRM: 'crm',
  TASKS: 'tasks',
  TASKS_TASK: 'tasks',
  SONET_GROUP: 'workgroup',
};

/** Letter `message_type` (DB `TYPE`) → kind, for type strings this build does not know. */
const MESSAGE_TYPE_KIND: Readonly<Record<string, ChatKind>> = {
  P: 'dialog',
  L: 'lines',
  N: 'channel',
  J: 'channel',
  T: 'channel',
  A: 'copilot',
  B: 'collab',
};

export interface ChatTypeInfo {
  /** Extended type (`chat.type` of a recent item, `type` of im.dialog.get, v2 `chat.type`). */
  type?: unknown;
  messageType?: unknown;
  entityType?: unknown;
  /** The recent item's own `type` (`user` for 1:1). */
  itemType?: unknown;
  dialogId?: string;
  /** The item carries an open-line session (`lines`). */
  hasLines?: boolean;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function kindOf(info: ChatTypeInfo): ChatKind {
  const type = str(info.type);
  const entity = str(info.entityType).toUpperCase();
  const letter = str(info.messageType).toUpperCase();
  const dialogId = info.dialogId ?? '';
  // Open lines win over everything: reading them sends read receipts to customers.
  if (type === 'lines' || type === 'livechat' || entity === 'LINES' || entity === 'LIVECHAT' || letter === 'L' || info.hasLines === true) return 'lines';
  if (info.itemType === 'user' || /^[0-9]+$/.test(dialogId) || letter === 'P') return 'dialog';
  // `sgN` addresses a workgroup's chat.
  if (/^sg[0-9]+$/.test(dialogId)) return 'workgroup';
  // A plain `chat` type with a known entity: the entity is more precise.
  if (type === 'chat' && entity && Object.hasOwn(ENTITY_KIND, entity)) return ENTITY_KIND[entity]!;
  const known = Object.hasOwn(TYPE_KIND, type) ? TYPE_KIND[type] : undefined;
  if (known) return known;
  if (type === '') {
    // Older answers without an extended type: the entity says it, else a plain group chat.
    if (letter && Object.hasOwn(MESSAGE_TYPE_KIND, letter)) return MESSAGE_TYPE_KIND[letter]!;
    if (entity && Object.hasOwn(ENTITY_KIND, entity)) return ENTITY_KIND[entity]!;
    return 'chat';
  }
  // A type this build does not know: the letter first (a collab is B whatever its entity), then the entity.
  if (letter && Object.hasOwn(MESSAGE_TYPE_KIND, letter)) return MESSAGE_TYPE_KIND[letter]!;
  if (entity && Object.hasOwn(ENTITY_KIND, entity)) return ENTITY_KIND[entity]!;
  return 'other';
}

/** Kinds an older saved filter list meant: before im 26.x kinds, channels, copilot, general and unknown chats were "group chats", collabs were "workgroups". */
export function migrateKinds(old: readonly string[]): ChatKind[] {
  const set = new Set<string>(old);
  if (set.has('chat')) for (const kind of ['channel', 'copilot', 'general', 'other']) set.add(kind);
  if (set.has('workgroup')) set.add('collab');
  return CHAT_KINDS.filter((kind) => set.has(kind));
}
