// The REST-reachable im.v2.* controller actions (bitrix24-im-26.md §4.3, §2, §5): scope `im`,
// parameters are the PHP argument names as sent (case-sensitive), flags 'Y'/'N', errors carry the
// Reading error code with an empty description (Y im/lib/V2/Reading/ReadingError.php).

import { RestError, emptyCounters, inRecentTable, type CallContext, type MethodDef } from './im-methods.ts';
import { DIALOG_ID_FORMAT, KIND_INFO, isChannelKind, type ImBuild, type MessengerState, type PortalChat } from './model.ts';
import { phpInt, phpString, toPlain, type PhpArray, type PhpValue } from './php-params.ts';
import { isoDate } from './shapes.ts';

const err = (code: string): RestError => new RestError(code, '', 400);

function flag(v: PhpValue | undefined): boolean {
  if (v === true) return true;
  const s = phpString(v);
  return s === 'Y' || s === 'true' || s === '1';
}

/** `dialogId` | `chatId` → a chat of the user, or the Reading errors. */
function chatArg(p: PhpArray, ctx: CallContext): PortalChat {
  const rawDialog = phpString(p.get('dialogId'))?.trim();
  const rawChat = p.get('chatId');
  let chat: PortalChat | undefined;
  if (rawDialog) {
    if (!DIALOG_ID_FORMAT.test(rawDialog)) throw err('READ_CHAT_NOT_FOUND_ERROR');
    chat = ctx.state.resolve(rawDialog);
  } else if (rawChat !== undefined && rawChat !== '') {
    const id = phpInt(rawChat);
    if (id <= 0) throw err('READ_CHAT_NOT_FOUND_ERROR');
    chat = ctx.state.chats.get(id);
  } else {
    throw err('READ_CHAT_NOT_FOUND_ERROR');
  }
  if (!chat) throw err('READ_CHAT_NOT_FOUND_ERROR');
  if (ctx.userId !== ctx.state.userId || !chat.members.has(ctx.userId)) throw err('READ_USER_NOT_IN_CHAT_ERROR');
  return chat;
}

function notReadable(chat: PortalChat): boolean {
  return chat.kind === 'lines' && chat.lines?.operatorId === 0;
}

/** A list parameter (`ids[]=1&ids[]=2`, JSON array, or `ids[0]=1`). */
function idList(v: PhpValue | undefined): number[] {
  const plain = toPlain(v);
  const values = Array.isArray(plain) ? plain : plain && typeof plain === 'object' ? Object.values(plain) : plain === undefined || plain === '' ? [] : [plain];
  return values.map((x) => Number(x)).filter((n) => Number.isSafeInteger(n) && n > 0);
}

function readResult(state: MessengerState, chat: PortalChat, viewed: number[]): Record<string, unknown> {
  return { chatId: chat.id, lastId: chat.lastReadId, counter: state.counter(chat), viewedMessages: viewed };
}

const isMe = (ctx: CallContext): boolean => ctx.userId === ctx.state.userId;

// --- v2 wire objects (camelCase toRestFormat) ------------------------------------------------

export function v2Chat(state: MessengerState, chat: PortalChat): Record<string, unknown> {
  const info = KIND_INFO[chat.kind];
  const last = state.lastMessageIdOf(chat);
  return {
    id: chat.id,
    dialogId: state.dialogIdOf(chat),
    parentChatId: chat.parentChatId ?? 0,
    parentMessageId: chat.parentMessageId ?? 0,
    name: chat.title,
    description: chat.description,
    owner: chat.ownerId,
    extranet: chat.containsCollaber ?? false,
    containsCollaber: chat.containsCollaber ?? false,
    avatar: '',
    color: chat.color,
    type: info.type,
    messageType: info.messageType,
    entityType: info.entityType,
    entityId: chat.entityId,
    entityData1: '',
    entityData2: '',
    entityData3: '',
    counter: state.counter(chat),
    userCounter: chat.members.size,
    messageCount: chat.messageIds.length,
    lastMessageId: last,
    lastId: chat.lastReadId,
    markedId: chat.manualUnread ? chat.markedId || last : 0,
    unreadId: state.firstUnreadId(chat),
    muteList: chat.muted ? [state.userId] : [],
    isMuted: chat.muted,
    role: chat.ownerId === state.userId ? 'owner' : 'member',
    dateCreate: isoDate(chat.dateCreate),
    diskFolderId: 0,
    isNew: false,
    public: chat.kind === 'videoconf' && chat.publicCode ? { code: chat.publicCode, link: `/video/${chat.publicCode}` } : '',
  };
}

function v2User(state: MessengerState, id: number): Record<string, unknown> | undefined {
  const u = state.users.get(id);
  if (!u) return undefined;
  return {
    id: u.id,
    active: true,
    name: `${u.firstName} ${u.lastName}`,
    firstName: u.firstName,
    lastName: u.lastName,
    workPosition: u.workPosition,
    color: u.color,
    avatar: '',
    gender: u.gender,
    extranet: u.connector || (u.collaber ?? false),
    bot: false,
    connector: u.connector,
    type: u.collaber ? 'collaber' : u.connector ? 'extranet' : 'user',
    lastActivityDate: isoDate(u.lastActivity),
  };
}

function v2Message(state: MessengerState, chat: PortalChat, id: number): Record<string, unknown> | undefined {
  const m = state.messages.get(id);
  if (!m) return undefined;
  return {
    id: m.id,
    chatId: m.chatId,
    authorId: m.authorId,
    date: isoDate(m.date),
    text: m.text,
    replaces: [],
    uuid: m.uuid,
    unread: state.isUnread(chat, m),
    viewed: m.authorId === state.userId || state.viewed.has(m.id) || m.id <= chat.lastReadId,
    viewedByOthers: false,
    params: m.params,
  };
}

/** The `im.v2.Recent.tail` answer for already ordered chats. */
export function tailAnswer(state: MessengerState, chats: PortalChat[], limit: number): Record<string, unknown> {
  const page = chats.slice(0, limit);
  const userIds = new Set<number>();
  const messages: Array<Record<string, unknown>> = [];
  for (const c of page) {
    if (c.kind === 'dialog') userIds.add(c.peerId);
    const last = state.lastMessage(c);
    if (last) {
      if (last.authorId > 0) userIds.add(last.authorId);
      const m = v2Message(state, c, last.id);
      if (m) messages.push(m);
    }
  }
  return {
    users: [...userIds].map((id) => v2User(state, id)).filter((u) => u !== undefined),
    chats: page.map((c) => v2Chat(state, c)),
    messages,
    files: [],
    recentItems: page.map((c) => {
      const date = isoDate(state.activityOf(c));
      return {
        dialogId: state.dialogIdOf(c),
        chatId: c.id,
        messageId: state.lastMessageIdOf(c),
        type: c.kind === 'dialog' ? 'user' : 'chat',
        pinned: c.pinned,
        unread: c.manualUnread,
        options: [],
        invited: null,
        lastReadMessageId: c.lastReadId,
        dateUpdate: date,
        dateLastActivity: date,
      };
    }),
    hasNextPage: page.length === limit && limit > 0,
  };
}

function tailLimit(p: PhpArray, min: number): number {
  const n = phpInt(p.get('limit'));
  if (n <= 0) return Math.max(50, min);
  return Math.min(200, Math.max(min, n));
}

function filterArg(p: PhpArray): Map<string, PhpValue> {
  const f = p.get('filter');
  return f instanceof Map ? f : new Map();
}

/** `filter[lastMessageDate]`: rows strictly older than the cursor (to the second). */
function beforeCursor(state: MessengerState, f: Map<string, PhpValue>): (c: PortalChat) => boolean {
  const t = Date.parse(phpString(f.get('lastMessageDate')) ?? '');
  if (!Number.isFinite(t)) return () => true;
  return (c) => Math.floor(state.activityOf(c) / 1000) * 1000 < t;
}

function sectionRows(state: MessengerState, section: string): PortalChat[] {
  return state.recentRows().filter((c) => state.sectionsOf(c).includes(section));
}

// --- folders (doc §5) ------------------------------------------------------------------------

interface SystemFolder {
  id: number;
  code: string;
  section: string;
  title: string;
  sort: number;
}

export const SYSTEM_FOLDERS: SystemFolder[] = [
  { id: 1, code: 'default', section: 'default', title: 'Chats', sort: 100 },
  { id: 2, code: 'tasksTask', section: 'tasksTask', title: 'Tasks', sort: 200 },
  { id: 3, code: 'copilot', section: 'copilot', title: 'CoPilot', sort: 300 },
  { id: 4, code: 'openChannel', section: 'openChannel', title: 'Channels', sort: 400 },
  { id: 5, code: 'collab', section: 'collab', title: 'Collabs', sort: 500 },
  { id: 6, code: 'lines', section: 'lines', title: 'Open Channels', sort: 600 },
];

/** `im.v2.Folder.list` `folders` (system first by sort, then personal by sort, then id). */
export function folderList(state: MessengerState): Array<Record<string, unknown>> {
  const system = SYSTEM_FOLDERS.filter((f) => f.code !== 'copilot' || state.copilotAvailable).map((f) => ({
    id: f.id,
    type: 'system',
    code: f.code,
    title: f.title,
    sort: f.sort,
    displaysNestedInRoot: f.code === 'default',
    definition: { recentSection: f.section },
  }));
  const personal = [...state.folders]
    .sort((a, b) => a.sort - b.sort || a.id - b.id)
    .map((f) => ({
      id: f.id,
      type: 'personal',
      title: f.title,
      sort: f.sort,
      displaysNestedInRoot: true,
      definition: {
        chats: f.chatIds
          .map((id) => state.chats.get(id))
          .filter((c): c is PortalChat => c !== undefined && c.members.has(state.userId))
          .map((c) => ({ chatId: c.id, dialogId: state.dialogIdOf(c) })),
      },
    }));
  return [...system, ...personal].sort((a, b) => a.sort - b.sort || a.id - b.id);
}

// --- methods --------------------------------------------------------------------------------

type Def = MethodDef & { builds?: ImBuild[] };

const v2: Record<string, Def> = {
  'im.v2.chat.read': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const chat = chatArg(p, ctx);
      if (notReadable(chat)) throw err('READ_CHAT_NOT_READABLE_ERROR');
      if (flag(p.get('onlyRecent'))) {
        if (!inRecentTable(ctx.state, chat)) throw err('READ_RECENT_ITEM_NOT_FOUND_ERROR');
        ctx.state.clearMark(chat, 'im.v2.Chat.read');
        return { result: readResult(ctx.state, chat, []) };
      }
      ctx.state.readAllInChat(chat, 'im.v2.Chat.read');
      return { result: readResult(ctx.state, chat, []) };
    },
  },

  'im.v2.chat.message.read': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const ids = [...new Set(idList(p.get('ids')))];
      if (ids.length > 100) throw err('READ_TOO_MANY_MESSAGES_ERROR');
      const msgs = ids.map((id) => ctx.state.messages.get(id)).filter((m) => m !== undefined);
      if (msgs.length === 0) throw err('READ_MESSAGE_LIST_EMPTY_ERROR');
      const chatIds = new Set(msgs.map((m) => m.chatId));
      const given = phpInt(p.get('chatId'));
      if (chatIds.size > 1 || (given > 0 && !chatIds.has(given))) throw err('READ_TOO_MANY_CHATS_ERROR');
      const chat = ctx.state.chats.get(msgs[0]!.chatId)!;
      if (!isMe(ctx) || !chat.members.has(ctx.userId)) throw err('READ_USER_NOT_IN_CHAT_ERROR');
      if (notReadable(chat)) throw err('READ_CHAT_NOT_READABLE_ERROR');
      const { viewed } = ctx.state.readTo(chat, Math.max(...msgs.map((m) => m.id)), 'im.v2.Chat.Message.read');
      return { result: readResult(ctx.state, chat, viewed) };
    },
  },

  'im.v2.chat.unread': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const chat = chatArg(p, ctx);
      ctx.state.setMark(chat, 'im.v2.Chat.unread');
      return { result: { result: true } };
    },
  },

  'im.v2.chat.message.mark': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const m = ctx.state.messages.get(phpInt(p.get('id')));
      if (!m) throw err('READ_MESSAGE_LIST_EMPTY_ERROR');
      const chat = ctx.state.chats.get(m.chatId)!;
      if (!isMe(ctx) || !chat.members.has(ctx.userId)) throw err('READ_USER_NOT_IN_CHAT_ERROR');
      ctx.state.setMark(chat, 'im.v2.Chat.Message.mark', m.id);
      return { result: [] };
    },
  },

  'im.v2.chat.readall': {
    scope: 'im',
    raw: true,
    run(_p, ctx) {
      if (isMe(ctx)) ctx.state.readAll('im.v2.Chat.readAll');
      return { result: { result: true } };
    },
  },

  'im.v2.chat.readbyrecentsection': {
    scope: 'im',
    raw: true,
    builds: ['Y'],
    run(p, ctx) {
      const section = phpString(p.get('recentSection')) ?? '';
      const known = new Set(Object.values(KIND_INFO).flatMap((k) => k.sections).concat(['collabDefault', 'collabChat']));
      if (!known.has(section)) throw err('READ_WRONG_CHAT_TYPE_ERROR');
      const raw = p.get('parentId');
      const parentId = raw === undefined || raw === null || raw === '' || phpString(raw) === 'null' ? null : phpInt(raw);
      if (isMe(ctx)) ctx.state.readByRecentSection(section, parentId, 'im.v2.Chat.readByRecentSection');
      return { result: { result: true } };
    },
  },

  'im.v2.chat.readbytype': {
    scope: 'im',
    raw: true,
    builds: ['Y-May', 'H'],
    run(p, ctx) {
      const type = phpString(p.get('type')) ?? '';
      if (!type) throw err('READ_WRONG_CHAT_TYPE_ERROR');
      if (isMe(ctx)) ctx.state.readByType(type, 'im.v2.Chat.readByType');
      return { result: { result: true } };
    },
  },

  'im.v2.chat.comment.readall': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const chat = chatArg(p, ctx);
      if (!isChannelKind(chat.kind)) throw err('READ_WRONG_CHAT_TYPE_ERROR');
      ctx.state.readChildren(chat, 'im.v2.Chat.Comment.readAll');
      return { result: { result: true } };
    },
  },

  'im.v2.chat.anchor.read': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const chat = chatArg(p, ctx);
      ctx.state.readAnchors((a) => a.chatId === chat.id, 'im.v2.Chat.Anchor.read', chat);
      return { result: true };
    },
  },

  'im.v2.anchor.read': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const ids = new Set(idList(p.get('messageIds')));
      if (isMe(ctx)) ctx.state.readAnchors((a) => ids.has(a.messageId), 'im.v2.Anchor.read');
      return { result: true };
    },
  },

  'im.v2.counter.get': {
    scope: 'im',
    raw: true,
    run(_p, ctx) {
      if (ctx.state.build === 'H') {
        // H returned the CounterService arrays with camelCased keys.
        return { result: camelKeys(isMe(ctx) ? ctx.state.counters() : emptyCounters(ctx.state)) };
      }
      return { result: { userCounters: isMe(ctx) ? ctx.state.userCounters() : [] } };
    },
  },

  'im.v2.recent.tail': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const f = filterArg(p);
      const limit = tailLimit(p, 1);
      if (!isMe(ctx)) return { result: tailAnswer(ctx.state, [], limit) };
      const section = phpString(f.get('recentSection')) || 'default';
      const rawParent = f.get('parentId');
      const parent = rawParent === undefined || rawParent === '' ? null : phpInt(rawParent);
      const unread = flag(f.get('unread'));
      const before = beforeCursor(ctx.state, f);
      const s = ctx.state;
      const rows = sectionRows(s, section).filter(
        (c) =>
          (parent === null || (c.parentChatId ?? 0) === parent) &&
          (!unread || s.counter(c) > 0 || c.manualUnread || s.childrenCounter(c) > 0) &&
          before(c),
      );
      return { result: tailAnswer(s, rows, limit) };
    },
  },

  // Y-May im/lib/V2/Controller/Recent/{Channel,Collab,ExternalChat}.php: the same tail shape per list.
  'im.v2.recent.channel.tail': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const s = ctx.state;
      const before = beforeCursor(s, filterArg(p));
      const rows = isMe(ctx) ? s.recentRows().filter((c) => isChannelKind(c.kind) && before(c)) : [];
      return { result: tailAnswer(s, rows, tailLimit(p, 1)) };
    },
  },

  'im.v2.recent.collab.tail': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const s = ctx.state;
      const before = beforeCursor(s, filterArg(p));
      const rows = isMe(ctx) ? sectionRows(s, 'collab').filter(before) : [];
      return { result: tailAnswer(s, rows, tailLimit(p, 1)) };
    },
  },

  'im.v2.recent.externalchat.tail': {
    scope: 'im',
    raw: true,
    run(p, ctx) {
      const s = ctx.state;
      const type = phpString(p.get('type')) ?? '';
      const before = beforeCursor(s, filterArg(p));
      const rows = isMe(ctx) ? s.recentRows().filter((c) => KIND_INFO[c.kind].messageType === 'X' && KIND_INFO[c.kind].type === type && before(c)) : [];
      return { result: tailAnswer(s, rows, tailLimit(p, 1)) };
    },
  },

  'im.v2.folder.list': {
    scope: 'im',
    raw: true,
    builds: ['Y'],
    run(_p, ctx) {
      return { result: { folders: isMe(ctx) ? folderList(ctx.state) : [] } };
    },
  },

  'im.v2.folder.recent.tail': {
    scope: 'im',
    raw: true,
    builds: ['Y'],
    run(p, ctx) {
      const id = phpInt(p.get('folderId'));
      const limit = tailLimit(p, 50);
      const s = ctx.state;
      const before = beforeCursor(s, filterArg(p));
      const system = SYSTEM_FOLDERS.find((f) => f.id === id);
      if (system) {
        if (system.code === 'openChannel') throw new RestError('FOLDER_OPERATION_NOT_SUPPORTED', 'Operation not supported', 400);
        return { result: tailAnswer(s, isMe(ctx) ? sectionRows(s, system.section).filter(before) : [], limit) };
      }
      const folder = s.folders.find((f) => f.id === id);
      if (!folder || !isMe(ctx)) throw new RestError('FOLDER_NOT_FOUND', 'Folder not found', 400);
      const rows = s.recentRows().filter((c) => folder.chatIds.includes(c.id) && before(c));
      return { result: tailAnswer(s, rows, limit) };
    },
  },
};

function camelKeys(v: unknown): unknown {
  if (v instanceof Map) return v;
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        camelKeys(x),
      ]),
    );
  }
  return v;
}

/** An im.v2.* action of the portal's build (lower-cased name), or undefined. */
export function findV2Method(name: string, build: ImBuild): MethodDef | undefined {
  if (!Object.prototype.hasOwnProperty.call(v2, name)) return undefined;
  const def = v2[name]!;
  return def.builds && !def.builds.includes(build) ? undefined : def;
}

export const V2_METHODS = Object.keys(v2);
