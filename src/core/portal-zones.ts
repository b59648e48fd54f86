// The one list of Bitrix24 cloud zones: the manifest's host access, content-script matches and
// context-menu patterns are all generated from it (vite.config.ts, src/background/menus.ts).
export const PORTAL_ZONES = [
  'bitrix24.ru', 'bitrix24.com', 'bitrix24.de', 'bitrix24.by', 'bitrix24.kz', 'bitrix24.ua',
  'bitrix24.eu', 'bitrix24.es', 'bitrix24.fr', 'bitrix24.it', 'bitrix24.pl', 'bitrix24.com.br',
  'bitrix24.in', 'bitrix24.cn', 'bitrix24.co', 'bitrix24.uk', 'bitrix24.id', 'bitrix24.vn',
  'bitrix24.jp', 'bitrix24.com.tr', 'bitrix24.mx',
] as const;

/** Match patterns (`https://*.bitrix24.ru/*`, ...) for every cloud zone. */
export const PORTAL_MATCHES: string[] = PORTAL_ZONES.map((zone) => `https://*.${zone}/*`);

/** True for `https://<name>.<zone>` origins of a Bitrix24 cloud portal. */
export function isCloudPortalHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return PORTAL_ZONES.some((zone) => {
    if (!host.endsWith(`.${zone}`)) return false;
    const name = host.slice(0, -zone.length - 1);
    return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name);
  });
}

export function isCloudPortalUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && isCloudPortalHost(parsed.hostname);
  } catch {
    return false;
  }
}
