// A throwaway self-signed certificate for every cloud zone, made once per process with openssl.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTAL_ZONES } from '../../src/core/portal-zones.ts';

export interface PortalCertificate {
  key: string;
  cert: string;
}

let cached: PortalCertificate | undefined;

export function portalCertificate(): PortalCertificate {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'b24-portal-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    const san = ['DNS:localhost', 'IP:127.0.0.1', ...PORTAL_ZONES.map((z) => `DNS:*.${z}`)].join(',');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=bitrix24.test',
        '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile],
      { stdio: 'pipe' },
    );
    cached = { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
