import { formatBitrixDate } from '../bitrix-date.js';

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
}

/** The `time` block of every answer: unix-second floats plus the portal-local dates (reference §7). */
export function timeBlock(startMs: number, finishMs: number, tzOffsetMinutes: number): TimeBlock {
  const duration = Math.max(0, finishMs - startMs) / 1000;
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration,
    processing: duration,
    date_start: formatBitrixDate(startMs, tzOffsetMinutes),
    date_finish: formatBitrixDate(finishMs, tzOffsetMinutes),
    // the operating budget resets ten minutes on (reference §7, limits.md)
    operating_reset_at: Math.floor(startMs / 1000) + 600,
    operating: duration,
  };
}

/** What a method hands back: the result, plus paging fields for list methods. */
export interface MethodOutput {
  result: unknown;
  total?: number;
  next?: number;
}

export function successBody(out: MethodOutput, time: TimeBlock): Record<string, unknown> {
  const body: Record<string, unknown> = { result: out.result };
  if (out.next !== undefined) body.next = out.next;
  if (out.total !== undefined) body.total = out.total;
  body.time = time;
  return body;
}

/**
 * PHP's json_encode turns an array whose keys are 0..n-1 into a JSON list, any other
 * array into an object and an empty one into `[]` (reference §7: "empty parts are []").
 */
export function phpArray(entries: Array<[string, unknown]>): unknown {
  if (entries.length === 0) return [];
  if (entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}
