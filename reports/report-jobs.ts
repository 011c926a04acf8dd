/** The reports queue: job names, payloads and ids, the one place producers and processors agree on. */
export const REPORTS_QUEUE = 'reports';

export const REPORT_JOBS = {
  /** Drafts every client's report for a month (the previous one when none is given). */
  monthly: 'reports-monthly',
  draft: 'report-draft',
  publish: 'report-publish',
  /** Queues the publishing of approved reports (approval is recorded in the database, e.g. from the bot). */
  publishSweep: 'reports-publish-sweep',
  /** Records newly passed 80 % / 100 % package thresholds (the bot's tick delivers them). */
  alertSweep: 'package-alert-sweep',
} as const;

/** `force`: a month not over yet is drafted too (otherwise such a run fails for good). */
export interface MonthlyReportsJob { month?: string; force?: boolean }
/**
 * Several clients per job: one read and one write for the lot, and a crash redoes a few seconds' work.
 * `run`: the monthly run it belongs to, which counts its finished batches (see report-runs.ts).
 */
export interface DraftReportJob { clientIds: number[]; month: string; run?: string; force?: boolean }
export const DRAFT_BATCH = 20;
export interface PublishReportJob { reportId: number }

// Job ids must not contain ':' (BullMQ). A retried monthly run reuses its `run` stamp, so it
// queues no batch twice; a new run (another stamp) drafts again, which is harmless.
export const draftReportJobId = (month: string, firstClientId: number, run: number | string) => `report-draft-${month}-${firstClientId}-${run}`;
// The approval's time in the id: a report approved again after a re-draft is a new job.
export const publishReportJobId = (reportId: number, approvedAt: Date) => `report-publish-${reportId}-${approvedAt.getTime()}`;
export const monthlyReportsJobId = (month: string, run: number | string) => `reports-monthly-${month}-${run}`;

/** Retries with backoff (a database or SMTP outage delays a report, never drops it); kept a while for inspection. */
export const REPORT_JOB_OPTIONS = {
  attempts: 50,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 20_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** Scheduler keys: 03:00 on the 1st on the team's clock; the alert sweep every 5 minutes; the publish sweep every few seconds. */
export const MONTHLY_REPORTS_SCHEDULE = 'reports-monthly-schedule';
export const PACKAGE_ALERT_SCHEDULE = 'package-alert-sweep-schedule';
export const PUBLISH_SWEEP_SCHEDULE = 'reports-publish-sweep-schedule';
