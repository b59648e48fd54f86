// Typed REST failures. Every error keeps the portal's own `error` code and `error_description`
// (the description is for logs; the UI shows a localized message chosen by `kind`).

export type RestErrorKind =
  | 'auth' // expired_token, invalid_token, NO_AUTH_FOUND, INVALID_CREDENTIALS, session_failed, access_denied, authorization_error, insufficient_scope, user_access_error, WRONG_AUTH_TYPE
  | 'rate' // QUERY_LIMIT_EXCEEDED (HTTP 503)
  | 'operating' // OPERATION_TIME_LIMIT (HTTP 429)
  | 'method_not_found' // ERROR_METHOD_NOT_FOUND
  | 'access' // ACCESS_DENIED (plan without REST), ACCESS_ERROR (chat), PORTAL_DELETED
  | 'overload' // OVERLOAD_LIMIT: manual block, never retry
  | 'request' // 400-class: bad parameters, batch length, nested batch, HTTPS required
  | 'server' // 5xx, INTERNAL_SERVER_ERROR, ERROR_UNEXPECTED_ANSWER
  | 'network' // no HTTP answer: offline, connection dropped, timeout, aborted
  | 'not_json' // an HTML login page or garbage instead of JSON
  | 'unknown'; // an error code this client does not know

export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    readonly kind: RestErrorKind,
    /** The portal's `error` code, or a client code such as `NETWORK_ERROR`, `NOT_JSON`. */
    readonly code: string,
    /** The portal's `error_description` (never contains a webhook secret). */
    readonly description: string,
    /** HTTP status, 0 when there was no answer. */
    readonly status: number,
    /** Extra fields some builds add to an error body (e.g. a fresh sessid). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description ? `${code}: ${description}` : code);
  }

  /** Worth sending again after a pause (rate, operating time, transient server/network trouble). */
  get transient(): boolean {
    return this.kind === 'rate' || this.kind === 'operating' || this.kind === 'server' || this.kind === 'network';
  }

  /**
   * True when the request may have run on the server although no usable answer came back
   * (connection dropped or timed out after sending, a 5xx other than 503, an unreadable 2xx).
   * Verify before sending a non-idempotent operation again.
   */
  get maybeExecuted(): boolean {
    return this.extra.maybeExecuted === true;
  }

  /** The same error with more `extra` fields. */
  withExtra(extra: Record<string, unknown>): RestError {
    return new RestError(this.kind, this.code, this.description, this.status, { ...this.extra, ...extra });
  }
}
