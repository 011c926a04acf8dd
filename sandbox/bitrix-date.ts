/** ISO 8601 with the portal's offset and no milliseconds, as Bitrix24 writes dates: `2025-01-15T10:30:00+03:00`. */
export function formatBitrixDate(ms: number, offsetMinutes: number): string {
  const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted}${sign}${hh}:${mm}`;
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
