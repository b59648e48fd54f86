// Session auth: the REST call runs inside a portal tab (same origin, the user's cookies and the
// page's sessid), carried there by the content script.
import { sendToTab } from '../shared/messages.ts';
import { TransportError, type RawResponse, type RestParams, type Transport } from '../core/rest/types.ts';
import { raceAbort } from '../core/throttle/clock.ts';

export class SessionTransport implements Transport {
  readonly kind = 'session' as const;

  constructor(
    readonly portal: string,
    /** The portal tab that carries the calls; updated when the user acts from another tab. */
    public tabId: number,
  ) {}

  async send(method: string, params: RestParams, signal: AbortSignal): Promise<RawResponse> {
    signal.throwIfAborted();
    let reply: Awaited<ReturnType<typeof sendToTab<'cs/rest'>>>;
    try {
      reply = await raceAbort(sendToTab(this.tabId, 'cs/rest', { method, params }), signal);
    } catch (error) {
      if (signal.aborted) throw new TransportError('request aborted', error);
      throw new TransportError('the portal tab is closed or was reloaded', error);
    }
    if (!reply || typeof reply !== 'object') throw new TransportError('no answer from the portal tab');
    if ('transportError' in reply) throw new TransportError(String(reply.transportError));
    if (typeof reply.status !== 'number' || typeof reply.body !== 'string') throw new TransportError('malformed answer from the portal tab');
    return reply;
  }

  async refreshAuth(): Promise<boolean> {
    try {
      return (await sendToTab(this.tabId, 'cs/refresh-sessid', {})) === true;
    } catch {
      return false;
    }
  }
}
