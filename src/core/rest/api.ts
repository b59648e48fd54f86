import type { BatchCommand, RestOk, RestParams } from './types.ts';
import type { RestError } from './errors.ts';

/** What a `batch` returns, keyed by the caller's command keys. */
export interface BatchOutcome {
  /** Sub-calls that succeeded; a value may be `false` (a success meaning "nothing changed"). */
  results: Record<string, unknown>;
  /** Sub-calls that failed, as typed errors. */
  errors: Record<string, RestError>;
  /** Keys that were never run (after `halt` stopped the batch). */
  skipped: string[];
}

export interface BatchOptions {
  /** Stop at the first failing sub-call (server `halt=1`). Default false. */
  halt?: boolean;
  signal?: AbortSignal;
  /**
   * Resend a request whose answer was lost (dropped connection, timeout) and which may have been
   * executed. Default true; the bulk engine passes false and verifies the portal's state instead,
   * so no chat is read twice. When false, such a failure rejects with kind 'network' and
   * `extra.maybeExecuted === true`.
   */
  retryAmbiguous?: boolean;
}

/** The BX24.callMethod-shaped surface the rest of the extension uses. */
export interface RestApi {
  /** One method; resolves with the envelope, rejects with `RestError`. */
  call<T>(method: string, params?: RestParams, signal?: AbortSignal): Promise<RestOk<T>>;
  /**
   * Any number of sub-calls; more than 50 are split into ordered `batch` requests of at most 50.
   * Rejects with `RestError` only when the outer request fails for good (auth, network after
   * retries, ...); sub-call failures land in `errors`.
   */
  batch(commands: Record<string, BatchCommand>, options?: BatchOptions): Promise<BatchOutcome>;
}
