import type { Queue } from 'bullmq';
import type { Sql } from '../tickets/store/db.js';
import { listReportClients } from './list-report-clients.js';
import { assertMonthOver, DEFAULT_REPORT_ZONE } from './month-range.js';
import { DRAFT_BATCH, draftReportJobId, REPORT_JOB_OPTIONS, REPORT_JOBS, type DraftReportJob } from './report-jobs.js';
import { startReportRun } from './report-runs.js';

/**
 * The monthly run: draft jobs for every client with a contract or activity in the month, a
 * few clients each, so any number of worker processes share the rendering. The run is
 * recorded first, so the review goes out once its last batch is drafted. Returns the number
 * of clients. A month not over yet is refused before anything is recorded, unless `force`.
 */
export async function queueMonthlyReports(sql: Sql, queue: Queue, month: string, run: number | string, zone = DEFAULT_REPORT_ZONE,
  now = new Date(), force = false): Promise<number> {
  assertMonthOver(month, zone, now, force);
  const clients = await listReportClients(sql, month, zone);
  const batches: number[][] = [];
  for (let i = 0; i < clients.length; i += DRAFT_BATCH) batches.push(clients.slice(i, i + DRAFT_BATCH));
  await startReportRun(sql, { month, run: String(run), clients: clients.length, batches: batches.length, at: now });
  for (let i = 0; i < batches.length; i += 500) {
    await queue.addBulk(batches.slice(i, i + 500).map((clientIds) => ({
      name: REPORT_JOBS.draft, data: { clientIds, month, run: String(run), ...(force ? { force } : {}) } satisfies DraftReportJob,
      opts: { ...REPORT_JOB_OPTIONS, jobId: draftReportJobId(month, clientIds[0], run) },
    })));
  }
  return clients.length;
}
