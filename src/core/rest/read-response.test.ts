import { describe, expect, it } from 'vitest';
import { readRawResponse } from './read-response.ts';

/** A body streamed in chunks with no Content-Length, as a chunked answer arrives. */
function streamed(chunks: Uint8Array[], headers: Record<string, string> = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

describe('readRawResponse', () => {
  it('refuses a streamed body above the cap and carries none of it on', async () => {
    const chunk = new Uint8Array(600).fill(0x78);
    const raw = await readRawResponse(streamed([chunk, chunk]), 1000);
    expect(raw).toEqual({ status: 200, body: '', truncated: true });
  });

  it('refuses a declared Content-Length above the cap without reading', async () => {
    const raw = await readRawResponse(new Response('x', { headers: { 'Content-Length': String(5000), 'Content-Type': 'application/json' } }), 1000);
    expect(raw).toEqual({ status: 200, body: '', truncated: true, contentType: 'application/json' });
  });

  it('reads a body up to the cap whole, UTF-8 split across chunks included', async () => {
    const bytes = new TextEncoder().encode('{"result":"привет"}');
    const raw = await readRawResponse(streamed([bytes.slice(0, 13), bytes.slice(13)]), bytes.length);
    expect(raw).toEqual({ status: 200, body: '{"result":"привет"}' });
  });
});
