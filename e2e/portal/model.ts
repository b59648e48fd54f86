// The in-memory messenger of one portal: users, chats, messages and the current user's read
// state. Only the current user has read state; other users see an empty messenger.

import { phpMap } from './php-json.ts';

export type ChatKind =
  | 'dialog' | 'chat' | 'workgroup' | 'crm' | 'tasks' | 'lines'
  | 'channel' | 'openChannel' | 'generalChannel' | 'comment' | 'open' | 'general' | 'announcement'
  | 'collab' | 'copilot' | 'tasksTask' | 'videoconf' | 'calendar' | 'mail' | 'call';

/** Which build of the im module the portal runs (bitrix24-im-26.md, source labels Y / Y-May / H). */
export type ImBuild = 'Y' | 'Y-May' | 'H';

export interface KindInfo {
  /** Extended type (`chat.type`); 1:1 dialogs say `private` in im.dialog.get and v2. */
  type: string;
  messageType: string;
  entityType: string;
  /** Recent sections (Y RecentConfigManager); empty = a nested chat (counted through its parent). */
  sections: string[];
}

/** The doc's §1 table. */
export const KIND_INFO: Record<ChatKind, KindInfo> = {
  dialog: { type: 'private', messageType: 'P', entityType: '', sections: ['default'] },
  chat: { type: 'chat', messageType: 'C', entityType: '', sections: ['default'] },
  workgroup: { type: 'sonetGroup', messageType: 'C', entityType: 'SONET_GROUP', sections: ['default'] },
  crm: { type: 'crm', messageType: 'C', entityType: 'CRM', sections: ['default'] },
  tasks: { type: 'tasks', messageType: 'C', entityType: 'TASKS', sections: ['default'] },
  lines: { type: 'lines', messageType: 'L', entityType: 'LINES', sections: ['lines'] },
  channel: { type: 'channel', messageType: 'N', entityType: '', sections: ['default'] },
  openChannel: { type: 'openChannel', messageType: 'J', entityType: '', sections: ['default', 'openChannel'] },
  generalChannel: { type: 'generalChannel', messageType: 'J', entityType: 'GENERAL_CHANNEL', sections: ['default', 'openChannel'] },
  comment: { type: 'comment', messageType: 'T', entityType: '', sections: [] },
  open: { type: 'open', messageType: 'O', entityType: '', sections: ['default'] },
  general: { type: 'general', messageType: 'O', entityType: 'GENERAL', sections: ['default'] },
  announcement: { type: 'announcement', messageType: 'C', entityType: 'ANNOUNCEMENT', sections: ['default'] },
  collab: { type: 'collab', messageType: 'B', entityType: 'SONET_GROUP', sections: ['collab'] },
  copilot: { type: 'copilot', messageType: 'A', entityType: '', sections: ['default', 'copilot'] },
  tasksTask: { type: 'tasksTask', messageType: 'X', entityType: 'TASKS_TASK', sections: ['tasksTask'] },
  videoconf: { type: 'videoconf', messageType: 'C', entityType: 'VIDEOCONF', sections: ['default'] },
  calendar: { type: 'calendar', messageType: 'C', entityType: 'CALENDAR', sections: ['default', 'calendar'] },
  mail: { type: 'mail', messageType: 'C', entityType: 'MAIL', sections: ['default'] },
  call: { type: 'call', messageType: 'C', entityType: 'CALL', sections: ['default'] },
};

/** Channels (N, J): the chats that carry comment threads. */
export const isChannelKind = (k: ChatKind): boolean => k === 'channel' || k === 'openChannel' || k === 'generalChannel';

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
  /** A collab's outside guest (user type `collaber`). */
  collaber?: boolean;
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
  lastReadId: number; // the current user's read pointer (LAST_ID)
  muted: boolean;
  pinned: boolean;
  manualUnread: boolean;
  inRecent: boolean;
  dateCreate: number;
  lines?: OpenLineSession;
  /** Comment threads: the channel chat and the post they hang under (0 = top level). */
  parentChatId?: number;
  parentMessageId?: number;
  /** Collabs with outside guests. */
  containsCollaber?: boolean;
  /** MARKED_ID of the manual mark (0 = the chat, not a message). */
  markedId?: number;
  /**
   * Unread counter rows deleted without moving LAST_ID (Y `readAll` on open lines): messages up to
   * here do not count. 0 = none.
   */
  counterFloor?: number;
  /** Recent sections override (default KIND_INFO[kind].sections). */
  sections?: string[];
  /** Videoconferences: the public link. */
  publicCode?: string;
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
  type: string;
  messageType: string;
  entityType: string;
  parentChatId: number;
  parentMessageId: number;
  containsCollaber: boolean;
  inRecent: boolean;
  sections: string[];
  /** Unread messages in its comment threads. */
  childrenCounter: number;
  /** The user's anchors (mentions, reactions) in this chat. */
  anchors: number;
  markedId: number;
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

/** A "viewed" record: the user is shown to the sender as having seen this message. */
export interface Receipt {
  t: number;
  chatId: number;
  dialogId: string;
  messageId: number;
  via: string;
}

export type ReadOpKind =
  | 'readTo' | 'readAllInChat' | 'readAll' | 'readByRecentSection' | 'readByType' | 'readChildren'
  | 'clearMark' | 'mark' | 'unread' | 'anchorRead';

/** One Reader operation (doc §4.1) the portal ran. */
export interface ReadOp {
  t: number;
  op: ReadOpKind;
  via: string;
  dialogId?: string;
  chatId?: number;
  toId?: number;
  section?: string;
  parentId?: number | null;
  type?: string;
  /** Receipts this operation recorded. */
  receipts: number;
}

export type AnchorType = 'MENTION' | 'REACTION';

export interface Anchor {
  chatId: number;
  messageId: number;
  type: AnchorType;
  subType: string;
  fromUserId: number;
}

export interface AnchorView extends Anchor {
  dialogId: string;
}

export interface Notification {
  id: number;
  date: number;
  read: boolean;
}

export interface PersonalFolder {
  id: number;
  title: string;
  sort: number;
  chatIds: number[];
}

export const DIALOG_ID_FORMAT = /^([0-9]+|(chat|sg|crm)[0-9]+)$/i;

type Pair = [number, number];

export class MessengerState {
  readonly users = new Map<number, PortalUser>();
  readonly chats = new Map<number, PortalChat>();
  readonly messages = new Map<number, PortalMessage>();
  readonly notifications: Notification[] = [];
  readonly readEvents: ReadEvent[] = [];
  readonly readCalls: ReadCall[] = [];
  readonly receipts: Receipt[] = [];
  readonly readOps: ReadOp[] = [];
  /** The current user's anchors. */
  anchors: Anchor[] = [];
  /** Messages the current user has viewed (receipts given). */
  readonly viewed = new Set<number>();
  readonly folders: PersonalFolder[] = [];
  build: ImBuild = 'Y';
  /** Copilot history/activity: false = copilot chats vanish from the recent list and counters. */
  copilotAvailable = true;
  private readonly dialogByPeer = new Map<number, number>();
  private readonly chatByWorkgroup = new Map<number, number>();
  private readonly childrenByParent = new Map<number, PortalChat[]>();
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
    const parent = c.parentChatId ?? 0;
    if (parent > 0) {
      const list = this.childrenByParent.get(parent) ?? [];
      list.push(c);
      this.childrenByParent.set(parent, list);
    }
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

  info(chat: PortalChat): KindInfo {
    return KIND_INFO[chat.kind];
  }

  sectionsOf(chat: PortalChat): string[] {
    if ((chat.parentChatId ?? 0) > 0) return [];
    if (chat.kind === 'copilot' && !this.copilotAvailable) return [];
    return chat.sections ?? KIND_INFO[chat.kind].sections;
  }

  lastMessage(chat: PortalChat): PortalMessage | undefined {
    const id = chat.messageIds[chat.messageIds.length - 1];
    return id === undefined ? undefined : this.messages.get(id);
  }

  lastMessageIdOf(chat: PortalChat): number {
    return chat.messageIds[chat.messageIds.length - 1] ?? 0;
  }

  /** Where counting starts: LAST_ID, or a later point where counter rows were deleted. */
  private countFrom(chat: PortalChat): number {
    return Math.max(chat.lastReadId, chat.counterFloor ?? 0);
  }

  isUnread(chat: PortalChat, m: PortalMessage): boolean {
    return m.id > chat.lastReadId && m.authorId !== this.userId;
  }

  counter(chat: PortalChat): number {
    const from = this.countFrom(chat);
    let n = 0;
    for (let i = chat.messageIds.length - 1; i >= 0; i--) {
      const id = chat.messageIds[i] as number;
      if (id <= from) break;
      if (this.messages.get(id)?.authorId !== this.userId) n++;
    }
    return n;
  }

  firstUnreadId(chat: PortalChat): number {
    const from = this.countFrom(chat);
    for (const id of chat.messageIds) {
      if (id <= from) continue;
      if (this.messages.get(id)?.authorId !== this.userId) return id;
    }
    return 0;
  }

  /** Comment threads (and other nested chats) under a chat the user is in. */
  children(chat: PortalChat): PortalChat[] {
    return (this.childrenByParent.get(chat.id) ?? []).filter((c) => c.parentChatId === chat.id && c.members.has(this.userId));
  }

  childrenCounter(chat: PortalChat): number {
    return this.children(chat).reduce((n, c) => n + this.counter(c), 0);
  }

  anchorsIn(chat: PortalChat): Anchor[] {
    return this.anchors.filter((a) => a.chatId === chat.id);
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

  /** Moves the read pointer forward to `upTo` (undefined = the newest message). Returns true if moved. No receipts. */
  readUpTo(chat: PortalChat, upTo: number | undefined, via: string): boolean {
    const target = upTo === undefined ? this.lastMessageIdOf(chat) : this.floorMessageId(chat, upTo);
    if (target <= chat.lastReadId) return false;
    this.movePointer(chat, target, via);
    return true;
  }

  /** Moves the pointer back to just before `fromId`; true if moved. Counters come back from there. */
  unreadFrom(chat: PortalChat, fromId: number, via: string): boolean {
    const target = this.floorMessageId(chat, fromId - 1);
    if ((chat.counterFloor ?? 0) > target) chat.counterFloor = 0;
    if (target >= chat.lastReadId) return false;
    this.movePointer(chat, target, via);
    this.op('unread', via, chat, { toId: target });
    return true;
  }

  private movePointer(chat: PortalChat, toId: number, via: string): void {
    this.readEvents.push({ t: Date.now(), dialogId: this.dialogIdOf(chat), fromId: chat.lastReadId, toId, via });
    chat.lastReadId = toId;
  }

  private op(op: ReadOpKind, via: string, chat: PortalChat | undefined, extra: Partial<ReadOp> = {}): ReadOp {
    const rec: ReadOp = { t: Date.now(), op, via, receipts: 0, ...extra };
    if (chat) {
      rec.dialogId = this.dialogIdOf(chat);
      rec.chatId = chat.id;
    }
    this.readOps.push(rec);
    return rec;
  }

  // --- the Reader (doc §4.1) ---------------------------------------------------------------

  /**
   * `readTo(msg)` / `read(msgs)`: counters up to `upTo` (floor), LAST_ID there, views recorded for
   * the unviewed messages of others read now; mark, anchors and children stay. Returns the ids viewed now.
   */
  readTo(chat: PortalChat, upTo: number, via: string): { moved: boolean; viewed: number[] } {
    const target = this.floorMessageId(chat, upTo);
    const from = chat.lastReadId;
    const viewed: number[] = [];
    for (const id of chat.messageIds) {
      if (id <= from || id > target) continue;
      const m = this.messages.get(id);
      // Every unread message gets its view, system ones (author 0) too: one receipt per message counted.
      if (!m || m.authorId === this.userId || this.viewed.has(id)) continue;
      this.viewed.add(id);
      viewed.push(id);
      this.receipts.push({ t: Date.now(), chatId: chat.id, dialogId: this.dialogIdOf(chat), messageId: id, via });
    }
    const moved = target > chat.lastReadId;
    if (moved) this.movePointer(chat, target, via);
    this.op('readTo', via, chat, { toId: target, receipts: viewed.length });
    return { moved, viewed };
  }

  /** `readAllInChat`: counter, LAST_ID → last, mark and anchors cleared, children read; no views. */
  readAllInChat(chat: PortalChat, via: string, record = true): boolean {
    const moved = this.readUpTo(chat, undefined, via);
    chat.counterFloor = 0;
    chat.manualUnread = false;
    chat.markedId = 0;
    this.anchors = this.anchors.filter((a) => a.chatId !== chat.id);
    for (const child of this.children(chat)) this.readAllInChat(child, via, false);
    if (record) this.op('readAllInChat', via, chat, { toId: chat.lastReadId });
    return moved;
  }

  /** `readChildren`: the comment threads under a channel. */
  readChildren(chat: PortalChat, via: string): void {
    for (const child of this.children(chat)) this.readAllInChat(child, via, false);
    this.op('readChildren', via, chat);
  }

  /**
   * `readAll(user)`: LAST_ID → last in every chat except open lines; all marks and anchors cleared;
   * notifications read. Build Y/Y-May delete every counter row, open lines' included (LAST_ID stays).
   */
  readAll(via: string): void {
    for (const chat of this.memberChats()) {
      chat.manualUnread = false;
      chat.markedId = 0;
      if (chat.kind === 'lines') {
        if (this.build !== 'H') chat.counterFloor = this.lastMessageIdOf(chat);
        continue;
      }
      this.readUpTo(chat, undefined, via);
      chat.counterFloor = 0;
    }
    this.anchors = [];
    for (const n of this.notifications) n.read = true;
    this.op('readAll', via, undefined);
  }

  /** `readAllByRecentSection`: chats of the section in the parent scope (null = any depth). */
  readByRecentSection(section: string, parentId: number | null, via: string): number {
    let n = 0;
    for (const chat of this.memberChats()) {
      if (!this.sectionsOf(chat).includes(section)) continue;
      if (parentId !== null && (chat.parentChatId ?? 0) !== parentId) continue;
      this.readAllInChat(chat, via, false);
      n++;
    }
    this.op('readByRecentSection', via, undefined, { section, parentId });
    return n;
  }

  /** `readByType` (H, Y-May): chats of one extended type. */
  readByType(type: string, via: string): number {
    let n = 0;
    for (const chat of this.memberChats()) {
      if (KIND_INFO[chat.kind].type !== type && !(type === 'user' && chat.kind === 'dialog')) continue;
      this.readAllInChat(chat, via, false);
      n++;
    }
    this.op('readByType', via, undefined, { type });
    return n;
  }

  clearMark(chat: PortalChat, via: string): void {
    chat.manualUnread = false;
    chat.markedId = 0;
    this.op('clearMark', via, chat);
  }

  setMark(chat: PortalChat, via: string, markedId = 0): void {
    chat.manualUnread = true;
    chat.markedId = markedId;
    this.op('mark', via, chat, markedId ? { toId: markedId } : {});
  }

  readAnchors(pred: (a: Anchor) => boolean, via: string, chat?: PortalChat): number {
    const before = this.anchors.length;
    this.anchors = this.anchors.filter((a) => !pred(a));
    this.op('anchorRead', via, chat);
    return before - this.anchors.length;
  }

  memberChats(): PortalChat[] {
    return [...this.chats.values()].filter((c) => c.members.has(this.userId));
  }

  /** Whether im.recent.list shows the chat: never external (X) or nested chats, nor unavailable copilot. */
  listable(c: PortalChat): boolean {
    if (!c.inRecent) return false;
    if ((c.parentChatId ?? 0) > 0) return false;
    if (c.kind === 'tasksTask' || c.kind === 'comment') return false;
    if (c.kind === 'copilot' && !this.copilotAvailable) return false;
    return true;
  }

  /** Whether the chat has a row in the user's recent table (any section; nested chats have none). */
  hasRecentRow(c: PortalChat): boolean {
    return c.members.has(this.userId) && c.inRecent && (c.parentChatId ?? 0) === 0 && c.kind !== 'comment' && !(c.kind === 'copilot' && !this.copilotAvailable);
  }

  /** Recent table rows (v2 sections included: task chats), pinned first, then newest first. */
  recentRows(): PortalChat[] {
    return this.sortRecent(this.memberChats().filter((c) => this.hasRecentRow(c)));
  }

  /** Recent list order: pinned first, then by last message date (newest first). */
  recentChats(): PortalChat[] {
    return this.sortRecent(this.memberChats().filter((c) => this.listable(c)));
  }

  activityOf(c: PortalChat): number {
    return this.lastMessage(c)?.date ?? c.dateCreate;
  }

  private sortRecent(chats: PortalChat[]): PortalChat[] {
    return chats
      .map((c) => ({ c, date: this.activityOf(c), last: this.lastMessageIdOf(c) }))
      .sort((a, b) => {
        if (a.c.pinned !== b.c.pinned) return a.c.pinned ? -1 : 1;
        return b.date - a.date || b.last - a.last;
      })
      .map((x) => x.c);
  }

  unreadNotifications(): number {
    return this.notifications.filter((n) => !n.read).length;
  }

  /** The `im.counters.get` result for the current user, in the shape of the portal's build. */
  counters(): Record<string, unknown> {
    return this.build === 'H' ? this.countersH() : this.countersY();
  }

  /** H (March 2026): 7 keys; comment threads, collabs and external chats in CHAT; copilot dropped. */
  private countersH(): Record<string, unknown> {
    const type = { ALL: 0, NOTIFY: this.unreadNotifications(), CHAT: 0, LINES: 0, DIALOG: 0, MESSENGER: 0 };
    const chat: Pair[] = [];
    const muted: Pair[] = [];
    const lines: Pair[] = [];
    const dialog: Pair[] = [];
    const chatUnread: number[] = [];
    const dialogUnread: number[] = [];
    for (const c of this.memberChats()) {
      if (c.kind === 'copilot') continue;
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
    type.MESSENGER = type.CHAT + type.LINES + type.DIALOG;
    type.ALL = type.MESSENGER + type.NOTIFY;
    return {
      TYPE: type,
      CHAT: phpMap(chat.sort(byKey)),
      CHAT_MUTED: phpMap(muted.sort(byKey)),
      CHAT_UNREAD: chatUnread.sort(num),
      LINES: phpMap(lines.sort(byKey)),
      DIALOG: phpMap(dialog.sort(byKey)),
      DIALOG_UNREAD: dialogUnread.sort(num),
    };
  }

  /** Y-May and later (LegacyCountersAdapter): always 14 keys, placement by recent sections. */
  private countersY(): Record<string, unknown> {
    const type = { ALL: 0, NOTIFY: this.unreadNotifications(), CHAT: 0, LINES: 0, DIALOG: 0, COPILOT: 0, COLLAB: 0, MESSENGER: 0, TASKS_TASK: 0 };
    const maps = {
      CHAT: [] as Pair[], DIALOG: [] as Pair[], COLLAB: [] as Pair[], CHAT_MUTED: [] as Pair[],
      LINES: [] as Pair[], COPILOT: [] as Pair[], TASKS_TASK: [] as Pair[],
    };
    const marks = { CHAT_UNREAD: [] as number[], DIALOG_UNREAD: [] as number[], COLLAB_UNREAD: [] as number[], COPILOT_UNREAD: [] as number[], TASKS_TASK_UNREAD: [] as number[] };
    const comments = new Map<number, Pair[]>();
    let messenger = 0;
    for (const c of this.memberChats()) {
      const n = this.counter(c);
      const parent = c.parentChatId ?? 0;
      if (parent > 0) {
        if (c.muted) {
          if (n > 0) maps.CHAT_MUTED.push([c.id, n]);
          continue;
        }
        if (n > 0) {
          const list = comments.get(parent) ?? [];
          list.push([c.id, n]);
          comments.set(parent, list);
          messenger += n;
        }
        continue;
      }
      const sections = this.sectionsOf(c);
      const isDialog = c.kind === 'dialog';
      const inChat = sections.includes('default') || sections.includes('openChannel') || sections.includes('copilot') || sections.includes('collab');
      const places: Array<{ map: keyof typeof maps; total: keyof typeof type; mark: keyof typeof marks }> = [];
      if (isDialog) places.push({ map: 'DIALOG', total: 'DIALOG', mark: 'DIALOG_UNREAD' });
      else {
        if (inChat) places.push({ map: 'CHAT', total: 'CHAT', mark: 'CHAT_UNREAD' });
        if (sections.includes('copilot')) places.push({ map: 'COPILOT', total: 'COPILOT', mark: 'COPILOT_UNREAD' });
        if (sections.includes('collab')) places.push({ map: 'COLLAB', total: 'COLLAB', mark: 'COLLAB_UNREAD' });
        if (sections.includes('lines')) places.push({ map: 'LINES', total: 'LINES', mark: 'CHAT_UNREAD' });
        if (sections.includes('tasksTask')) places.push({ map: 'TASKS_TASK', total: 'TASKS_TASK', mark: 'TASKS_TASK_UNREAD' });
      }
      if (places.length === 0) continue; // e.g. calendar without default: no map, no total
      if (c.manualUnread) {
        for (const mk of new Set(places.map((p) => p.mark))) marks[mk].push(isDialog ? c.peerId : c.id);
      }
      if (c.muted) {
        if (n > 0) maps.CHAT_MUTED.push([c.id, n]);
        continue;
      }
      const add = n > 0 ? n : c.manualUnread ? 1 : 0;
      if (add === 0) continue;
      for (const p of places) {
        if (n > 0) maps[p.map].push([isDialog ? c.peerId : c.id, n]);
        type[p.total] += add;
      }
      messenger += add;
    }
    type.MESSENGER = messenger;
    type.ALL = messenger + type.NOTIFY;
    const commentMap = phpMap(
      [...comments].sort((a, b) => a[0] - b[0]).map(([p, list]) => [p, phpMap(list.sort(byKey))] as [number, Map<string, number>]),
    );
    return {
      TYPE: type,
      CHAT: phpMap(maps.CHAT.sort(byKey)),
      DIALOG: phpMap(maps.DIALOG.sort(byKey)),
      COLLAB: phpMap(maps.COLLAB.sort(byKey)),
      CHAT_MUTED: phpMap(maps.CHAT_MUTED.sort(byKey)),
      CHAT_UNREAD: marks.CHAT_UNREAD.sort(num),
      DIALOG_UNREAD: marks.DIALOG_UNREAD.sort(num),
      COLLAB_UNREAD: marks.COLLAB_UNREAD.sort(num),
      COPILOT_UNREAD: marks.COPILOT_UNREAD.sort(num),
      TASKS_TASK_UNREAD: marks.TASKS_TASK_UNREAD.sort(num),
      LINES: phpMap(maps.LINES.sort(byKey)),
      COPILOT: phpMap(maps.COPILOT.sort(byKey)),
      CHANNEL_COMMENT: commentMap,
      TASKS_TASK: phpMap(maps.TASKS_TASK.sort(byKey)),
    };
  }

  /** v2 counters (`im.v2.Counter.get`, `getApplicationData().counters`): unread or marked chats. */
  userCounters(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const c of this.memberChats()) {
      const n = this.counter(c);
      if (n === 0 && !c.manualUnread) continue;
      const parent = c.parentChatId ?? 0;
      const sections = this.sectionsOf(c);
      if (parent === 0 && sections.length === 0) continue;
      out.push({ chatId: c.id, counter: n, parentChatId: parent, isMuted: c.muted, isMarkedAsUnread: c.manualUnread, recentSections: sections });
    }
    return out.sort((a, b) => (a.chatId as number) - (b.chatId as number));
  }

  view(chat: PortalChat): ChatView {
    const info = KIND_INFO[chat.kind];
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
      type: info.type,
      messageType: info.messageType,
      entityType: info.entityType,
      parentChatId: chat.parentChatId ?? 0,
      parentMessageId: chat.parentMessageId ?? 0,
      containsCollaber: chat.containsCollaber ?? false,
      inRecent: this.listable(chat),
      sections: this.sectionsOf(chat),
      childrenCounter: this.childrenCounter(chat),
      anchors: this.anchorsIn(chat).length,
      markedId: chat.markedId ?? 0,
    };
  }
}

const byKey = (a: Pair, b: Pair): number => a[0] - b[0];
const num = (a: number, b: number): number => a - b;
