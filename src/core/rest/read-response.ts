import type { RawResponse } from './types.ts';

/** Read a fetch Response into the transports' raw shape, refusing bodies above `maxBytes` (`truncated`). */
export async function readRawResponse(response: Response, maxBytes: number): Promise<RawResponse> {
  const contentType = response.headers.get('content-type')?.toLowerCase();
  const { text, truncated } = await readLimited(response, maxBytes);
  return { status: response.status, body: text, ...(contentType ? { contentType } : {}), ...(truncated ? { truncated } : {}) };
}

async function readLimited(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { text: '', truncated: true };
  }
  if (!response.body) return { text: await response.text(), truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      // Nothing of a refused body is used: don't carry megabytes on (e.g. from the tab to the worker).
      return { text: '', truncated: true };
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), truncated: false };
}
