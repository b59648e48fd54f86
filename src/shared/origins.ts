// Match patterns for a portal origin, written once.

/** `https://portal.example` → `https://portal.example/*` (host permissions, tab queries, menus, content scripts). */
export function originPattern(origin: string): string {
  return `${origin}/*`;
}
