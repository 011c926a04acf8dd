import type { Queue } from 'bullmq';
import type { Sql } from '../tickets/store/db.js';
import { publishReportJobId, REPORT_JOB_OPTIONS, REPORT_JOBS, type PublishReportJob } from './report-jobs.js';

/**
 * Approval is recorded in the database (from the bot, the command line); this turns each new
 * approval into a publish job, once. Queued before marked, so a crash in between queues
 * again, which the job id makes a no-op; publishing itself is idempotent under a row lock.
 * Returns how many were queued.
 */
export async function queueApprovedReports(sql: Sql, queue: Queue, limit = 2000): Promise<number> {
  const rows = await sql.query<{ id: number; approved_at: Date }>(`select id, approved_at from reports
    where status = 'approved' and publish_queued_for is distinct from approved_at order by id limit $1`, [limit]);
  for (let i = 0; i < rows.length; i += 500) {
    await queue.addBulk(rows.slice(i, i + 500).map((r) => ({
      name: REPORT_JOBS.publish, data: { reportId: r.id } satisfies PublishReportJob,
      opts: { ...REPORT_JOB_OPTIONS, jobId: publishReportJobId(r.id, r.approved_at) },
    })));
  }
  // Only the approval that was queued (one re-approved meanwhile is queued next time), and the
  // stored value copied, not the Date read back: that would lose microseconds and never match.
  if (rows.length > 0) {
    await sql.query(`update reports r set publish_queued_for = r.approved_at
      from unnest($1::bigint[], $2::timestamptz[]) as u(id, approved_at)
      where r.id = u.id and r.status = 'approved' and abs(extract(epoch from r.approved_at - u.approved_at)) < 0.001`,
    [rows.map((r) => r.id), rows.map((r) => r.approved_at)]);
  }
  return rows.length;
}
