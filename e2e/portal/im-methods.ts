// The im.* REST methods of the portal (bitrix24-rest.md §4). Handlers see upper-cased keys.

import { DIALOG_ID_FORMAT, KIND_INFO, type MessengerState, type PortalChat } from './model.ts';
import { phpInt, phpString, type PhpArray, type PhpValue } from './php-params.ts';
import { RECENT_COPILOT, dialogObject, messageObject, recentItem, userObject } from './shapes.ts';

export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestError';
  }
}

export interface CallContext {
  state: MessengerState;
  userId: number;
  /** The envelope's `start` parameter (list offset), removed from the params. */
  start?: number;
}

export interface MethodOutput {
  result: unknown;
  total?: number;
  next?: number;
}

export interface MethodDef {
  scope: string;
  /** Controller actions (im.v2.*) bind PHP argument names as sent (case-sensitive); im.* keys are upper-cased. */
  raw?: boolean;
  run(params: PhpArray, ctx: CallContext): MethodOutput;
}

const dialogIdEmpty = (): RestError => new RestError('DIALOG_ID_EMPTY', "Dialog ID can't be empty", 400);
const accessError = (text = 'You do not have access to the specified dialog'): RestError => new RestError('ACCESS_ERROR', text, 403);

function upperKeys(p: PhpArray): PhpArray {
  return new Map([...p].map(([k, v]) => [k.toUpperCase(), v]));
}

function yes(v: PhpValue | undefined): boolean {
  return v === true || phpString(v) === 'Y';
}

/** DIALOG_ID or DIALOG_ID_EMPTY; `notify` allowed where the server knows it. */
function dialogIdParam(p: PhpArray, allowNotify: boolean): string {
  const raw = phpString(p.get('DIALOG_ID'))?.trim() ?? '';
  if (allowNotify && raw.toLowerCase() === 'notify') return 'notify';
  if (!DIALOG_ID_FORMAT.test(raw)) throw dialogIdEmpty();
  return raw.toLowerCase();
}

/** Numeric id parameter: absent → undefined; a non-numeric string → the given error. */
function idParam(p: PhpArray, key: string, error: RestError): number | undefined {
  const v = p.get(key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return Math.trunc(v);
  const s = phpString(v);
  if (s === undefined || !/^\s*\d+\s*$/.test(s)) throw error;
  return Number(s);
}

/** A valid RFC 3339 date (as `DateTime::createFromFormat(DATE_ATOM)` accepts it) in ms, else undefined. */
function rfc3339(v: string | undefined): number | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}

function limitParam(p: PhpArray, def: number, max: number): number {
  const n = phpInt(p.get('LIMIT'));
  if (n <= 0) return def;
  return Math.min(n, max);
}

function recentFilter(p: PhpArray, state: MessengerState): (c: PortalChat) => boolean {
  const skipOpenlines = yes(p.get('SKIP_OPENLINES'));
  const skipChat = yes(p.get('SKIP_CHAT'));
  const skipDialog = yes(p.get('SKIP_DIALOG'));
  const onlyOpenlines = yes(p.get('ONLY_OPENLINES'));
  const unreadOnly = yes(p.get('UNREAD_ONLY'));
  const skipUndistributed = yes(p.get('SKIP_UNDISTRIBUTED_OPENLINES'));
  const onlyChannel = yes(p.get('ONLY_CHANNEL'));
  const onlyCopilot = yes(p.get('ONLY_COPILOT'));
  // SKIP_COLLAB is not forwarded by the REST handler (bitrix24-im-26.md §2): ignored here too.
  return (c) => {
    const mt = KIND_INFO[c.kind].messageType;
    if (onlyChannel && mt !== 'N' && mt !== 'J') return false;
    if (onlyCopilot && mt !== 'A') return false;
    if (c.kind === 'lines' && skipOpenlines) return false;
    if (c.kind !== 'lines' && onlyOpenlines) return false;
    if (c.kind === 'dialog' && skipDialog) return false;
    if (c.kind !== 'dialog' && c.kind !== 'lines' && skipChat) return false;
    if (c.kind === 'lines' && skipUndistributed && c.lines?.operatorId === 0) return false;
    // Unread messages, or unread comments (a channel whose only unread items are comments), or the mark.
    if (unreadOnly && !(c.manualUnread || state.counter(c) > 0 || state.childrenCounter(c) > 0)) return false;
    return true;
  };
}

/** A row of the user's recent table (any section; nested chats have none). */
export function inRecentTable(state: MessengerState, chat: PortalChat): boolean {
  return state.hasRecentRow(chat);
}

function recentFor(ctx: CallContext): PortalChat[] {
  return ctx.userId === ctx.state.userId ? ctx.state.recentChats() : [];
}

export function emptyCounters(state: MessengerState): Record<string, unknown> {
  if (state.build === 'H') {
    return {
      TYPE: { ALL: 0, NOTIFY: 0, CHAT: 0, LINES: 0, DIALOG: 0, MESSENGER: 0 },
      CHAT: new Map(), CHAT_MUTED: new Map(), CHAT_UNREAD: [], LINES: new Map(), DIALOG: new Map(), DIALOG_UNREAD: [],
    };
  }
  return {
    TYPE: { ALL: 0, NOTIFY: 0, CHAT: 0, LINES: 0, DIALOG: 0, COPILOT: 0, COLLAB: 0, MESSENGER: 0, TASKS_TASK: 0 },
    CHAT: new Map(), DIALOG: new Map(), COLLAB: new Map(), CHAT_MUTED: new Map(), CHAT_UNREAD: [], DIALOG_UNREAD: [],
    COLLAB_UNREAD: [], COPILOT_UNREAD: [], TASKS_TASK_UNREAD: [], LINES: new Map(), COPILOT: new Map(),
    CHANNEL_COMMENT: new Map(), TASKS_TASK: new Map(),
  };
}

function isMe(ctx: CallContext): boolean {
  return ctx.userId === ctx.state.userId;
}

function readNotifications(ctx: CallContext): void {
  if (!isMe(ctx)) return;
  for (const n of ctx.state.notifications) n.read = true;
}

const methods: Record<string, MethodDef> = {
  'im.dialog.read': {
    scope: 'im',
    run(p, ctx) {
      const dialogId = dialogIdParam(p, true);
      if (dialogId === 'notify') {
        readNotifications(ctx);
        return { result: true };
      }
      let messageId = phpInt(p.get('MESSAGE_ID'));
      if (messageId <= 0) messageId = phpInt(p.get('LAST_ID'));
      const chat = ctx.state.accessible(dialogId, ctx.userId);
      const call = { t: Date.now(), dialogId, messageId: Math.max(0, messageId), moved: false };
      ctx.state.readCalls.push(call);
      if (!chat) return { result: false };
      if (chat.kind === 'lines' && chat.lines?.operatorId === 0) return { result: false };
      // MESSAGE_ID → readTo (receipts; mark, anchors, comments stay); without it → readAllInChat.
      if (messageId > 0) call.moved = ctx.state.readTo(chat, messageId, 'im.dialog.read').moved;
      else call.moved = ctx.state.readAllInChat(chat, 'im.dialog.read');
      let counter = ctx.state.counter(chat);
      if (chat.kind !== 'dialog' && counter > 99) counter = 100;
      return { result: { dialogId, chatId: chat.id, lastId: chat.lastReadId, counter } };
    },
  },

  'im.dialog.read.all': {
    scope: 'im',
    run(_p, ctx) {
      if (isMe(ctx)) ctx.state.readAll('im.dialog.read.all');
      return { result: true };
    },
  },

  'im.dialog.unread': {
    scope: 'im',
    run(p, ctx) {
      const dialogId = dialogIdParam(p, false);
      const messageId = phpInt(p.get('MESSAGE_ID'));
      if (messageId <= 0) throw new RestError('MESSAGE_ID_ERROR', "Message ID can't be empty", 400);
      const chat = ctx.state.accessible(dialogId, ctx.userId);
      if (!chat) throw accessError();
      ctx.state.unreadFrom(chat, messageId, 'im.dialog.unread');
      return { result: true };
    },
  },

  'im.recent.unread': {
    scope: 'im',
    run(p, ctx) {
      const dialogId = dialogIdParam(p, true);
      const action = phpString(p.get('ACTION')) ?? phpString(p.get('UNREAD')) ?? 'Y';
      if (dialogId === 'notify') return { result: true };
      const chat = ctx.state.accessible(dialogId, ctx.userId);
      if (!chat || !inRecentTable(ctx.state, chat)) return { result: false };
      if (action === 'N') ctx.state.clearMark(chat, 'im.recent.unread');
      else ctx.state.setMark(chat, 'im.recent.unread');
      return { result: true };
    },
  },

  'im.counters.get': {
    scope: 'im',
    run(p, ctx) {
      const all = isMe(ctx) ? ctx.state.counters() : emptyCounters(ctx.state);
      if (phpString(p.get('ONLY_COUNTER')) === 'Y') return { result: all.TYPE };
      return { result: all };
    },
  },

  'im.recent.list': {
    scope: 'im',
    run(p, ctx) {
      const limit = limitParam(p, 50, 200);
      let offset = p.has('OFFSET') ? Math.max(0, phpInt(p.get('OFFSET'))) : Math.max(0, ctx.start ?? 0);
      const filter = recentFilter(p, ctx.state);
      const before = rfc3339(phpString(p.get('LAST_MESSAGE_DATE')) ?? phpString(p.get('DATE_LAST_ACTIVITY')));
      let chats = recentFor(ctx).filter(filter);
      if (before !== undefined) {
        // A valid date filters DATE_LAST_ACTIVITY <= value (the boundary row repeats) and OFFSET is ignored.
        chats = chats.filter((c) => Math.floor(ctx.state.activityOf(c) / 1000) * 1000 <= before);
        offset = 0;
      }
      const page = chats.slice(offset, offset + limit);
      const hasMore = page.length === limit;
      const withCounters = phpString(p.get('WITH_COUNTERS')) !== 'N';
      return {
        result: {
          items: page.map((c) => {
            const item = recentItem(ctx.state, c);
            if (!withCounters) item.counter = 0;
            return item;
          }),
          hasMorePages: hasMore,
          hasMore,
          copilot: RECENT_COPILOT,
          messagesAutoDeleteConfigs: [],
        },
        total: -1,
        next: hasMore ? offset + page.length : undefined,
      };
    },
  },

  'im.recent.get': {
    scope: 'im',
    run(p, ctx) {
      const filter = recentFilter(p, ctx.state);
      const since = Date.parse(phpString(p.get('LAST_UPDATE')) ?? phpString(p.get('LAST_SYNC_DATE')) ?? '');
      let chats = recentFor(ctx).filter(filter);
      if (Number.isFinite(since)) chats = chats.filter((c) => (ctx.state.lastMessage(c)?.date ?? c.dateCreate) > since);
      return { result: chats.map((c) => recentItem(ctx.state, c)) };
    },
  },

  'im.dialog.messages.get': {
    scope: 'im',
    run(p, ctx) {
      const dialogId = dialogIdParam(p, false);
      const firstId = idParam(p, 'FIRST_ID', new RestError('FIRST_ID_STRING', "First ID can't be string", 400));
      const lastId = idParam(p, 'LAST_ID', new RestError('LAST_ID_STRING', "Last ID can't be string", 400));
      const chat = ctx.state.accessible(dialogId, ctx.userId);
      if (!chat) throw accessError();
      const limit = limitParam(p, 20, 50);
      const ids = chat.messageIds;
      let picked: number[];
      if (firstId !== undefined && firstId > 0) {
        picked = ids.includes(firstId) ? ids.filter((id) => id > firstId).slice(0, limit) : [];
      } else if (lastId !== undefined && lastId > 0) {
        picked = ids.includes(lastId) ? ids.filter((id) => id < lastId).slice(-limit).reverse() : [];
      } else {
        picked = ids.slice(-limit).reverse();
      }
      const messages = picked.map((id) => ctx.state.messages.get(id)!).filter(Boolean);
      const authors = [...new Set(messages.map((m) => m.authorId).filter((id) => id > 0))];
      return {
        result: {
          chat_id: chat.id,
          messages: messages.map((m) => messageObject(ctx.state, chat, m)),
          users: authors.map((id) => ctx.state.users.get(id)).filter((u) => u !== undefined).map(userObject),
          files: [],
        },
      };
    },
  },

  'im.dialog.get': {
    scope: 'im',
    run(p, ctx) {
      const dialogId = dialogIdParam(p, false);
      const chat = ctx.state.accessible(dialogId, ctx.userId);
      if (!chat) throw accessError();
      return { result: dialogObject(ctx.state, chat, ctx.state.dialogIdOf(chat)) };
    },
  },

  'im.notify.read.all': {
    scope: 'im',
    run(_p, ctx) {
      readNotifications(ctx);
      return { result: { result: true, newCounter: 0 } };
    },
  },

  'im.notify.read': {
    scope: 'im',
    run(p, ctx) {
      const id = phpInt(p.get('ID'));
      if (id <= 0 || !isMe(ctx)) return { result: true };
      const read = (phpString(p.get('ACTION')) ?? 'Y') !== 'N';
      const onlyCurrent = yes(p.get('ONLY_CURRENT'));
      for (const n of ctx.state.notifications) {
        if (onlyCurrent ? n.id === id : n.id >= id) n.read = read;
      }
      return { result: true };
    },
  },

  'im.revision.get': {
    scope: 'im',
    run() {
      return { result: { rest: 32, web: 130, mobile: 22, desktop: 6, im_revision_mobile: 22 } };
    },
  },

  'im.chat.mute': {
    scope: 'im',
    run(p, ctx) {
      let chat: PortalChat | undefined;
      const chatId = phpInt(p.get('CHAT_ID'));
      if (chatId > 0) {
        chat = ctx.state.accessible(`chat${chatId}`, ctx.userId);
      } else if (p.has('DIALOG_ID')) {
        const raw = phpString(p.get('DIALOG_ID'))?.trim().toLowerCase() ?? '';
        if (!/^(chat|sg)\d+$/.test(raw)) throw dialogIdEmpty();
        chat = ctx.state.accessible(raw, ctx.userId);
      } else {
        throw new RestError('CHAT_ID_EMPTY', "Chat ID can't be empty", 400);
      }
      if (!chat || chat.kind === 'lines') throw accessError('This chat cannot be muted');
      const mute = phpString(p.get('MUTE')) ?? phpString(p.get('ACTION')) ?? 'Y';
      chat.muted = mute !== 'N';
      return { result: true };
    },
  },
};

export function findMethod(name: string): MethodDef | undefined {
  return Object.prototype.hasOwnProperty.call(methods, name) ? methods[name] : undefined;
}

/** Runs an im.* method with upper-cased parameter keys. */
export function runMethod(def: MethodDef, params: PhpArray, ctx: CallContext): MethodOutput {
  return def.run(def.raw ? params : upperKeys(params), ctx);
}
