import type { MethodOutput } from '../rest/rest-envelope.js';
import { asBool, asInt, asList } from './params.js';

// reference §7: list methods answer 50 rows a page, `next` = the next `start`
export const PAGE_SIZE = 50;

/** One page of a list method; `start=-1` skips counting (reference §5). */
export function paginate<T>(rows: T[], startParam: unknown): MethodOutput {
  const raw = asInt(startParam) ?? 0;
  const start = Math.max(0, raw);
  const page = rows.slice(start, start + PAGE_SIZE);
  const out: MethodOutput = { result: page };
  if (raw !== -1) out.total = rows.length;
  if (raw !== -1 && start + PAGE_SIZE < rows.length) out.next = start + PAGE_SIZE;
  return out;
}

export type FieldValue = string | number | boolean | Array<string | number> | null;

const OPERATORS = ['>=', '<=', '!@', '!=', '=%', '%=', '>', '<', '@', '!', '%', '='] as const;

/** Splits `>=ID` into operator and field, as Bitrix24 filters are written (reference §5). */
export function parseFilterKey(key: string): { op: string; field: string } {
  for (const op of OPERATORS) if (key.startsWith(op)) return { op, field: key.slice(op.length).toUpperCase() };
  return { op: '=', field: key.toUpperCase() };
}

/** Whether a record's field value passes one filter condition. */
export function matchesCondition(actual: FieldValue, op: string, expected: unknown): boolean {
  const values = Array.isArray(actual) ? actual.map(String) : [norm(actual)];
  const wanted = asList(expected).map((v) => norm(v as FieldValue));
  switch (op) {
    case '!':
    case '!=':
    case '!@':
      return !values.some((v) => wanted.includes(v));
    case '%':
    case '=%':
    case '%=': {
      const needle = wanted[0]?.replace(/%/g, '').toLowerCase() ?? '';
      return values.some((v) => v.toLowerCase().includes(needle));
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      return values.some((v) => compare(Number(v), op, Number(wanted[0])));
    default:
      return values.some((v) => wanted.includes(v));
  }
}

function norm(v: FieldValue | undefined): string {
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' && ['true', 'false'].includes(v.toLowerCase())) return asBool(v, false) ? 'Y' : 'N';
  return String(v);
}

function compare(a: number, op: string, b: number): boolean {
  if (op === '>') return a > b;
  if (op === '>=') return a >= b;
  if (op === '<') return a < b;
  return a <= b;
}

export function sortRows<T>(rows: T[], value: (row: T) => FieldValue, order: unknown): T[] {
  const desc = String(order ?? 'ASC').toUpperCase() === 'DESC';
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return desc ? -cmp : cmp;
  });
}
