// Wire shapes of Bitrix24 REST (as the Bitrix24 REST docs and their examples in ./fixtures/bitrix24-docs show them).
// PHP emits an empty associative array as `[]`, so every map field is `PhpMap<T>`.

export type PhpMap<T> = Record<string, T> | [];

export interface RestTime {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating?: number;
  operating_reset_at?: number;
}

export interface RestOk<T> {
  result: T;
  total?: number;
  next?: number;
  time: RestTime;
}

export interface RestErrBody {
  error: string;
  error_description?: string;
  [extra: string]: unknown;
}

export interface BatchPayload {
  result: PhpMap<unknown>;
  result_error: PhpMap<{ error: string; error_description: string }>;
  result_total: PhpMap<number>;
  result_next: PhpMap<number>;
  result_time: PhpMap<RestTime>;
}

export interface DialogReadResult {
  dialogId: string;
  chatId: number;
  lastId: number;
  counter: number;
}

export interface Counters {
  TYPE: {
    ALL: number;
    NOTIFY: number;
    CHAT: number;
    LINES: number;
    DIALOG: number;
    MESSENGER?: number;
    [k: string]: number | undefined;
  };
  CHAT: PhpMap<number>;
  CHAT_MUTED: PhpMap<number>;
  CHAT_UNREAD: number[];
  LINES: PhpMap<number>;
  DIALOG: PhpMap<number>;
  DIALOG_UNREAD: number[];
  [extra: string]: unknown;
}

export interface RecentMessage {
  id: number;
  text: string;
  file: unknown;
  author_id: number;
  attach: unknown;
  sticker: number | null;
  date: string;
  status: string;
  uuid: string | null;
}

export interface RecentItem {
  id: number | string;
  chat_id: number;
  type: 'user' | 'chat';
  title: string;
  avatar: { url: string; color: string };
  message: RecentMessage;
  counter: number;
  last_id: number;
  pinned: boolean;
  unread: boolean;
  has_reminder?: boolean;
  date_update: string;
  date_last_activity?: string;
  user?: { id: number; name?: string; bot?: boolean; connector?: boolean; [k: string]: unknown };
  chat?: {
    id?: number;
    type?: string;
    entity_type?: string;
    message_type?: string;
    mute_list: PhpMap<boolean>;
    [k: string]: unknown;
  };
  lines?: { id: number; status: number; date_create: string };
  options: unknown;
}

export interface RecentListResult {
  items: RecentItem[];
  hasMore: boolean;
  hasMorePages?: boolean;
  [k: string]: unknown;
}

export interface DialogMessage {
  id: number;
  chat_id: number;
  author_id: number;
  date: string;
  text: string;
  unread: boolean;
  uuid: string | null;
  replaces: unknown;
  params: unknown;
  disappearing_date: string | null;
}

export interface DialogMessagesResult {
  chat_id: number;
  messages: DialogMessage[];
  users: unknown[];
  files: unknown[];
}

/** Parameters of one REST call; values are sent as JSON (or PHP-bracket form for batch commands). */
export type RestParams = Record<string, unknown>;

/** One sub-call of a `batch`. */
export interface BatchCommand {
  method: string;
  params?: RestParams;
}

/** A raw HTTP exchange as a transport reports it; the client does all parsing. */
export interface RawResponse {
  status: number;
  /** Response body text (may be HTML, empty, or truncated garbage). */
  body: string;
  /** Lower-cased content-type header, if any. */
  contentType?: string;
  /** The transport stopped reading at its size limit; `body` is incomplete and will be refused. */
  truncated?: boolean;
}

/**
 * Carries one REST call to the portal. Implementations: the incoming webhook (fetch from the
 * service worker, credentials omitted) and the logged-in session (fetch inside the portal tab).
 * `send` resolves with any HTTP answer (including 4xx/5xx) and rejects only when no answer
 * arrived (network failure, abort, timeout) with a `TransportError`.
 */
export interface Transport {
  /** Origin of the portal, e.g. `https://demo.bitrix24.ru`; keys the throttle. Never contains secrets. */
  readonly portal: string;
  /** Auth kind, for error messages and logs. */
  readonly kind: 'session' | 'webhook';
  send(method: string, params: RestParams, signal: AbortSignal): Promise<RawResponse>;
  /** Session transports re-read the page's sessid after `session_failed`; returns false when it cannot. */
  refreshAuth?(): Promise<boolean>;
}

export class TransportError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'TransportError';
  }
}
