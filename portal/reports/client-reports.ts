import type { Sql } from '../../tickets/store/db.js';
import type { MonthReport } from '../../reports/types.js';
import type { ReportRow } from '../api-schemas.js';
import { NotFoundError } from '../portal-errors.js';

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** Every published month of a client, the newest published version of each, newest month first. */
export async function listClientReports(sql: Sql, clientId: number): Promise<ReportRow[]> {
  const rows = await sql.query<{ id: number; month: string; version: number; data: MonthReport; published_at: Date }>(
    `select distinct on (month) id, to_char(month, 'YYYY-MM') as month, version, data, published_at
       from reports where client_id = $1 and status = 'published' order by month desc, version desc`, [clientId]);
  return rows.map((r) => {
    const c = r.data.contract;
    return {
      id: r.id, month: r.month, version: r.version, hoursUsed: hours(r.data.totals.billableMinutes), overHours: hours(r.data.totals.overMinutes),
      amount: c ? Math.round((c.monthlyFee + r.data.totals.overCost) * 100) / 100 : null, currency: c?.currency ?? null,
      publishedAt: r.published_at.toISOString(),
    };
  });
}

/** A published report's PDF address, only for its own client: anything else is "not found". */
export async function findClientReportPdf(sql: Sql, clientId: number, reportId: number): Promise<{ sha256: string; month: string; version: number }> {
  const [r] = await sql.query<{ pdf_sha256: string; month: string; version: number }>(
    `select pdf_sha256, to_char(month, 'YYYY-MM') as month, version from reports where id = $1 and client_id = $2 and status = 'published'`,
    [reportId, clientId]);
  if (!r) throw new NotFoundError(`report ${reportId}`);
  return { sha256: r.pdf_sha256, month: r.month, version: r.version };
}
