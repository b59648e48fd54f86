// A fetch() for Node code talking to the local portal: it connects to 127.0.0.1:<port> whatever
// the URL's host (which still goes out as Host and TLS SNI), and accepts the self-signed
// certificate. Redirects are not followed; a dropped connection rejects like fetch does.

import https from 'node:https';

export type PortalFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export function createPortalFetch(port: number, agent: https.Agent = new https.Agent({ keepAlive: true })): PortalFetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => {
        headers[k] = v;
      });
      let body: Buffer | undefined;
      const b = init.body;
      if (typeof b === 'string') body = Buffer.from(b);
      else if (b instanceof URLSearchParams) {
        body = Buffer.from(b.toString());
        headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
      } else if (b instanceof Uint8Array) body = Buffer.from(b);
      else if (b instanceof ArrayBuffer) body = Buffer.from(new Uint8Array(b));
      else if (b !== undefined && b !== null) {
        reject(new TypeError('portal fetch: unsupported body type'));
        return;
      }
      if (body && typeof b === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
      if (body) headers['content-length'] = String(body.length);
      headers.host = url.host;
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: url.pathname + url.search,
          method: init.method ?? 'GET',
          headers,
          servername: url.hostname,
          rejectUnauthorized: false,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
          res.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
              else if (v !== undefined) h.set(k, v);
            }
            const status = res.statusCode ?? 0;
            const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: h }));
          });
        },
      );
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) {
          req.destroy();
          reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
          return;
        }
        signal.addEventListener('abort', () => {
          req.destroy();
          reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
        }, { once: true });
      }
      req.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
      req.end(body);
    });
}
