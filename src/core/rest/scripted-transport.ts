// A Transport for tests: answers from a scripted queue and records every request.

import { TransportError, type RawResponse, type RestParams, type Transport } from './types.ts';

export type ScriptStep =
  | RawResponse
  | TransportError
  | 'hang' // never answers (until the request is aborted)
  | ((method: string, params: RestParams) => RawResponse | Promise<RawResponse>);

export interface SentRequest {
  method: string;
  params: RestParams;
}

export function json(status: number, body: unknown): RawResponse {
  return { status, body: JSON.stringify(body), contentType: 'application/json' };
}

export function ok(result: unknown, time: Record<string, unknown> = {}): RawResponse {
  return json(200, { result, time: { start: 1, finish: 1, duration: 0, processing: 0, date_start: '', date_finish: '', ...time } });
}

export function fail(status: number, error: string, description = ''): RawResponse {
  return json(status, { error, error_description: description });
}

export class ScriptedTransport implements Transport {
  readonly portal = 'https://test.bitrix24.com';
  readonly kind: 'session' | 'webhook' = 'session';
  readonly sent: SentRequest[] = [];
  /** How many requests were in flight at once, at most. */
  maxInFlight = 0;
  refreshCalls = 0;
  refreshAuth?: () => Promise<boolean>;
  private inFlight = 0;

  constructor(
    private readonly steps: ScriptStep[],
    /** Answer used when the script runs out. */
    private readonly fallback?: ScriptStep,
  ) {}

  withRefresh(result: boolean): this {
    this.refreshAuth = async () => {
      this.refreshCalls++;
      return result;
    };
    return this;
  }

  async send(method: string, params: RestParams, signal: AbortSignal): Promise<RawResponse> {
    this.sent.push({ method, params: structuredClone(params) });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      const step = this.steps.length ? this.steps.shift() : this.fallback;
      if (step === undefined) throw new Error(`ScriptedTransport: no answer scripted for request #${this.sent.length} (${method})`);
      if (step === 'hang') {
        return await new Promise<RawResponse>((_, reject) => {
          signal.addEventListener('abort', () => reject(new TransportError('aborted')), { once: true });
        });
      }
      if (step instanceof TransportError) throw step;
      if (typeof step === 'function') return await step(method, params);
      return step;
    } finally {
      this.inFlight--;
    }
  }
}
