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
}

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
    const chat = this.chats.get(id);
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
            message_type: chat.chatType === 'lines' ? 'L' : 'C',
            mute_list: chat.muted && chat.muteInList ? { [String(this.myUserId)]: true } : [],
          },
      ...(chat.chatType === 'lines' ? { lines: { id: 1, status: 10, date_create: '' } } : {}),
      options: [],
    };
  }

  private counters(): Record<string, unknown> {
    const CHAT: Record<string, number> = {};
    const CHAT_MUTED: Record<string, number> = {};
    const LINES: Record<string, number> = {};
    const DIALOG: Record<string, number> = {};
    const CHAT_UNREAD: number[] = [];
    const DIALOG_UNREAD: number[] = [];
    const TYPE = { ALL: 0, NOTIFY: this.notifications, CHAT: 0, LINES: 0, DIALOG: 0, MESSENGER: 0 };
    for (const chat of this.chats.values()) {
      const count = this.counter(chat);
      const isUser = chat.chatType === undefined;
      if (chat.manual) (isUser ? DIALOG_UNREAD.push(Number(chat.dialogId)) : CHAT_UNREAD.push(chat.chatId));
      if (count === 0 && !chat.manual) continue;
      const shown = count || 1;
      if (chat.muted) CHAT_MUTED[String(chat.chatId)] = shown;
      else if (this.isLines(chat)) (LINES[String(chat.chatId)] = shown), (TYPE.LINES += shown);
      else if (isUser) (DIALOG[chat.dialogId] = shown), (TYPE.DIALOG += shown);
      else (CHAT[String(chat.chatId)] = shown), (TYPE.CHAT += shown);
    }
    TYPE.MESSENGER = TYPE.CHAT + TYPE.DIALOG + TYPE.LINES;
    TYPE.ALL = TYPE.MESSENGER + TYPE.NOTIFY;
    const php = (m: Record<string, number>) => (Object.keys(m).length ? m : []);
    return { TYPE, CHAT: php(CHAT), CHAT_MUTED: php(CHAT_MUTED), CHAT_UNREAD, LINES: php(LINES), DIALOG: php(DIALOG), DIALOG_UNREAD };
  }

  private execute(method: string, params: RestParams): unknown {
    switch (method) {
      case 'im.counters.get':
        return this.counters();
      case 'im.recent.list': {
        const unreadOnly = params['UNREAD_ONLY'] === 'Y';
        const skipLines = params['SKIP_OPENLINES'] === 'Y';
        const list = [...this.chats.values()]
          .filter((c) => (!unreadOnly || this.counter(c) > 0 || c.manual) && !(skipLines && this.isLines(c)))
          .sort((a, b) => (b.messages[b.messages.length - 1] ?? 0) - (a.messages[a.messages.length - 1] ?? 0));
        const offset = Number(params['OFFSET'] ?? 0);
        const limit = Math.min(200, Number(params['LIMIT'] ?? 50));
        const start = Math.max(0, offset - (offset > 0 ? this.pageOverlap : 0));
        return { items: list.slice(start, offset + limit).map((c) => this.recentItem(c)), hasMore: offset + limit < list.length, hasMorePages: offset + limit < list.length };
      }
      case 'im.dialog.read': {
        const chat = this.chatOf(params);
        const last = chat.messages[chat.messages.length - 1] ?? 0;
        const upTo = Number(params['MESSAGE_ID'] ?? 0) > 0 ? Math.min(Number(params['MESSAGE_ID']), last) : last;
        chat.lastRead = Math.max(chat.lastRead, upTo);
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
        return { id: chat.chatId, dialog_id: chat.dialogId, counter: this.counter(chat), last_id: chat.lastRead, last_message_id: chat.messages[chat.messages.length - 1] ?? 0 };
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
