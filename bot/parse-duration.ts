const HOURS = '(?:h|hr|hrs|hour|hours|ч|час|часа|часов)';
const MINUTES = '(?:m|min|mins|minute|minutes|м|мин|минута|минуты|минут)';
const NUM = '(\\d+(?:\\.\\d+)?)';
const END = '(?=\\s|\\d|$)';
const PART = new RegExp(`^${NUM}\\s*(${HOURS}|${MINUTES})\\.?${END}\\s*`, 'u');

/** The longest time one ticket can take, in minutes: anything above is a typo. */
export const MAX_MINUTES = 24 * 60 * 7;

/**
 * Reads time spent as people type it: `1h20m`, `1:20`, `80` (minutes), `1,5 ч`,
 * `1 ч 20 мин`, `2 hours`. Returns whole minutes, or null for anything it cannot read for
 * sure: the bot then shows an example instead of guessing.
 */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase().replace(/,/g, '.').replace(/\s+/g, ' ');
  let minutes: number | null = null;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(s);
  if (clock) minutes = Number(clock[1]) * 60 + Number(clock[2]);
  else if (/^\d+$/.test(s)) minutes = Number(s);
  else minutes = parseUnits(s);
  if (minutes === null || !Number.isFinite(minutes)) return null;
  const rounded = Math.round(minutes);
  return rounded > 0 && rounded <= MAX_MINUTES ? rounded : null;
}

function parseUnits(s: string): number | null {
  let rest = s;
  let total = 0;
  let seenHours = false;
  let seenMinutes = false;
  while (rest.length > 0) {
    const m = PART.exec(rest);
    if (!m) return null;
    const isHours = new RegExp(`^${HOURS}$`, 'u').test(m[2]);
    if ((isHours && (seenHours || seenMinutes)) || (!isHours && seenMinutes)) return null; // "20m 1h", "1h 1h"
    if (!isHours && m[1].includes('.')) return null; // fractional minutes are a typo
    total += isHours ? Number(m[1]) * 60 : Number(m[1]);
    seenHours ||= isHours;
    seenMinutes ||= !isHours;
    rest = rest.slice(m[0].length);
  }
  return seenHours || seenMinutes ? total : null;
}
