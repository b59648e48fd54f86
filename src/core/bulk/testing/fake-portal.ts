// A tiny in-memory Bitrix24 messenger behind the `RestApi` interface, for the bulk engine's tests.
// It executes sub-calls the way the docs describe and records every `im.dialog.read` it runs.
import type { BatchOptions, BatchOutcome, RestApi } from '../../rest/api.ts';
import type { BatchCommand, RestOk, RestParams } from '../../rest/types.ts';
import { RestError } from '../../rest/errors.ts';
import { batchRequests } from '../../rest/batch-plan.ts';

export interface FakeChat {
  dialogId: string;
  chatId: number;
  title: string;
  /** `chat.type` for group chats (`chat`, `open`, `sonetGroup`, `crm`, `tasksTask`, `lines`, ...). */
  chatType?: string;
  entityType?: string;
  /** Message ids, ascending. */
  messages: number[];
  lastRead: number;
  manual: boolean;
  muted: boolean;
  pinned: boolean;
  /** Keep the mute in `mute_list` (group chats do; 1:1 dialogs show it only in CHAT_MUTED). */
  muteInList?: boolean;
  /** Letter type (`C`, `N`, `T`, `X`, `A`, `B`, `L`, ...); derived from `chatType` when absent. */
  messageType?: string;
  /** A comment thread's channel (chat id). */
  parentChatId?: number;
  /** Mention/reaction anchors the user has in this chat. */
  anchors: number;
}

export interface FakeChatInit {
  dialogId: string;
  chatType?: string;
  entityType?: string;
  unread?: number;
  read?: number;
  manual?: boolean;
  muted?: boolean;
  pinned?: boolean;
  messageType?: string;
  parentChatId?: number;
  anchors?: number;
}

const LETTER: Record<string, string> = { channel: 'N', openChannel: 'J', generalChannel: 'J', comment: 'T', copilot: 'A', collab: 'B', tasksTask: 'X', lines: 'L', open: 'O', general: 'O' };

const TIME = { start: 0, finish: 0, duration: 0, processing: 0, date_start: '', date_finish: '' };

export const err = (kind: RestError['kind'], code: string, extra: Record<string, unknown> = {}) => new RestError(kind, code, code, 0, extra);

export class FakePortal implements RestApi {
  readonly myUserId = 1;
  readonly chats = new Map<string, FakeChat>();
  notifications = 0;
  readAllMissing = false;
  /** Read-all leaves muted chats alone (a build difference the engine must notice). */
  readAllSkipsMuted = false;
  /** Recent-list pages start this many items early, so consecutive pages overlap. */
  pageOverlap = 0;
  /** `im.counters.get` shape: the 7-key build (H, March 2026) or the 14-key Reading counters (Y). */
  countersShape: 7 | 14 = 7;
  /** Per-message "viewed" receipts recorded, as the portal would show them to other members. */
  readonly receipts: Array<{ dialogId: string; messageId: number }> = [];
  /** Called after every sub-call ran (e.g. to post a message mid-job). */
  afterSubCall?: (key: string, command: BatchCommand) => void;
  requests = 0;
  /** Every executed sub-call, in order. */
  readonly executed: Array<{ method: string; params: RestParams }> = [];
  /** Thrown before a request runs (nothing executed). Return undefined to let it through. */
  beforeRequest?: (n: number, commands: Record<string, BatchCommand>) => Error | undefined;
  /** Thrown after a request ran (its answer is lost). */
  afterRequest?: (n: number, commands: Record<string, BatchCommand>) => Error | undefined;
  /** Fails one sub-call without running it. */
  subCallError?: (key: string, command: BatchCommand) => RestError | undefined;
  private nextMessageId = 1000;
  private nextChatId = 100;

  add(init: FakeChatInit): FakeChat {
    const isUser = /^[0-9]+$/.test(init.dialogId);
    const chatId = init.dialogId.startsWith('chat') ? Number(init.dialogId.slice(4)) : this.nextChatId++;
    const messages: number[] = [];
    const read = init.read ?? 2;
    const unread = init.unread ?? 1;
    for (let i = 0; i < read + unread; i += 1) messages.push((this.nextMessageId += 1 + (i % 3)));
    const chat: FakeChat = {
      dialogId: init.dialogId,
      chatId,
      title: `Chat ${init.dialogId}`,
      ...(init.chatType !== undefined || !isUser ? { chatType: init.chatType ?? 'chat' } : {}),
      ...(init.entityType !== undefined ? { entityType: init.entityType } : {}),
      messages,
      lastRead: read > 0 ? messages[read - 1]! : 0,
      manual: init.manual ?? false,
      muted: init.muted ?? false,
      pinned: init.pinned ?? false,
      muteInList: !isUser,
      ...(init.messageType !== undefined ? { messageType: init.messageType } : {}),
      ...(init.parentChatId !== undefined ? { parentChatId: init.parentChatId } : {}),
      anchors: init.anchors ?? 0,
    };
    this.chats.set(chat.dialogId, chat);
    return chat;
  }

  post(dialogId: string): number {
    const chat = this.chats.get(dialogId)!;
    const id = (this.nextMessageId += 1);
    chat.messages.push(id);
    return id;
  }

  counter(chat: FakeChat): number {
    return chat.messages.filter((id) => id > chat.lastRead).length;
  }

  isLines(chat: FakeChat): boolean {
    return chat.chatType === 'lines';
  }

  letter(chat: FakeChat): string {
    return chat.messageType ?? (chat.chatType === undefined ? 'P' : (LETTER[chat.chatType] ?? 'C'));
  }

  /** Never a recent-list row: external chats (new task chats) and nested chats (comment threads). */
  hiddenFromRecent(chat: FakeChat): boolean {
    return this.letter(chat) === 'X' || (chat.parentChatId ?? 0) > 0;
  }

  children(chat: FakeChat): FakeChat[] {
    return [...this.chats.values()].filter((c) => c.parentChatId === chat.chatId);
  }

  byChatId(chatId: number): FakeChat | undefined {
    return [...this.chats.values()].find((c) => c.chatId === chatId);
  }

  /** Everything the counters would still show for this chat: messages, mark, anchors. */
  isClean(dialogId: string): boolean {
    const chat = this.chats.get(dialogId)!;
    return this.counter(chat) === 0 && !chat.manual && chat.anchors === 0;
  }

  /** How many times `im.dialog.read` ran per dialog. */
  readCount(dialogId: string): number {
    return this.executed.filter((c) => c.method === 'im.dialog.read' && String(c.params['DIALOG_ID']) === dialogId).length;
  }

  async call<T>(method: string, params: RestParams = {}): Promise<RestOk<T>> {
    const outcome = await this.batch({ one: { method, params } });
    const error = outcome.errors['one'];
    if (error) throw error;
    return { result: outcome.results['one'] as T, time: TIME };
  }

  async batch(commands: Record<string, BatchCommand>, _options: BatchOptions = {}): Promise<BatchOutcome> {
    const keys = Object.keys(commands);
    const requestsNeeded = batchRequests(keys.length);
    const n = this.requests + 1;
    this.requests += requestsNeeded;
    const before = this.beforeRequest?.(n, commands);
    if (before) throw before;
    const outcome: BatchOutcome = { results: {}, errors: {}, skipped: [] };
    for (const key of keys) {
      const command = commands[key]!;
      const injected = this.subCallError?.(key, command);
      if (injected) {
        outcome.errors[key] = injected;
        continue;
      }
      try {
        const params = command.params ?? {};
        this.executed.push({ method: command.method, params });
        outcome.results[key] = this.execute(command.method, params);
        this.afterSubCall?.(key, command);
      } catch (error) {
        if (!(error instanceof RestError)) throw error;
        outcome.errors[key] = error;
      }
    }
    const after = this.afterRequest?.(n, commands);
    if (after) throw after;
    return outcome;
  }

  private chatOf(params: RestParams): FakeChat {
    const id = String(params['DIALOG_ID'] ?? '');
    if (!id) throw err('request', 'DIALOG_ID_EMPTY');
    const chat = this.chats.get(id) ?? (/^chat[0-9]+$/.test(id) ? this.byChatId(Number(id.slice(4))) : undefined);
    if (!chat) throw err('access', 'ACCESS_ERROR');
    return chat;
  }

  private recentItem(chat: FakeChat): Record<string, unknown> {
    const isUser = chat.chatType === undefined;
    const last = chat.messages[chat.messages.length - 1] ?? 0;
    return {
      id: isUser ? Number(chat.dialogId) : chat.dialogId,
      chat_id: chat.chatId,
      type: isUser ? 'user' : 'chat',
      title: chat.title,
      avatar: { url: '', color: '#000' },
      message: { id: last, text: '', file: false, author_id: 2, attach: false, sticker: null, date: '', status: 'received', uuid: null },
      counter: this.counter(chat),
      last_id: chat.lastRead,
      pinned: chat.pinned,
      unread: chat.manual,
      date_update: '',
      chat: isUser
        ? { text_field_enabled: true, background_id: null, mute_list: [] }
        : {
            id: chat.chatId,
            type: chat.chatType,
            entity_type: chat.entityType ?? (chat.chatType === 'lines' ? 'LINES' : ''),
            message_type: this.letter(chat),
            parent_chat_id: chat.parentChatId ?? 0,
            ...(chat.chatType === 'collab' ? { contains_collaber: true } : {}),
            mute_list: chat.muted && chat.muteInList ? { [String(this.myUserId)]: true } : [],
          },
      ...(chat.chatType === 'lines' ? { lines: { id: 1, status: 10, date_create: '' } } : {}),
      options: [],
    };
  }

  private counters(): Record<string, unknown> {
    const maps: Record<string, Record<string, unknown>> = { CHAT: {}, CHAT_MUTED: {}, LINES: {}, DIALOG: {}, COLLAB: {}, COPILOT: {}, TASKS_TASK: {}, CHANNEL_COMMENT: {} };
    const lists: Record<string, number[]> = { CHAT_UNREAD: [], DIALOG_UNREAD: [], COLLAB_UNREAD: [], COPILOT_UNREAD: [], TASKS_TASK_UNREAD: [] };
    const TYPE: Record<string, number> = { ALL: 0, NOTIFY: this.notifications, CHAT: 0, LINES: 0, DIALOG: 0, MESSENGER: 0 };
    if (this.countersShape === 14) Object.assign(TYPE, { COPILOT: 0, COLLAB: 0, TASKS_TASK: 0 });
    const wide = this.countersShape === 14;
    for (const chat of this.chats.values()) {
      const count = this.counter(chat);
      const isUser = chat.chatType === undefined;
      const letter = this.letter(chat);
      // The 7-key build drops copilot chats altogether.
      if (!wide && letter === 'A') continue;
      const markList = isUser ? 'DIALOG_UNREAD' : wide && letter === 'A' ? 'COPILOT_UNREAD' : wide && letter === 'B' ? 'COLLAB_UNREAD' : wide && letter === 'X' ? 'TASKS_TASK_UNREAD' : 'CHAT_UNREAD';
      if (chat.manual) lists[markList]!.push(isUser ? Number(chat.dialogId) : chat.chatId);
      if (count === 0 && !chat.manual) continue;
      const shown = count || 1;
      const key = String(chat.chatId);
      if (chat.muted) maps['CHAT_MUTED']![key] = shown;
      else if (this.isLines(chat)) (maps['LINES']![key] = shown), (TYPE['LINES']! += shown);
      else if (isUser) (maps['DIALOG']![chat.dialogId] = shown), (TYPE['DIALOG']! += shown);
      else if (wide && (chat.parentChatId ?? 0) > 0) {
        const parent = String(chat.parentChatId);
        maps['CHANNEL_COMMENT']![parent] = { ...(maps['CHANNEL_COMMENT']![parent] as Record<string, number> | undefined), [key]: shown };
        TYPE['MESSENGER']! += shown;
      } else if (wide && letter === 'X') (maps['TASKS_TASK']![key] = shown), (TYPE['TASKS_TASK']! += shown);
      else {
        maps['CHAT']![key] = shown;
        TYPE['CHAT']! += shown;
        if (wide && letter === 'A') (maps['COPILOT']![key] = shown), (TYPE['COPILOT']! += shown);
        if (wide && letter === 'B') (maps['COLLAB']![key] = shown), (TYPE['COLLAB']! += shown);
      }
    }
    TYPE['MESSENGER']! += TYPE['CHAT']! + TYPE['DIALOG']! + TYPE['LINES']! + (TYPE['TASKS_TASK'] ?? 0);
    TYPE['ALL'] = TYPE['MESSENGER']! + TYPE['NOTIFY']!;
    const php = (m: Record<string, unknown>) => (Object.keys(m).length ? m : []);
    const base = { TYPE, CHAT: php(maps['CHAT']!), CHAT_MUTED: php(maps['CHAT_MUTED']!), CHAT_UNREAD: lists['CHAT_UNREAD'], LINES: php(maps['LINES']!), DIALOG: php(maps['DIALOG']!), DIALOG_UNREAD: lists['DIALOG_UNREAD'] };
    if (!wide) return base;
    return {
      ...base,
      COLLAB: php(maps['COLLAB']!),
      COLLAB_UNREAD: lists['COLLAB_UNREAD'],
      COPILOT: php(maps['COPILOT']!),
      COPILOT_UNREAD: lists['COPILOT_UNREAD'],
      TASKS_TASK: php(maps['TASKS_TASK']!),
      TASKS_TASK_UNREAD: lists['TASKS_TASK_UNREAD'],
      CHANNEL_COMMENT: php(maps['CHANNEL_COMMENT']!),
    };
  }

  private execute(method: string, params: RestParams): unknown {
    switch (method) {
      case 'im.counters.get':
        return this.counters();
      case 'im.recent.list': {
        const unreadOnly = params['UNREAD_ONLY'] === 'Y';
        const skipLines = params['SKIP_OPENLINES'] === 'Y';
        const list = [...this.chats.values()]
          .filter((c) => !this.hiddenFromRecent(c))
          .filter((c) => (!unreadOnly || this.counter(c) > 0 || c.manual || this.children(c).some((child) => this.counter(child) > 0)) && !(skipLines && this.isLines(c)))
          .sort((a, b) => (b.messages[b.messages.length - 1] ?? 0) - (a.messages[a.messages.length - 1] ?? 0));
        const offset = Number(params['OFFSET'] ?? 0);
        const limit = Math.min(200, Number(params['LIMIT'] ?? 50));
        const start = Math.max(0, offset - (offset > 0 ? this.pageOverlap : 0));
        return { items: list.slice(start, offset + limit).map((c) => this.recentItem(c)), hasMore: offset + limit < list.length, hasMorePages: offset + limit < list.length };
      }
      case 'im.dialog.read': {
        const chat = this.chatOf(params);
        const last = chat.messages[chat.messages.length - 1] ?? 0;
        if (Number(params['MESSAGE_ID'] ?? 0) > 0) {
          // readTo: a receipt for every message newly viewed; mark and anchors stay.
          const upTo = Math.min(Number(params['MESSAGE_ID']), last);
          for (const id of chat.messages) if (id > chat.lastRead && id <= upTo) this.receipts.push({ dialogId: chat.dialogId, messageId: id });
          chat.lastRead = Math.max(chat.lastRead, upTo);
        } else {
          // readAllInChat: everything, mark, anchors and comment threads; no receipts.
          chat.lastRead = last;
          chat.manual = false;
          chat.anchors = 0;
          for (const child of this.children(chat)) (child.lastRead = child.messages[child.messages.length - 1] ?? 0), (child.anchors = 0);
        }
        return { dialogId: chat.dialogId, chatId: chat.chatId, lastId: chat.lastRead, counter: this.counter(chat) };
      }
      case 'im.dialog.read.all':
        if (this.readAllMissing) throw err('method_not_found', 'ERROR_METHOD_NOT_FOUND');
        for (const chat of this.chats.values()) {
          if (this.isLines(chat) || (this.readAllSkipsMuted && chat.muted)) continue;
          chat.lastRead = chat.messages[chat.messages.length - 1] ?? 0;
          chat.manual = false;
        }
        return true;
      case 'im.notify.read.all':
        this.notifications = 0;
        return { result: true, newCounter: 0 };
      case 'im.recent.unread': {
        const chat = this.chatOf(params);
        chat.manual = (params['ACTION'] ?? 'Y') === 'Y';
        return true;
      }
      case 'im.dialog.get': {
        const chat = this.chatOf(params);
        return {
          id: chat.chatId,
          dialog_id: chat.dialogId,
          name: chat.title,
          type: chat.chatType ?? 'private',
          message_type: this.letter(chat),
          entity_type: chat.entityType ?? '',
          parent_chat_id: chat.parentChatId ?? 0,
          counter: this.counter(chat),
          last_id: chat.lastRead,
          last_message_id: chat.messages[chat.messages.length - 1] ?? 0,
        };
      }
      case 'im.dialog.messages.get': {
        const chat = this.chatOf(params);
        const limit = Number(params['LIMIT'] ?? 20);
        const first = Number(params['FIRST_ID'] ?? 0);
        const last = Number(params['LAST_ID'] ?? 0);
        // Like the server: FIRST_ID ≤ 0 is absent; LAST_ID pages back (older, newest first).
        const ids =
          first > 0
            ? chat.messages.filter((id) => id > first).slice(0, limit)
            : last > 0
              ? chat.messages.filter((id) => id < last).slice(-limit).reverse()
              : chat.messages.slice(-limit).reverse();
        return { chat_id: chat.chatId, messages: ids.map((id) => ({ id, chat_id: chat.chatId, author_id: 2, text: '', unread: false })), users: [], files: [] };
      }
      case 'im.dialog.unread': {
        const chat = this.chatOf(params);
        const id = Number(params['MESSAGE_ID']);
        if (!Number.isSafeInteger(id) || id <= 0) throw err('request', 'MESSAGE_ID_ERROR');
        chat.lastRead = Math.max(0, ...chat.messages.filter((m) => m < id));
        return true;
      }
      default:
        throw err('method_not_found', 'ERROR_METHOD_NOT_FOUND');
    }
  }
}
