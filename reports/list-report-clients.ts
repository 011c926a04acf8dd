import type { Sql } from '../tickets/store/db.js';
import { OPEN_STATUSES } from './load-month-input.js';
import { DEFAULT_REPORT_ZONE, monthRange } from './month-range.js';

/**
 * Who gets a report for the month: every client with a contract in force, and every client
 * with activity (a ticket opened or closed in the month, or still open), contract or not, so
 * that nothing worked on goes unreported.
 */
export async function listReportClients(sql: Sql, month: string, zone = DEFAULT_REPORT_ZONE): Promise<number[]> {
  const r = monthRange(month, zone);
  const rows = await sql.query<{ id: number }>(`
    select k.client_id as id from contracts k
      where k.start_date < $1::date and (k.end_date is null or k.end_date >= $2::date)
    union
    select t.client_id from tickets t where t.client_id is not null and t.closed_at >= $3 and t.closed_at < $4
    union
    select t.client_id from tickets t where t.client_id is not null and t.created_at < $4
      and (t.created_at >= $3 or t.status = any($5))
    order by 1`, [r.nextFirstDay, r.firstDay, r.start, r.end, OPEN_STATUSES]);
  return rows.map((x) => x.id);
}
