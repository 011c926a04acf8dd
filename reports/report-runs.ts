import type { Sql } from '../tickets/store/db.js';
import { monthRange } from './month-range.js';

const firstDay = (month: string) => monthRange(month, 'UTC').firstDay;

/**
 * A month's drafting run begins, before its draft jobs are queued (a fast job must find the
 * run to tick off). A retried monthly job is the same run and changes nothing; a run with no
 * clients is drafted at once.
 */
export async function startReportRun(sql: Sql, r: { month: string; run: string; clients: number; batches: number; at: Date }): Promise<void> {
  await sql.query(`insert into report_runs (month, run, clients, batches, started_at, drafted_at)
    values ($1::date, $2, $3, $4, $5, case when $4::int = 0 then $5::timestamptz end)
    on conflict (month, run) do nothing`, [firstDay(r.month), r.run, r.clients, r.batches, r.at]);
}

/**
 * Ticks off one finished draft batch (named by its first client). A batch retried after it
 * finished counts once; the last one marks the run drafted. Returns whether it is drafted.
 */
export async function markBatchDrafted(sql: Sql, month: string, run: string, firstClientId: number, at: Date): Promise<boolean> {
  const rows = await sql.query<{ drafted_at: Date | null }>(`update report_runs set done = array_append(done, $3::bigint),
      drafted_at = case when cardinality(done) + 1 >= batches then $4::timestamptz else drafted_at end
    where month = $1::date and run = $2 and not ($3::bigint = any(done)) returning drafted_at`, [firstDay(month), run, firstClientId, at]);
  return rows[0]?.drafted_at != null;
}

/**
 * Months whose drafting finished and whose review has not gone out. Runs older than `since`
 * are left alone, so naming reviewers for the first time does not replay a year of reviews.
 */
export async function listMonthsToReview(sql: Sql, since: Date): Promise<string[]> {
  const rows = await sql.query<{ month: string }>(`select distinct to_char(month, 'YYYY-MM') as month from report_runs
    where reviewed_at is null and drafted_at is not null and drafted_at > $1 order by 1`, [since]);
  return rows.map((r) => r.month);
}

/**
 * Claims the review of a month's finished runs for `reviewers`, under their row locks: true
 * for the one caller that gets to send it.
 */
export async function claimMonthReview(sql: Sql, month: string, reviewers: readonly number[], at: Date): Promise<boolean> {
  const rows = await sql.query(`update report_runs set reviewed_at = $3, reviewers = $2::text[]
    where month = $1::date and reviewed_at is null and drafted_at is not null returning run`,
  [firstDay(month), reviewers.map(String), at]);
  return rows.length > 0;
}

/** Whether this Bitrix24 user was sent a review of the month (only they may act on it from the bot). */
export async function isMonthReviewer(sql: Sql, month: string, b24UserId: number): Promise<boolean> {
  const rows = await sql.query('select 1 from report_runs where month = $1::date and $2::text = any(reviewers) limit 1',
    [firstDay(month), String(b24UserId)]);
  return rows.length > 0;
}
