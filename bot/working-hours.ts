import { DateTime } from 'luxon';
import type { WorkingHours } from './bot-deps.js';

/** Whether reminders may go out at `at`: always without a calendar, else inside its hours in `zone`. */
export function isWorkingTime(hours: WorkingHours | null, at: Date, zone: string): boolean {
  if (!hours) return true;
  const t = DateTime.fromJSDate(at, { zone });
  const minute = t.hour * 60 + t.minute;
  return hours.days.includes(t.weekday) && minute >= hours.fromMinute && minute < hours.toMinute;
}
