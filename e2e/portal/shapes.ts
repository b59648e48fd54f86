// Wire objects of the im.* methods, key for key as in the official response examples
// (shared/fixtures/bitrix24-docs). Maps PHP would emit as associative arrays are `Map`s.

import { KIND_INFO, type MessengerState, type PortalChat, type PortalMessage, type PortalUser } from './model.ts';

/** The portal's clock is Moscow time (+03:00), as a bitrix24.ru portal prints it. */
export function isoDate(ms: number): string {
  const d = new Date(ms + 3 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+03:00`;
}

export function userObject(u: PortalUser): Record<string, unknown> {
  return {
    id: u.id,
    active: true,
    name: `${u.firstName} ${u.lastName}`,
    first_name: u.firstName,
    last_name: u.lastName,
    work_position: u.workPosition,
    color: u.color,
    avatar: '',
    avatar_hr: '/bitrix/js/im/images/blank.gif',
    gender: u.gender,
    birthday: '',
    extranet: u.connector || (u.collaber ?? false),
    network: false,
    bot: false,
    connector: u.connector,
    external_auth_id: u.connector ? 'imconnector' : 'default',
    status: 'online',
    idle: false,
    last_activity_date: isoDate(u.lastActivity),
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: u.departments,
    phones: false,
    bot_data: null,
    type: u.collaber ? 'collaber' : u.connector ? 'extranet' : 'user',
    website: '',
    email: u.email,
  };
}

function muteList(state: MessengerState, chat: PortalChat): Map<string, boolean> {
  return chat.muted ? new Map([[String(state.userId), true]]) : new Map();
}

function entityLink(chat: PortalChat): { type: string; url: string; id: string } {
  switch (chat.kind) {
    case 'crm': {
      const n = chat.entityId.split('|')[1] ?? '';
      return { type: 'DEAL', url: `/crm/deal/details/${n}/`, id: chat.entityId };
    }
    case 'tasks':
    case 'tasksTask':
      return { type: 'TASKS', url: `/company/personal/user/${chat.ownerId}/tasks/task/view/${chat.entityId}/?ta_sec=chat_tasks&ta_el=view_button`, id: chat.entityId };
    case 'collab':
      return { type: 'SONET_GROUP', url: `/workgroups/group/${chat.entityId}/`, id: chat.entityId };
    case 'calendar':
      return { type: 'CALENDAR', url: `/calendar/?EVENT_ID=${chat.entityId}`, id: chat.entityId };
    case 'mail':
      return { type: 'MAIL', url: '', id: chat.entityId };
    case 'call':
      return { type: 'CALL', url: '', id: chat.entityId };
    case 'workgroup':
      return { type: 'SONET_GROUP', url: `/workgroups/group/${chat.workgroupId}/`, id: String(chat.workgroupId) };
    case 'lines':
      return { type: 'LINES', url: '', id: chat.entityId };
    default:
      return { type: '', url: '', id: '' };
  }
}

const PERMISSIONS = {
  manage_users_add: 'member',
  manage_users_delete: 'manager',
  manage_ui: 'member',
  manage_settings: 'owner',
  manage_messages: 'member',
  can_post: 'member',
};

/** Channels: only managers post; comment threads: everyone. */
function permissionsOf(chat: PortalChat): typeof PERMISSIONS {
  if (chat.kind === 'channel' || chat.kind === 'openChannel' || chat.kind === 'generalChannel' || chat.kind === 'announcement') {
    return { ...PERMISSIONS, can_post: 'manager' };
  }
  return PERMISSIONS;
}

/** Videoconferences carry a public link; everything else `''`. */
function publicOf(chat: PortalChat): '' | { code: string; link: string } {
  if (chat.kind !== 'videoconf' || !chat.publicCode) return '';
  return { code: chat.publicCode, link: `/video/${chat.publicCode}` };
}

function restrictions(): Record<string, boolean> {
  return { avatar: true, rename: true, extend: true, call: true, mute: true, leave: true, leave_owner: true, send: true, user_list: true };
}

/** `chat` of a recent item for a group-like chat. */
function recentChatObject(state: MessengerState, chat: PortalChat): Record<string, unknown> {
  const t = KIND_INFO[chat.kind];
  return {
    id: chat.id,
    parent_chat_id: chat.parentChatId ?? 0,
    parent_message_id: chat.parentMessageId ?? 0,
    name: chat.title,
    owner: chat.ownerId,
    extranet: chat.containsCollaber ?? false,
    contains_collaber: chat.containsCollaber ?? false,
    avatar: '',
    color: chat.color,
    type: t.type,
    entity_type: t.entityType,
    entity_id: chat.entityId,
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    mute_list: muteList(state, chat),
    manager_list: chat.ownerId ? [chat.ownerId] : [],
    date_create: isoDate(chat.dateCreate),
    message_type: t.messageType,
    user_counter: chat.members.size,
    restrictions: restrictions(),
    role: chat.ownerId === state.userId ? 'OWNER' : 'MEMBER',
    text_field_enabled: true,
    background_id: null,
    entity_link: entityLink(chat),
    permissions: { ...permissionsOf(chat) },
    public: publicOf(chat),
  };
}

function recentMessage(state: MessengerState, m: PortalMessage | undefined): Record<string, unknown> {
  return {
    id: m?.id ?? 0,
    text: m?.text ?? '',
    file: false,
    author_id: m?.authorId ?? 0,
    attach: false,
    sticker: null,
    date: m ? isoDate(m.date) : '',
    status: m && m.authorId === state.userId ? 'delivered' : 'received',
    uuid: m?.uuid ?? null,
  };
}

/** One `im.recent.list` / `im.recent.get` item. */
export function recentItem(state: MessengerState, chat: PortalChat): Record<string, unknown> {
  const last = state.lastMessage(chat);
  const date = isoDate(last?.date ?? chat.dateCreate);
  const head = {
    id: chat.kind === 'dialog' ? chat.peerId : `chat${chat.id}`,
    chat_id: chat.id,
    type: chat.kind === 'dialog' ? 'user' : 'chat',
    avatar: { url: '', color: chat.color },
    title: chat.title,
    message: recentMessage(state, last),
    counter: state.counter(chat),
    last_id: chat.lastReadId,
    pinned: chat.pinned,
    unread: chat.manualUnread,
    has_reminder: false,
    date_update: date,
    date_last_activity: date,
  };
  if (chat.kind === 'dialog') {
    const peer = state.users.get(chat.peerId);
    return {
      ...head,
      user: peer ? userObject(peer) : { id: chat.peerId },
      chat: { text_field_enabled: true, background_id: null, mute_list: muteList(state, chat) },
      options: [],
    };
  }
  const author = last && last.authorId ? state.users.get(last.authorId) : undefined;
  const item: Record<string, unknown> = {
    ...head,
    chat: recentChatObject(state, chat),
    user: author ? userObject(author) : { id: 0 },
  };
  if (chat.lines) {
    item.lines = { id: chat.lines.id, status: chat.lines.status, date_create: isoDate(chat.lines.dateCreate) };
  }
  item.options = [];
  return item;
}

/** `im.dialog.get` result. */
export function dialogObject(state: MessengerState, chat: PortalChat, dialogId: string): Record<string, unknown> {
  const t = KIND_INFO[chat.kind];
  const lastId = state.lastMessageIdOf(chat);
  const others = [...chat.members].filter((id) => id !== state.userId);
  return {
    id: chat.id,
    parent_chat_id: chat.parentChatId ?? 0,
    parent_message_id: chat.parentMessageId ?? 0,
    name: chat.title,
    description: chat.description,
    owner: chat.ownerId,
    extranet: chat.containsCollaber ?? false,
    avatar: '',
    color: chat.color,
    type: t.type,
    counter: state.counter(chat),
    user_counter: chat.members.size,
    message_count: chat.messageIds.length,
    unread_id: state.firstUnreadId(chat),
    restrictions: { ...restrictions(), path: '', path_title: '' },
    last_message_id: lastId,
    last_id: chat.lastReadId,
    marked_id: chat.manualUnread ? chat.markedId || lastId : 0,
    disk_folder_id: 0,
    entity_type: t.entityType,
    entity_id: chat.entityId,
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    mute_list: muteList(state, chat),
    date_create: isoDate(chat.dateCreate),
    message_type: t.messageType,
    public: publicOf(chat),
    role: chat.ownerId === state.userId ? 'owner' : 'member',
    entity_link: entityLink(chat),
    text_field_enabled: true,
    background_id: null,
    permissions: { ...permissionsOf(chat) },
    is_new: false,
    readed_list: others.map((id) => {
      const u = state.users.get(id);
      return { user_id: id, user_name: u ? `${u.firstName} ${u.lastName}` : '', message_id: 0, date: null };
    }),
    manager_list: chat.ownerId ? [chat.ownerId] : [],
    last_message_views: { message_id: lastId, first_viewers: [], count_of_viewers: 0 },
    dialog_id: dialogId,
  };
}

/** One message of `im.dialog.messages.get`. */
export function messageObject(state: MessengerState, chat: PortalChat, m: PortalMessage): Record<string, unknown> {
  return {
    id: m.id,
    chat_id: m.chatId,
    author_id: m.authorId,
    date: isoDate(m.date),
    text: m.text,
    unread: state.isUnread(chat, m),
    uuid: m.uuid,
    replaces: [],
    params: m.params,
    disappearing_date: null,
  };
}

/** `copilot` block of im.recent.list (static on this portal). */
export const RECENT_COPILOT = {
  chats: null,
  messages: null,
  roles: {
    copilot_assistant: {
      code: 'copilot_assistant',
      name: 'BitrixGPT',
      desc: 'Ready to answer all questions in a general format',
      avatar: { small: '', medium: '', large: '' },
      default: true,
      prompts: [
        {
          code: 'universal_how_to_properly_write_a_business_letter',
          promptType: 'default',
          title: 'How to properly write a business letter?',
          text: 'How to properly write a business letter?',
          isNew: false,
        },
      ],
    },
  },
  recommendedRoles: ['copilot_assistant'],
};
