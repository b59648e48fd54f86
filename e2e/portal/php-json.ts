// json_encode() as the portal does it. A PHP array with keys 0..n-1 in order is a JSON list, an
// empty one is `[]`, anything else is an object in insertion order (numeric keys included, which a
// plain JS object would reorder). Build every map PHP would emit as an associative array as a `Map`.

export function phpMap<T>(entries: Iterable<[string | number, T]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [k, v] of entries) m.set(String(k), v);
  return m;
}

export function phpJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Map) {
    if (v.size === 0) return '[]';
    let i = 0;
    let sequential = true;
    for (const k of v.keys()) {
      if (String(k) !== String(i++)) {
        sequential = false;
        break;
      }
    }
    if (sequential) return `[${[...v.values()].map(phpJson).join(',')}]`;
    return `{${[...v].map(([k, x]) => `${JSON.stringify(String(k))}:${phpJson(x)}`).join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(phpJson).join(',')}]`;
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'object':
      return `{${Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${JSON.stringify(k)}:${phpJson(x)}`)
        .join(',')}}`;
    default:
      return 'null';
  }
}
