import type { RawResponse } from '../core/rest/types.ts';

/** Read a fetch Response into the transport's raw shape, refusing bodies larger than `maxBytes`. */
export async function readSessionResponse(response: Response, maxBytes: number): Promise<RawResponse> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  const contentType = response.headers.get('content-type')?.toLowerCase() ?? '';
  if (declared > maxBytes) {
    await response.body?.cancel();
    return { status: response.status, body: '', contentType: 'x-oversized' };
  }
  const text = await response.text();
  if (text.length > maxBytes) return { status: response.status, body: '', contentType: 'x-oversized' };
  return { status: response.status, body: text, contentType };
}
