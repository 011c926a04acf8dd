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

/** One client's newest report of the month, as the review lists it. */
export interface MonthReportLine {
  reportId: number;
  clientId: number;
  company: string;
  status: ReportStatus;
  version: number;
  ticketCount: number;
  minutes: number;
  billableMinutes: number;
  missingTime: ProblemTicket[];
  stillOpen: ProblemTicket[];
}

/** The newest version of every client's report for the month, by company. */
export async function listMonthReports(sql: Sql, month: string): Promise<MonthReportLine[]> {
  const rows = await sql.query<{
    id: number; client_id: number; company: string; status: ReportStatus; version: number; ticket_count: number;
    billable_minutes: number; minutes: number; missing_time: ProblemTicket[]; still_open: ProblemTicket[];
  }>(`
    select * from (
      select distinct on (r.client_id) r.id, r.client_id, c.company, r.status, r.version, r.ticket_count, r.billable_minutes,
        (r.data->'totals'->>'minutes')::int as minutes, r.data->'missingTime' as missing_time, r.data->'stillOpen' as still_open
      from reports r join clients c on c.id = r.client_id
      where r.month = $1::date order by r.client_id, r.version desc) latest
    order by company, client_id`, [monthRange(month, 'UTC').firstDay]);
  return rows.map((r) => ({
    reportId: r.id, clientId: r.client_id, company: r.company, status: r.status, version: r.version, ticketCount: r.ticket_count,
    minutes: r.minutes, billableMinutes: r.billable_minutes, missingTime: r.missing_time ?? [], stillOpen: r.still_open ?? [],
  }));
}

/** A draft with closed tickets without time: approval waits until the time is recorded and the report re-drafted. */
export const isHeld = (r: MonthReportLine): boolean => r.status === 'draft' && r.missingTime.length > 0;

/** Sums the newest version of every client's report for the month. */
export async function summarizeMonth(sql: Sql, month: string): Promise<MonthSummary> {
  const rows = await listMonthReports(sql, month);
  const byStatus: Record<ReportStatus, number> = { draft: 0, approved: 0, published: 0 };
  const problems = (pick: (r: MonthReportLine) => ProblemTicket[]) => rows.filter((r) => pick(r).length > 0)
    .map((r) => ({ clientId: r.clientId, company: r.company, reportId: r.reportId, tickets: pick(r) }));
  for (const r of rows) byStatus[r.status]++;
  return {
    month, clients: rows.length,
    tickets: rows.reduce((a, r) => a + r.ticketCount, 0),
    minutes: rows.reduce((a, r) => a + r.minutes, 0),
    billableMinutes: rows.reduce((a, r) => a + r.billableMinutes, 0),
    byStatus,
    held: rows.filter(isHeld).length,
    missingTime: problems((r) => r.missingTime), stillOpen: problems((r) => r.stillOpen),
  };
}
