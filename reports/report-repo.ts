import type { Sql } from '../tickets/store/db.js';
import { monthRange } from './month-range.js';
import type { MonthReport } from './types.js';

export type ReportStatus = 'draft' | 'approved' | 'published';

export interface StoredReport {
  id: number;
  clientId: number;
  /** `YYYY-MM`. */
  month: string;
  version: number;
  status: ReportStatus;
  contentSha256: string;
  pdfSha256: string;
  pdfBytes: number;
  held: boolean;
  ticketCount: number;
  billableMinutes: number;
  missingTimeCount: number;
  openCount: number;
  draftedAt: Date;
  approvedAt: Date | null;
  approvedBy: string | null;
  publishedAt: Date | null;
  publishedTo: string[];
}

export const REPORT_COLUMNS = `id, client_id, to_char(month, 'YYYY-MM') as month, version, status, content_sha256, pdf_sha256,
  pdf_bytes, held, ticket_count, billable_minutes, missing_time_count, open_count, drafted_at, approved_at, approved_by,
  published_at, published_to`;

export function rowToReport(r: Record<string, unknown>): StoredReport {
  return {
    id: r.id as number, clientId: r.client_id as number, month: r.month as string, version: r.version as number,
    status: r.status as ReportStatus, contentSha256: r.content_sha256 as string, pdfSha256: r.pdf_sha256 as string,
    pdfBytes: r.pdf_bytes as number, held: r.held as boolean, ticketCount: r.ticket_count as number,
    billableMinutes: r.billable_minutes as number, missingTimeCount: r.missing_time_count as number,
    openCount: r.open_count as number, draftedAt: r.drafted_at as Date, approvedAt: (r.approved_at as Date | null) ?? null,
    approvedBy: (r.approved_by as string | null) ?? null, publishedAt: (r.published_at as Date | null) ?? null,
    publishedTo: (r.published_to as string[] | null) ?? [],
  };
}

const firstDay = (month: string) => monthRange(month, 'UTC').firstDay;

export async function getReport(sql: Sql, id: number, opts: { forUpdate?: boolean } = {}): Promise<StoredReport | null> {
  const [row] = await sql.query(`select ${REPORT_COLUMNS} from reports where id = $1${opts.forUpdate ? ' for update' : ''}`, [id]);
  return row ? rowToReport(row) : null;
}

/** The report data as it was rendered (for the review and, later, the cabinet). */
export async function getReportData(sql: Sql, id: number): Promise<MonthReport | null> {
  const [row] = await sql.query<{ data: MonthReport }>('select data from reports where id = $1', [id]);
  return row?.data ?? null;
}

/** The newest version of a client's month: the only one that can still change. */
export async function getLatestReport(sql: Sql, clientId: number, month: string): Promise<StoredReport | null> {
  const [row] = await sql.query(`select ${REPORT_COLUMNS} from reports where client_id = $1 and month = $2::date
    order by version desc limit 1`, [clientId, firstDay(month)]);
  return row ? rowToReport(row) : null;
}

/** The newest version of every client's report for a month. */
export async function listLatestReports(sql: Sql, month: string): Promise<StoredReport[]> {
  const rows = await sql.query(`select distinct on (client_id) ${REPORT_COLUMNS} from reports where month = $1::date
    order by client_id, version desc`, [firstDay(month)]);
  return rows.map(rowToReport);
}

export interface ReportContent {
  report: MonthReport;
  contentSha256: string;
  pdfSha256: string;
  pdfBytes: number;
}

function contentParams(c: ReportContent): unknown[] {
  const r = c.report;
  return [c.contentSha256, c.pdfSha256, c.pdfBytes, JSON.stringify(r), r.held, r.tickets.length, r.totals.billableMinutes,
    r.missingTime.length, r.stillOpen.length];
}

/**
 * First versions for many clients in one statement; a client whose report appeared meanwhile
 * is skipped (the unique version number settles the race) and is missing from the result.
 */
export async function insertFirstReports(sql: Sql, month: string, items: ReadonlyArray<{ clientId: number; content: ReportContent }>,
  now: Date): Promise<StoredReport[]> {
  if (items.length === 0) return [];
  const cols = items.map((i) => contentParams(i.content));
  const col = (k: number) => cols.map((c) => c[k]);
  const rows = await sql.query(`insert into reports (client_id, month, version, content_sha256, pdf_sha256, pdf_bytes, data, held,
      ticket_count, billable_minutes, missing_time_count, open_count, drafted_at)
    select u.client_id, $10::date, 1, u.content_sha256, u.pdf_sha256, u.pdf_bytes, u.data, u.held, u.ticket_count, u.billable_minutes,
      u.missing_time_count, u.open_count, $11
    from unnest($1::text[], $2::text[], $3::int[], $4::jsonb[], $5::boolean[], $6::int[], $7::int[], $8::int[], $9::int[], $12::bigint[])
      as u(content_sha256, pdf_sha256, pdf_bytes, data, held, ticket_count, billable_minutes, missing_time_count, open_count, client_id)
    on conflict (client_id, month, version) do nothing returning ${REPORT_COLUMNS}`,
  [...Array.from({ length: 9 }, (_, k) => col(k)), firstDay(month), now, items.map((i) => i.clientId)]);
  return rows.map(rowToReport);
}

export async function insertReport(sql: Sql, clientId: number, month: string, version: number, c: ReportContent, now: Date): Promise<StoredReport> {
  const [row] = await sql.query(`insert into reports (client_id, month, version, content_sha256, pdf_sha256, pdf_bytes, data, held,
      ticket_count, billable_minutes, missing_time_count, open_count, drafted_at)
    values ($10, $11::date, $12, $1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $13) returning ${REPORT_COLUMNS}`,
  [...contentParams(c), clientId, firstDay(month), version, now]);
  return rowToReport(row);
}

/** New content for an unpublished report: back to draft, any approval withdrawn. */
export async function redraftReport(sql: Sql, id: number, c: ReportContent, now: Date): Promise<StoredReport> {
  const [row] = await sql.query(`update reports set content_sha256 = $1, pdf_sha256 = $2, pdf_bytes = $3, data = $4::jsonb,
      held = $5, ticket_count = $6, billable_minutes = $7, missing_time_count = $8, open_count = $9, drafted_at = $11,
      status = 'draft', approved_at = null, approved_by = null
    where id = $10 and status <> 'published' returning ${REPORT_COLUMNS}`, [...contentParams(c), id, now]);
  return rowToReport(row);
}
