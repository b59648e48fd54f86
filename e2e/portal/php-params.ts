// Request parameters as PHP sees them: `$_GET`/`$_POST` built from bracket syntax, or a JSON body.
// PHP arrays keep insertion order even for numeric keys, so maps are `Map`s, never plain objects
// (a JS object would move "547" in front of "r_12").

export type PhpValue = string | number | boolean | null | PhpValue[] | PhpArray;
export type PhpArray = Map<string, PhpValue>;

/** Parses `a=1&b[x]=2&c[]=3` (values URL-decoded once, `+` = space) into nested PHP arrays. */
export function parseQueryString(qs: string, into: PhpArray = new Map()): PhpArray {
  if (qs.startsWith('?')) qs = qs.slice(1);
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    setBracketKey(into, decode(rawKey), decode(rawValue));
  }
  return into;
}

function decode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // PHP's urldecode never fails; keep undecodable sequences as they are.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** `a[b][]` → path ['a','b',''] ('' = append), following PHP's parse_str rules. */
export function setBracketKey(target: PhpArray, key: string, value: PhpValue): void {
  const open = key.indexOf('[');
  const path: string[] = [];
  if (open <= 0 || !key.includes(']', open)) {
    path.push(key);
  } else {
    path.push(key.slice(0, open));
    const re = /\[([^\]]*)\]/gy;
    re.lastIndex = open;
    let m: RegExpExecArray | null;
    while ((m = re.exec(key)) !== null) path.push(m[1] ?? '');
  }
  let node = target;
  for (let i = 0; i < path.length; i++) {
    let part = path[i] ?? '';
    if (part === '' && i > 0) part = String(nextIndex(node));
    if (i === path.length - 1) {
      node.set(part, value);
      return;
    }
    const existing = node.get(part);
    if (existing instanceof Map) {
      node = existing;
    } else {
      const child: PhpArray = new Map();
      node.set(part, child);
      node = child;
    }
  }
}

function nextIndex(m: PhpArray): number {
  let max = -1;
  for (const k of m.keys()) if (/^(0|[1-9][0-9]*)$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** JSON → PHP values with object key order preserved (json_decode(..., true)). */
export function parseJsonOrdered(text: string): PhpValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`Bad JSON at ${i}`);
  };
  const value = (): PhpValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: PhpArray = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        obj.set(k, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: PhpValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail();
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    let escaped = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') break;
    }
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}

/** Minimal multipart/form-data reader: text fields only (files are ignored). */
export function parseMultipart(body: Buffer, contentType: string, into: PhpArray = new Map()): PhpArray {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return into;
  const text = body.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined || /filename=/i.test(headers)) continue;
    const raw = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    setBracketKey(into, name, Buffer.from(raw, 'latin1').toString('utf8'));
  }
  return into;
}

/** PHP's (string) cast of a scalar; arrays give undefined. */
export function phpString(v: PhpValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '';
  return undefined;
}

/** PHP's intval(): leading integer of a string, 0 otherwise. */
export function phpInt(v: PhpValue | undefined): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = phpString(v);
  if (s === undefined) return 0;
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? parseInt(m[1] as string, 10) : 0;
}

/** Converts a parsed value to plain JS (for logs and tests). */
export function toPlain(v: PhpValue | undefined): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k] = toPlain(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

/** Normalises a JSON array into a PHP array (keys "0".."n-1"). */
export function asPhpArray(v: PhpValue | undefined): PhpArray | undefined {
  if (v instanceof Map) return v;
  if (Array.isArray(v)) return new Map(v.map((x, idx) => [String(idx), x]));
  return undefined;
}
