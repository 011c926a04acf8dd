import { RestError } from '../rest/rest-error.js';
import type { Params } from './method-registry.js';

/** Reads `name`, falling back to its upper- and lower-case spellings (FILTER / filter). */
export function param(params: Params, name: string): unknown {
  if (name in params) return params[name];
  const upper = name.toUpperCase();
  if (upper in params) return params[upper];
  const lower = name.toLowerCase();
  return lower in params ? params[lower] : undefined;
}

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function asInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** Booleans arrive as true/false, "Y"/"N" (chat-bots-v2/index.md) or, from forms and batch rows, "1"/"0"/"true". */
export function asBool(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['y', '1', 'true'].includes(s)) return true;
    if (['n', '0', 'false', ''].includes(s)) return false;
  }
  return fallback;
}

export function asObject(v: unknown): Params | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Params) : undefined;
}

/** A list from a JSON array, a PHP-style keyed object or a single scalar. */
export function asList(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return Object.values(v);
  return [v];
}

export function asIntList(v: unknown): number[] {
  return asList(v).map(asInt).filter((n): n is number => n !== undefined);
}

export function requireInt(v: unknown, code: string, description: string): number {
  const n = asInt(v);
  if (n === undefined || n <= 0) throw new RestError(400, code, description);
  return n;
}
