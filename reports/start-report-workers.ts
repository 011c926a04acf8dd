import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { makeReportProcessor, type ReportProcessorDeps } from './make-report-processor.js';
import { DEFAULT_REPORT_ZONE } from './month-range.js';
import { MONTHLY_REPORTS_SCHEDULE, PACKAGE_ALERT_SCHEDULE, PUBLISH_SWEEP_SCHEDULE, REPORT_JOBS, REPORTS_QUEUE } from './report-jobs.js';

export interface ReportWorkerOptions extends Omit<ReportProcessorDeps, 'queue'> {
  connection: Redis;
  prefix: string;
  /** Jobs at once per process: rendering is CPU-bound, so a little more than one lets database waits overlap it. */
  concurrency?: number;
  lockMs?: number;
  /**
   * Register the monthly run and the sweeps (one process doing it is enough; more are harmless).
   * A function takes them over instead (main/ hands them to its ScheduleKeeper, which also puts
   * them back when Redis loses them).
   */
  schedule?: boolean | ((queue: Queue, schedules: ReportSchedule[]) => Promise<void>);
  /** How often approved reports are looked for and queued for publishing (default 10 s). */
  publishSweepMs?: number;
  log?: Logger;
}

export interface ReportWorkers {
  queue: Queue;
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * Schedules the monthly run for 03:00 on the 1st on the team's clock, the alert sweep every 5
 * minutes, and the publish sweep often enough that "Approve all" in the bot feels immediate.
 */
export function reportSchedules(zone = DEFAULT_REPORT_ZONE, publishSweepMs = 10_000): ReportSchedule[] {
  return [
    { id: MONTHLY_REPORTS_SCHEDULE, repeat: { pattern: '0 3 1 * *', tz: zone }, template: { name: REPORT_JOBS.monthly, data: {} } },
    { id: PACKAGE_ALERT_SCHEDULE, repeat: { every: 300_000 }, template: { name: REPORT_JOBS.alertSweep, data: {} } },
    { id: PUBLISH_SWEEP_SCHEDULE, repeat: { every: publishSweepMs },
      template: { name: REPORT_JOBS.publishSweep, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } } },
  ];
}

export interface ReportSchedule {
  id: string;
  repeat: { pattern?: string; tz?: string; every?: number };
  template: { name: string; data: Record<string, unknown>; opts?: Record<string, unknown> };
}

export async function scheduleReportJobs(queue: Queue, zone = DEFAULT_REPORT_ZONE, publishSweepMs = 10_000): Promise<void> {
  for (const s of reportSchedules(zone, publishSweepMs)) await queue.upsertJobScheduler(s.id, s.repeat, s.template);
}

/** The reports queue and its worker, for main/ to start in a worker process. */
export async function startReportWorkers(o: ReportWorkerOptions): Promise<ReportWorkers> {
  const queue = new Queue(REPORTS_QUEUE, { connection: o.connection, prefix: o.prefix });
  const lock = o.lockMs ? { lockDuration: o.lockMs, stalledInterval: o.lockMs } : {};
  const worker = new Worker(REPORTS_QUEUE, makeReportProcessor({ ...o, queue }),
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency ?? 2, ...lock });
  worker.on('failed', (job, err) => o.log?.warn({ queue: REPORTS_QUEUE, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
  worker.on('error', (err) => o.log?.error({ queue: REPORTS_QUEUE, err: err.message }, 'worker error'));
  if (typeof o.schedule === 'function') await o.schedule(queue, reportSchedules(o.zone, o.publishSweepMs));
  else if (o.schedule) await scheduleReportJobs(queue, o.zone, o.publishSweepMs);
  return {
    queue, worker,
    stop: async () => { await worker.close(); await queue.close(); },
  };
}
