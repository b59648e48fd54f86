// One portal (one host): its messenger state, sessions, webhooks, limits, faults and request log.

import { randomBytes } from 'node:crypto';
import { FaultControls } from './faults.ts';
import { LeakyBucket, OperatingMeter, planLimits, type Plan } from './limits.ts';
import { folderList } from './im-v2-methods.ts';
import { MessengerState, isChannelKind, type AnchorType, type AnchorView, type ChatView, type ImBuild, type PortalChat, type ReadCall, type ReadEvent, type ReadOp, type Receipt } from './model.ts';
import { phpJson } from './php-json.ts';
import { toPlain, type PhpArray } from './php-params.ts';
import { buildState, type SeedOptions } from './seed.ts';
import type { Counters } from '../../src/core/rest/types.ts';

export interface RequestLogEntry {
  t: number;
  /** HTTP method. */
  method: string;
  /** Request path and query; a webhook secret is replaced by `***`. */
  path: string;
  restMethod?: string;
  auth: 'session' | 'webhook' | 'none';
  /** HTTP status; 0 when the connection was dropped without an answer. */
  status: number;
  error?: string;
  /** Batch sub-calls as sent (`method?query`). */
  subCalls?: string[];
  processingMs: number;
  bytesIn: number;
  bytesOut: number;
}

export interface Latency {
  baseMs: number;
  perCallMs: number;
}

export interface WebhookOptions {
  userId?: number;
  /** Default `['im']`. */
  scopes?: string[];
  expired?: boolean;
}

export interface Webhook {
  userId: number;
  secret: string;
  scopes: Set<string>;
  expired: boolean;
}

export interface Session {
  id: string;
  userId: number;
}

export const SESSION_COOKIE = 'PHPSESSID';

/** One executed REST (sub-)call, as `onCall` hooks see it. */
export interface CallRecord {
  /** 1-based count of executed calls on this tenant. */
  n: number;
  /** Lower-cased method name (`im.v2.chat.read`). */
  method: string;
  params: Record<string, unknown>;
  /** The method's result before JSON encoding (Maps for PHP maps). */
  result: unknown;
}

/** Variants of the messenger page (bitrix24-web-ui.md, "A realistic local portal page"). */
export interface PageOptions {
  /** Expose `BX.Messenger.v2.Application.Core.getStore()` (false = DOM only). Default true. */
  store: boolean;
  /**
   * 'v2' (default: the 2025 v2 page, `bx-im-list-recent__*` classes, `chats/get` with a counter),
   * 'v2-26' (im 26.x "Air": folder panel, `bx-im-list-base__*`, `__counters_wrap`, folder / tasksTask
   * layouts, `chats/get` without a counter, counters/anchors/folders store modules), or the pre-v2
   * messenger's markup with `BXIM.messenger.currentTab` ('legacy').
   */
  markup: 'v2' | 'v2-26' | 'legacy';
}

export interface TenantOptions {
  plan?: Plan;
  latency?: Latency;
  seed: SeedOptions;
  operatingLimitSec?: number;
}

export class Tenant {
  readonly origin: string;
  readonly userId: number;
  readonly state: MessengerState;
  readonly log: RequestLogEntry[] = [];
  readonly faults = new FaultControls();
  readonly bucket: LeakyBucket;
  readonly operating: OperatingMeter;
  latency: Latency;
  restAvailable = true;
  pageOptions: PageOptions = { store: true, markup: 'v2' };
  private readonly sessions = new Map<string, Session>();
  private sessid: string | null = null;
  private readonly webhooks = new Map<string, Webhook>();
  private readonly disabled = new Set<string>();

  constructor(
    readonly host: string,
    opts: TenantOptions,
  ) {
    this.origin = `https://${host}`;
    this.state = buildState(opts.seed, Date.now());
    this.userId = this.state.userId;
    this.bucket = new LeakyBucket(planLimits(opts.plan));
    this.operating = new OperatingMeter(opts.operatingLimitSec ?? 480);
    this.latency = { baseMs: 0, perCallMs: 0, ...opts.latency };
  }

  get readEvents(): ReadEvent[] {
    return this.state.readEvents;
  }

  /** Every `im.dialog.read` the portal ran, a repeat that moved nothing included (to count double sends). */
  get readCalls(): ReadCall[] {
    return this.state.readCalls;
  }

  /** Every "viewed" record (read receipt) the user gave: readTo / im.dialog.read with MESSAGE_ID / im.v2.Chat.Message.read. */
  get receipts(): Receipt[] {
    return this.state.receipts;
  }

  /** Every Reader operation (doc §4.1) the portal ran, with the receipts it recorded. */
  get readOps(): ReadOp[] {
    return this.state.readOps;
  }

  get build(): ImBuild {
    return this.state.build;
  }

  /** 'Y' (today: 14-key counters, folders, readByRecentSection), 'Y-May' (14 keys, readByType), 'H' (7 keys, copilot dropped). */
  setBuild(build: ImBuild): void {
    this.state.build = build;
  }

  // --- hooks ------------------------------------------------------------------------------

  private callHooks: Array<(call: CallRecord) => void> = [];
  private callCount = 0;

  /**
   * Runs `fn` after every REST (sub-)call the portal executed successfully (a batch's sub-calls one
   * by one, in order; refused or failed calls do not count). Returns a function that removes it.
   */
  onCall(fn: (call: CallRecord) => void): () => void {
    this.callHooks.push(fn);
    return () => {
      this.callHooks = this.callHooks.filter((h) => h !== fn);
    };
  }

  /** Runs `fn` once, right after the n-th executed (sub-)call from now (n ≥ 1), optionally only counting `method`. */
  afterCalls(n: number, fn: (call: CallRecord) => void, method?: string): void {
    let seen = 0;
    const off = this.onCall((call) => {
      if (method && call.method !== method.toLowerCase()) return;
      if (++seen === n) {
        off();
        fn(call);
      }
    });
  }

  /** Executed calls so far. */
  get calls(): number {
    return this.callCount;
  }

  /** @internal called by the REST layer */
  callDone(method: string, params: PhpArray, result: unknown): void {
    this.callCount++;
    if (this.callHooks.length === 0) return;
    const call: CallRecord = { n: this.callCount, method, params: toPlain(params) as Record<string, unknown>, result };
    for (const h of [...this.callHooks]) h(call);
  }

  // --- auth -------------------------------------------------------------------------------

  /** Opens a session (as the portal's login form would) and returns its cookie and sessid. */
  login(userId: number = this.userId): { cookieName: string; cookieValue: string; sessid: string } {
    const id = randomBytes(16).toString('hex');
    this.sessions.set(id, { id, userId });
    this.sessid ??= randomBytes(16).toString('hex');
    return { cookieName: SESSION_COOKIE, cookieValue: id, sessid: this.sessid };
  }

  /** Ends every session: REST answers 401 access_denied, pages redirect to /auth/. */
  logout(): void {
    this.sessions.clear();
    this.sessid = null;
  }

  /** Ends one session (the /auth/?logout=yes link). */
  endSession(id: string): void {
    this.sessions.delete(id);
    if (this.sessions.size === 0) this.sessid = null;
  }

  /** Issues a new sessid; the old one now gets 401 session_failed. */
  rotateSessid(): string {
    this.sessid = randomBytes(16).toString('hex');
    return this.sessid;
  }

  currentSessid(): string | null {
    return this.sessid;
  }

  sessionFromCookies(cookieHeader: string | undefined): Session | undefined {
    if (!cookieHeader) return undefined;
    for (const part of cookieHeader.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
      const s = this.sessions.get(part.slice(eq + 1).trim());
      if (s) return s;
    }
    return undefined;
  }

  /** Returns the webhook base URL `https://<host>/rest/<uid>/<secret>/`. */
  addWebhook(opts: WebhookOptions = {}): string {
    const userId = opts.userId ?? this.userId;
    const secret = randomBytes(8).toString('hex');
    this.webhooks.set(secret, { userId, secret, scopes: new Set(opts.scopes ?? ['im']), expired: opts.expired ?? false });
    return `${this.origin}/rest/${userId}/${secret}/`;
  }

  revokeWebhook(url: string): void {
    const m = /\/rest\/\d+\/([^/]+)\/?/.exec(url);
    if (m?.[1]) this.webhooks.delete(m[1]);
  }

  findWebhook(userId: number, secret: string): Webhook | undefined {
    const wh = this.webhooks.get(secret);
    return wh && wh.userId === userId ? wh : undefined;
  }

  // --- behaviour --------------------------------------------------------------------------

  setPlan(plan: Plan): void {
    this.bucket.limits = planLimits(plan);
  }

  setLatency(l: Partial<Latency>): void {
    this.latency = { ...this.latency, ...l };
  }

  /** Makes a method answer ERROR_METHOD_NOT_FOUND (as on a portal whose module lacks it). */
  disableMethod(name: string): void {
    this.disabled.add(name.toLowerCase());
  }

  enableMethod(name: string): void {
    this.disabled.delete(name.toLowerCase());
  }

  isDisabled(name: string): boolean {
    return this.disabled.has(name.toLowerCase());
  }

  /** Off: webhook calls get 403 ACCESS_DENIED (plan without REST); session calls still work. */
  setRestAvailable(on: boolean): void {
    this.restAvailable = on;
  }

  setPageOptions(o: Partial<PageOptions>): void {
    this.pageOptions = { ...this.pageOptions, ...o };
  }

  /**
   * Per-webhook per-method budget in seconds per 10 minutes (default 480). `windowSec` shortens
   * the window (10 buckets of windowSec/10) so a test sees `operating_reset_at` arrive.
   */
  setOperatingLimit(seconds: number, windowSec?: number): void {
    this.operating.limitSec = seconds;
    if (windowSec !== undefined) {
      this.operating.windowSec = Math.max(1, Math.round(windowSec));
      this.operating.bucketSec = Math.max(1, Math.round(windowSec / 10));
    }
  }

  bucketLevel(): number {
    return this.bucket.level();
  }

  // --- state ------------------------------------------------------------------------------

  chats(): ChatView[] {
    return this.state.memberChats().map((c) => this.state.view(c));
  }

  chat(dialogId: string): ChatView | undefined {
    const c = this.state.accessible(dialogId, this.userId);
    return c ? this.state.view(c) : undefined;
  }

  /** Comment threads (nested chats) of a chat. */
  children(dialogId: string): ChatView[] {
    const c = this.state.accessible(dialogId, this.userId);
    return c ? this.state.children(c).map((x) => this.state.view(x)) : [];
  }

  /** The user's current anchors (mentions, reactions). */
  anchors(): AnchorView[] {
    return this.state.anchors.map((a) => ({ ...a, dialogId: this.state.dialogIdOf(this.state.chats.get(a.chatId)!) }));
  }

  /** Adds an anchor for the user on a message (default: the chat's newest message, a mention). */
  addAnchor(dialogId: string, messageId?: number, type: AnchorType = 'MENTION'): void {
    const chat = this.state.accessible(dialogId, this.userId);
    if (!chat) throw new Error(`addAnchor: no chat ${dialogId}`);
    const id = messageId ?? this.state.lastMessageIdOf(chat);
    const m = this.state.messages.get(id);
    if (!m || m.chatId !== chat.id) throw new Error(`addAnchor: no message ${id} in ${dialogId}`);
    this.state.anchors.push({ chatId: chat.id, messageId: id, type, subType: type === 'MENTION' ? 'USER' : 'like', fromUserId: m.authorId });
  }

  /** The folders as `im.v2.Folder.list` gives them. */
  folders(): Array<Record<string, unknown>> {
    return folderList(this.state);
  }

  /** A new comment under a channel post (default: the newest post); creates the post's thread if needed. */
  pushComment(channelDialogId: string, opts: { postId?: number; authorId?: number; text?: string } = {}): { chatId: number; messageId: number } {
    const channel = this.state.accessible(channelDialogId, this.userId);
    if (!channel) throw new Error(`pushComment: no chat ${channelDialogId}`);
    const postId = opts.postId ?? this.state.lastMessageIdOf(channel);
    let thread = this.state.children(channel).find((c) => c.parentMessageId === postId);
    if (!thread) {
      const id = Math.max(...this.state.chats.keys()) + 1;
      thread = {
        id, kind: 'comment', title: channel.title, description: '', color: channel.color, ownerId: channel.ownerId,
        members: new Set([this.userId, ...[...channel.members].filter((m) => m !== this.userId).slice(0, 3)]), peerId: 0,
        workgroupId: 0, entityId: '', messageIds: [], lastReadId: 0, muted: channel.muted, pinned: false, manualUnread: false,
        inRecent: false, dateCreate: Date.now(), parentChatId: channel.id, parentMessageId: postId,
      };
      this.state.addChat(thread);
    }
    const messageId = this.pushMessage(`chat${thread.id}`, { authorId: opts.authorId, text: opts.text ?? 'New comment' });
    return { chatId: thread.id, messageId };
  }

  /** The object im.counters.get returns (empty maps as `[]`). */
  counters(): Counters {
    return JSON.parse(phpJson(this.state.counters())) as Counters;
  }

  /** Adds a message (next portal-wide id), unread for the current user unless they wrote it. */
  pushMessage(dialogId: string, opts: { authorId?: number; text?: string; mention?: boolean } = {}): number {
    const chat = this.state.accessible(dialogId, this.userId);
    if (!chat) throw new Error(`pushMessage: no chat ${dialogId} for user ${this.userId}`);
    const authorId = opts.authorId ?? defaultAuthor(chat, this.userId);
    const last = this.state.lastMessage(chat);
    const date = Math.max(Date.now(), (last?.date ?? 0) + 1000);
    const msg = this.state.addMessage(chat, authorId, opts.text ?? 'New message', date);
    if ((chat.parentChatId ?? 0) === 0) chat.inRecent = true;
    if (opts.mention && authorId !== this.userId) {
      this.state.anchors.push({ chatId: chat.id, messageId: msg.id, type: 'MENTION', subType: 'USER', fromUserId: authorId });
    }
    if (authorId === this.userId) {
      // Writing to a chat reads it, as in the messenger.
      this.state.readUpTo(chat, msg.id, 'im.message.add');
    }
    return msg.id;
  }
}

function defaultAuthor(chat: PortalChat, me: number): number {
  if (chat.kind === 'dialog') return chat.peerId;
  // Channels and announcements: the poster.
  if ((isChannelKind(chat.kind) || chat.kind === 'announcement') && chat.ownerId !== me && chat.members.has(chat.ownerId)) return chat.ownerId;
  for (const m of chat.members) if (m !== me) return m;
  return 0;
}
