// The REST client: one series of HTTP requests per client, each paced by the leaky bucket,
// with bounded retries (the numbers from the REST docs on limits and errors) and per-key batch results.
//
// Resending rules ("no operation is lost, none is sent again after it succeeded"):
// - A definite refusal (503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT, 401 session_failed)
//   means the server did not run the call, so it is resent after a pause.
// - An ambiguous failure (connection dropped or timed out after sending, a 5xx other than 503)
//   may have run. It is resent only while `retryAmbiguous` is true (default; fine for reads and
//   for idempotent writes such as `im.dialog.read` with a MESSAGE_ID). When retries are off or
//   used up the error carries `extra.maybeExecuted = true` (`error.maybeExecuted`), so the caller
//   can verify (e.g. `im.counters.get`) before resending.
// - An unreadable 2xx answer is never resent (the call ran) and is thrown with `maybeExecuted`.

import type { BatchOptions, BatchOutcome, RestApi } from './api.ts';
import { assertMethodName, planBatch, type BatchChunk } from './batch-plan.ts';
import { RestError, type RestErrorKind } from './errors.ts';
import { errorFromBody, parseBatchPayload, parseResponse } from './parse.ts';
import { redactWebhook } from './redact.ts';
import type { BatchCommand, RawResponse, RestOk, RestParams, Transport } from './types.ts';
import { raceAbort, systemClock, type Clock } from '../throttle/clock.ts';
import type { LeakyBucket } from '../throttle/leaky-bucket.ts';

export interface RetryOptions {
  /** Attempts in total while the server answers 503 (rate limit). Default 6. */
  maxAttempts503?: number;
  /** Attempts in total on 5xx other than 503. Default 3. */
  maxAttemptsServer?: number;
  /** Attempts in total on network errors and timeouts. Default 3. */
  maxAttemptsNetwork?: number;
  /** Attempts in total on 429 OPERATION_TIME_LIMIT. Default 3. */
  maxAttemptsOperating?: number;
  /** First back-off step. Default 1500 ms (503: ×1.5 per attempt; 5xx/network: ×2). */
  baseDelayMs?: number;
  /** Wait after a 429 when no `operating_reset_at` is known. Default 10 s, then 60 s. */
  operatingFallbackMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts503: 6,
  maxAttemptsServer: 3,
  maxAttemptsNetwork: 3,
  maxAttemptsOperating: 3,
  baseDelayMs: 1500,
  operatingFallbackMs: 10_000,
};

/** Jitter: every back-off is multiplied by a factor in [0.8, 1.2). */
const JITTER = 0.2;
/** The operating budget is a 10-minute window; never wait longer than that plus a second. */
const MAX_OPERATING_WAIT_MS = 601_000;
/** After a 429 with no known reset, later waits are one 1-minute bucket. */
const OPERATING_NEXT_BUCKET_MS = 60_000;

/** One HTTP attempt, for figures and logs (never contains params or secrets). */
export interface RequestInfo {
  method: string;
  /** 1-based attempt number within this call. */
  attempt: number;
  /** HTTP status, 0 when no answer arrived. */
  status: number;
  /** Time from sending to the answer (client clock). */
  ms: number;
  outcome: 'ok' | RestErrorKind;
  code?: string;
  /** Set when the client will retry after this pause. */
  retryInMs?: number;
}

export interface RestClientOptions {
  transport: Transport;
  bucket: LeakyBucket;
  clock?: Clock;
  /** Per HTTP attempt; the cloud cuts requests at 60 s anyway. Default 60 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** For jitter; default Math.random. */
  random?: () => number;
  onRequest?: (info: RequestInfo) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Resend after an ambiguous failure (network drop, timeout, 5xx). Default true. */
  retryAmbiguous?: boolean;
}

interface Attempts {
  rate: number;
  server: number;
  network: number;
  operating: number;
  refreshed: boolean;
}

export class RestClient implements RestApi {
  private readonly transport: Transport;
  private readonly bucket: LeakyBucket;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly random: () => number;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  /** method → `operating_reset_at` (ms) from the last successful answer. */
  private readonly operatingResets = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RestClientOptions) {
    this.transport = options.transport;
    this.bucket = options.bucket;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) };
    this.random = options.random ?? Math.random;
    this.onRequest = options.onRequest;
  }

  /**
   * One method call. The third argument is an AbortSignal (RestApi) or `CallOptions`.
   * Rejects with RestError; an abort gives kind 'network', code 'ABORTED', `extra.aborted`.
   */
  async call<T>(method: string, params: RestParams = {}, signalOrOptions?: AbortSignal | CallOptions): Promise<RestOk<T>> {
    const options: CallOptions = isAbortSignal(signalOrOptions) ? { signal: signalOrOptions } : (signalOrOptions ?? {});
    assertMethodName(method);
    return (await this.request(method, params, options)) as RestOk<T>;
  }

  /**
   * Any number of sub-calls, sent as ordered `batch` requests of ≤ 50, one after another.
   * Each key ends in exactly one of `results`, `errors` (sub-call failure) or `skipped` (never
   * run: after `halt`, or missing from the answer).
   *
   * If a `batch` request itself fails for good, rejects with its RestError, and
   * `extra.partial` is the BatchOutcome of the chunks already done (their keys must not be
   * resent), with every unfinished key in `partial.skipped`; `extra.failedKeys` lists the keys
   * of the failed request (run or not: see `maybeExecuted`).
   */
  async batch(commands: Record<string, BatchCommand>, options: BatchOptions = {}): Promise<BatchOutcome> {
    const chunks = planBatch(commands);
    const outcome: BatchOutcome = { results: {}, errors: {}, skipped: [] };
    const halt = options.halt === true;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      let result: unknown;
      try {
        const envelope = await this.request('batch', { halt: halt ? 1 : 0, cmd: chunk.cmd }, options);
        result = envelope.result;
      } catch (error) {
        throw this.partialFailure(error, outcome, chunks.slice(i));
      }
      const payload = parseBatchPayload(result);
      if (!payload) {
        const error = new RestError('unknown', 'BAD_BATCH_PAYLOAD', 'The batch answer has no result map', 200, { maybeExecuted: true });
        throw this.partialFailure(error, outcome, chunks.slice(i));
      }
      for (const [wire, time] of Object.entries(payload.result_time)) {
        const method = chunk.methods[wire];
        if (method && time.operating_reset_at) this.operatingResets.set(method, time.operating_reset_at * 1000);
      }
      let failed = false;
      for (const [wire, key] of chunk.keys) {
        const subError = payload.result_error[wire];
        if (subError) {
          const method = chunk.methods[wire] ?? '';
          const resetAt = this.operatingResets.get(method);
          const extra: Record<string, unknown> = { subCall: true, method };
          if (subError.error === 'OPERATION_TIME_LIMIT' && resetAt) extra.resetAt = resetAt;
          outcome.errors[key] = errorFromBody(subError, 0, extra);
          failed = true;
        } else if (Object.hasOwn(payload.result, wire)) {
          outcome.results[key] = payload.result[wire];
        } else {
          outcome.skipped.push(key);
        }
      }
      if (halt && failed) {
        for (const rest of chunks.slice(i + 1)) outcome.skipped.push(...rest.keys.map(([, key]) => key));
        break;
      }
    }
    return outcome;
  }

  /** `operating_reset_at` (ms since epoch) last seen for a method, if any. */
  operatingResetAt(method: string): number | undefined {
    return this.operatingResets.get(method);
  }

  private partialFailure(error: unknown, done: BatchOutcome, remaining: BatchChunk[]): unknown {
    if (!(error instanceof RestError)) return error;
    const failedKeys = remaining[0]?.keys.map(([, key]) => key) ?? [];
    const partial: BatchOutcome = {
      results: { ...done.results },
      errors: { ...done.errors },
      skipped: [...done.skipped, ...remaining.flatMap((chunk) => chunk.keys.map(([, key]) => key))],
    };
    return error.withExtra({ partial, failedKeys });
  }

  /** One logical request with its retries, holding the client's lock so requests never overlap. */
  private request(method: string, params: RestParams, options: CallOptions): Promise<RestOk<unknown>> {
    const state = { inFlight: false };
    const run = this.queue.then(() => this.attempts(method, params, options, state));
    this.queue = run.catch(() => undefined);
    // The caller leaves at once on abort; `attempts` notices the same signal and stops sending.
    return raceAbort(run, options.signal).catch((error: unknown) => {
      throw options.signal?.aborted && !(error instanceof RestError) ? abortedError(state.inFlight) : error;
    });
  }

  private async attempts(method: string, params: RestParams, options: CallOptions, state: { inFlight: boolean }): Promise<RestOk<unknown>> {
    const { signal } = options;
    const retryAmbiguous = options.retryAmbiguous !== false;
    const tries: Attempts = { rate: 0, server: 0, network: 0, operating: 0, refreshed: false };
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(false);
      try {
        await this.bucket.acquire(signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(false);
        throw error;
      }
      const started = this.clock.now();
      state.inFlight = true;
      const answer = await this.sendOnce(method, params, signal);
      state.inFlight = false;
      const ms = this.clock.now() - started;

      let error: RestError;
      if ('raw' in answer) {
        const parsed = parseResponse(answer.raw);
        if (parsed.ok) {
          const resetAt = parsed.envelope.time.operating_reset_at;
          if (resetAt) this.operatingResets.set(method, resetAt * 1000);
          this.report({ method, attempt, status: answer.raw.status, ms, outcome: 'ok' });
          return parsed.envelope;
        }
        error = parsed.error;
      } else {
        error = answer.error;
      }

      const plan = error.code === 'ABORTED' ? undefined : this.planRetry(error, method, tries, retryAmbiguous);
      this.report({ method, attempt, status: error.status, ms, outcome: error.kind, code: error.code, ...(plan ? { retryInMs: plan.delayMs } : {}) });
      if (!plan) throw error.withExtra({ attempts: attempt });

      if (plan.penalize) await this.bucket.penalize();
      if (plan.refreshAuth) {
        let refreshed = false;
        try {
          refreshed = (await this.transport.refreshAuth?.()) === true;
        } catch {
          refreshed = false;
        }
        if (!refreshed) throw error.withExtra({ attempts: attempt });
      }
      if (plan.delayMs > 0) {
        try {
          await this.clock.sleep(plan.delayMs, signal);
        } catch (sleepError) {
          if (signal?.aborted) throw abortedError(false);
          throw sleepError;
        }
      }
    }
  }

  private planRetry(
    error: RestError,
    method: string,
    tries: Attempts,
    retryAmbiguous: boolean,
  ): { delayMs: number; penalize?: boolean; refreshAuth?: boolean } | undefined {
    const { kind, status } = error;
    const vague = kind === 'server' || kind === 'unknown' || kind === 'not_json';
    const base = this.retry.baseDelayMs;

    if (kind === 'rate' || (status === 503 && vague)) {
      tries.rate++;
      if (tries.rate >= this.retry.maxAttempts503) return undefined;
      return { delayMs: this.jitter(base * 1.5 ** (tries.rate - 1)), penalize: true };
    }
    if (kind === 'operating' || (status === 429 && vague)) {
      tries.operating++;
      if (tries.operating >= this.retry.maxAttemptsOperating) return undefined;
      const resetAt = this.operatingResets.get(method);
      const now = this.clock.now();
      let delayMs: number;
      if (tries.operating === 1 && resetAt !== undefined && resetAt > now) delayMs = resetAt - now + 1000;
      else delayMs = tries.operating === 1 ? this.retry.operatingFallbackMs : OPERATING_NEXT_BUCKET_MS;
      return { delayMs: Math.min(delayMs, MAX_OPERATING_WAIT_MS) };
    }
    if (kind === 'auth' && (error.code === 'session_failed' || error.code === 'expired_token')) {
      if (tries.refreshed || !this.transport.refreshAuth) return undefined;
      tries.refreshed = true;
      return { delayMs: 0, refreshAuth: true };
    }
    if (kind === 'server' && error.maybeExecuted) {
      if (!retryAmbiguous) return undefined;
      tries.server++;
      if (tries.server >= this.retry.maxAttemptsServer) return undefined;
      return { delayMs: this.jitter(base * 2 ** (tries.server - 1)) };
    }
    if (kind === 'network') {
      if (!retryAmbiguous) return undefined;
      tries.network++;
      if (tries.network >= this.retry.maxAttemptsNetwork) return undefined;
      return { delayMs: this.jitter(base * 2 ** (tries.network - 1)) };
    }
    return undefined;
  }

  /** One HTTP attempt with its own timeout; a lost answer becomes a 'network' RestError. */
  private async sendOnce(method: string, params: RestParams, signal: AbortSignal | undefined): Promise<{ raw: RawResponse } | { error: RestError }> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('Request timed out', 'TimeoutError'));
    }, this.timeoutMs);
    try {
      // Race the abort too, so a transport that ignores the signal cannot hang the client.
      return { raw: await raceAbort(this.transport.send(method, params, controller.signal), controller.signal) };
    } catch (cause) {
      if (signal?.aborted) return { error: abortedError(true) };
      if (timedOut) {
        return { error: new RestError('network', 'TIMEOUT', `No answer within ${Math.round(this.timeoutMs / 1000)} s`, 0, { maybeExecuted: true }) };
      }
      const message = cause instanceof Error ? cause.message : String(cause);
      return { error: new RestError('network', 'NETWORK_ERROR', redactWebhook(message).slice(0, 200), 0, { maybeExecuted: true }) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private jitter(ms: number): number {
    return Math.round(ms * (1 - JITTER + 2 * JITTER * this.random()));
  }

  private report(info: RequestInfo): void {
    try {
      this.onRequest?.(info);
    } catch {
      // A figures callback must not break requests.
    }
  }
}

function abortedError(inFlight: boolean): RestError {
  return new RestError('network', 'ABORTED', 'The request was cancelled', 0, { aborted: true, maybeExecuted: inFlight });
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && 'aborted' in value && typeof (value as AbortSignal).addEventListener === 'function';
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
