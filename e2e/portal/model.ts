// The in-memory messenger of one portal: users, chats, messages and the current user's read
// state. Only the current user has read state; other users see an empty messenger.

import { phpMap } from './php-json.ts';

export type ChatKind = 'dialog' | 'chat' | 'workgroup' | 'crm' | 'tasks' | 'lines';

export interface PortalUser {
  id: number;
  firstName: string;
  lastName: string;
  workPosition: string;
  color: string;
  gender: 'M' | 'F';
  email: string;
  departments: number[];
  lastActivity: number;
  connector: boolean; // open-line customer (external connector user)
}

export interface PortalMessage {
  id: number;
  chatId: number;
  authorId: number; // 0 = system
  date: number; // ms
  text: string;
  uuid: string | null;
  params: Map<string, unknown>;
}

export interface OpenLineSession {
  id: number; // open line (config) id
  status: number; // session status code
  dateCreate: number;
  operatorId: number; // 0 = not yet taken by an operator
}

export interface PortalChat {
  id: number;
  kind: ChatKind;
  title: string;
  description: string;
  color: string;
  ownerId: number;
  members: Set<number>;
  peerId: number; // 1:1 dialogs: the other user
  workgroupId: number; // workgroup chats: the sonet group id (dialog id sgN)
  entityId: string;
  messageIds: number[]; // ascending
  lastReadId: number; // the current user's read pointer
  muted: boolean;
  pinned: boolean;
  manualUnread: boolean;
  inRecent: boolean;
  dateCreate: number;
  lines?: OpenLineSession;
}

export interface ChatView {
  dialogId: string;
  chatId: number;
  kind: ChatKind;
  title: string;
  lastMessageId: number;
  lastReadId: number;
  counter: number;
  firstUnreadId: number;
  muted: boolean;
  pinned: boolean;
  manualUnread: boolean;
}

export interface ReadEvent {
  t: number;
  dialogId: string;
  fromId: number;
  toId: number;
  via: string;
}

/** One `im.dialog.read` the handler ran, whether or not it moved the pointer (a repeat does not). */
export interface ReadCall {
  t: number;
  /** The DIALOG_ID as sent (lower-cased). */
  dialogId: string;
  /** MESSAGE_ID as sent; 0 = none. */
  messageId: number;
  moved: boolean;
}

export interface Notification {
  id: number;
  date: number;
  read: boolean;
}

export const DIALOG_ID_FORMAT = /^([0-9]+|(chat|sg|crm)[0-9]+)$/i;

export class MessengerState {
  readonly users = new Map<number, PortalUser>();
  readonly chats = new Map<number, PortalChat>();
  readonly messages = new Map<number, PortalMessage>();
  readonly notifications: Notification[] = [];
  readonly readEvents: ReadEvent[] = [];
  readonly readCalls: ReadCall[] = [];
  private readonly dialogByPeer = new Map<number, number>();
  private readonly chatByWorkgroup = new Map<number, number>();
  private lastMessageId = 0;
  private uuidSeq = 0;

  constructor(readonly userId: number, firstMessageId: number) {
    this.lastMessageId = firstMessageId - 1;
  }

  addUser(u: PortalUser): void {
    this.users.set(u.id, u);
  }

  addChat(c: PortalChat): void {
    this.chats.set(c.id, c);
    if (c.kind === 'dialog') this.dialogByPeer.set(c.peerId, c.id);
    if (c.kind === 'workgroup') this.chatByWorkgroup.set(c.workgroupId, c.id);
  }

  /** Appends a message with the next portal-wide id; returns it. */
  addMessage(chat: PortalChat, authorId: number, text: string, date: number, params?: Map<string, unknown>): PortalMessage {
    const id = ++this.lastMessageId;
    const msg: PortalMessage = {
      id,
      chatId: chat.id,
      authorId,
      date,
      text,
      uuid: authorId === 0 ? null : this.nextUuid(),
      params: params ?? new Map(),
    };
    this.messages.set(id, msg);
    chat.messageIds.push(id);
    return msg;
  }

  nextUuid(): string {
    const n = (++this.uuidSeq).toString(16).padStart(12, '0');
    return `5e1a7c00-0000-4000-8000-${n}`;
  }

  /** `chatN`, `sgN` or a user id (any case); undefined when no such chat exists. */
  resolve(dialogId: string): PortalChat | undefined {
    const id = dialogId.trim().toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^chat(\d+)$/.exec(id))) return this.chats.get(Number(m[1]));
    if ((m = /^sg(\d+)$/.exec(id))) {
      const chatId = this.chatByWorkgroup.get(Number(m[1]));
      return chatId === undefined ? undefined : this.chats.get(chatId);
    }
    if (/^\d+$/.test(id)) {
      const chatId = this.dialogByPeer.get(Number(id));
      return chatId === undefined ? undefined : this.chats.get(chatId);
    }
    return undefined;
  }

  /** The chat if `userId` may see it (member); the messenger of other users is empty. */
  accessible(dialogId: string, userId: number): PortalChat | undefined {
    if (userId !== this.userId) return undefined;
    const chat = this.resolve(dialogId);
    return chat && chat.members.has(userId) ? chat : undefined;
  }

  dialogIdOf(chat: PortalChat): string {
    return chat.kind === 'dialog' ? String(chat.peerId) : `chat${chat.id}`;
  }

  lastMessage(chat: PortalChat): PortalMessage | undefined {
    const id = chat.messageIds[chat.messageIds.length - 1];
    return id === undefined ? undefined : this.messages.get(id);
  }

  lastMessageIdOf(chat: PortalChat): number {
    return chat.messageIds[chat.messageIds.length - 1] ?? 0;
  }

  isUnread(chat: PortalChat, m: PortalMessage): boolean {
    return m.id > chat.lastReadId && m.authorId !== this.userId;
  }

  counter(chat: PortalChat): number {
    let n = 0;
    for (let i = chat.messageIds.length - 1; i >= 0; i--) {
      const id = chat.messageIds[i] as number;
      if (id <= chat.lastReadId) break;
      if (this.messages.get(id)?.authorId !== this.userId) n++;
    }
    return n;
  }

  firstUnreadId(chat: PortalChat): number {
    for (const id of chat.messageIds) {
      if (id <= chat.lastReadId) continue;
      if (this.messages.get(id)?.authorId !== this.userId) return id;
    }
    return 0;
  }

  /** Largest message id of the chat that is <= limit (0 if none). */
  floorMessageId(chat: PortalChat, limit: number): number {
    let best = 0;
    for (const id of chat.messageIds) {
      if (id > limit) break;
      best = id;
    }
    return best;
  }

  /** Moves the read pointer forward to `upTo` (undefined = the newest message). Returns true if moved. */
  readUpTo(chat: PortalChat, upTo: number | undefined, via: string): boolean {
    const target = upTo === undefined ? this.lastMessageIdOf(chat) : this.floorMessageId(chat, upTo);
    if (target <= chat.lastReadId) return false;
    this.movePointer(chat, target, via);
    return true;
  }

  /** Moves the pointer back to just before `fromId`; true if moved. */
  unreadFrom(chat: PortalChat, fromId: number, via: string): boolean {
    const target = this.floorMessageId(chat, fromId - 1);
    if (target >= chat.lastReadId) return false;
    this.movePointer(chat, target, via);
    return true;
  }

  private movePointer(chat: PortalChat, toId: number, via: string): void {
    this.readEvents.push({ t: Date.now(), dialogId: this.dialogIdOf(chat), fromId: chat.lastReadId, toId, via });
    chat.lastReadId = toId;
  }

  memberChats(): PortalChat[] {
    return [...this.chats.values()].filter((c) => c.members.has(this.userId));
  }

  /** Recent list order: pinned first, then by last message date (newest first). */
  recentChats(): PortalChat[] {
    return this.memberChats()
      .filter((c) => c.inRecent)
      .map((c) => ({ c, date: this.lastMessage(c)?.date ?? c.dateCreate, last: this.lastMessageIdOf(c) }))
      .sort((a, b) => {
        if (a.c.pinned !== b.c.pinned) return a.c.pinned ? -1 : 1;
        return b.date - a.date || b.last - a.last;
      })
      .map((x) => x.c);
  }

  unreadNotifications(): number {
    return this.notifications.filter((n) => !n.read).length;
  }

  /** The `im.counters.get` result for the current user. */
  counters(): Record<string, unknown> {
    const type = { ALL: 0, NOTIFY: this.unreadNotifications(), CHAT: 0, LINES: 0, DIALOG: 0, MESSENGER: 0 };
    const chat: Array<[number, number]> = [];
    const muted: Array<[number, number]> = [];
    const lines: Array<[number, number]> = [];
    const dialog: Array<[number, number]> = [];
    const chatUnread: number[] = [];
    const dialogUnread: number[] = [];
    for (const c of this.memberChats()) {
      const n = this.counter(c);
      const bucket: 'LINES' | 'DIALOG' | 'CHAT' = c.kind === 'lines' ? 'LINES' : c.kind === 'dialog' ? 'DIALOG' : 'CHAT';
      if (c.manualUnread) {
        if (c.kind === 'dialog') dialogUnread.push(c.peerId);
        else chatUnread.push(c.id);
      }
      if (c.muted) {
        if (n > 0) muted.push([c.id, n]);
        continue;
      }
      if (n > 0) {
        (bucket === 'LINES' ? lines : bucket === 'DIALOG' ? dialog : chat).push([bucket === 'DIALOG' ? c.peerId : c.id, n]);
        type[bucket] += n;
      } else if (c.manualUnread) {
        type[bucket] += 1;
      }
    }
    const byKey = (a: [number, number], b: [number, number]): number => a[0] - b[0];
    type.MESSENGER = type.CHAT + type.LINES + type.DIALOG;
    type.ALL = type.MESSENGER + type.NOTIFY;
    return {
      TYPE: type,
      CHAT: phpMap(chat.sort(byKey)),
      CHAT_MUTED: phpMap(muted.sort(byKey)),
      CHAT_UNREAD: chatUnread.sort((a, b) => a - b),
      LINES: phpMap(lines.sort(byKey)),
      DIALOG: phpMap(dialog.sort(byKey)),
      DIALOG_UNREAD: dialogUnread.sort((a, b) => a - b),
    };
  }

  view(chat: PortalChat): ChatView {
    return {
      dialogId: this.dialogIdOf(chat),
      chatId: chat.id,
      kind: chat.kind,
      title: chat.title,
      lastMessageId: this.lastMessageIdOf(chat),
      lastReadId: chat.lastReadId,
      counter: this.counter(chat),
      firstUnreadId: this.firstUnreadId(chat),
      muted: chat.muted,
      pinned: chat.pinned,
      manualUnread: chat.manualUnread,
    };
  }
}
