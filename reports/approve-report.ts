import type { Db, Sql } from '../tickets/store/db.js';
import { ReportHeldError, ReportNotFoundError, ReportSupersededError } from './errors.js';
import { getLatestReport, getReport, getReportData, listLatestReports, REPORT_COLUMNS, rowToReport, type StoredReport } from './report-repo.js';
import { monthRange } from './month-range.js';

/**
 * Quality control's approval of one report. Approving twice is harmless; a held report (closed
 * tickets without time) throws ReportHeldError: record the time, re-draft, then approve.
 */
export async function approveReport(db: Db, reportId: number, by: string, now = new Date()): Promise<StoredReport> {
  return db.transaction(async (tx) => {
    const r = await getReport(tx, reportId, { forUpdate: true });
    if (!r) throw new ReportNotFoundError(reportId);
    const latest = await getLatestReport(tx, r.clientId, r.month);
    if (latest!.id !== r.id) throw new ReportSupersededError(r.id);
    if (r.status !== 'draft') return r;
    if (r.held) {
      const data = await getReportData(tx, r.id);
      throw new ReportHeldError(r.id, (data?.missingTime ?? []).map((t) => t.number));
    }
    const [row] = await tx.query(`update reports set status = 'approved', approved_at = $2, approved_by = $3
      where id = $1 returning ${REPORT_COLUMNS}`, [r.id, now, by]);
    return rowToReport(row);
  });
}

export interface ApproveAllResult {
  approved: StoredReport[];
  /** Drafts left as they are because of closed tickets without time. */
  held: StoredReport[];
}

/** Approves every latest draft of the month that is not held; reports the held ones. Takes a transaction too (the bot's click). */
export async function approveAllReports(db: Sql, month: string, by: string, now = new Date()): Promise<ApproveAllResult> {
  // Only the newest version of a client's month is ever a draft: older ones are published.
  const rows = await db.query(`update reports set status = 'approved', approved_at = $2, approved_by = $3
    where month = $1::date and status = 'draft' and not held returning ${REPORT_COLUMNS}`, [monthRange(month, 'UTC').firstDay, now, by]);
  const held = (await listLatestReports(db, month)).filter((r) => r.status === 'draft' && r.held);
  return { approved: rows.map(rowToReport), held };
}
