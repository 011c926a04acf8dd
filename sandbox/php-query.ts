/**
 * PHP-style query strings, both ways: Bitrix24 reads form bodies and batch rows with PHP's
 * nested-key rules (`a[b][c]=`, `a[]=`), and posts events with `http_build_query`.
 */

export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };
type PhpNode = { [key: string]: PhpValue };

/** Parses `a[b][]=1&c=2` into nested objects; list-like objects become arrays. */
export function parsePhpQuery(query: string): Record<string, PhpValue> {
  const root: PhpNode = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const path = splitKey(decodeComponent(rawKey));
    if (path.length > 0) assign(root, path, decodeComponent(rawValue));
  }
  return listify(root) as Record<string, PhpValue>;
}

function decodeComponent(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return key ? [key] : [];
  const path = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  re.lastIndex = open;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key)) !== null) path.push(m[1]);
  return path;
}

function assign(node: PhpNode, path: string[], value: string): void {
  let cur = node;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] === '' ? String(nextIndex(cur)) : path[i];
    if (i === path.length - 1) {
      cur[segment] = value;
      return;
    }
    const child = cur[segment];
    if (typeof child !== 'object' || child === null) cur[segment] = {};
    cur = cur[segment] as PhpNode;
  }
}

// PHP appends `a[]=` at the highest integer key + 1
function nextIndex(node: PhpNode): number {
  let max = -1;
  for (const k of Object.keys(node)) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

function listify(value: PhpValue): PhpValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  if (isList) return keys.map((k) => listify(value[k]));
  const out: PhpNode = {};
  for (const k of keys) out[k] = listify(value[k]);
  return out;
}

/**
 * PHP `http_build_query`: scalars become strings (true → "1", false → "0"), null and undefined
 * keys are dropped and empty arrays or objects vanish (reference §2).
 */
export function buildPhpQuery(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) appendPairs(parts, k, v);
  return parts.join('&');
}

function appendPairs(parts: string[], key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of entries) appendPairs(parts, `${key}[${k}]`, v);
    return;
  }
  const scalar = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  parts.push(`${phpUrlencode(key)}=${phpUrlencode(scalar)}`);
}

/** PHP `urlencode`: like encodeURIComponent, but space is "+" and only `-_.` stay bare. */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
