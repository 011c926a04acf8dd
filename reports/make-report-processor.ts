import type { Job, Queue } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { draftReports, type ReportDeps } from './draft-report.js';
import { ReportError } from './errors.js';
import { DEFAULT_REPORT_ZONE, monthOf, previousMonth } from './month-range.js';
import { recordPackageAlerts } from './package-alerts.js';
import { publishReport, type PublishDeps } from './publish-report.js';
import { queueApprovedReports } from './queue-approved-reports.js';
import { queueMonthlyReports } from './queue-monthly-reports.js';
import { REPORT_JOBS, type DraftReportJob, type MonthlyReportsJob, type PublishReportJob } from './report-jobs.js';
import { markBatchDrafted } from './report-runs.js';

export interface ReportProcessorDeps extends ReportDeps {
  queue: Queue;
  /** Publishing needs SMTP; without it publish jobs fail for good. */
  publish?: Omit<PublishDeps, 'db' | 'blobs'>;
  now?: () => Date;
}

/**
 * Records alerts for this month (and the last hour's month, so the 31st's last tickets count);
 * the bot's tick delivers them to the account managers (bot/deliver-package-alerts.ts).
 */
async function sweepAlerts(d: ReportProcessorDeps, now: Date): Promise<{ recorded: number }> {
  const zone = d.zone ?? DEFAULT_REPORT_ZONE;
  const months = [...new Set([monthOf(new Date(now.getTime() - 3600_000), zone), monthOf(now, zone)])];
  let recorded = 0;
  for (const month of months) recorded += (await recordPackageAlerts(d.db, { month, zone })).length;
  return { recorded };
}

/** One processor for the reports queue, dispatching on the job name. */
export function makeReportProcessor(d: ReportProcessorDeps) {
  const now = d.now ?? (() => new Date());
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    [REPORT_JOBS.monthly]: async (job: Job<MonthlyReportsJob>) => {
      const month = job.data.month ?? previousMonth(new Date(job.timestamp), d.zone);
      return { month, queued: await queueMonthlyReports(d.db, d.queue, month, job.timestamp, d.zone, now(), job.data.force) };
    },
    [REPORT_JOBS.draft]: async (job: Job<DraftReportJob>) => {
      const drafted = await draftReports(d, job.data.clientIds, job.data.month, now(), { force: job.data.force });
      if (job.data.run) await markBatchDrafted(d.db, job.data.month, job.data.run, job.data.clientIds[0], now());
      return drafted.map((r) => ({ clientId: r.clientId, outcome: r.outcome, reportId: r.report.id, version: r.report.version }));
    },
    [REPORT_JOBS.publish]: async (job: Job<PublishReportJob>) => {
      if (!d.publish) throw new UnrecoverableError('publishing is not configured (no SMTP)');
      const r = await publishReport({ ...d.publish, db: d.db, blobs: d.blobs }, job.data.reportId, now());
      return { mailedTo: r.mailedTo, already: r.already };
    },
    // Without SMTP nothing is queued: approved reports wait for a process that can mail them.
    [REPORT_JOBS.publishSweep]: async () => ({ queued: d.publish ? await queueApprovedReports(d.db, d.queue) : 0 }),
    [REPORT_JOBS.alertSweep]: () => sweepAlerts(d, now()),
  };
  return async (job: Job) => {
    const handler = handlers[job.name];
    if (!handler) throw new UnrecoverableError(`unknown reports job ${job.name}`);
    try {
      return await handler(job);
    } catch (err) {
      // A report that is not there, not approved or for an unknown client will not get better by retrying.
      if (err instanceof ReportError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      throw err;
    }
  };
}
