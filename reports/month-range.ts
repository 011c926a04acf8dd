import { DateTime } from 'luxon';
import { InvalidMonthError, MonthNotOverError } from './errors.js';

/** Months are reckoned on the support team's clock, not UTC: 23:30 on the 31st in Moscow is still that month. */
export const DEFAULT_REPORT_ZONE = 'Europe/Moscow';

/** A calendar month in a time zone: `[start, end)` as instants, for SQL range conditions. */
export interface MonthRange {
  /** `YYYY-MM`. */
  month: string;
  zone: string;
  start: Date;
  end: Date;
  /** `YYYY-MM-01` and the next month's first day, for `date` columns (contract terms). */
  firstDay: string;
  nextFirstDay: string;
}

/** Checks `YYYY-MM` and returns it normalised; throws InvalidMonthError otherwise. */
export function parseMonth(input: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(input.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new InvalidMonthError(input);
  return `${m[1]}-${m[2]}`;
}

const ranges = new Map<string, MonthRange>();

/** Memoised: luxon's zone arithmetic is slow, and every report asks for its month several times. */
export function monthRange(month: string, zone = DEFAULT_REPORT_ZONE): MonthRange {
  const key = `${month} ${zone}`;
  let r = ranges.get(key);
  if (!r) {
    r = Object.freeze(computeMonthRange(month, zone));
    if (ranges.size > 1000) ranges.clear();
    ranges.set(key, r);
  }
  return r;
}

function computeMonthRange(month: string, zone: string): MonthRange {
  const [year, mm] = parseMonth(month).split('-').map(Number);
  const start = DateTime.fromObject({ year, month: mm, day: 1 }, { zone });
  if (!start.isValid) throw new Error(`unknown time zone ${zone}`);
  const next = start.plus({ months: 1 });
  return {
    month: start.toFormat('yyyy-MM'), zone, start: start.toJSDate(), end: next.toJSDate(),
    firstDay: start.toISODate()!, nextFirstDay: next.toISODate()!,
  };
}

/** The month an instant falls in, on the zone's clock. */
export function monthOf(at: Date, zone = DEFAULT_REPORT_ZONE): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM');
}

/** The month before the one `now` falls in: what the run on the 1st reports on. */
export function previousMonth(now: Date, zone = DEFAULT_REPORT_ZONE): string {
  return DateTime.fromJSDate(now, { zone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

/**
 * Refuses a month that has not ended on the zone's clock by `now` (MonthNotOverError), unless
 * `force`: a report drafted on the 6th would otherwise go out as the whole month.
 */
export function assertMonthOver(month: string, zone: string, now: Date, force = false): void {
  const range = monthRange(month, zone);
  if (force || now.getTime() >= range.end.getTime()) return;
  throw new MonthNotOverError(range.month, `${DateTime.fromJSDate(range.end, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`);
}
