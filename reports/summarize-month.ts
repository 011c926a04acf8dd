import type { Sql } from '../tickets/store/db.js';
import { monthRange } from './month-range.js';
import type { ReportStatus } from './report-repo.js';
import type { ProblemTicket } from './types.js';

export interface ClientProblems {
  clientId: number;
  company: string;
  reportId: number;
  tickets: ProblemTicket[];
}

/** The review's overview of a drafted month: what the quality-control message will show. */
export interface MonthSummary {
  month: string;
  clients: number;
  tickets: number;
  minutes: number;
  billableMinutes: number;
  byStatus: Record<ReportStatus, number>;
  /** Reports that cannot be approved yet. */
  held: number;
  missingTime: ClientProblems[];
  stillOpen: ClientProblems[];
}

interface Row {
  id: number; client_id: number; company: string; status: ReportStatus; ticket_count: number; billable_minutes: number;
  minutes: number; missing_time: ProblemTicket[]; still_open: ProblemTicket[];
}

/** Sums the newest version of every client's report for the month. */
export async function summarizeMonth(sql: Sql, month: string): Promise<MonthSummary> {
  const rows = await sql.query<Row>(`
    select distinct on (r.client_id) r.id, r.client_id, c.company, r.status, r.ticket_count, r.billable_minutes,
      (r.data->'totals'->>'minutes')::int as minutes, r.data->'missingTime' as missing_time, r.data->'stillOpen' as still_open
    from reports r join clients c on c.id = r.client_id
    where r.month = $1::date order by r.client_id, r.version desc`, [monthRange(month, 'UTC').firstDay]);
  const byStatus: Record<ReportStatus, number> = { draft: 0, approved: 0, published: 0 };
  const problems = (pick: (r: Row) => ProblemTicket[]) => rows.filter((r) => pick(r).length > 0)
    .map((r) => ({ clientId: r.client_id, company: r.company, reportId: r.id, tickets: pick(r) }));
  for (const r of rows) byStatus[r.status]++;
  const missingTime = problems((r) => r.missing_time);
  return {
    month, clients: rows.length,
    tickets: rows.reduce((a, r) => a + r.ticket_count, 0),
    minutes: rows.reduce((a, r) => a + r.minutes, 0),
    billableMinutes: rows.reduce((a, r) => a + r.billable_minutes, 0),
    byStatus,
    held: rows.filter((r) => r.status === 'draft' && r.missing_time.length > 0).length,
    missingTime, stillOpen: problems((r) => r.still_open),
  };
}
